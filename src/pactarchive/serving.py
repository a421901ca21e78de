"""Serving with several worker processes: gunicorn (POSIX) runs N workers, each a Flask app
that reads the current generation read-only and picks up a new one on its next request; one
watcher thread in gunicorn's master process rebuilds when tei/ changes (the workers do not
watch). Where gunicorn cannot run (Windows, or not installed), ``available()`` is False and
the CLI falls back to waitress in one process.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path


def available() -> bool:
    """True when gunicorn can run here (POSIX with gunicorn installed)."""
    try:
        import fcntl  # noqa: F401  (gunicorn needs POSIX)
        import gunicorn  # noqa: F401
    except ImportError:
        return False
    return True


def serve(tei: Path, index: Path, host: str, port: int, workers: int, threads: int, watch_seconds: float = 2.0) -> None:
    """Run gunicorn with ``workers`` processes of ``threads`` threads each (blocks)."""
    from gunicorn.app.base import BaseApplication

    from .web import create_app

    class Application(BaseApplication):
        def load_config(self):
            for key, value in {"bind": f"{host}:{port}", "workers": workers, "threads": threads,
                               "worker_class": "gthread", "accesslog": None, "errorlog": "-",
                               "proc_name": "pactarchive", "when_ready": _start_watcher}.items():
                self.cfg.set(key, value)

        def load(self):
            return create_app({"TEI_DIR": tei, "INDEX_DIR": index, "WATCH_TEI": False, "BIND_HOST": host})

    def _start_watcher(server) -> None:
        threading.Thread(target=watch, args=(tei, index, watch_seconds), name="pactarchive-watcher", daemon=True).start()

    Application().run()


def watch(tei: Path, index: Path, every: float, rounds: int | None = None) -> None:
    """Rebuild the generation whenever tei/ changes (checked every ``every`` seconds; for
    ``rounds`` checks, or forever). A failed build keeps the generation being served."""
    from .web.source import EditionSource, watch_interval
    source = EditionSource(tei, index, logging.getLogger("pactarchive.watcher"), watch=True, every=0)
    n = 0
    while rounds is None or n < rounds:
        source._watch()
        n += 1
        time.sleep(watch_interval(every, source.walked))  # (less often when a walk of tei/ takes long)
