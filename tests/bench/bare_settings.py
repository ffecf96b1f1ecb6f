"""A bare Django project for `make bench`: what one Django process can answer at most on this machine, the yardstick
the site's pages are divided by. Django's SecurityMiddleware and CommonMiddleware only, no database, no templates."""

import os

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "tests.bench.bare_urls"
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.middleware.common.CommonMiddleware"]
INSTALLED_APPS = []
DATABASES = {}
USE_I18N = False
