"""The production settings, for `make bench` only: a request with the header X-Bench-Uncached is rendered in full,
past the page cache, so that the benchmark can measure both on one server."""

from config.settings.production import *  # noqa: F403

PAGE_CACHE_BYPASS_HEADER = "HTTP_X_BENCH_UNCACHED"
ROOT_URLCONF = "tests.bench.urls"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405 - not every task the seed starts
