"""Drives the chat in Debian's headless Chromium through Playwright, as a member of staff would: the conversation
and its state, sources under every answer, the notice view and the way back, copy, export, feedback, the scope
chips, dark mode, a phone, and the 评测 tab. Screenshots of each state go to test-artifacts/."""
import json
import re
import shutil
import sqlite3

import pytest

from .server import ROOT, free_port, running_app

pytestmark = [pytest.mark.browser, pytest.mark.server]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
OUT = ROOT / "test-artifacts"
HONGSHI = "红石桥乡社会扶贫网注册了多少爱心人士?"
SHAANXI = "陕西省“十三五”易地扶贫搬迁共搬迁了多少户?"


def shot(page, name: str, full: bool = True) -> None:
    OUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=full)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    base = tmp_path_factory.mktemp("browser")
    with running_app(base / "index", data_dir=base / "userdata") as url:
        yield url, base / "userdata"


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def open_chat(browser, url, width=1400, height=1000, scheme="light", **kw):
    ctx = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme,
                              accept_downloads=True, **kw)
    page = ctx.new_page()
    page.goto(url)
    ready(page)
    return ctx, page


def ready(page) -> None:
    """The page is loaded and the conversation restored from the browser (the first screen or the turns)."""
    page.locator("#question-box textarea").wait_for(state="visible", timeout=30000)
    page.locator("#conversation .conv").wait_for(timeout=30000)
    page.wait_for_function("() => !document.querySelector('#conversation .pending, .progress-text')", timeout=30000)
    page.wait_for_timeout(500)


@pytest.fixture
def page(browser, server):
    ctx, pg = open_chat(browser, server[0])
    yield pg
    ctx.close()


def turns(page):
    return page.locator("#conversation article.turn:not(.pending)")


def ask(page, question: str, expect: str) -> None:
    """Type and send a question as a person would; send again if the freshly loaded page missed the first click
    (Gradio attaches its handlers a moment after the controls appear)."""
    box = page.locator("#question-box textarea")
    before = turns(page).count()
    for _ in range(3):
        box.fill(question)
        page.locator("#send-btn").click()
        try:
            page.wait_for_function(f"() => document.querySelectorAll('#conversation article.turn:not(.pending)')"
                                   f".length > {before} || document.querySelector('#conversation .alert')",
                                   timeout=15000)
            last = page.locator("#conversation article.turn:not(.pending), #conversation .alert").last
            last.get_by_text(expect, exact=False).first.wait_for(timeout=10000)
            return
        except Exception:  # noqa: BLE001 - retried below
            if turns(page).count() > before:
                break
            continue
    raise AssertionError(f"no answer containing {expect!r}: {page.locator('#conversation').inner_text()[-500:]}")


def test_sources_stay_under_every_answer_and_old_citations_open(page):
    ask(page, HONGSHI, "2136人")
    ask(page, SHAANXI, "万户")
    # on a wide screen the conversation scrolls in its own box: the new answer's top is in view
    page.wait_for_function("() => { const t = [...document.querySelectorAll('#conversation article.turn')].pop();"
                           " const r = t.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight / 2; }",
                           timeout=10000)
    first, second = turns(page).nth(0), turns(page).nth(1)
    assert "2136人" in first.locator(".sources .src-card").first.inner_text()
    assert second.locator(".sources .src-card").count() >= 1
    # the answer names the notice and the last heading; the card holds the full path
    card = first.locator(".src-card").first
    path = card.locator(".src-section").inner_text()
    assert " > " in path and path not in first.locator(".a-text").inner_text()
    # [1] of the first (older) answer scrolls to its own card
    first.locator("a.cite").first.click()
    assert first.locator(".src-card").first.is_visible()
    card.locator("summary").click()
    assert card.locator(".section-text").is_visible()
    shot(page, "chat-two-answers")
    card.get_by_role("button", name="在通报中查看").click()
    focus = page.locator("#notice-view mark#focus")
    focus.wait_for(timeout=15000)
    assert "2136人" in focus.inner_text()
    page.wait_for_function("() => { const r = document.querySelector('#notice-view #focus').getBoundingClientRect();"
                           " return r.top >= 0 && r.bottom <= window.innerHeight; }", timeout=10000)  # in view
    shot(page, "notice-view", full=False)
    # the outline is clickable: its last entry scrolls its section into view
    entry = page.locator("#notice-view .outline a").last
    target = entry.get_attribute("data-go")
    entry.click()
    page.wait_for_timeout(400)
    assert page.evaluate("(id) => { const r = document.getElementById(id).getBoundingClientRect();"
                         " return r.top >= -2 && r.top < window.innerHeight; }", target)
    # search within the notice
    search = page.locator("#notice-search textarea, #notice-search input").first
    search.fill("扶贫")
    search.press("Enter")
    status = page.locator("#notice-view .search-result")
    status.wait_for(timeout=15000)
    found = int(re.search(r"找到 (\d+) 处", status.inner_text()).group(1))
    assert found >= 1 and page.locator("#notice-view mark.hit").count() >= 1
    status.get_by_role("button", name="下一处").click()
    assert page.locator("#notice-view mark.hit.current").count() == 1
    shot(page, "notice-search", full=False)
    # and back to the chat from where the reader is (a button that stays in view), at the answer cited from
    back = page.locator("#notice-view .notice-float button[data-act=back]")
    assert back.is_visible() and back.bounding_box()["y"] < page.viewport_size["height"]
    back.click()
    first.wait_for(state="visible", timeout=10000)
    assert page.locator("#question-box textarea").is_visible()


