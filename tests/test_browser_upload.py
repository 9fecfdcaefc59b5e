"""Adding a notice in the browser: upload a Word file in the 通报 tab, open its original, ask about it at once.
(A module of its own: Playwright's sync API cannot start while test_browser.py's browser is open.)"""
import pytest

from .server import ROOT, running_app
from .test_browser import ARGS, CHROMIUM, ask

pytestmark = [pytest.mark.browser, pytest.mark.server]


def test_upload_docx_then_ask(tmp_path_factory):
    """A person adds a Word file in the 通报 tab and asks about it at once, without a restart."""
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    import shutil as sh

    from playwright.sync_api import sync_playwright

    from . import docs
    root = tmp_path_factory.mktemp("upload")
    corpus = root / "corpus"
    sh.copytree(ROOT / "corpus", corpus)
    upload = docs.make_docx(root / "青石镇后续扶持通知.docx")
    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    with running_app(root / "index", corpus_dir=corpus) as url:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            pg = browser.new_page(viewport={"width": 1400, "height": 1000})
            pg.goto(url)
            pg.locator("#question-box textarea").wait_for(state="visible", timeout=30000)
            pg.get_by_role("tab", name="通报").click()
            pg.locator("#library").get_by_text("添加通报 / 删除通报").click()
            pg.locator("#upload-files input[type=file]").set_input_files(str(upload))
            pg.locator("#upload-files").get_by_text("青石镇后续扶持通知").first.wait_for(timeout=30000)
            pg.locator("#add-btn").click()
            result = pg.locator("#upload-result")
            result.get_by_text("已收录").wait_for(timeout=120000)
            text = result.inner_text()
            assert "关于易地扶贫搬迁后续扶持工作的通知" in text and "青政发〔2022〕7号" in text
            assert "青石镇人民政府" in text and "2022-03-15" in text
            pg.screenshot(path=str(out / "upload.png"), full_page=True)
            href = pg.locator("#notice-view a.original").first.get_attribute("href")
            resp = pg.request.get(url.rstrip("/") + href)
            assert resp.status == 200 and resp.body() == upload.read_bytes()  # the original opens
            pg.get_by_role("tab", name="问答").click()
            ask(pg, docs.DOCX_QUESTION, "6个")
            card = pg.locator("#conversation .src-card").first
            card.wait_for(timeout=30000)
            assert "关于易地扶贫搬迁后续扶持工作的通知" in card.inner_text()
            pg.screenshot(path=str(out / "upload-answer.png"), full_page=True)
            browser.close()
    assert (corpus / "青石镇后续扶持通知.docx").exists()
