"""The five notices ingest exactly as they did before the readers and the new cleaning rules: the same cleaned
text, metadata and passages as main produced (tests/fixtures/five_notices_main.json, made from main at the
commit named in it), and every metadata field now says where it came from."""
import json

import pytest

from assistant.ingest.chunking import chunk_notice

from .conftest import ROOT

SNAPSHOT = json.loads((ROOT / "tests" / "fixtures" / "five_notices_main.json").read_text(encoding="utf-8"))["notices"]
FIELDS = ("id", "title", "issuer", "date", "province", "city", "county", "township", "doc_number", "source", "text")


@pytest.mark.parametrize("path", sorted(SNAPSHOT))
def test_notice_as_on_main(notices, path):
    n = notices[path]
    exp = SNAPSHOT[path]
    for f in FIELDS:
        assert getattr(n, f) == exp[f], f
    got = [p.to_dict() for p in chunk_notice(n.id, n.text, 60, 360)]
    for p in got:
        assert n.text[p["start"]:p["end"]] == p.pop("text")
    assert got == exp["passages"]


def test_no_other_notice(notices):
    assert sorted(notices) == sorted(SNAPSHOT)


@pytest.mark.parametrize("path", sorted(SNAPSHOT))
def test_provenance_is_verbatim(notices, path):
    """Each field found in the file points at the line as published: raw_text[start:end] is that line."""
    n = notices[path]
    assert n.raw_text and n.provenance
    for field, src in n.provenance.items():
        assert src.field == field
        assert src.value == getattr(n, field, src.value) or field == "pub_date"
        if src.kind == "derived" and not src.line:
            continue
        assert n.raw_text[src.start:src.end] == src.line
        assert n.raw_text.split("\n")[src.line_no - 1] == src.line


def test_provenance_of_header_and_signature(notices):
    dz = next(n for p, n in notices.items() if "dazhou" in p)
    num = dz.provenance["doc_number"]
    assert (num.kind, num.line_no, num.value) == ("header", 1, "达市府办函〔2019〕30号")
    assert num.value in num.line and num.line.startswith("来 源:")
    assert dz.provenance["issuer"].kind == "signature" and dz.provenance["issuer"].line == "达州市人民政府办公室"
    assert dz.provenance["date"].line == "2019年4月4日"
    gs = next(n for p, n in notices.items() if "gansu" in p)
    assert gs.provenance["title"].kind == "title-line" and gs.provenance["title"].line_no == 1
    assert gs.provenance["date"].line.startswith("2019-05-20 19:40:36 | 来源:")
    assert gs.provenance["issuer"].derived  # 中共甘肃省委员会 is inferred from 向甘肃省委反馈, not stated
    sx = next(n for p, n in notices.items() if "shaanxi" in p)
    assert sx.provenance["title"].derived
