"""gunicorn's settings wherever the site runs on it (`make serve`, `make bench`, `make load`, the proxy tests):
gunicorn reads ./gunicorn.conf.py by itself, beside the options each command line gives."""

import gc


def post_worker_init(worker):
    """Freezes what the worker loaded at start (Django, Wagtail, the URL patterns, the templates): it lives as long as
    the worker, and frozen, the cyclic garbage collector no longer walks it, so a full collection that falls in the
    middle of a request (a latency tail) takes a fraction of the time."""
    gc.freeze()
