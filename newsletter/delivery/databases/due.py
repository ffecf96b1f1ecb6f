"""The part of claiming that every database writes alike: which deliveries are due, and taking them."""

# Due pending deliveries, oldest first, with their subscribers. A delivery whose subscriber is no longer confirmed
# (unsubscribed, bounced, complained since the sending began) is skipped instead of sent.
DUE_SQL = """
WITH due AS (
    SELECT d.id AS due_id, s.state = %s AS stays,
        d.copy_id, s.email, CAST(s.key AS text) AS key, s.language, d.attempts
    FROM newsletter_delivery AS d JOIN newsletter_subscriber AS s ON s.id = d.subscriber_id
    WHERE d.mailing_id = %s AND d.state = %s AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= %s)
    ORDER BY d.id LIMIT %s {lock}
)
"""
TAKE_SQL = "UPDATE newsletter_delivery SET state = CASE WHEN stays THEN %s ELSE %s END, claimed_at = %s FROM due"
