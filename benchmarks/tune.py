"""Measure config variants on the dev set, reporting the tuning half and the held-out half separately.

    python benchmarks/tune.py bm25_weight=0.6,dense_weight=0.4 bm25_weight=0.5,dense_weight=0.5 ...

Each argument is one variant (comma-separated field=value overrides of Config); "default" is the current config.
Only the tuning half should drive choices; the held-out half is reported to check they generalise.
"""
import sys
from pathlib import Path

from assistant import Assistant, Config
from assistant.evaluate import aggregate, read_set, run_eval

ROOT = Path(__file__).resolve().parent.parent
KEYS = ("hit@1", "hit@5", "answer_accuracy", "citation_precision", "abstention_accuracy", "false_abstention")


def variant(spec: str) -> dict:
    if spec == "default":
        return {}
    return dict(kv.split("=", 1) for kv in spec.split(","))


def main(argv):
    items, _ = read_set(ROOT / "evals" / "questions.jsonl")
    base = Assistant.load(config=Config.from_env())
    print("variant | split | " + " | ".join(KEYS))
    for spec in argv or ["default"]:
        cfg = base.cfg.with_overrides(**variant(spec))
        a = Assistant(cfg, base.data, base.embedder, base.tokenizer, base.gaz, base.cross)
        res = run_eval(a, items, 5, cfg.retriever)
        for split in ("tune", "heldout"):
            ids = {i.id for i in items if i.extra.get("split") == split}
            agg = aggregate([r for r in res if r.id in ids])
            print(f"{spec} | {split} | " + " | ".join(str(agg[k]) for k in KEYS))


if __name__ == "__main__":
    main(sys.argv[1:])