def test_clear_and_new_conversation_drop_context_and_old_buttons(page, server):
    ask(page, SHAANXI, "万户")
    ask(page, "甘肃呢?", "甘肃")  # the follow-up carries the topic while the conversation lasts
    assert "搬迁" in " ".join(turns(page).last.locator(".rq").all_inner_texts())
    page.locator("#clear-btn").click()
    page.wait_for_function("() => !document.querySelector('#conversation article.turn')", timeout=10000)
    ask(page, "甘肃呢?", "甘肃")
    searched = " ".join(turns(page).last.locator(".rq").all_inner_texts())  # the question searched, when rewritten
    assert "陕西" not in searched and "搬迁了多少户" not in searched  # nothing of the cleared conversation carried
    assert turns(page).count() == 1
    page.locator("#new-btn").click()
    page.wait_for_function("() => !document.querySelector('#conversation article.turn')", timeout=10000)
    assert page.locator("#conversation .welcome").is_visible()
    assert page.locator("#conversation button[data-act=cite]").count() == 0  # no stale citation buttons
    shot(page, "after-new-conversation")


def test_reload_keeps_the_conversation_and_clear_local_records_forgets_it(page):
    ask(page, HONGSHI, "2136人")
    page.reload()
    ready(page)
    assert "2136人" in turns(page).last.inner_text() and turns(page).last.locator(".src-card").count() >= 1
    page.once("dialog", lambda d: d.accept())
    page.locator("#forget-btn").click()
    page.wait_for_function("() => !document.querySelector('#conversation article.turn')", timeout=10000)
    page.reload()
    ready(page)
    assert turns(page).count() == 0 and page.locator("#conversation .welcome").is_visible()


def test_copy_gives_clean_text(browser, server):
    ctx, pg = open_chat(browser, server[0], permissions=["clipboard-read", "clipboard-write"])
    ask(pg, SHAANXI, "万户")
    t = turns(pg).last
    t.get_by_role("button", name="复制").click()
    t.get_by_role("button", name="已复制").wait_for(timeout=5000)
    text = pg.evaluate("navigator.clipboard.readText()")
    title = t.locator(".src-title").first.inner_text()
    quote = t.locator(".src-quote").first.inner_text()
    assert "\\" not in text and "&gt;" not in text and "&lt;" not in text and "<" not in text
    assert "来源:" in text and f"《{title}》" in text and f"“{quote}”" in text
    ctx.close()


