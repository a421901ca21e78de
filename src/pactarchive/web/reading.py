"""The parallel reading view /read (issue 5 builds it out)."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for

bp = Blueprint("reading", __name__)


@bp.get("/read")
def read():
    return redirect(url_for("pages.home"))
