"""Settings for the newsletter benchmark's workers and itself: the test settings with anymail's real Brevo
backend pointed at the fake Brevo server (BENCH_BREVO_URL), and short retry delays and lease."""

import os

from config.settings.test import *  # noqa: F403

EMAIL_BACKEND = "anymail.backends.brevo.EmailBackend"
NEWSLETTER_BATCH_SENDING = None
ANYMAIL = {
    "BREVO_API_KEY": "fake-brevo-key",
    "BREVO_API_URL": os.environ.get("BENCH_BREVO_URL", "http://127.0.0.1:8160/v3/"),
    "REQUESTS_TIMEOUT": 1,
}
NEWSLETTER_RETRY_DELAY = 0.2
NEWSLETTER_CLAIM_LEASE = 3
