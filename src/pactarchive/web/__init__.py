"""The web layer: a Flask app factory, blueprints, one error handler. Thin: it turns requests
into calls on the corpus, search and render layers and their results into responses."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from ..config import Settings
from ..corpus import CorpusCache


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

    from . import api, citing, errors, pages, reading, searching
    errors.init_app(app)
    for blueprint in (api.bp, pages.bp, reading.bp, searching.bp, citing.bp):
        app.register_blueprint(blueprint)
    return app


def corpus():
    """The current corpus of the app handling this request."""
    from flask import current_app
    return current_app.extensions["corpus"].get()