def test_export_one_answer_as_docx_and_the_conversation_as_markdown(page, tmp_path):
    ask(page, HONGSHI, "2136人")
    t = turns(page).last
    quote = t.locator(".src-quote").first.inner_text()
    with page.expect_download(timeout=30000) as dl:
        t.get_by_role("button", name="导出 Word").click()
    path = tmp_path / "answer.docx"
    dl.value.save_as(path)
    assert dl.value.suggested_filename.endswith(".docx")
    from docx import Document
    doc = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert HONGSHI in doc and "2136人" in doc and quote in doc and "来源" in doc
    with page.expect_download(timeout=30000) as dl2:
        page.locator("#export-md").click()
    md = tmp_path / "conv.md"
    dl2.value.save_as(md)
    text = md.read_text(encoding="utf-8")
    assert "2136人" in text and "**来源**" in text and "&gt;" not in text


def test_feedback_is_stored_and_exported_as_unconfirmed_rows(page, server, tmp_path):
    url, data_dir = server
    ask(page, SHAANXI, "万户")
    t = turns(page).last
    t.get_by_role("button", name="有误").click()
    box = t.locator("textarea.fb-comment")
    box.wait_for(timeout=10000)
    turns(page).last.locator("textarea.fb-comment").fill("应为24.93万户")
    turns(page).last.get_by_role("button", name="保存说明").click()
    page.wait_for_function("() => [...document.querySelectorAll('.fb-status')].some(e => "
                           "e.textContent.includes('说明已保存'))", timeout=10000)
    shot(page, "feedback")
    db = sqlite3.connect(data_dir / "feedback.sqlite")
    rows = db.execute("SELECT verdict, comment, question, citations, index_version FROM feedback").fetchall()
    db.close()
    mine = [r for r in rows if r[1] == "应为24.93万户"]
    assert mine and mine[0][0] == "wrong" and mine[0][2] == SHAANXI and json.loads(mine[0][3]) and mine[0][4]
    page.get_by_role("tab", name="评测").click()
    page.wait_for_function("() => document.querySelector('#feedback-table')?.textContent.includes('应为24.93万户')",
                           timeout=15000)
    with page.expect_download(timeout=30000) as dl:
        page.locator("#fb-export-jsonl").click()
        page.locator("#fb-file a[download]").first.click()
    out = tmp_path / "fb.jsonl"
    dl.value.save_as(out)
    exported = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    row = next(r for r in exported if r["answers"] == ["应为24.93万户"])
    assert row["confirmed"] is False and row["origin"].startswith("反馈:有误") and row["question"] == SHAANXI
    # someone checks it and confirms it: from then on it is an evaluation question
    page.locator("#feedback-table .bool-cell input[type=checkbox]").first.check()
    page.locator("#fb-confirm").click()
    page.locator("#fb-msg").get_by_text("已确认 1 题").wait_for(timeout=15000)
    db = sqlite3.connect(data_dir / "feedback.sqlite")
    confirmed = db.execute("SELECT comment FROM feedback WHERE confirmed = 1").fetchall()
    db.close()
    assert len(confirmed) == 1
    shot(page, "eval-feedback")


def test_scope_chips_dates_and_reset(page):
    page.locator("#scope-panel").get_by_text("检索范围").first.click()
    region = page.locator("#scope-region input")
    region.click()
    options = [o.replace("✓", "").strip() for o in page.locator("ul[role=listbox] li").all_inner_texts()]
    assert options[0] == "全部地区" and "" not in options  # the list starts with 全部地区, no blank entry
    # Gradio ticks the selected entry (全部地区) only; no label of ours starts with a stray mark
    assert sum("✓" in o for o in page.locator("ul[role=listbox] li").all_inner_texts()) == 1
    page.locator("ul[role=listbox] li[aria-label='甘肃省']").click()
    chips = page.locator("#filter-chips")
    chips.get_by_text("地区:甘肃省").wait_for(timeout=10000)
    ask(page, "易地扶贫搬迁项目有多少户?", "仅在甘肃省的通报中查找")
    # a date that is not a date, and a reversed range: Chinese messages naming the value, no answer blamed
    page.locator("#date-from textarea, #date-from input").first.fill("2019/13/01")
    page.locator("#date-from textarea, #date-from input").first.press("Enter")
    chips.get_by_text("不是有效日期").wait_for(timeout=10000)
    assert "2019/13/01" in chips.inner_text()
    page.locator("#date-from textarea, #date-from input").first.fill("2021-01-01")
    page.locator("#date-to textarea, #date-to input").first.fill("2019/1/1")
    page.locator("#date-to textarea, #date-to input").first.press("Enter")
    chips.get_by_text("晚于截止日期").wait_for(timeout=10000)
    page.locator("#date-from textarea, #date-from input").first.fill("2019-01-01")
    page.locator("#date-to textarea, #date-to input").first.fill("")
    page.locator("#date-from textarea, #date-from input").first.press("Enter")
    chips.get_by_text("份未注明日期的通报不在范围内").wait_for(timeout=10000)
    shot(page, "scope-chips")
    page.locator("#new-btn").click()
    chips.get_by_text("检索范围:全部通报").wait_for(timeout=10000)
    assert page.locator("#scope-region input").input_value() in ("", "全部地区")


