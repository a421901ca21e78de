"""Reading pages: home, about, one document. (The parallel view /read is in reading.py.)
Each page renders the dict its JSON twin returns (see data.py) and links to it."""

from __future__ import annotations

from flask import Blueprint, render_template

from . import corpus, data

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    return render_template("home.html", documents=data.documents(corpus()), json_url="/api/documents")


@bp.get("/about")
def about():
    return render_template("about.html")


@bp.get("/documents/<doc_id>")
def document(doc_id):
    d = data.document(corpus(), doc_id)
    return render_template("document.html", doc=d, json_url=d["api"])
