"""The conversation as HTML: the first screen, each question with its answer, the answer's actions (复制, 导出,
有用 / 有误) and its sources right under it, and the scope chips above the input. Pure functions.

Buttons carry `data-act` (and `data-n`, `data-fmt`, `data-v`); the script in ui.py turns a click into an event
of the conversation component with the turn's number, so every answer's sources and actions keep working for
as long as the answer is shown.
"""
from __future__ import annotations

from .conversation import Conversation, Turn
from .export import clean_text
from .render import CardContext, answer_body_html, esc, sentences_html, sources_html
from .scope import Coverage, ScopeSummary

FEEDBACK_LABELS = {"useful": "有用", "wrong": "有误"}


def _list(xs: tuple[str, ...], k: int) -> str:
    return "、".join(esc(x) for x in xs[:k]) + (f" 等 {len(xs)} 个" if len(xs) > k else "")


def welcome_html(cov: Coverage) -> str:
    """The first screen: what is covered, how to ask and follow up, 清空 versus 新对话, where the chat is kept."""
    years = (f"{cov.years[0]}—{cov.years[-1]} 年" if len(cov.years) > 1 else f"{cov.years[0]} 年" if cov.years
             else "未注明年份")
    undated = f",另有 {cov.undated} 份未注明日期" if cov.undated else ""
    return (
        "<div class='welcome'>"
        "<h3>这里能查什么</h3>"
        f"<p>已收录 <b>{cov.count}</b> 份通报({years}{undated})。</p>"
        f"<p><span class='lbl'>发文单位</span>{_list(cov.issuers, 6)}</p>"
        f"<p><span class='lbl'>涉及地区</span>{_list(cov.regions, 8)}</p>"
        "<p>每个回答都逐字引用通报原文并注明出处,出处就在回答下方;通报里没有的,会直接说“没有找到”。</p>"
        "<h3>怎么追问</h3>"
        "<p>接着上一问直接问即可:问完“陕西省搬迁了多少户?”再问“甘肃呢?”,会沿用上一问的话题换成甘肃。"
        "要换一个话题,请先点<b>清空</b>或<b>新对话</b>,以免沿用旧话题。</p>"
        "<h3>清空与新对话</h3>"
        "<p><b>清空</b>:清除对话和追问的上下文,保留检索范围。<b>新对话</b>:清除对话,检索范围也恢复为全部通报。</p>"
        "<p>对话只保存在这台电脑的浏览器里,刷新页面或服务器重启后仍在;在公用电脑上用完请点<b>清除本机记录</b>。</p>"
        "</div>")


def _feedback_html(t: Turn) -> str:
    pressed = {v: ("true" if t.feedback == v else "false") for v in FEEDBACK_LABELS}
    buttons = "".join(f"<button type='button' class='act fb-btn' data-act='fb' data-v='{v}' "
                      f"aria-pressed='{pressed[v]}'>{label}</button>" for v, label in FEEDBACK_LABELS.items())
    form = ""
    if t.feedback:
        label = ("正确的答案是(可选;会作为评测题的参考答案)" if t.feedback == "wrong" else "补充说明(可选)")
        saved = f"已记录:{FEEDBACK_LABELS[t.feedback]}" + (",说明已保存" if t.comment else "") + "。谢谢!"
        form = (f"<div class='fb-form'><label>{label}<textarea class='fb-comment' rows='2'>{esc(t.comment)}"
                "</textarea></label><button type='button' class='act' data-act='fb-comment'>保存说明</button>"
                f"<span class='fb-status' role='status'>{saved}</span></div>")
    return buttons, form


def turn_html(t: Turn, ctx: CardContext) -> str:
    """One question, its answer, the answer's actions and its sources."""
    key = f"t{t.n}"
    ans = t.answer
    note = f"<p class='note'>{esc(ans.note)}</p>" if ans.note else ""
    extra = ""
    if t.scope:
        extra += f"<p class='scope-line'>{esc(t.scope)}</p>"
    if ans.rewritten_question and ans.rewritten_question != ans.question:
        extra += f"<p class='rq'>检索的问题:{esc(ans.rewritten_question)}</p>"
    buttons, form = _feedback_html(t)
    actions = ("<div class='actions' role='group' aria-label='对这条回答的操作'>"
               "<button type='button' class='act' data-act='copy'>复制</button>"
               "<button type='button' class='act' data-act='export' data-fmt='docx'>导出 Word</button>"
               "<button type='button' class='act' data-act='export' data-fmt='md'>导出 Markdown</button>"
               f"<span class='fb-group'>{buttons}</span></div>{form}")
    clean = f"<textarea class='clean-text' hidden readonly>{esc(clean_text(ans, t.scope))}</textarea>"
    return (f"<article class='turn' id='turn-{key}' data-n='{t.n}'>"
            f"<div class='q'><span class='who'>问</span><div class='q-text'>{esc(t.question)}</div></div>"
            f"<div class='a{' abstained' if ans.abstained else ''}'><span class='who'>答</span><div class='a-body'>"
            f"{note}<div class='a-text'>{answer_body_html(ans, key)}</div>{extra}{actions}{clean}</div></div>"
            f"{sources_html(ans, key, ctx)}</article>")


def pending_html(question: str, body: str) -> str:
    """The turn being answered: the question and what is shown of the answer so far (already HTML)."""
    return (f"<article class='turn pending' aria-busy='true'>"
            f"<div class='q'><span class='who'>问</span><div class='q-text'>{esc(question)}</div></div>"
            f"<div class='a'><span class='who'>答</span><div class='a-body'><div class='a-text'>{body}</div></div></div>"
            "</article>")


def streaming_body(text_html: str | None, sentences: list[tuple[str, bool]] | None) -> str:
    if sentences is not None:
        return sentences_html(sentences, typing=True)
    return text_html or "<p><span class='typing'>正在查找…</span></p>"


def alert_html(message: str) -> str:
    return f"<div class='alert' role='alert'>{esc(message)}</div>"


def conversation_html(conv: Conversation, ctx: CardContext, cov: Coverage, tail: str = "") -> str:
    """The whole conversation, or the first screen when it is empty; `tail` (a pending turn, an alert) last."""
    body = "".join(turn_html(t, ctx) for t in conv.turns) if conv.turns else welcome_html(cov)
    return f"<div class='conv' data-conv='{esc(conv.id)}'>{body}{tail}</div>"


def chips_html(summary: ScopeSummary | None, error: str = "") -> str:
    """The active scope as chips above the input (each with a button that removes it), or a date error."""
    if error:
        return f"<div class='chips'><span class='chip chip-error' role='alert'>{esc(error)}</span></div>"
    if summary is None or not summary.parts:
        return "<div class='chips'><span class='chip chip-all'>检索范围:全部通报</span></div>"
    which = {"通报": "notices", "地区": "region", "日期": "dates"}
    chips = "".join(
        f"<span class='chip'>{esc(p)}<button type='button' class='chip-x' data-clear='{which[p.split(':')[0]]}' "
        f"aria-label='取消{esc(p.split(':')[0])}范围'>×</button></span>" for p in summary.parts)
    extra = (f"<span class='chip chip-warn'>{summary.undated_left_out} 份未注明日期的通报不在范围内</span>"
             if summary.undated_left_out else "")
    empty = "<span class='chip chip-error' role='alert'>范围内没有通报,请放宽检索范围</span>" if not summary.in_scope else ""
    return (f"<div class='chips'><span class='chip-lbl'>检索范围({summary.in_scope}/{summary.total} 份):</span>"
            f"{chips}{extra}{empty}</div>")