def _contrast_js():
    return """(sel) => {
      const parse = (c) => { const m = c.match(/[\\d.]+/g).map(Number); return m.length > 3 ? m : [...m, 1]; };
      const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 :
                                   Math.pow((v + 0.055) / 1.055, 2.4); };
                                   return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
      const bg = (el) => { let stack = []; for (let e = el; e; e = e.parentElement) {
          const c = parse(getComputedStyle(e).backgroundColor); if (c[3] > 0) stack.push(c); if (c[3] >= 1) break; }
        let out = [255, 255, 255]; if (!stack.length || stack[stack.length - 1][3] < 1)
          out = document.body.classList.contains('dark') || document.documentElement.classList.contains('dark')
            ? [11, 15, 25] : [255, 255, 255];
        for (const c of stack.reverse()) out = out.map((v, i) => v * (1 - c[3]) + c[i] * c[3]);
        return out; };
      return [...document.querySelectorAll(sel)].filter(e => e.offsetParent && e.textContent.trim()).map(e => {
        const fg = parse(getComputedStyle(e).color), b = bg(e);
        const [l1, l2] = [lum(fg), lum(b)].sort((x, y) => y - x);
        return {sel: e.className || e.tagName, text: e.textContent.trim().slice(0, 20),
                ratio: (l1 + 0.05) / (l2 + 0.05)};
      });
    }"""


READABLE = ("#conversation .src-title, #conversation .src-meta, #conversation .src-section, #conversation .src-quote, "
            "#conversation mark, #conversation .a-text p, #conversation .q-text, #conversation .rq, "
            "#conversation a.cite, #conversation button.act, #conversation .sources-h, #filter-chips .chip, "
            "#conversation details summary")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_card_text_is_readable_in_both_themes(browser, server, scheme):
    ctx, pg = open_chat(browser, server[0], scheme=scheme)
    assert pg.evaluate("document.body.classList.contains('dark')") == (scheme == "dark")
    ask(pg, HONGSHI, "2136人")
    measured = pg.evaluate(_contrast_js(), READABLE)
    assert len(measured) >= 10
    low = [m for m in measured if m["ratio"] < 4.5]
    shot(pg, f"contrast-{scheme}")
    ctx.close()
    assert not low, f"text below 4.5:1 in {scheme} mode: {low}"


def test_phone_sources_follow_their_answer(browser, server):
    ctx, pg = open_chat(browser, server[0], width=390, height=844)
    ask(pg, HONGSHI, "2136人")
    t = turns(pg).last
    answer_box = t.locator(".a-text").bounding_box()
    card = t.locator(".src-card").first.bounding_box()
    send = pg.locator("#send-btn").bounding_box()
    assert card["y"] > answer_box["y"] and card["y"] - (answer_box["y"] + answer_box["height"]) < 200
    assert card["y"] < send["y"]  # before the input and its buttons, not after them
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    # the new answer is brought into view, from its question
    pg.wait_for_function("() => { const t = [...document.querySelectorAll('#conversation article.turn')].pop();"
                         " const r = t.getBoundingClientRect(); return r.top >= -2 && r.top < innerHeight / 2; }",
                         timeout=10000)
    shot(pg, "phone-390")
    ctx.close()


