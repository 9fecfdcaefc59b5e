"""The package's imports point one way: app -> pipeline / evaluate -> stages (answer -> search -> ingest) -> base.

Walks every module's import statements (also those inside functions); imports under `if TYPE_CHECKING:` are
type hints only and are skipped.
"""
import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "assistant"
BASE = {"types", "config", "errors", "text", "question", "lexicon", "validate"}
# what each layer may not import (first component of the module path inside the package)
FORBIDDEN = {
    "base": {"ingest", "search", "answer", "app", "pipeline", "evaluate"},
    "ingest": {"search", "answer", "app", "pipeline", "evaluate"},
    "search": {"answer", "app", "pipeline", "evaluate"},
    "answer": {"app", "pipeline", "evaluate"},
    "pipeline": {"app", "evaluate"},
    "evaluate": {"app"},
    "feedback": {"ingest", "search", "answer", "app", "pipeline", "evaluate"},  # staff feedback: a store of records
}


def _layer(rel: Path) -> str:
    top = rel.parts[0].removesuffix(".py")
    return "base" if top in BASE else top


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for sub in node.body:
                for n in ast.walk(sub):
                    if hasattr(n, "lineno"):
                        lines.add(n.lineno)
    return lines


def imports_of(path: Path, rel: Path | None = None) -> list[str]:
    """Absolute module names imported by a module of the package (relative imports resolved against `rel`,
    its path from the repository root, by default where it is)."""
    rel = rel or path.relative_to(PKG.parent)
    pkg_parts = list(rel.parent.parts)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_lines(tree)
    out = []
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg_parts[: len(pkg_parts) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
                out += [mod] if node.module else [f"{mod}.{a.name}" for a in node.names]
            else:
                out.append(node.module or "")
    return out


def test_imports_point_one_way():
    problems = []
    modules = sorted(PKG.rglob("*.py"))
    assert len(modules) > 20
    for path in modules:
        rel = path.relative_to(PKG)
        layer = _layer(rel)
        for mod in imports_of(path):
            parts = mod.split(".")
            if parts[0] == "gradio" and layer != "app":
                problems.append(f"{rel} imports gradio")
            if parts[0] == "assistant" and len(parts) > 1 and parts[1] in FORBIDDEN.get(layer, set()):
                problems.append(f"{rel} ({layer}) imports {mod}")
    assert problems == []


def test_the_checker_sees_a_violation(tmp_path):
    """The walker resolves relative imports: search/x.py importing ..answer.extractive is caught."""
    fake = tmp_path / "probe.py"
    fake.write_text("from ..answer.extractive import compose\nimport gradio\n"
                    "if TYPE_CHECKING:\n    from ..app import ui\n", encoding="utf-8")
    assert imports_of(fake, Path("assistant/search/probe.py")) == ["assistant.answer.extractive", "gradio"]
