"""tone: knowledge-graph emotion analysis.

A three-tier emotion ontology (Parrott's 6 primary, 25 secondary and 135 tertiary emotions, with
TONE's ``isOppositeOf``, ``isComposedOf`` and ``plusLeadsTo`` dependencies) in RDF/OWL, queried
with SPARQL and checked with an OWL reasoner.

``import tone`` is light: heavy dependencies (rdflib, numba, owlready2, spaCy) load on first use.

tone/ layers, bottom to top; a module imports (at module level) only from its own layer or
lower ones, and there is no module-level import cycle (tests/test_layers.py):

  base       errors.py  _resources.py  batching.py  cache.py  compile_notice.py  jit_cache.py
             tsv.py  aot.py (kernels compiled when the package is built)  py.typed
             defaults.py (the shared default Ontology and Annotator, built on first use)
  core       ontology/  text/  lexicon/  rules/  ruleslang/  infer/  packs/
  scoring    scoring/ (reason.py  vad.py  results.py  schemes.py  explain.py)  appraisal/
  annotator  annotator.py
  services   io/  kg/  dialogue/  expression/  evaluate.py  evaluate_corpora.py  evaluate_suite.py
             prompting/ (stimuli, hints for language models)  memory/ (emotional retrieval)
  builders   vocab/  deps/  providers/ (offline; so are ontology/build.py, text/_generate.py,
             appraisal/build.py, packs/build.py)
  faces      integrations/ (frame.py  dask.py  spacy_component.py)  cli/  __main__.py

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
    "annotate_frame": ("tone.integrations.frame", "annotate_frame"),
    "Span": ("tone.scoring.results", "Span"),
    "RuleStep": ("tone.scoring.results", "RuleStep"),
}
# Modules reachable as attributes (``tone.io.read_documents``, ``tone.dask.annotate_bag``),
# imported on first use: attribute name -> module.
_SUBMODULES = {
    **{name: f"tone.{name}" for name in ("io", "kg", "rules", "lexicon", "text", "infer",
                                         "evaluate", "errors", "scoring", "integrations",
                                         "defaults", "dialogue", "prompting", "memory")},
    "schemes": "tone.scoring.schemes",
    "explain": "tone.scoring.explain",
    "dask": "tone.integrations.dask",
    "frame": "tone.integrations.frame",
}

if TYPE_CHECKING:  # pragma: no cover
    from .annotator import Annotation, Annotator, annotate
    from .ontology import Ontology
    from .scoring.results import RuleStep, Span


def __getattr__(name: str):
    if name in _LAZY:
        module, attr = _LAZY[name]
        value = getattr(import_module(module), attr)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return import_module(_SUBMODULES[name])
    raise AttributeError(f"module 'tone' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | set(_SUBMODULES))
