"""The site's addresses and, for the benchmark only, a minimal Django view: the ceiling on this machine."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def minimal(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal), *site_urlpatterns]
