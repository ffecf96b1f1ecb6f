"""The bare view of tests/bench/bare_settings.py: 20 KB of HTML, about what one of the site's pages weighs."""

from django.http import HttpResponse
from django.urls import path

BODY = b"<!doctype html><title>bare</title>" + b"<p>" + b"x" * (20 * 1024) + b"</p>"


def bare(request):
    return HttpResponse(BODY)


urlpatterns = [path("", bare)]
