"""Fit the answer and short-answer confidence models on the tuning halves and choose their thresholds.

    .venv/bin/python benchmarks/calibrate.py --extra evals/tune_extra.jsonl [--write] [--max-wrong 0]

Tuning items: evals/questions.jsonl rows with split "tune", ../shared/evals/field-dev questions of its tune
documents (split.json) and the tune half of ../shared/evals/crud-dev (generalise.crud_half). Held-out halves are
never read here. For every tuning question the pipeline's best short-answer candidate and its features are
recorded (whatever the current threshold), labelled right when the candidate contains an expected answer (an
unanswerable question's candidate is always wrong). Two logistic models (L2-regularised, numpy) are fitted on
them: "answer" (does the quoted sentence hold the answer) and "short" (is its candidate the answer).

--extra questions (evals/tune_extra.jsonl: near-miss traps and unanswerable near-misses written from tune
documents) are never trained on: they only choose thresholds, scored by the models fitted on the tuning questions,
while the tuning questions are scored out of fold (5-fold: each row by a model fitted without it).
- answer threshold: the one minimising false abstentions + unanswerable answered + wrong quotes / 2;
- strong evidence: thresholds on a few features (sentence coverage, local coverage, the closest question term's
  anchor) above which a decisive candidate is the short answer whatever the model says: the combination giving the
  most short answers with at most --max-wrong wrong, the strictest among equals; then the same for date questions
  on sentence and local coverage alone (a date is anchored by its clause's predicate, not a term beside it); then
  a rule for a figure that stands apart (coverage, anchor, a margin over every different candidate, the unit fitting
  exactly, no heavy question term missing), counted with the answers of the two before;
- short threshold: the lowest one that, with the strong-evidence answers, keeps wrong short answers at or below
  --max-wrong, raised by a safety margin (at most SHORT_CAP).
--write stores weights, thresholds and where they came from in assistant/data/confidence.json.
--strong-only keeps the shipped models (weights and thresholds) and chooses the strong-evidence rules again, on the
rows the shipped answer model answers.
"""
from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from generalise import SHARED, _corpus, _field_split, crud_half  # noqa: E402

from assistant import Assistant, Config  # noqa: E402
from assistant.answer.extractive import FEATURES, is_strong, probability  # noqa: E402
from assistant.evaluate import contains_any, read_set  # noqa: E402

SAFETY = 0.01  # added to the threshold found on the tuning items: small sets under-estimate the error rate
SHORT_CAP = 0.999  # the short threshold never exceeds this (the strong-evidence rule still gives short answers)


def extra_items(paths: list[Path]) -> dict[str, list]:
    """Questions of extra tuning files (evals/tune_extra.jsonl), grouped by the index that holds their document:
    field-dev tune documents -> "field", crud-dev documents -> "crud". A question on a held-out field-dev document
    is refused: the held-out half is never tuned on."""
    held = set(json.loads((SHARED / "field-dev" / "split.json").read_text(encoding="utf-8"))["documents"]["held-out"])
    field_docs = {f.stem for f in (SHARED / "field-dev" / "corpus").glob("*.txt")}
    out: dict[str, list] = {"field": [], "crud": []}
    for path in paths:
        items, _ = read_set(path)
        for it in items:
            doc = it.extra.get("doc")
            if doc in held:
                raise SystemExit(f"{path}: {it.id} asks about held-out document {doc}")
            out["field" if doc in field_docs else "crud"].append(it)
    return out


def collect(work: Path, extra: list[Path] | None = None) -> list[dict]:
    rows = []
    more = extra_items(extra or [])
    sets = [("dev", ROOT / "evals" / "questions.jsonl"), ("field", SHARED / "field-dev" / "questions.jsonl"),
            ("crud", SHARED / "crud-dev" / "questions.jsonl")]
    for name, path in sets:
        items, _ = read_set(path)
        if name == "field":
            split = _field_split(items)
            items = [it for it in items if split[it.id] == "tune"]
        elif name == "crud":
            items = [it for it in items if crud_half(it.id) == "tune"]
        else:
            items = [it for it in items if it.extra.get("split") == "tune"]
        extra_ids = {it.id for it in more.get(name, [])}
        items += more.get(name, [])
        cfg = Config.from_env(corpus_dir=_corpus(work, name), index_dir=work / f"index-{name}")
        a = Assistant.load(config=cfg)
        for it in items:
            ans = a.ask(it.question, history=list(it.history))
            if not ans.short_features:
                continue  # abstained before any evidence was scored (unknown place, nothing retrieved)
            quote = ans.citations[0].quote if ans.citations else (ans.related[0].quote if ans.related else "")
            ok = not it.unanswerable and bool(it.answers)
            rows.append({"set": name, "id": it.id, "question": it.question, "kind": it.type,
                         "candidate": ans.short_candidate, "features": ans.short_features,
                         "answer_right": ok and contains_any(quote, it.answers),
                         "short_right": ok and bool(ans.short_candidate) and contains_any(ans.short_candidate, it.answers),
                         "unanswerable": it.unanswerable, "answers": list(it.answers), "abstained": ans.abstained,
                         "extra": it.id in extra_ids})
    return rows


