"""SHACL validation of an RDF export against ontology/shapes.ttl (with ontology/pckg.ttl for subclasses)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import RDFS, Graph, Namespace, URIRef
from rdflib.term import Node

from . import manifest
from .errors import InputError, clip
from .lexicon import locate

SH = Namespace("http://www.w3.org/ns/shacl#")
# The file a build directory is validated from, in order of preference (N-Triples parses fastest).
GRAPH_FILES = ("graph.nt", "graph.ttl", "graph.jsonld")


@dataclass(frozen=True)
class Violation:
    """One failed constraint, in words a reader can act on."""

    focus: str  # the node's label, else its IRI
    focus_iri: str
    path: str  # the property, as a prefixed name where one is bound
    message: str
    value: str | None
    severity: str

    def __str__(self) -> str:
        value = f" (value: {self.value})" if self.value else ""
        return f"{self.severity}: {self.focus} <{self.focus_iri}> {self.path}: {self.message}{value}"


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    triples: int
    violations: tuple[Violation, ...]


def graph_file(build: Path) -> Path:
    """The RDF file of a build directory, or `build` itself when it is a file.

    A build directory must hold a manifest that matches its files (kg/manifest.py), so a build
    cut short or changed since is refused instead of read; the file chosen is checked byte for byte.
    """
    if build.is_file():
        manifest.check_file(build)
        return build
    if build.is_dir():
        found = manifest.check(build)
        for name in GRAPH_FILES:
            if found.entry(name) is not None:
                manifest.check(build, [name])
                return build / name
    raise InputError(f"{build}: no graph.nt, graph.ttl or graph.jsonld found (找不到图谱文件); run `kg build -o {build}` first")


def load(path: Path) -> Graph:
    """Parse an RDF file, turning parser errors into an InputError that names the file."""
    fmt = {".nt": "nt", ".ttl": "turtle", ".jsonld": "json-ld", ".json": "json-ld"}.get(path.suffix, "turtle")
    g = Graph()
    try:
        g.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many unrelated types for bad input
        raise InputError(f"{path}: not valid {fmt} (无法解析): {clip(str(exc))}") from None
    return g


def validate_graph(data: Graph) -> ValidationReport:
    """Check `data` against the shapes; the ontology is mixed in so sh:class sees subclasses."""
    from pyshacl import validate as shacl

    shapes = Graph().parse(locate("shapes.ttl"), format="turtle")
    ontology = Graph().parse(locate("pckg.ttl"), format="turtle")
    conforms, results, _ = shacl(data, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True)
    assert isinstance(results, Graph)
    violations = sorted(
        (_violation(results, r, data) for r in results.subjects(SH.resultSeverity, None)),
        key=lambda v: (v.focus_iri, v.path, v.message, v.value or ""),
    )
    return ValidationReport(bool(conforms), len(data), tuple(violations))


def validate(build: Path) -> ValidationReport:
    """Validate a build directory's graph (or one RDF file)."""
    return validate_graph(load(graph_file(build)))


def _violation(results: Graph, r: Node, data: Graph) -> Violation:
    focus = results.value(r, SH.focusNode)
    path = results.value(r, SH.resultPath)
    value = results.value(r, SH.value)
    message = results.value(r, SH.resultMessage)
    severity = results.value(r, SH.resultSeverity)
    label = data.value(focus, RDFS.label) if focus is not None else None
    return Violation(
        focus=str(label) if label is not None else str(focus),
        focus_iri=str(focus),
        path=_short(data, path) if path is not None else "(node)",
        message=str(message) if message is not None else "constraint not met",
        value=_short(data, value) if value is not None else None,
        severity=_short(data, severity).removeprefix("sh:") if severity is not None else "Violation",
    )


def _short(g: Graph, node: Node) -> str:
    if isinstance(node, URIRef):
        if str(node).startswith(str(SH)):
            return "sh:" + str(node)[len(str(SH)):]
        try:
            return g.namespace_manager.normalizeUri(node)
        except Exception:
            return str(node)
    return str(node)
