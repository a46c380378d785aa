"""tone: knowledge-graph emotion analysis.

A three-tier emotion ontology (Parrott's 6 primary, 25 secondary and 135 tertiary emotions, with
TONE's ``isOppositeOf``, ``isComposedOf`` and ``plusLeadsTo`` dependencies) in RDF/OWL, queried
with SPARQL and checked with an OWL reasoner.

``import tone`` is light: heavy dependencies (rdflib, numba, owlready2, spaCy) load on first use.

>>> import tone
>>> tone.Ontology().concept("glee").path()
['joy', 'cheerfulness', 'glee']
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from .errors import ToneError

__version__ = "0.1.0"
__all__ = ["Ontology", "Annotator", "Annotation", "Span", "RuleStep", "annotate", "ToneError",
           "__version__"]

_LAZY = {
    "Ontology": ("tone.ontology", "Ontology"),
    "Annotator": ("tone.annotator", "Annotator"),
    "Annotation": ("tone.annotator", "Annotation"),
    "annotate": ("tone.annotator", "annotate"),
    "annotate_frame": ("tone.frame", "annotate_frame"),
    "Span": ("tone.results", "Span"),
    "RuleStep": ("tone.results", "RuleStep"),
}
# Subpackages reachable as attributes (``tone.io.read_documents``), imported on first use.
_SUBMODULES = {"io", "dask", "kg", "rules", "lexicon", "text", "infer", "evaluate", "frame",
               "schemes", "explain", "errors"}

if TYPE_CHECKING:  # pragma: no cover
    from .annotator import Annotation, Annotator, annotate
    from .ontology import Ontology
    from .results import RuleStep, Span


def __getattr__(name: str):
    if name in _LAZY:
        module, attr = _LAZY[name]
        value = getattr(import_module(module), attr)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return import_module(f"tone.{name}")
    raise AttributeError(f"module 'tone' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | _SUBMODULES)
