"""The package's layers (tone/__init__.py's docstring, README "Layout"): no module-level import
cycle anywhere in ``tone``, and lower layers never import upper ones at module level.

Imports inside functions (lazy imports) and under ``if TYPE_CHECKING:`` do not run when a module
is imported, so they do not count. Importing ``a.b.c`` also runs ``a.b``'s ``__init__``: an
import reaches the imported module's packages too, except those the importer already sits in.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import tone

ROOT = Path(tone.__file__).parent  # the imported package (site-packages in CI)
REPO = Path(__file__).resolve().parents[1]  # the checkout: README.md and the source tree

# Bottom to top; a module may import (at module level) only its own layer or lower ones.
# The first layer whose prefix matches a module's name is its layer.
LAYERS = [
    ("base", ("tone.errors", "tone._resources", "tone.batching", "tone.cache",
              "tone.compile_notice", "tone.jit_cache", "tone.aot", "tone.tsv",
              "tone.defaults")),
    ("core", ("tone.ontology", "tone.text", "tone.lexicon", "tone.rules", "tone.ruleslang",
              "tone.infer", "tone.packs")),
    ("scoring", ("tone.scoring", "tone.appraisal")),
    ("annotator", ("tone.annotator",)),
    ("services", ("tone.io", "tone.kg", "tone.dialogue", "tone.expression", "tone.evaluate",
                  "tone.evaluate_corpora", "tone.evaluate_suite", "tone.prompting",
                  "tone.memory")),
    ("builders", ("tone.vocab", "tone.deps", "tone.providers")),
    ("faces", ("tone.integrations", "tone.cli", "tone.__main__")),
]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _ancestors(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def _runtime_imports(path: Path, name: str, known: set[str]) -> set[str]:
    """The tone modules that run when ``name`` is imported: its module-level imports (``if``,
    ``try`` and ``with`` blocks count, function bodies and ``if TYPE_CHECKING:`` do not) and
    the packages they sit in."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(nodes):
        for node in nodes:
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[:len(anchor) - (node.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.If):
                if not _is_type_checking(node.test):
                    visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                visit(node.orelse)
                for handler in node.handlers:
                    visit(handler.body)
                visit(node.finalbody)
            elif isinstance(node, ast.With):
                visit(node.body)

    visit(tree.body)
    own = set(_ancestors(name)) | {name}
    out = set()
    for module in found:
        for m in [*_ancestors(module), module]:
            if m in known and m not in own:
                out.add(m)
    return out


def _graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for p in ROOT.rglob("*.py") if "__pycache__" not in p.parts}
    known = set(files)
    return {name: _runtime_imports(path, name, known) for name, path in files.items()}


def _layer(name: str) -> int | None:
    for i, (_, prefixes) in enumerate(LAYERS):
        if any(name == p or name.startswith(p + ".") for p in prefixes):
            return i
    return None


def test_the_graph_sees_the_package():
    graph = _graph()
    assert {"tone", "tone.annotator", "tone.scoring.results", "tone.integrations.frame",
            "tone.ruleslang.grammar"} <= set(graph)
    assert "tone.scoring.reason" in graph["tone.scoring.results"]
    assert "tone.scoring.results" in graph["tone.annotator"]
    # a lazy import (inside a function) does not count
    assert "tone.scoring.schemes" not in graph["tone.scoring.results"]


def test_no_runtime_import_cycle_in_the_package():
    graph = _graph()
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def dfs(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(graph[n]):
            if state.get(m) == 1:
                cycles.append(stack[stack.index(m):] + [m])
            elif m not in state:
                dfs(m)
        stack.pop()
        state[n] = 2

    for n in sorted(graph):
        if n not in state:
            dfs(n)
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_every_module_has_a_layer():
    loose = sorted(n for n in _graph() if n != "tone" and _layer(n) is None)
    assert not loose, f"add to LAYERS (and the layer map in tone/__init__.py, README): {loose}"


def test_lower_layers_do_not_import_upper_ones():
    wrong = []
    for name, imports in sorted(_graph().items()):
        here = _layer(name)
        if here is None:
            continue
        for m in sorted(imports):
            there = _layer(m)
            if there is not None and there > here:
                wrong.append(f"{name} ({LAYERS[here][0]}) -> {m} ({LAYERS[there][0]})")
    assert not wrong, "module-level imports up the layers: " + "; ".join(wrong)


# A file or folder of tone/ as the map shows it: "errors.py", "scoring/", "py.typed" (not the
# "build.py" of "ontology/build.py").
ENTRY = r"(?<![\w/])(?:[\w.]+/(?!\w)|[\w.]+\.py\b|py\.typed)"


def _layer_map(text: str) -> dict[str, list[str]]:
    """The layer map's lines: layer name -> the files and folders it lists (relative to tone/)."""
    block = text[text.index("tone/ layers, bottom to top"):]
    rows: dict[str, list[str]] = {}
    last = None
    for line in block.splitlines()[3:]:
        if not line.startswith("  "):
            break
        head = line[:13].strip()
        if head:
            last = head
        rows.setdefault(last, []).extend(re.findall(ENTRY, line[13:]))
    return rows


def test_the_layer_map_matches_the_tree():
    """The map in tone/__init__.py's docstring and in README's Layout lists every entry of
    tone/ once, in the layer LAYERS gives it."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    entries = {p.name + ("/" if p.is_dir() else "") for p in (REPO / "tone").iterdir()
               if p.name not in ("__pycache__", "__init__.py")
               and not p.name.startswith("_aot.")}  # built kernels (python -m tone.aot tone)
    graph = _graph()
    for where, text in (("tone/__init__.py", tone.__doc__), ("README.md", readme)):
        rows = _layer_map(text)
        assert list(rows) == [name for name, _ in LAYERS], where
        top = {}
        for layer, names in rows.items():
            for shown in names:
                if shown in entries:
                    assert shown not in top, f"{where}: {shown} is listed twice"
                    top[shown] = layer
        assert set(top) == entries, f"{where}: not in the layer map: {sorted(entries - set(top))}"
        for shown, layer in top.items():
            if shown == "py.typed":
                continue
            module = "tone." + shown.rstrip("/").removesuffix(".py")
            if module in graph:
                assert LAYERS[_layer(module)][0] == layer, f"{where}: {shown} is in {layer}"