def fit(X: np.ndarray, y: np.ndarray, l2: float = 0.5, steps: int = 4000, lr: float = 0.1) -> np.ndarray:
    """Logistic regression by gradient descent; the bias (last column of X) is not penalised."""
    w = np.zeros(X.shape[1])
    pen = np.full(X.shape[1], l2)
    pen[-1] = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-X @ w))
        grad = X.T @ (p - y) / len(y) + pen * w / len(y)
        w -= lr * grad
    return w


def out_of_fold(X: np.ndarray, y: np.ndarray, folds: int = 5) -> np.ndarray:
    """Each row's probability from a model fitted without it (k-fold, rows interleaved): thresholds are chosen on
    these, so they are not fitted to the very rows they are judged on."""
    p = np.zeros(len(y))
    for k in range(folds):
        test = np.arange(len(y)) % folds == k
        w = fit(X[~test], y[~test])
        p[test] = 1 / (1 + np.exp(-X[test] @ w))
    return p


def fit_and_score(X: np.ndarray, y: np.ndarray, base: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weights fitted on the tuning rows (`base`), and every row's probability judged without it: out of fold for
    the tuning rows, from the model fitted on all tuning rows for the extra ones (never trained on)."""
    w = fit(X[base], y[base])
    p = 1 / (1 + np.exp(-X @ w))
    p[base] = out_of_fold(X[base], y[base])
    return w, p


STRONG_FEATURES = ("sentence", "local", "anchor")  # the sentence covers the question; a question term touches the figure
DATE_FEATURES = ("sentence", "local")  # a date is anchored by its clause's predicate (anchor means little there)
STRONG_GRID = (0.6, 0.7, 0.8, 0.9, 1.0)
# A third rule for a figure that stands apart (chosen after the two above, counting their answers): besides coverage
# and an anchoring term, it beats every different candidate by a margin, fits the asked unit exactly and the
# sentence lacks no heavy question term (missing_max: at most that weight share absent). 0.0 (1.0 for a _max) is no
# condition and is left out of the rule.
APART_GRIDS = {"sentence": (0.6, 0.7, 0.8, 0.9, 1.0), "local": (0.0, 0.5, 0.6, 0.7, 0.8),
               "anchor": (0.6, 0.7, 0.85, 1.0), "margin": (0.0, 0.1, 0.2, 0.3, 0.5), "fit": (0.0, 1.0),
               "missing_max": (1.0, 0.2, 0.1, 0.05, 0.0)}


def _strictness(th: dict[str, float]) -> float:
    return sum(1.0 - v if k.endswith("_max") else v for k, v in th.items())


def choose_strong(R: list[dict], y: np.ndarray, max_wrong: int, names: tuple[str, ...] = STRONG_FEATURES,
                  fixed: dict[str, float] | None = None, grids: dict[str, tuple[float, ...]] | None = None,
                  given: np.ndarray | None = None) -> dict[str, float]:
    """Thresholds on a few features under which a decisive candidate is the short answer whatever the model says:
    the combination giving the most right short answers with at most `max_wrong` wrong; among equals, the
    strictest. `fixed` thresholds are part of every rule (date: 1.0 for date questions only); `grids` gives each
    feature its own values (else STRONG_GRID for `names`); `given`: rows earlier rules already answer, counted
    with this one's. {} when none gives a short answer within the errors allowed."""
    grids = grids or {k: STRONG_GRID for k in names}
    before = given if given is not None else np.zeros(len(R), dtype=bool)
    best: tuple | None = None
    keys = list(grids)
    for combo in itertools.product(*(grids[k] for k in keys)):
        th = {**(fixed or {}), **{k: v for k, v in zip(keys, combo)
                                  if not (v >= 1.0 if k.endswith("_max") else v <= 0.0)}}
        rule = np.array([is_strong(r["features"], th) for r in R], dtype=bool)
        if not (rule & ~before).any():
            continue
        both = rule | before
        wrong = int((both & (y == 0)).sum())
        if wrong <= max_wrong:
            key = (int(both.sum()), _strictness(th))
            if best is None or key > best[0]:
                best = (key, th)
    return best[1] if best else {}


def choose_rules(R: list[dict], y: np.ndarray, max_wrong: int) -> list[dict[str, float]]:
    """The strong-evidence rules: coverage and anchor; dates on coverage; a figure that stands apart."""
    general = choose_strong(R, y, max_wrong)
    by_general = np.array([is_strong(r["features"], general) for r in R], dtype=bool)
    left = max_wrong - int((by_general & (y == 0)).sum())
    dated = choose_strong(R, np.where(by_general, 1.0, y), left, DATE_FEATURES, {"date": 1.0})
    rules = [rule for rule in (general, dated) if rule]
    given = np.array([is_strong(r["features"], rules) for r in R], dtype=bool)
    apart = choose_strong(R, y, max_wrong, grids=APART_GRIDS, given=given)
    return rules + ([apart] if apart else [])


def matrix(rows: list[dict]) -> np.ndarray:
    return np.array([[r["features"].get(k, 0.0) for k in FEATURES] + [1.0] for r in rows])


CONFIDENCE = ROOT / "assistant" / "data" / "confidence.json"


def _revision() -> str:
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()


def _write_confidence(out: dict) -> None:
    tmp = CONFIDENCE.with_suffix(".tmp")
    tmp.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(CONFIDENCE)
    print(f"wrote {CONFIDENCE}")


def strong_only(rows: list[dict], args) -> int:
    """The strong-evidence rules chosen again with the shipped models: on the rows their answer model answers."""
    shipped = json.loads(CONFIDENCE.read_text(encoding="utf-8"))
    answer = shipped["answer"]
    R = [r for r in rows if r["candidate"] and r["features"].get("anchored", 1.0) > 0
         and probability(r["features"], answer["weights"]) >= answer["threshold"]]
    y = np.array([1.0 if r["short_right"] else 0.0 for r in R])
    old = np.array([is_strong(r["features"], shipped["short"].get("strong", [])) for r in R], dtype=bool)
    strong = choose_rules(R, y, args.max_wrong)
    new = np.array([is_strong(r["features"], strong) for r in R], dtype=bool)
    print(f"{len(R)} answered questions with a candidate, {int(y.sum())} right")
    print(f"  shipped rules {shipped['short'].get('strong')}: {int(old.sum())} short answers, "
          f"{int((old & (y == 0)).sum())} wrong")
    print(f"  chosen rules {strong}: {int(new.sum())} short answers, {int((new & (y == 0)).sum())} wrong")
    if args.verbose:
        for r, o, n in zip(R, old, new):
            if o != n:
                print(f"  {'+' if n else '-'} {'ok ' if r['short_right'] else 'BAD'} {r['id']:14} {r['candidate'][:16]:16} "
                      f"{r['question'][:40]}")
    if args.write:
        shipped["short"]["strong"] = strong
        shipped["_source"] += (f"; strong-evidence rules chosen again by calibrate.py --strong-only on "
                               f"{time.strftime('%Y-%m-%d')} at commit {_revision()} ({len(R)} answered tuning and "
                               f"extra questions, at most {args.max_wrong} wrong; the models as they were)")
        _write_confidence(shipped)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", default=str(ROOT / "reports" / "generalise"))
    ap.add_argument("--max-wrong", type=int, default=0)
    ap.add_argument("--extra", action="append", default=[], help="more tuning questions (JSONL, field-dev format, "
                    "on field-dev tune or crud-dev documents); repeatable")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--dump", help="write the collected rows to this JSONL file")
    ap.add_argument("--load", help="read rows from a JSONL file written by --dump instead of running the pipeline")
    ap.add_argument("--strong-only", action="store_true", help="keep the shipped models, choose only the strong-evidence "
                    "rules again")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    if args.load:
        rows = [json.loads(line) for line in Path(args.load).read_text(encoding="utf-8").splitlines() if line]
    else:
        rows = collect(Path(args.work), [Path(x) for x in args.extra])
    if args.dump:
        Path(args.dump).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    if args.strong_only:
        return strong_only(rows, args)
    models = {}
    base = np.array([not r.get("extra") for r in rows])
    print(f"{int(base.sum())} tuning questions, {int((~base).sum())} extra (thresholds only)")
    # "answer": every tuning question with scored evidence; right when the quoted sentence holds the answer
    X = matrix(rows)
    y = np.array([1.0 if r["answer_right"] else 0.0 for r in rows])
    w, p = fit_and_score(X, y, base)
    unans = np.array([r["unanswerable"] for r in rows])
    print(f"answer model: {len(rows)} questions, {int(y.sum())} whose top sentence holds the answer, "
          f"{int(unans.sum())} unanswerable")
    best = None
    for t in sorted(set(np.round(p, 3))) + [1.0]:
        answered = p >= t
        fa = int((~answered & (y == 1)).sum())
        bad = int((answered & unans).sum())
        wrong_quote = int((answered & (y == 0) & ~unans).sum())
        cost = fa + bad + 0.5 * wrong_quote  # no bold figure is shown without confidence: quoting is the safe side
        if best is None or cost < best[0]:
            best = (cost, t, fa, bad, wrong_quote)
    _, t_answer, fa, bad, wq = best
    print(f"  threshold {t_answer:.3f}: {fa} false abstentions, {bad} unanswerable answered, {wq} wrong quotes")
    models["answer"] = {"weights": {k: round(float(v), 4) for k, v in zip([*FEATURES, "bias"], w)},
                        "threshold": round(float(t_answer), 4)}
    # "short": questions answered (by the threshold above) whose sentence has a candidate
    keep = [i for i, r in enumerate(rows) if r["candidate"] and p[i] >= t_answer
            and r["features"].get("anchored", 1.0) > 0]  # extractive.decisive's rules already refuse the others
    R = [rows[i] for i in keep]
    X = matrix(R)
    y = np.array([1.0 if r["short_right"] else 0.0 for r in R])
    rbase = np.array([not r.get("extra") for r in R])
    w, q = fit_and_score(X, y, rbase)
    strong = choose_rules(R, y, args.max_wrong)
    by_rule = np.array([is_strong(r["features"], strong) for r in R], dtype=bool)
    order = np.argsort(-q)
    best_t, wrong = 1.0, int((by_rule & (y == 0)).sum())
    for i in order:  # the lowest threshold keeping wrong <= max, with the strong-evidence rule's answers
        wrong += int(y[i] == 0 and not by_rule[i])
        if wrong > args.max_wrong:
            break
        best_t = float(q[i])
    t_short = min(SHORT_CAP, best_t + SAFETY)
    given = (q >= t_short) | by_rule
    print(f"short model: {len(R)} answered questions with a candidate ({int(rbase.sum())} tuning, "
          f"{int((~rbase).sum())} extra), {int(y.sum())} right")
    print(f"  strong evidence {strong}: {int(by_rule.sum())} short answers, {int((by_rule & (y == 0)).sum())} wrong")
    print(f"  threshold {t_short:.3f}: {int(given.sum())} short answers with the rule's, "
          f"{int((given & (y == 0)).sum())} wrong")
    models["short"] = {"weights": {k: round(float(v), 4) for k, v in zip([*FEATURES, "bias"], w)},
                       "threshold": round(float(t_short), 4), "strong": strong}
    for k, m in models.items():
        print(k, m)
    if args.verbose:
        for r, pi, sr in sorted(zip(R, q, by_rule), key=lambda x: -x[1]):
            print(f"  {pi:.3f} {'S' if sr else ' '} {'ok ' if r['short_right'] else 'BAD'} {r['id']:14} {r['candidate'][:16]:16} "
                  f"{r['question'][:40]}")
        for r, pi in sorted(zip(rows, p), key=lambda x: -x[1]):
            print(f"  A {pi:.3f} {'ok ' if r['answer_right'] else ('UNA' if r['unanswerable'] else 'BAD')} "
                  f"{r['id']:14} {r['question'][:40]}")
    if args.write:
        rev = _revision()
        out = {"_source": f"benchmarks/calibrate.py on {time.strftime('%Y-%m-%d')} at commit {rev}: fitted on "
                          f"{int(base.sum())} tuning questions (evals/questions.jsonl split=tune, field-dev and crud-dev tune "
                          f"halves); thresholds chosen on them (5-fold out-of-fold probabilities) and on "
                          f"{int((~base).sum())} extra questions never trained on ({', '.join(args.extra) or 'none'}): "
                          f"answer threshold minimises false abstentions + unanswerable answered + wrong quotes / 2; "
                          f"strong evidence = most short answers with at most {args.max_wrong} wrong; short threshold "
                          f"= lowest keeping {args.max_wrong} wrong with them + {SAFETY}",
               **models}
        _write_confidence(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
