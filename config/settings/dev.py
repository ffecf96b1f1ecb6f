from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"  # noqa: S105
# Mail is written to files so it can be read without a mail server: one .eml file per message and recipient.
EMAIL_BACKEND = "newsletter.mail_backends.EmlFileBackend"
EMAIL_FILE_PATH = BASE_DIR / "sent-mail"  # noqa: F405
WHITENOISE_USE_FINDERS = True
