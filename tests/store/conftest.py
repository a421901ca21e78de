"""Fixtures of the store's tests."""

import shutil

import pytest


@pytest.fixture()
def tei(tmp_path, tei_dir):
    """A copy of the edition's tei/ (two articles, a translation, the register, the
    alignment), to edit the ways an editor edits it."""
    copy = tmp_path / "tei"
    shutil.copytree(tei_dir, copy)
    return copy
