"""One place where domain errors become HTTP responses: JSON ``{"error": ...}`` for the API
(and other JSON routes), an HTML page elsewhere."""

from __future__ import annotations

from flask import Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, SecurityError

from ..errors import IndexMissing, MalformedRef, PactArchiveError, QueryError, RefError, SearchBusy

# the first class that matches wins: a malformed ref is a RefError too, but the client's fault (400);
# a search that waited too long for its turn (SearchBusy, a QueryError) is the server's: 503, retry
STATUS = {MalformedRef: 400, RefError: 404, SearchBusy: 503, QueryError: 400, IndexMissing: 503}
RETRY_AFTER = {SearchBusy: 2, IndexMissing: 5}  # seconds


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.args.get("format") == "json"


def init_app(app) -> None:
    @app.errorhandler(PactArchiveError)
    def domain_error(exc):
        status = next((code for cls, code in STATUS.items() if isinstance(exc, cls)), 500)
        response = _respond(status, str(exc))
        retry = next((s for cls, s in RETRY_AFTER.items() if isinstance(exc, cls)), None)
        if retry:
            response, code = response
            response = app.make_response((response, code))
            response.headers["Retry-After"] = str(retry)
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc):
        if isinstance(exc, SecurityError):  # an untrusted Host: no URL can be built for it
            return Response(f"400 Bad Request: {exc.description} Use one of this server's names "
                            "(see PACTARCHIVE_TRUSTED_HOSTS).\n", 400, mimetype="text/plain")
        if exc.code == 429:  # Flask-Limiter's description is just the limit ("120 per 1 minute")
            return _respond(429, f"too many searches from this address (at most {exc.description}); "
                                 "wait the seconds given in the Retry-After header, then try again")
        return _respond(exc.code or 500, exc.description or exc.name)

    @app.errorhandler(Exception)
    def unexpected(exc):  # never a traceback to the reader; the log keeps it
        app.logger.exception("unexpected error")
        return _respond(500, "an unexpected error occurred; it has been logged")


def _respond(status: int, message: str):
    if wants_json():
        return jsonify({"error": message, "status": status}), status
    return render_template("error.html", status=status, message=message), status
