"""Drives the chat in Debian's headless Chromium through Playwright, as a person would."""
import shutil
from pathlib import Path

import pytest

from .server import ROOT, running_app

pytestmark = [pytest.mark.browser, pytest.mark.server]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright
    with running_app(tmp_path_factory.mktemp("browser") / "index") as url:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            pg = browser.new_page(viewport={"width": 1400, "height": 1000})
            pg.goto(url)
            yield pg
            browser.close()


def test_ask_and_open_citation(page):
    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    page.locator("#question-box textarea").fill("红石桥乡社会扶贫网注册了多少爱心人士?")
    page.locator("#send-btn").click()
    card = page.locator("#cards .src-card").first
    card.wait_for(timeout=30000)
    assert "2136人" in card.inner_text()
    assert card.locator("mark").count() >= 1
    page.locator("#chatbot").get_by_text("2136人").first.wait_for(timeout=30000)
    card.locator("summary").click()
    assert card.locator(".section-text").is_visible()
    page.screenshot(path=str(out / "chat.png"), full_page=True)
    page.locator("#cite-pick input[type=radio]").first.check()
    focus = page.locator("#notice-view mark#focus")
    focus.wait_for(timeout=15000)
    assert "2136人" in focus.inner_text()
    page.screenshot(path=str(out / "notice.png"))


def test_empty_question_gets_a_gentle_prompt(page):
    page.get_by_role("tab", name="问答").click()
    page.locator("#question-box textarea").fill("   ")
    page.locator("#send-btn").click()
    page.locator("#chatbot").get_by_text("请输入一个问题").first.wait_for(timeout=15000)
    assert "Traceback" not in page.content()
