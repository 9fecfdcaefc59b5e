"""The chat with a generated answer: sentences appear only after verification, a typing indicator stands in
for the one being written, and a figure that fails is never on screen, not even briefly."""
import json
import shutil

import pytest

from assistant.app.ui import bubble_updates, mode_of
from assistant.search.retrieve import Filters

from .fake_llm import FakeLLM, Reply, passage_with
from .server import ROOT, running_app
from .test_llm import Q, with_llm

pytestmark = pytest.mark.llm


def script(body):
    n = passage_with(body, "24.93万户")
    return Reply(f"简答:24.93万户[{n}]\n全省共搬迁24.93万户[{n}]。安置点共建成2500个[{n}]。"
                 f"搬迁群众已全部实际入住[{n}]。", pieces=2, delay=0.02)


def test_the_bubble_never_holds_an_unchecked_sentence(hash_assistant):
    with FakeLLM(script) as fake:
        a = with_llm(hash_assistant, fake.url)
        updates = list(bubble_updates(a, Q, [], Filters(), None, "t1"))
    contents = [c for c, _ in updates]
    assert all("2500" not in c for c in contents)
    assert any("正在撰写" in c for c in contents[:-1])  # the typing indicator
    growing = [c for c in contents[:-1] if "24.93万户" in c]
    assert growing and growing[0].count("24.93") == 1  # sentence by sentence
    final = updates[-1][1]
    assert final.mode == "llm" and final.failed and "2500" not in final.text
    assert "正在撰写" not in contents[-1] and "1 句未通过核对" in contents[-1]
    assert mode_of("原文摘录") == "extractive" and mode_of("生成式回答") == "llm" and mode_of("") is None


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
WATCH = """() => { window.__seen = []; const box = document.querySelector('#conversation');
  new MutationObserver(() => window.__seen.push(box.innerText)).observe(box,
    {subtree: true, childList: true, characterData: true}); }"""


@pytest.mark.browser
@pytest.mark.server
def test_browser_toggle_and_streamed_checked_sentences(tmp_path):
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright
    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    with FakeLLM(lambda body: Reply(**{**script(body).__dict__, "delay": 0.05})) as fake:
        env = {"ASSISTANT_LLM_BASE_URL": fake.url, "ASSISTANT_LLM_MODEL": "fake"}
        with running_app(tmp_path / "index", extra_env=env) as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url)
            page.locator("#question-box textarea").wait_for(state="visible", timeout=30000)
            page.locator("#mode-pick").get_by_text("生成式回答", exact=True).wait_for(state="visible", timeout=30000)
            page.evaluate(WATCH)
            box = page.locator("#question-box textarea")
            for _ in range(3):  # Gradio attaches its handlers a moment after the controls appear
                box.fill(Q)
                page.locator("#send-btn").click()
                try:
                    page.locator("#conversation").get_by_text("未通过核对", exact=False).first.wait_for(timeout=20000)
                    break
                except Exception:  # noqa: BLE001 - retried
                    continue
            seen = page.evaluate("window.__seen")
            assert seen and not any("2500" in s for s in seen), "an unchecked figure was on screen"
            assert any("正在撰写" in s for s in seen)
            assert "24.93万户" in page.locator("#conversation").inner_text()
            failed = page.locator("#conversation details.failed")
            assert failed.count() == 1 and "未通过核对的句子" in failed.inner_text()
            page.screenshot(path=str(out / "llm-chat.png"), full_page=True)
            # the toggle: quotes only, the server is not asked
            asked = len(fake.requests)
            page.locator("#mode-pick").get_by_text("原文摘录", exact=True).click()
            box.fill("红石桥乡社会扶贫网注册了多少爱心人士?")
            page.locator("#send-btn").click()
            page.locator("#conversation").get_by_text("2136人", exact=False).first.wait_for(timeout=20000)
            assert len(fake.requests) == asked
            browser.close()
        # the /ask API says which mode answered and what failed
        from gradio_client import Client
        with running_app(tmp_path / "index2", extra_env=env) as url2:
            d = Client(url2, verbose=False).predict(Q, [], 5, "生成式回答", api_name="/ask")
            assert d["mode"] == "llm" and d["failed"] and "2500" in json.dumps(d["failed"], ensure_ascii=False)
            assert "2500" not in d["text"]
            e = Client(url2, verbose=False).predict(Q, [], 5, api_name="/ask")
            assert e["mode"] == "llm"


def test_the_default_chat_has_no_toggle(hash_assistant):
    """Without llm_base_url, the toggle is hidden and answers are quoted (checked through the same generator)."""
    updates = list(bubble_updates(hash_assistant, Q, [], Filters(), None, "t1"))
    assert updates[-1][1].mode == "extractive" and hash_assistant.llm is None