def test_evaluation_tab_wrong_columns_and_template(page, tmp_path):
    page.get_by_role("tab", name="评测").click()
    assert page.locator("#eval-retriever").is_hidden()  # an expert option, folded away
    bad = tmp_path / "bad.csv"
    bad.write_text("题目,答案\n陕西搬迁了多少户?,24.93万户\n", encoding="utf-8")
    page.locator("#eval-file input[type=file]").set_input_files(str(bad))
    page.locator("#eval-file").get_by_text("bad.csv").wait_for(timeout=30000)  # uploaded: a run now reads it
    page.locator("#eval-run").click()
    msg = page.locator("#eval-msg")
    msg.get_by_text("缺少“问题”列").wait_for(timeout=30000)
    assert "第 1 行" in msg.inner_text() and "编号、问题" in msg.inner_text() and "题目、答案" in msg.inner_text()
    shot(page, "eval-wrong-columns")
    with page.expect_download(timeout=30000) as dl:
        page.locator("#eval-template").click()
    template = tmp_path / "template.xlsx"
    dl.value.save_as(template)
    page.locator("#eval-file button[aria-label='Clear'], #eval-file button[aria-label='清除']").first.click(
        timeout=5000) if page.locator("#eval-file button[aria-label='Clear']").count() else None
    page.locator("#eval-file input[type=file]").set_input_files(str(template))
    page.locator("#eval-file").get_by_text("template.xlsx").wait_for(timeout=30000)
    page.locator("#eval-run").click()
    metrics = page.locator("#eval-metrics #metrics")
    metrics.wait_for(timeout=120000)
    names = metrics.locator("tr th").all_inner_texts()
    assert names[3] == "错误数字" and "命中率@1" in names and "答案准确率" in names and "拒答正确率" in names
    assert "已评测 2 题" in page.locator("#eval-msg").inner_text()
    page.locator("#eval-xlsx a[download]").first.wait_for(timeout=10000)
    fails = page.locator("#eval-failures")
    if fails.locator("#failures").count():
        lines = fails.locator("#failures tr td:first-child").all_inner_texts()
        assert set(lines) <= {"2", "3"}  # the rows of the template
    shot(page, "eval-template-run")


def test_user_and_corpus_markup_render_as_text(page):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    evil = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>![p](http://127.0.0.1:9/x.png)搬迁'
    ask(page, evil, "onerror")
    assert page.evaluate("window.__xss") is None
    assert not dialogs
    assert page.locator("#conversation img[src='x']").count() == 0
    assert page.locator("#conversation img[src*='127.0.0.1:9']").count() == 0


def test_empty_question_gets_a_gentle_prompt(page):
    assert page.get_by_label("输入问题").count() == 1  # the input is labelled for screen readers
    ask(page, "   ", "请输入一个问题")
    assert "Traceback" not in page.content()


def test_the_conversation_survives_a_server_restart(browser, tmp_path):
    port = free_port()
    index, data = tmp_path / "index", tmp_path / "userdata"
    with running_app(index, port=port, data_dir=data) as url:
        ctx, pg = open_chat(browser, url)
        ask(pg, HONGSHI, "2136人")
    with running_app(index, port=port, data_dir=data):
        pg.reload()
        ready(pg)
        assert "2136人" in turns(pg).last.inner_text()
        ask(pg, "甘肃呢?", "甘肃")  # the kept conversation is the follow-up context
        assert turns(pg).count() == 2
        ctx.close()


def test_a_citation_of_a_removed_notice_says_so(browser, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    with running_app(tmp_path / "index", corpus_dir=corpus, data_dir=tmp_path / "userdata") as url:
        ctx, pg = open_chat(browser, url)
        ask(pg, HONGSHI, "2136人")
        pg.get_by_role("button", name="在通报中查看").first.click()
        pg.locator("#notice-view mark#focus").wait_for(timeout=15000)
        pg.locator("#library").get_by_text("添加通报 / 删除通报").click()
        pg.locator("#confirm-remove input[type=checkbox]").check()
        pg.locator("#remove-btn").click()
        pg.locator("#upload-result").get_by_text("已删除").wait_for(timeout=120000)
        pg.locator("#back-btn").click()
        card = turns(pg).last.locator(".src-card").first
        card.locator(".stale").wait_for(timeout=15000)
        assert "该通报已删除或已更新" in card.inner_text() and "2136人" in card.inner_text()
        assert card.get_by_role("button", name="在通报中查看").count() == 0
        shot(pg, "stale-citation")
        ctx.close()
