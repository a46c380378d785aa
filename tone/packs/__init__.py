"""Domain packs: a folder that adapts tone to a domain without touching the core.

A pack is a folder holding ``pack.json`` and the files it names. The shipped packs live in
``lexicons/packs/<name>/``; a user pack is any folder (or its ``pack.json``) given by path.

``pack.json`` keys (unknown keys, missing keys and missing files are a :class:`PackError`
naming ``pack.json`` and the key):

=========== ========= ==================================================================
key         required  meaning
=========== ========= ==================================================================
name        yes       the pack's name (``[a-z][a-z0-9-]*``), what ``--pack NAME`` takes
title       yes       one line
description yes       a paragraph
licence     yes       the licence of the pack's data (SPDX id or a short phrase)
sources     yes       list of citations of what the data derives from
lexicon     no        TSV of lexicon overlay rows (the columns of ``lexicons/en/lexicon.tsv``,
                      :mod:`tone.lexicon.rows`): a term the overlay names replaces every row
                      of that term in the base lexicon; other terms are added
valence     no        TSV of valence overlay rows (``term  valence  source``, the format of
                      ``lexicons/en/valence.tsv``): word valences for document valence only,
                      replacing the shipped value of the same term
rules       no        list of ``.rules`` files (rules/README.md) loaded after the text rules
scheme      no        the default output scheme (a ``skos:notation`` of
                      ``ontology/mappings/*.ttl``): ``tone annotate`` and
                      :meth:`Annotation.in_scheme` use it when no scheme is given
mappings    no        list of Turtle files of extra SKOS links from tone concepts to scheme
                      categories, or whole schemes (the form of ``ontology/mappings/*.ttl``),
                      added to the annotator's ontology graph with the pack; a scheme only a
                      pack defines works in Python and ``-f jsonl``, not yet in the
                      EmotionML and RDF writers (they read the shipped mappings)
tokens      no        TSV of tokenizer special cases (:mod:`tone.packs.tokens`)
formats     no        list of output format names the pack makes available; the first is the
                      default of ``tone annotate`` with this pack
=========== ========= ==================================================================

Paths are relative to the pack folder (a path leaving it is refused). The folder also holds
``README.md`` (sources and licences, one line per file). The shipped packs' tests live in
``tests/test_packs.py``, one section per pack, so that the project's one test run covers them;
a user pack keeps its own tests wherever its author runs them.
Two packs that give the same term different rows, or name different schemes, are refused with
a :class:`PackConflict` naming both.

>>> pack = load_pack("finance")
>>> pack.name, pack.scheme
('finance', 'emtract')
>>> {"dreams", "empathetic", "finance"} <= set(shipped_packs())
True
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .._resources import file_problem, read_data_file
from ..errors import DataFileError, ToneError, UsageError

__all__ = [
    "Pack",
    "PackConflict",
    "PackError",
    "load_pack",
    "load_packs",
    "overlay_rows",
    "overlay_valence",
    "pack_formats",
    "pack_scheme",
    "packs_dir",
    "shipped_packs",
]

REQUIRED = ("name", "title", "description", "licence", "sources")
OPTIONAL = ("lexicon", "valence", "rules", "scheme", "mappings", "tokens", "formats")
_NAME = re.compile(r"[a-z][a-z0-9-]*\Z")


class PackError(DataFileError):
    """A pack folder or its ``pack.json`` is wrong; the message names the file and the key."""


class PackConflict(ToneError):
    """Two packs disagree (the same term with different rows, or two default schemes)."""


@dataclass(frozen=True)
class Pack:
    """A loaded pack: its metadata and the paths of its files (absolute)."""

    name: str
    title: str
    description: str
    licence: str
    sources: tuple[str, ...]
    folder: Path
    lexicon: Path | None = None
    valence: Path | None = None
    rules: tuple[Path, ...] = ()
    scheme: str | None = None
    mappings: tuple[Path, ...] = ()
    tokens: Path | None = None
    formats: tuple[str, ...] = ()

    @property
    def manifest(self) -> Path:
        return self.folder / "pack.json"

    def files(self) -> list[Path]:
        """Every data file of the pack (for cache keys and copies)."""
        found = [self.manifest, self.lexicon, self.valence, *self.rules, *self.mappings,
                 self.tokens]
        return [path for path in found if path is not None]

    def lexicon_rows(self, table=None) -> list:
        """The overlay rows (``[]`` without a ``lexicon``); bad rows fail at file:line:col."""
        from ..lexicon.rows import read_lexicon

        return read_lexicon(self.lexicon, table=table) if self.lexicon else []

    def valence_rows(self) -> list[tuple[str, float, str]]:
        """``(term, valence, source)`` overlay rows (``[]`` without a ``valence``)."""
        if not self.valence:
            return []
        from ..vocab.valence import read_valence

        return read_valence(self.valence)

    def to_dict(self) -> dict:
        """The manifest with absolute paths, as ``tone packs show --json`` prints it."""
        out = {key: getattr(self, key) for key in REQUIRED}
        out["sources"] = list(self.sources)
        out["folder"] = str(self.folder)
        for key in OPTIONAL:
            value = getattr(self, key)
            if isinstance(value, tuple):
                value = [str(v) for v in value] or None
            elif isinstance(value, Path):
                value = str(value)
            if value:
                out[key] = value
        return out


def packs_dir() -> Path:
    """The folder of the shipped packs (``lexicons/packs``)."""
    from .._resources import data_dir

    return data_dir("lexicons") / "packs"


def shipped_packs() -> dict[str, Path]:
    """Name -> folder of every shipped pack."""
    root = packs_dir()
    if not root.is_dir():
        return {}
    return {folder.name: folder for folder in sorted(root.iterdir())
            if (folder / "pack.json").is_file()}


def _folder(spec) -> Path:
    """The folder a pack name or path points at. A bare shipped name (``finance``) is the
    shipped pack even when the working folder holds a folder of that name (write
    ``./finance`` for that one), so a folder planted where tone runs cannot stand in for it."""
    text = str(spec)
    shipped = shipped_packs()
    if text in shipped and not isinstance(spec, os.PathLike):
        return shipped[text].resolve()
    path = Path(text).expanduser()
    if path.name == "pack.json" and path.is_file():
        return path.parent.resolve()
    if path.is_dir():
        if not (path / "pack.json").exists():
            raise PackError("the folder has no pack.json", path=str(path))
        problem = file_problem(path / "pack.json")
        if problem:
            raise PackError(f"the folder's pack.json is {problem}", path=str(path))
        return path.resolve()
    raise UsageError(f"unknown pack {text!r}: not a shipped pack ({', '.join(shipped) or 'none'})"
                     " nor a folder with a pack.json")


def _fail(manifest: Path, key: str | None, message: str) -> PackError:
    where = f"key {key!r}: " if key else ""
    return PackError(f"{where}{message}", path=str(manifest))


def _text(data: dict, key: str, manifest: Path) -> str:
    value = data[key]
    if not isinstance(value, str) or not value.strip():
        raise _fail(manifest, key, f"expected a non-empty string, got {value!r}")
    return value


def _names(data: dict, key: str, manifest: Path) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(manifest, key, f"expected a list of non-empty strings, got {value!r}")
    return tuple(value)


def _file(folder: Path, manifest: Path, key: str, name: str, suffix: str) -> Path:
    path = (folder / name).resolve()
    if not path.is_relative_to(folder):
        raise _fail(manifest, key, f"{name!r} points outside the pack folder")
    if not path.is_file():
        raise _fail(manifest, key, f"names {name!r}, which is not a file in {folder}")
    if not path.name.endswith(suffix):
        raise _fail(manifest, key, f"expected a {suffix} file, got {name!r}")
    return path


def load_pack(spec) -> Pack:
    """A pack by shipped name or by path (its folder or its ``pack.json``).

    >>> load_pack("no-such-pack")
    Traceback (most recent call last):
    ...
    tone.errors.UsageError: unknown pack 'no-such-pack': not a shipped pack (dreams, ...) nor a folder with a pack.json
    """
    if isinstance(spec, Pack):
        return spec
    folder = _folder(spec)
    manifest = folder / "pack.json"
    try:
        data = json.loads(read_data_file(manifest).decode("utf-8").removeprefix("\ufeff"))
    except UnicodeDecodeError as err:
        raise PackError(f"expected UTF-8 JSON; undecodable byte at offset {err.start}",
                        path=str(manifest)) from None
    except json.JSONDecodeError as err:
        raise PackError(f"not JSON: {err.msg}", path=str(manifest), line=err.lineno,
                        col=err.colno) from None
    except (ValueError, RecursionError) as err:  # too deep, or an int past Python's limit
        raise PackError(f"not JSON Python can read ({str(err)[:120]}); flatten it and write "
                        "long numbers as strings", path=str(manifest)) from None
    if not isinstance(data, dict):
        raise _fail(manifest, None, "expected a JSON object of pack keys")
    unknown = sorted(set(data) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise _fail(manifest, unknown[0], f"unknown key; the keys are "
                    f"{', '.join(REQUIRED + OPTIONAL)}")
    for key in REQUIRED:
        if key not in data:
            raise _fail(manifest, key, "missing (required: " + ", ".join(REQUIRED) + ")")
    name = _text(data, "name", manifest)
    if not _NAME.match(name):
        raise _fail(manifest, "name", f"expected lowercase letters, digits and '-', "
                    f"got {name!r}")
    sources = _names(data, "sources", manifest)
    if not sources:
        raise _fail(manifest, "sources", "cite at least one source")
    fields = {key: _text(data, key, manifest) for key in ("title", "description", "licence")}
    single = {key: _file(folder, manifest, key, _text(data, key, manifest), ".tsv")
              for key in ("lexicon", "valence", "tokens") if key in data}
    rules = tuple(_file(folder, manifest, "rules", item, ".rules")
                  for item in _names(data, "rules", manifest))
    mappings = tuple(_file(folder, manifest, "mappings", item, ".ttl")
                     for item in _names(data, "mappings", manifest))
    scheme = _text(data, "scheme", manifest) if "scheme" in data else None
    return Pack(name=name, sources=sources, folder=folder, rules=rules, scheme=scheme,
                mappings=mappings,
                formats=_names(data, "formats", manifest), **fields, **single)


def load_packs(specs: Iterable | str | None) -> tuple[Pack, ...]:
    """Load several packs (names, paths or :class:`Pack` objects); a name given twice loads
    once, two different packs of the same name are a :class:`PackConflict`."""
    if specs is None:
        return ()
    if isinstance(specs, (str, Pack)) or hasattr(specs, "__fspath__"):
        specs = [specs]
    packs: dict[str, Pack] = {}
    for spec in specs:
        pack = load_pack(spec)
        seen = packs.get(pack.name)
        if seen is not None and seen.folder != pack.folder:
            raise PackConflict(f"two packs are named {pack.name!r}: {seen.folder} and "
                               f"{pack.folder}; rename one in its pack.json")
        packs[pack.name] = pack
    return tuple(packs.values())


def _describe(rows) -> str:
    return "; ".join(f"{r.concept}@{r.tier} {r.weight:g} {r.status}" for r in rows)


def overlay_rows(base: list, packs: Iterable[Pack], table=None) -> list:
    """``base`` lexicon rows with each pack's overlay applied: a term an overlay names loses
    its base rows and takes the overlay's; two overlays that give one term different rows are
    a :class:`PackConflict`.

    >>> from tone.lexicon.rows import LexiconRow
    >>> base = [LexiconRow("rekt", "fear", 3, 0.5), LexiconRow("glad", "gladness", 3, 1.0)]
    >>> [(r.term, r.concept) for r in overlay_rows(base, [load_pack("finance")])
    ...  if r.term in ("rekt", "glad")]
    [('glad', 'gladness'), ('rekt', 'misery')]
    """
    by_term: dict[str, tuple[str, list]] = {}
    for pack in packs:
        mine: dict[str, list] = {}
        for row in pack.lexicon_rows(table):
            mine.setdefault(row.term.lower(), []).append(row)
        for term, rows in mine.items():
            if term in by_term:
                other, theirs = by_term[term]
                if _signature(theirs) != _signature(rows):
                    raise PackConflict(
                        f"packs {other!r} and {pack.name!r} both override the term {term!r} "
                        f"differently ({other}: {_describe(theirs)}; {pack.name}: "
                        f"{_describe(rows)}); use one of them, or make their rows agree")
                continue
            by_term[term] = (pack.name, rows)
    if not by_term:
        return list(base)
    kept = [row for row in base if row.term.lower() not in by_term]
    return kept + [row for _, rows in by_term.values() for row in rows]


def _signature(rows) -> list[tuple]:
    """What two overlays of one term must agree on (provenance may differ)."""
    return sorted((r.concept, r.tier, r.weight, r.status) for r in rows)


def overlay_valence(base: Iterable[tuple], packs: Iterable[Pack]) -> tuple | None:
    """``(term, valence, source)`` rows: ``base`` with the packs' valence rows replacing the
    same terms; ``None`` when no pack has a valence overlay (the base stays as it is)."""
    extra: dict[str, tuple[str, tuple]] = {}
    for pack in packs:
        for term, value, source in pack.valence_rows():
            term = term.lower()
            if term in extra and extra[term][1][1] != value:
                other = extra[term][0]
                raise PackConflict(f"packs {other!r} and {pack.name!r} give the term {term!r} "
                                   f"different valences ({extra[term][1][1]} and {value}); "
                                   "use one of them")
            extra[term] = (pack.name, (term, float(value), f"pack:{pack.name}:{source}"))
    if not extra:
        return None
    return tuple([row for row in base if row[0].lower() not in extra]
                 + [row for _, row in extra.values()])


def pack_scheme(packs: Iterable[Pack]) -> str | None:
    """The default scheme the packs name (``None`` when none does); two different ones are a
    :class:`PackConflict`."""
    named = [(pack.name, pack.scheme) for pack in packs if pack.scheme]
    if len({scheme for _, scheme in named}) > 1:
        listed = ", ".join(f"{name} -> {scheme}" for name, scheme in named)
        raise PackConflict(f"the packs name different default schemes ({listed}); use one of "
                           "them, or pass a scheme explicitly")
    return named[0][1] if named else None


def pack_formats(packs: Iterable[Pack]) -> tuple[str, ...]:
    """The output formats the packs make available, in pack order, without repeats."""
    return tuple(dict.fromkeys(fmt for pack in packs for fmt in pack.formats))
