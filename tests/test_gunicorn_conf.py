"""gunicorn's settings (gunicorn.conf.py at the project's root, which gunicorn reads by itself)."""

import gc
import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parents[1] / "gunicorn.conf.py"


def test_a_worker_freezes_what_it_loaded_at_start():
    settings = runpy.run_path(str(CONF))
    try:
        settings["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
