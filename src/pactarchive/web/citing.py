"""Citable passages: the permalink page /passage/<ref>."""

from __future__ import annotations

from flask import Blueprint, render_template

from . import corpus, data

bp = Blueprint("citing", __name__)


@bp.get("/passage/<path:ref>")
def passage(ref):
    d = data.passage(corpus(), ref)
    return render_template("passage.html", p=d, json_url=f"/api/passages/{ref}")
