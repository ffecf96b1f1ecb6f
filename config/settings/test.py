from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key-not-secret-test-only-key-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Records every send (with merge data) instead of delivering it.
EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
# The provider whose tracking webhook the site routes (config/urls.py), as production's ANYMAIL_ESP names it; the
# tests post Postmark's events there (sending stays with the test backend above).
ANYMAIL_ESP = "postmark"
# The newsletter goes out in batches there, with Brevo's merge syntax, so the tests read each batch's merge data.
NEWSLETTER_BATCH_SENDING = True
SITE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"
# Each test run its own caches, in memory (tests/conftest.py empties them before every test).
CACHES = {name: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": name} for name in CACHES}  # noqa: F405
# Tests change the database and empty those caches within a second: a process's memory of a page would outlive that
# (tests/test_page_memory.py turns it on).
PAGE_CACHE_MEMORY_SECONDS = 0
# No autosave: Wagtail 8's autosave can save a new page while a browser test publishes it, and the publish then posts
# the same new page a second time (a race in Wagtail's admin script). The editor journey tests publishing itself.
WAGTAIL_AUTOSAVE_INTERVAL = 0
