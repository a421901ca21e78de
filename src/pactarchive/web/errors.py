"""One place where domain errors become HTTP responses: JSON ``{"error": ...}`` for the API
(and other JSON routes), an HTML page elsewhere."""

from __future__ import annotations

from flask import jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from ..errors import IndexMissing, PactArchiveError, QueryError, RefError

STATUS = {RefError: 404, QueryError: 400, IndexMissing: 503}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.args.get("format") == "json"


def init_app(app) -> None:
    @app.errorhandler(PactArchiveError)
    def domain_error(exc):
        status = next((code for cls, code in STATUS.items() if isinstance(exc, cls)), 500)
        return _respond(status, str(exc))

    @app.errorhandler(HTTPException)
    def http_error(exc):
        return _respond(exc.code or 500, exc.description or exc.name)

    @app.errorhandler(Exception)
    def unexpected(exc):  # never a traceback to the reader; the log keeps it
        app.logger.exception("unexpected error")
        return _respond(500, "an unexpected error occurred; it has been logged")


def _respond(status: int, message: str):
    if wants_json():
        return jsonify({"error": message, "status": status}), status
    return render_template("error.html", status=status, message=message), status
