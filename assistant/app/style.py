"""The chat's styles. Every colour is a variable with a light and a dark value (Gradio puts `.dark` on the body
when the system or the user asks for dark mode), chosen for a text contrast of at least 4.5:1 (WCAG AA);
tests/test_browser.py measures the computed colours in both themes.
"""

CSS = """
:root{--qa-text:#1f2328;--qa-muted:#57606a;--qa-accent:#0550ae;--qa-card:#ffffff;--qa-quote:#f6f8fa;
 --qa-border:#d0d7de;--qa-mark:#fff3b0;--qa-mark-text:#1f2328;--qa-q:#eef4ff;--qa-a:#ffffff;--qa-warn-bg:#fff8c5;
 --qa-warn:#6a4300;--qa-err-bg:#ffebe9;--qa-err:#a40e26;--qa-chip:#eef1f4;--qa-focus:#ffd33d;--qa-focus-text:#1f2328;
 --qa-btn:#f6f8fa;--qa-btn-on:#dbeafe}
.dark{--qa-text:#e6edf3;--qa-muted:#a8b3bf;--qa-accent:#8cc8ff;--qa-card:#161b22;--qa-quote:#1f2630;
 --qa-border:#3d444d;--qa-mark:#5c4a00;--qa-mark-text:#fff7d6;--qa-q:#18263b;--qa-a:#0d1117;--qa-warn-bg:#3b2e00;
 --qa-warn:#f2cc60;--qa-err-bg:#3c1418;--qa-err:#ffb3ab;--qa-chip:#262c36;--qa-focus:#7a5a00;--qa-focus-text:#fff7d6;
 --qa-btn:#21262d;--qa-btn-on:#1f3b63}
#conversation{color:var(--qa-text)}
#conversation .conv{position:relative;max-height:68vh;overflow-y:auto;padding:4px 8px 4px 0}
.turn{margin:0 0 18px 0;padding-bottom:10px;border-bottom:1px solid var(--qa-border)}
.turn .q,.turn .a{display:flex;gap:8px;align-items:flex-start;margin:6px 0}
.turn .who{flex:none;font-size:.8em;font-weight:bold;border-radius:50%;width:1.9em;height:1.9em;line-height:1.9em;
 text-align:center;background:var(--qa-chip);color:var(--qa-text)}
.turn .q-text{background:var(--qa-q);color:var(--qa-text);padding:6px 10px;border-radius:8px;white-space:pre-wrap}
.turn .a-body{flex:1;min-width:0;color:var(--qa-text)}
.turn .a-text p{margin:0 0 .6em 0;line-height:1.75}
.turn .a-text ul{margin:.2em 0 .6em 1.2em;line-height:1.7}
.turn strong.short{font-size:1.15em;color:var(--qa-text)}
.turn .note,.turn .scope-line,.turn .rq{color:var(--qa-muted);font-size:.9em;margin:.2em 0}
.turn .note{font-style:italic}
.turn a.cite{color:var(--qa-accent);text-decoration:none;font-weight:bold;padding:0 1px}
.turn a.cite:hover,.turn a.cite:focus{text-decoration:underline}
.typing{color:var(--qa-muted);font-style:italic}
.actions{display:flex;flex-wrap:wrap;gap:6px;margin:6px 0}
button.act{font-size:.85em;padding:3px 10px;border:1px solid var(--qa-border);border-radius:6px;
 background:var(--qa-btn);color:var(--qa-text);cursor:pointer}
button.act:hover,button.act:focus-visible{border-color:var(--qa-accent)}
button.act[aria-pressed=true]{background:var(--qa-btn-on);border-color:var(--qa-accent);font-weight:bold}
.fb-group{display:inline-flex;gap:6px;margin-left:auto}
.fb-form{margin:4px 0 8px 0;font-size:.9em;color:var(--qa-text)}
.fb-form label{display:block;color:var(--qa-muted)}
.fb-form textarea{width:100%;box-sizing:border-box;background:var(--qa-card);color:var(--qa-text);
 border:1px solid var(--qa-border);border-radius:6px;padding:4px 6px;margin:2px 0 4px 0}
.fb-status{margin-left:8px;color:var(--qa-muted)}
.sources{margin:4px 0 0 2.6em}
.sources-h{font-weight:bold;color:var(--qa-muted);font-size:.9em;margin:4px 0}
.src-card{border:1px solid var(--qa-border);border-radius:8px;padding:8px 12px;margin:6px 0;
 background:var(--qa-card);color:var(--qa-text);transition:box-shadow .3s}
.src-card.flash{box-shadow:0 0 0 3px var(--qa-accent)}
.src-n{font-weight:bold;color:var(--qa-accent)}.src-title{color:var(--qa-text)}
.src-meta,.src-section{color:var(--qa-muted);font-size:.9em}
.src-quote{border-left:3px solid var(--qa-accent);margin:6px 0;padding:4px 8px;background:var(--qa-quote);
 color:var(--qa-text)}
.src-card details summary{color:var(--qa-accent);cursor:pointer;font-size:.9em}
.section-text{color:var(--qa-text);line-height:1.7;font-size:.92em;padding:4px 0}
.stale{background:var(--qa-warn-bg);color:var(--qa-warn);padding:3px 8px;border-radius:6px;font-size:.9em}
.src-card.is-stale{border-style:dashed}
#conversation mark,#notice-view mark{background:var(--qa-mark);color:var(--qa-mark-text);padding:0 1px}
#notice-view mark.focus,#notice-view mark.hit.current{background:var(--qa-focus);color:var(--qa-focus-text);
 outline:2px solid var(--qa-accent)}
.details{font-size:.85em;border-collapse:collapse;margin:6px 0;color:var(--qa-text)}
.details td,.details th{border:1px solid var(--qa-border);padding:2px 6px}
.details caption{text-align:left;color:var(--qa-muted);font-weight:bold}
details.failed summary{color:var(--qa-err)}
.alert{background:var(--qa-err-bg);color:var(--qa-err);padding:8px 12px;border-radius:8px;margin:8px 0}
.welcome{color:var(--qa-text);background:var(--qa-card);border:1px solid var(--qa-border);border-radius:10px;
 padding:6px 16px;line-height:1.7}
.welcome h3{margin:.7em 0 .2em 0;font-size:1.02em;color:var(--qa-text)}
.welcome p{margin:.2em 0}
.welcome .lbl{display:inline-block;min-width:5em;color:var(--qa-muted)}
.chips{display:flex;flex-wrap:wrap;gap:6px;align-items:center;font-size:.88em;color:var(--qa-text)}
.chip-lbl{color:var(--qa-muted)}
.chip{background:var(--qa-chip);color:var(--qa-text);border-radius:12px;padding:2px 10px;
 border:1px solid var(--qa-border)}
.chip-x{border:none;background:none;color:var(--qa-text);cursor:pointer;margin-left:4px;font-weight:bold}
.chip-warn{background:var(--qa-warn-bg);color:var(--qa-warn)}
.chip-error{background:var(--qa-err-bg);color:var(--qa-err)}
.chip-all{color:var(--qa-muted)}
#notice-view{color:var(--qa-text)}
#notice-view .notice-meta th{text-align:left;color:var(--qa-muted);padding-right:10px;font-weight:normal}
#notice-view .outline ul{list-style:none;padding-left:0;margin:0}
#notice-view .outline a{color:var(--qa-accent);text-decoration:none;line-height:1.8}
#notice-view .outline a:hover{text-decoration:underline}
#notice-view .notice-text{line-height:1.8}
#notice-view .notice-body{display:grid;grid-template-columns:minmax(200px,30%) 1fr;gap:20px;align-items:start}
#notice-view .outline{position:sticky;top:8px;max-height:80vh;overflow-y:auto;font-size:.92em;
 border-right:1px solid var(--qa-border);padding-right:8px}
#notice-view h4{margin:.4em 0;color:var(--qa-text)}
#notice-view .notice-meta td{color:var(--qa-text)}
.search-result{background:var(--qa-chip);color:var(--qa-text);padding:4px 10px;border-radius:8px;margin:4px 0}
.metric-table{border-collapse:collapse;color:var(--qa-text);margin:6px 0}
.metric-table td,.metric-table th{border-bottom:1px solid var(--qa-border);padding:4px 10px;text-align:left;
 vertical-align:top}
.metric-table .val{font-weight:bold;white-space:nowrap}.metric-table .why{color:var(--qa-muted);font-size:.9em}
.metric-table tr.critical .val{color:var(--qa-err)}.metric-table tr.critical.ok .val{color:var(--qa-text)}
.fail-table{border-collapse:collapse;font-size:.9em;color:var(--qa-text)}
.fail-table td,.fail-table th{border:1px solid var(--qa-border);padding:3px 6px;vertical-align:top;text-align:left}
.eval-msg{color:var(--qa-text)}.eval-msg.bad{background:var(--qa-err-bg);color:var(--qa-err);padding:6px 10px;
 border-radius:8px}
#feedback-table .add-row-button{display:none}
.notice-float{position:fixed;right:16px;bottom:16px;z-index:20;display:flex;gap:6px}
.notice-float button.act{font-size:.9em;padding:6px 12px;box-shadow:0 1px 4px rgba(0,0,0,.25)}
.side-h{font-size:.9em;color:var(--qa-text);margin:2px 0}
@media (max-width: 640px){
 #conversation .conv{max-height:none;overflow:visible;padding-right:0}
 .sources{margin-left:0}
 .fb-group{margin-left:0}
 .turn .who{display:none}
 #notice-view .notice-body{display:block}
 #notice-view .outline{position:static;max-height:40vh;border-right:none;border-bottom:1px solid var(--qa-border)}
}
"""

NOTICE_JS = r"""
let current = -1;
element.addEventListener('click', (ev) => {
  const go = ev.target.closest('a[data-go]');
  if (go) {
    ev.preventDefault();
    element.querySelector('#' + go.dataset.go)?.scrollIntoView({block: 'start'});
    return;
  }
  const b = ev.target.closest('button[data-act]');
  if (!b) return;
  if (b.dataset.act === 'back') { document.querySelector('#back-btn')?.click(); return; }
  if (b.dataset.act === 'to-outline') { element.querySelector('.outline')?.scrollIntoView({block: 'start'}); return; }
  if (!b.dataset.act.startsWith('hit-')) return;
  const hits = element.querySelectorAll('mark.hit');
  if (!hits.length) return;
  hits[current]?.classList.remove('current');
  current = (current + (b.dataset.act === 'hit-next' ? 1 : hits.length - 1)) % hits.length;
  hits[current].classList.add('current');
  hits[current].scrollIntoView({block: 'center'});
});
watch('value', () => {
  current = -1;
  const target = element.querySelector('#focus') || element.querySelector('mark.hit');
  if (target) setTimeout(() => target.scrollIntoView({block: 'center'}), 100);
});
"""
