"""Imports run one way: each module of kg/ imports only from its own layer or those below,
and no set of modules imports itself round in a circle. Function-level (lazy) imports count.

The layers are the ones docs/development.md describes. A new module goes into the list
below, in the lowest layer its imports allow; a test failure names the import that runs up.
"""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

# Lowest first. A module may import from its own layer and every layer before it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("kg", "kg.errors", "kg.schema", "kg.manifest"),  # vocabulary, errors, sealed output directories: import nothing of ours
    ("kg.model",),  # frozen dataclasses
    ("kg.lexicon",),  # the one reader of ontology/
    ("kg.nlp", "kg.dates", "kg.text", "kg.cache"),  # jieba, dates and numerals, shared text helpers, the page cache
    ("kg.pages",),  # page files -> clean page text: the one place text enters
    ("kg.ingest", "kg.sentences"),  # pages -> articles -> sentences
    ("kg.entities", "kg.resolve", "kg.relations", "kg.events", "kg.divisions"),  # extraction stages; the register
    ("kg.graph", "kg.view"),  # the in-memory graph, and selections of it
    ("kg.export.registry",),
    ("kg.export.reuse",),
    ("kg.export.rdf", "kg.export.html", "kg.export.neo4j", "kg.export.graphml"),  # one writer per format
    ("kg.export",),  # the registry's lookup by format name
    ("kg.build", "kg.validate", "kg.evaluate"),  # the pipeline; readers of a build
    ("kg.query", "kg.cypher", "kg.show", "kg.cluster"),
    ("kg.store", "kg.site"),  # a persistent store; the served pages
    ("kg.serve",),  # kg serve: the SPARQL endpoint and the pages over a build
    ("kg.cli",),  # thin CLI over all of it
)
KG = ROOT / "kg"


def _module(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _exists(name: str, root: Path) -> bool:
    path = root / name.replace(".", "/")
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports(root: Path = ROOT) -> dict[str, set[str]]:
    """Module -> the kg modules it imports anywhere in its source (of root/kg)."""
    found: dict[str, set[str]] = {}
    for path in sorted((root / "kg").rglob("*.py")):
        module = _module(path, root)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                if source.split(".")[0] != "kg":
                    continue
                for alias in node.names:  # `from . import view` imports the module kg.view
                    full = f"{source}.{alias.name}"
                    targets.add(full if _exists(full, root) else source)
            elif isinstance(node, ast.Import):
                targets.update(a.name for a in node.names if a.name.split(".")[0] == "kg")
        targets.discard(module)
        found[module] = targets
    return found


def test_every_module_has_a_layer() -> None:
    placed = {m for layer in LAYERS for m in layer}
    missing = sorted(set(imports()) - placed)
    assert not missing, f"put {missing} into a layer of tests/test_layers.py LAYERS and docs/development.md"


def upward(graph: dict[str, set[str]]) -> list[str]:
    level = {m: i for i, layer in enumerate(LAYERS) for m in layer}
    return sorted(
        f"{m} (layer {level[m]}) imports {t} (layer {level[t]})"
        for m, targets in graph.items()
        for t in targets
        if m in level and t in level and level[t] > level[m]
    )


def circles(graph: dict[str, set[str]]) -> list[str]:
    found: list[str] = []
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for t in sorted(graph.get(m, ())):
            if state.get(t) == 1:
                found.append(" -> ".join(path[path.index(t):] + [t]))
            elif t not in state:
                visit(t, path + [t])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    return found


def test_no_module_imports_from_a_higher_layer() -> None:
    assert not upward(imports()), "imports that run up:\n" + "\n".join(upward(imports()))


def test_no_import_circle() -> None:
    assert not circles(imports()), "import circles:\n" + "\n".join(circles(imports()))


def test_a_lazy_import_that_runs_up_is_an_upward_import_and_a_circle(tmp_path: Path) -> None:
    # The circle this check was written against: build -> export -> html -> view -> build,
    # hidden by an import inside a function.
    kg = tmp_path / "kg"
    (kg / "export").mkdir(parents=True)
    for name, text in {
        "__init__.py": "",
        "build.py": "from . import export\n",
        "view.py": "def load():\n    from .build import extract\n",
        "export/__init__.py": "def _load():\n    from . import html\n",
        "export/html.py": "from .. import view\n",
    }.items():
        (kg / name).write_text(text, encoding="utf-8")
    graph = imports(tmp_path)
    assert upward(graph) == ["kg.view (layer 7) imports kg.build (layer 12)"]
    assert circles(graph) == ["kg.build -> kg.export -> kg.export.html -> kg.view -> kg.build"]
