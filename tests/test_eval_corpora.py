"""The shared evaluation corpora survive ingestion whole: crud-dev (691 one-line news articles) indexes 691
notices, field-dev 25, and every question's evidence is found verbatim in the cleaned text of its document.
(Summary numbers only: held-out questions of field-dev are not named.) Skipped when shared/ is not beside the
repository (it is in CI)."""
import importlib.util
import json
from pathlib import Path

import pytest

from .conftest import ROOT

SHARED = next((p for p in (ROOT.parent / "shared" / "evals", Path("/work/shared/evals")) if p.is_dir()), None)
pytestmark = pytest.mark.skipif(SHARED is None, reason="shared/evals is not beside the repository")


def _check():
    spec = importlib.util.spec_from_file_location("check_ingest", ROOT / "evals" / "check_ingest.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.check


def test_crud_dev_indexes_every_file_with_its_evidence():
    r = _check()(SHARED / "crud-dev", build=True)
    assert r["files"] == r["notices"] == r["indexed_notices"] == 691
    assert r["evidence_found"] == r["evidence"] == 113


def test_field_dev_keeps_every_evidence():
    held = set(json.loads((SHARED / "field-dev" / "split.json").read_text(encoding="utf-8"))["documents"]["held-out"])
    r = _check()(SHARED / "field-dev", held_out=held)
    assert r["files"] == r["notices"] == 25
    assert r["evidence_found"] == r["evidence"]
