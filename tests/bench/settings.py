"""The production settings, for `make bench` only: a request with the header X-Bench-Uncached is rendered in full,
past the page cache, so that the benchmark can measure both on one server."""

import os

from config.settings.production import *  # noqa: F403

PAGE_CACHE_BYPASS_HEADER = "HTTP_X_BENCH_UNCACHED"
# BENCH_PAGE_MEMORY_SECONDS=0: every request reads the shared cache, to see what the process memory saves.
PAGE_CACHE_MEMORY_SECONDS = int(os.environ.get("BENCH_PAGE_MEMORY_SECONDS", "1"))
ROOT_URLCONF = "tests.bench.urls"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405 - not every task the seed starts
