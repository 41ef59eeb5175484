"""The one exception family of pingcheng-kg: every expected failure is a KgError."""

from __future__ import annotations


class KgError(Exception):
    """An expected failure with a message fit to show a user as it is."""


class InputError(KgError):
    """A page or path that cannot be read as a newspaper page."""


class OutputError(KgError):
    """An output that cannot be written, or an unknown export format."""


class QueryError(KgError):
    """A SPARQL query that cannot be found, bound or run."""


class ValidationError(KgError):
    """A graph that breaks the project's SHACL shapes."""


class ViewError(KgError):
    """A view of the graph that cannot be made: an unknown name, type or depth."""


class LexiconError(KgError):
    """A data file under ontology/ that is missing or malformed."""


class EvaluationError(KgError):
    """A gold directory or build that cannot be read for scoring."""


def clip(text: str, limit: int = 200) -> str:
    """`text` fit for a one-line message: controls shown as escapes, at most `limit` characters.

    A parser's message can quote kilobytes of a bad file; a message names the problem, not the bytes.
    """
    flat = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text[: limit * 2])
    return flat if len(flat) <= limit and len(text) <= limit * 2 else flat[:limit] + "…"
