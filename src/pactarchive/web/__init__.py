"""The web layer: a Flask app factory, blueprints, one error handler. Thin: it turns requests
into lookups in the edition store (and calls on the search and render layers) and their
results into responses. Nothing parses the corpus on a request: pages read the current
generation's store (``edition()``), which the build compiled."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from ..config import Settings
from .source import EditionSource


def create_app(test_config: dict | None = None) -> Flask:
    """Defaults, then environment (PACTARCHIVE_*), then ``test_config``. Nothing happens at
    import time; the current generation is opened on first use (and built first when there is
    none). With ``WATCH_TEI`` (the default; ``serve --workers`` turns it off in the workers,
    whose watcher is elsewhere) a request that finds tei/ changed rebuilds before answering."""
    app = Flask(__name__)
    settings = Settings()
    app.config.from_mapping(TEI_DIR=settings.tei_dir, INDEX_DIR=settings.index_dir,
                            BASE_URL=settings.base_url, JSON_SORT_KEYS=False,
                            WATCH_TEI=True, WATCH_SECONDS=None)
    if test_config:
        app.config.update(test_config)
    app.config["TEI_DIR"] = Path(app.config["TEI_DIR"]).resolve()
    app.config["INDEX_DIR"] = Path(app.config["INDEX_DIR"]).resolve()
    if app.config["WATCH_SECONDS"] is None:  # tests see a changed file on the very next request
        app.config["WATCH_SECONDS"] = 0.0 if app.config.get("TESTING") else 2.0
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    source = EditionSource(app.config["TEI_DIR"], app.config["INDEX_DIR"], app.logger,
                           watch=app.config["WATCH_TEI"], every=app.config["WATCH_SECONDS"])
    app.extensions["edition"] = source
    app.extensions["index_keeper"] = source  # its earlier name (tests join its rebuild thread)

    from . import accessibility, api, changes, citing, context, dts, errors, http, i18n, pages, reading, searching
    errors.init_app(app)
    http.init_app(app)
    i18n.init_app(app)  # after http: its hook runs first and names the UI language in the ETag
    for blueprint in (api.bp, pages.bp, accessibility.bp, reading.bp, searching.bp, citing.bp, changes.bp, context.bp, dts.bp):
        app.register_blueprint(blueprint)
    return app


def edition():
    """The edition store (``store.Edition``) of the generation being served to this request.
    It answers with Corpus's method names (documents, document, resolve, aligned, notes_for,
    entities_in, entities, mentions, notes), so it stands wherever a Corpus was used."""
    from flask import current_app, g
    found = g.get("edition")
    if found is None:
        found = g.edition = current_app.extensions["edition"].get()
    return found


corpus = edition  # the name the views used when they walked a loaded Corpus
