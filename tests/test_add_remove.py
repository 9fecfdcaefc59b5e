"""Adding and removing notices while the assistant runs: originals under safe names, only new passages embedded,
answers from the new notice without a restart (also while other questions are being answered), removal to a
trash folder, and a log of every change. Everything happens in tmp_path, never in the tracked corpus/."""
import json
import threading

import pytest

from assistant.errors import CorpusError, FileRejected
from assistant.ingest.library import changes_log, read_log, safe_name, trash_dir

from . import docs


@pytest.fixture
def live(corpus_copy, tmp_path):
    from assistant import Assistant, Config
    return Assistant.load(config=Config(corpus_dir=corpus_copy, index_dir=tmp_path / "index", embedding_backend="hash"))


def test_safe_names():
    assert safe_name("../../etc/passwd.txt") == "passwd.txt"
    assert safe_name("..\\..\\通报 (1).PDF", {"通报_(1).pdf"}) == "通报_(1)-2.pdf"
    assert safe_name(".bashrc.txt") == "bashrc.txt"
    assert safe_name("a\x00b;rm -rf.docx") == "a_b_rm_-rf.docx"
    with pytest.raises(FileRejected):
        safe_name("run.sh")


def test_add_answers_without_restart_and_embeds_only_new(live, tmp_path):
    before = live.ask(docs.DOCX_QUESTION)
    assert before.abstained or all(live.data.notices[c.notice_id].path != "qingshi.docx" for c in before.citations)
    n_before = len(live.data.passages)
    data = docs.make_docx(tmp_path / "x.docx").read_bytes()
    reports = live.add_files([("../qingshi.docx", data)], user="tester")
    assert [r.status for r in reports] == ["ok"] and reports[0].path == "qingshi.docx"
    assert (live.cfg.corpus_dir / "qingshi.docx").read_bytes() == data
    new = len(live.data.passages) - n_before
    assert new > 0 and live.data.manifest.embedded_passages == new  # the rest came from the embedding cache
    ans = live.ask(docs.DOCX_QUESTION)
    assert not ans.abstained and "6个" in ans.text
    assert live.data.notices[ans.citations[0].notice_id].path == "qingshi.docx"
    log = read_log(live.cfg.corpus_dir)
    assert log[-1]["action"] == "add" and log[-1]["user"] == "tester" and log[-1]["file"] == "qingshi.docx"
    assert changes_log(live.cfg.corpus_dir).parent == live.cfg.corpus_dir.resolve().parent


def test_bad_and_duplicate_uploads_are_reported_not_stored(live, tmp_path):
    gansu = next(p for p in live.cfg.corpus_dir.iterdir() if "gansu" in p.name).read_bytes()
    files = [("copy.txt", gansu), ("blob.pdf", b"%PDF-1.4 garbage" * 10), ("empty.txt", b""),
             ("nanping.txt", docs.UTF16_TEXT.encode("utf-16"))]
    reports = live.add_files(files, user="tester")
    assert [r.status for r in reports] == ["duplicate", "error", "error", "ok"]
    assert "gansu" in reports[0].duplicate_of
    assert "blob.pdf" in reports[1].error and "empty.txt" in reports[2].error
    names = {p.name for p in live.cfg.corpus_dir.iterdir()}
    assert "copy.txt" not in names and "blob.pdf" not in names and "nanping.txt" in names
    assert len(live.data.notices) == 6


def test_remove_moves_to_trash_and_logs(live):
    n = next(n for n in live.data.notices.values() if "hongshiqiao" in n.path)
    assert "2136人" in live.ask("红石桥乡社会扶贫网注册了多少爱心人士?").text
    moved = live.remove_notice(n.id, user="tester")
    assert moved == [n.path]
    assert not (live.cfg.corpus_dir / n.path).exists()
    trashed = list(trash_dir(live.cfg.corpus_dir).iterdir())
    assert len(trashed) == 1 and trashed[0].name.endswith(n.path)
    assert n.id not in live.data.notices and len(live.data.notices) == 4
    assert "2136人" not in live.ask("红石桥乡社会扶贫网注册了多少爱心人士?").text
    assert read_log(live.cfg.corpus_dir)[-1]["action"] == "remove"
    with pytest.raises(CorpusError):
        live.remove_notice("no-such-id")


