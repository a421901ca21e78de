"""The web layer: a Flask app factory, blueprints, one error handler. Thin: it turns requests
into calls on the corpus, search and render layers and their results into responses."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from ..config import Settings
import threading

from ..corpus import CorpusCache
from ..search import build_index, current_generation, is_stale


def create_app(test_config: dict | None = None) -> Flask:
    """Defaults, then environment (PACTARCHIVE_*), then ``test_config``. Nothing happens at
    import time; the corpus is loaded on first use and reloaded when tei/ changes."""
    app = Flask(__name__)
    settings = Settings()
    app.config.from_mapping(TEI_DIR=settings.tei_dir, INDEX_DIR=settings.index_dir,
                            BASE_URL=settings.base_url, JSON_SORT_KEYS=False)
    if test_config:
        app.config.update(test_config)
    app.config["TEI_DIR"] = Path(app.config["TEI_DIR"]).resolve()
    app.config["INDEX_DIR"] = Path(app.config["INDEX_DIR"]).resolve()
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["corpus"] = CorpusCache(app.config["TEI_DIR"])
    app.extensions["index_keeper"] = IndexKeeper(app.config["INDEX_DIR"], app.logger)

    from . import api, changes, citing, context, dts, errors, http, pages, reading, searching
    errors.init_app(app)
    http.init_app(app)
    for blueprint in (api.bp, pages.bp, reading.bp, searching.bp, citing.bp, changes.bp, context.bp, dts.bp):
        app.register_blueprint(blueprint)
    return app


def corpus():
    """The current corpus of the app handling this request. When tei/ changed and the new
    corpus loaded without errors, the search index is rebuilt in the background."""
    from flask import current_app
    current = current_app.extensions["corpus"].get()
    current_app.extensions["index_keeper"].notice(current)
    return current


class IndexKeeper:
    """Rebuilds the index in a background thread when the served corpus changes, so a TEI
    file dropped into a running archive becomes searchable without a restart. Searches keep
    using the previous generation until the new one is swapped in."""

    def __init__(self, index_dir: Path, logger):
        self.index_dir, self.logger = index_dir, logger
        self._seen = None
        self._lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def notice(self, corpus) -> None:
        if corpus is self._seen:
            return
        with self._lock:
            if corpus is self._seen:
                return
            first = self._seen is None
            self._seen = corpus
            if first and current_generation(self.index_dir) is not None:
                return  # serve checked staleness at start; a test app may point at any index
            self.thread = threading.Thread(target=self._rebuild, args=(corpus,), daemon=True)
            self.thread.start()

    def _rebuild(self, corpus) -> None:
        try:
            if is_stale(self.index_dir, corpus.tei_dir):
                result = build_index(corpus, self.index_dir)
                self.logger.info("index rebuilt: %s documents, %s passages", result.documents, result.passages)
        except Exception:  # a failed rebuild leaves the served index as it was
            self.logger.exception("background index rebuild failed; the previous index is still served")
