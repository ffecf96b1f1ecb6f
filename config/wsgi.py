import os

from django.core.wsgi import get_wsgi_application

from home.serving.cache_hits import CachedPagesApplication

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

# A page the page cache holds is answered before Django's handler does any work (see home.serving.cache_hits).
application = CachedPagesApplication(get_wsgi_application())