def test_questions_during_an_addition_never_fail(live, tmp_path):
    errors, answers = [], []
    stop = threading.Event()

    def asker():
        while not stop.is_set():
            try:
                answers.append(live.ask("陕西省“十三五”易地扶贫搬迁共搬迁了多少户?"))
            except Exception as e:  # noqa: BLE001 - recorded and asserted below
                errors.append(e)

    threads = [threading.Thread(target=asker) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        live.add_files([("linhe.pdf", docs.make_pdf())], user="tester")
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not errors and answers
    ans = live.ask(docs.PDF_QUESTION2)
    assert not ans.abstained and ans.citations[0].page == 2


def test_cli_add_and_remove(corpus_copy, tmp_path, capsys):
    from assistant.app.cli import main
    common = ["--corpus", str(corpus_copy), "--index", str(tmp_path / "index"), "--backend", "hash"]
    html_file = docs.make_html(tmp_path / "xiling.html")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(bytes(range(256)) * 10)
    capsys.readouterr()
    assert main(["add", str(html_file), "--user", "cli-user", *common]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out[0]["status"] == "ok" and out[0]["reader"] == "html"
    assert main(["add", str(bad), str(tmp_path / "missing.txt"), *common]) == 1
    io = capsys.readouterr()
    assert "bad.txt" in io.err and "missing.txt" in io.err
    assert [r["status"] for r in json.loads(io.out)] == ["error", "error"]
    assert main(["remove", out[0]["notice_id"], "--user", "cli-user", *common]) == 0
    removed = json.loads(capsys.readouterr().out)
    assert removed["removed"] == ["xiling.html"] and removed["notices"] == 5
    assert [e["action"] for e in read_log(corpus_copy)] == ["add", "remove"]
    assert main(["files", *common]) == 0
    files = json.loads(capsys.readouterr().out)
    assert len(files) == 5 and all(f["status"] == "ok" for f in files)


def test_an_addition_reads_no_other_file(live, monkeypatch):
    """Unchanged files are taken from the last build (a scan is not OCR'd again when a notice is added)."""
    import assistant.ingest.corpus as corpus
    read = []
    real = corpus.ingest_bytes
    monkeypatch.setattr(corpus, "ingest_bytes", lambda name, *a: read.append(name) or real(name, *a))
    live.add_files([("nanping.txt", docs.UTF16_TEXT.encode("utf-16"))])
    assert read == []  # the new file was read once, by add_files itself, before it was stored
    (live.cfg.corpus_dir / "dongba.txt").write_bytes(docs.GBK_TEXT.encode("gbk"))  # a file put in by hand
    live.add_files([("xiling.html", docs.make_html(live.cfg.corpus_dir.parent / "x.html").read_bytes())])
    assert read == ["dongba.txt"]
    assert len(live.data.notices) == 8


def test_token_cache_tokenises_only_new_texts(tmp_path):
    from assistant.search.index import TokenCache
    calls = []

    def fn(t):
        calls.append(t)
        return list(t)
    c = TokenCache(tmp_path, "sig")
    assert c.tokenize(["甲乙", "丙"], fn) == [["甲", "乙"], ["丙"]]
    c.save()
    c2 = TokenCache(tmp_path, "sig")
    assert c2.tokenize(["甲乙", "丁"], fn) == [["甲", "乙"], ["丁"]] and calls == ["甲乙", "丙", "丁"]
    assert TokenCache(tmp_path, "other").tokens == {}  # another tokenizer never reuses these
    c2.path.write_text("{broken", encoding="utf-8")
    assert TokenCache(tmp_path, "sig").tokens == {}
