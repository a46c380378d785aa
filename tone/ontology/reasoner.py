"""OWL export and reasoning with HermiT through owlready2.

owlready2 keeps a global default world; every check here loads the ontology into a fresh
``World`` so repeated checks never see each other's triples. HermiT needs a Java runtime.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ReasonerError, UsageError, require

__all__ = ["export", "check", "ReasonerReport", "EXPORT_FORMATS"]

EXPORT_FORMATS = {"ttl": "turtle", "owl": "xml", "nt": "nt", "jsonld": "json-ld"}
JAVA_HINT = ("HermiT needs a Java runtime (java on PATH or JAVA_HOME). Install one, e.g. "
             "'apt-get install default-jre-headless' on Debian/Ubuntu or "
             "'brew install openjdk' on macOS; the rest of tone works without Java.")


def export(graph, fmt: str) -> str:
    """Serialize the ontology graph as ``ttl``, ``owl`` (RDF/XML), ``nt`` or ``jsonld``."""
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; expected one of "
                         f"{', '.join(EXPORT_FORMATS)}")
    return graph.serialize(format=EXPORT_FORMATS[fmt])


@dataclass
class ReasonerReport:
    """What HermiT said: consistency, unsatisfiable classes and what it inferred."""

    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    inferred_subclass: list[tuple[str, str]] = field(default_factory=list)
    inferred_types: list[tuple[str, str]] = field(default_factory=list)
    inferred_relations: list[tuple[str, str, str]] = field(default_factory=list)
    classes: int = 0
    message: str = ""

    def to_dict(self) -> dict:
        return {"consistent": self.consistent, "unsatisfiable": self.unsatisfiable,
                "inferred_subclass": self.inferred_subclass,
                "inferred_types": self.inferred_types,
                "inferred_relations": self.inferred_relations, "classes": self.classes,
                "message": self.message}


def _find_java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").exists():
        return str(Path(java_home) / "bin" / "java")
    java = shutil.which("java")
    if not java:
        raise ReasonerError(JAVA_HINT)
    return java


def _name(entity) -> str:
    return getattr(entity, "name", None) or str(entity)


def check(graph) -> ReasonerReport:
    """Run HermiT on the ontology graph and report consistency and inferences.

    owlready2 would fetch every ``owl:imports`` over the network, so the graph handed to it has
    none: imports of ontologies the graph already holds are dropped, any other import is
    refused with a :class:`~tone.errors.DataFileError` (``Ontology`` resolves local imports
    when it loads the files).
    """
    from ._safeload import strip_imports

    local = strip_imports(graph)
    owlready2 = require("owlready2", "reason", "The OWL reasoner (tone ontology check)")
    java = _find_java()

    owlready2.JAVA_EXE = java
    with tempfile.TemporaryDirectory(prefix="tone-owl-") as tmp:
        path = Path(tmp) / "tone.owl"
        path.write_text(export(local, "owl"), encoding="utf-8")
        world = owlready2.World()
        with path.open("rb") as fileobj:  # a file object: owlready2 never opens a URL itself
            onto = world.get_ontology(path.as_uri()).load(only_local=True, fileobj=fileobj)
        classes = list(onto.classes())
        before_sub = {(c, p) for c in classes for p in c.is_a if isinstance(p, owlready2.ThingClass)}
        individuals = list(onto.individuals())
        before_types = {(i, t) for i in individuals for t in i.is_a}
        props = list(onto.object_properties())
        before_rel = {(s, p, o) for p in props for s, o in p.get_relations()}
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=True, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as err:
            detail = str(err).strip()[:500]
            return ReasonerReport(False, classes=len(classes),
                                  message=detail or "HermiT found the ontology inconsistent")
        except (owlready2.OwlReadyJavaError, FileNotFoundError, OSError) as err:
            raise ReasonerError(f"HermiT failed to run: {str(err).strip()[:500]}. {JAVA_HINT}") \
                from None
        unsat = sorted(_name(c) for c in world.inconsistent_classes()
                       if c is not owlready2.Nothing)
        after_sub = {(c, p) for c in classes for p in c.is_a if isinstance(p, owlready2.ThingClass)}
        after_types = {(i, t) for i in individuals for t in i.is_a}
        after_rel = {(s, p, o) for p in props for s, o in p.get_relations()}
        return ReasonerReport(
            consistent=True,
            unsatisfiable=unsat,
            inferred_subclass=sorted((_name(c), _name(p)) for c, p in after_sub - before_sub),
            inferred_types=sorted((_name(i), _name(t)) for i, t in after_types - before_types),
            inferred_relations=sorted((_name(s), _name(p), _name(o))
                                      for s, p, o in after_rel - before_rel),
            classes=len(classes),
        )
