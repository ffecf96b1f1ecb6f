"""What one process keeps of the page cache in its own memory: read without a round trip to the shared cache.

Two kinds, both forgotten at once when this process starts a new generation (`page_cache.new_generation`):

- Values of one generation (the site shell, shared fragments, routes): the same for every request of that generation.
  They are kept for the generation a request read from the shared cache, so the next request after any publish, in
  any process, builds on the new one. Values other than text are kept pickled, and every request gets its own copy,
  as it did from the shared cache: nothing a request sets on a page object reaches another request.
- The generation itself, and whole answers of the WSGI layer (home.serving.cache_hits), each for at most
  PAGE_CACHE_MEMORY_SECONDS after it was read from the shared cache: a burst of visitors costs one round trip a
  second, not one a request. Another process's publish shows here within that time (0: never kept), as a CDN shows
  it within PAGE_CACHE_SHARED_SECONDS.

Both are bounded: when full, they start empty rather than keep track of what was used last.
"""

import pickle
import time

from ..conf import home_settings

MAX_VALUES = 2000
MAX_ANSWERS = 500

# (generation, {name: value}): one tuple, replaced whole, so that a thread never sees one generation's values under
# another's name.
values_of_generation = (None, {})
answers = {}  # cache key: (monotonic deadline, stored answer)
generation_read = (0.0, None)  # (monotonic deadline, the generation read from the shared cache)


def recall(generation, name):
    """The value kept under `name` for `generation`, or None."""
    kept_generation, kept = values_of_generation
    value = kept.get(name) if generation == kept_generation else None
    return pickle.loads(value) if isinstance(value, bytes) else value  # noqa: S301 - pickled by keep() below


def keep(generation, name, value):
    global values_of_generation
    kept_generation, kept = values_of_generation
    if generation != kept_generation or len(kept) >= MAX_VALUES:
        kept = {}
        values_of_generation = (generation, kept)
    kept[name] = value if isinstance(value, str) else pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


def recent_generation():
    """The generation read from the shared cache less than PAGE_CACHE_MEMORY_SECONDS ago, or None."""
    deadline, value = generation_read
    return value if deadline > time.monotonic() else None


def keep_generation(value):
    global generation_read
    generation_read = (time.monotonic() + home_settings.PAGE_CACHE_MEMORY_SECONDS, value)


def recent_answer(key):
    """The answer read from the shared cache under `key` less than PAGE_CACHE_MEMORY_SECONDS ago, or None."""
    found = answers.get(key)
    if found is None or found[0] < time.monotonic():
        return None
    return found[1]


def keep_answer(key, stored):
    seconds = home_settings.PAGE_CACHE_MEMORY_SECONDS
    if seconds <= 0:
        return
    if len(answers) >= MAX_ANSWERS:
        answers.clear()
    answers[key] = (time.monotonic() + seconds, stored)


def forget():
    global values_of_generation, generation_read
    values_of_generation, generation_read = (None, {}), (0.0, None)
    answers.clear()
