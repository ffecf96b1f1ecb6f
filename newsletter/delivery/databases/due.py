"""The part of claiming that every database writes alike: which deliveries are due, and taking them."""

# Whether a queued delivery is still wanted when its turn comes, per kind of mailing (Mailing.Kind): an edition
# while its subscriber is confirmed; an alert while the follow of its action is confirmed, and a digest while a
# weekly follow is, unless the address bounced or complained. Each takes the parameters queue.stays_params names.
STAYS_SQL = {
    "edition": "s.state = %s",
    "alert": (
        "s.state NOT IN (%s, %s) AND EXISTS (SELECT 1 FROM newsletter_follow AS f "
        "WHERE f.subscriber_id = s.id AND f.action_id = %s AND f.state = %s)"
    ),
    "digest": (
        "s.state NOT IN (%s, %s) AND EXISTS (SELECT 1 FROM newsletter_follow AS f "
        "WHERE f.subscriber_id = s.id AND f.frequency = %s AND f.state = %s)"
    ),
}

# Due pending deliveries, oldest first, with their subscribers. A delivery that no longer stays (unsubscribed,
# bounced, complained, stopped following since the sending began) is skipped instead of sent.
DUE_SQL = """
WITH due AS (
    SELECT d.id AS due_id, {stays} AS stays,
        d.copy_id, s.email, CAST(s.key AS text) AS key, s.language, d.attempts
    FROM newsletter_delivery AS d JOIN newsletter_subscriber AS s ON s.id = d.subscriber_id
    WHERE d.mailing_id = %s AND d.state = %s AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= %s)
    ORDER BY d.id LIMIT %s {lock}
)
"""
TAKE_SQL = "UPDATE newsletter_delivery SET state = CASE WHEN stays THEN %s ELSE %s END, claimed_at = %s FROM due"
