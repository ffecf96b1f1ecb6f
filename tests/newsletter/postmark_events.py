"""Postmark's tracking events as its webhook posts them, for the tests of what a bounce or complaint changes."""

import base64
import json

URL = "/anymail/postmark/tracking/"
# The secret the `webhook_secret` fixture (conftest.py) configures.
SECRET = "hooks:s3cret-value"


def post_event(client, payload, secret=SECRET):
    auth = "Basic " + base64.b64encode(secret.encode()).decode()
    return client.post(URL, json.dumps(payload), content_type="application/json", HTTP_AUTHORIZATION=auth)


def bounce(email, event_id=4323372036, bounce_type="HardBounce", message_id="883953f4-6105-42a2-a16a-77a8eac79483"):
    return {
        "RecordType": "Bounce",
        "ID": event_id,
        "Type": bounce_type,
        "TypeCode": 1,
        "Email": email,
        "BouncedAt": "2026-11-28T10:00:00Z",
        "MessageID": message_id,
        "Description": "The server was unable to deliver your message.",
    }


def complaint(email, event_id=4323372099, **kwargs):
    return {**bounce(email, event_id, "SpamComplaint", **kwargs), "RecordType": "SpamComplaint"}
