"""The Annotator: text → tokens → lexicon matches → rules → emotion scores, with reasons.

>>> import tone
>>> result = tone.annotate("I am over the moon!")
>>> result.top
['joy']
>>> result.spans[0].text
'over the moon'
>>> tone.annotate("The meeting is at noon.").top
[]
"""
from __future__ import annotations

from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np

from .batching import BATCH_SIZE, by_chars
from .errors import UsageError
from .scoring.results import Annotation, RuleStep, Span

__all__ = ["Annotator", "Annotation", "Span", "RuleStep", "annotate"]

class Annotator:
    """Annotate texts with the emotions of the ontology.

    Parameters
    ----------
    ontology : Ontology, optional
        Default: the built-in ontology.
    lexicon : path, list of LexiconRow, or None
        Default: the shipped English lexicon (or, without it, the ontology's labels). A path
        may be in any format :func:`tone.lexicon.loaders.load_lexicon` reads: tone's TSV, a
        plain ``term<TAB>concept`` TSV, a LIWC ``.dic``, NRC EmoLex or Emotion Intensity.
    rules : path, list of paths, RuleSet, False or None
        Default: the shipped ``rules/en/*.rules``; ``False`` turns rules off.
    tokenizer : "fast" or "spacy"
        ``fast`` is tone's Numba tokenizer; ``spacy`` gives exact ``spacy.blank("en")`` tokens.
    always : bool
        Every document has an emotion (for corpora without neutral items; default off): a
        document without evidence gets, in ``top`` and in :meth:`Annotation.in_scheme`, the
        best category of its valence prior (:mod:`tone.scoring.schemes`); its scores stay 0.
    appraisal : bool or Appraiser
        Events -> appraisals -> emotions where a text names no feeling (:mod:`tone.appraisal`);
        ``False`` turns it off.
    valence : path, list of (term, valence) or NRC VAD entries, or None
        Word valences for document valence instead of the shipped list: an NRC VAD file or
        :func:`~tone.lexicon.loaders.load_nrc_vad`'s output (see
        :func:`tone.scoring.vad.user_valence`).
    packs : list of pack names, paths or :class:`tone.packs.Pack`
        Domain packs (:mod:`tone.packs`): their lexicon overlays join the lexicon before it
        compiles, their rules follow the text rules, their tokens are merged after
        tokenization, their terms join the ontology graph, and their scheme becomes
        :attr:`scheme`, the default of :meth:`Annotation.in_scheme`.

    >>> finance = Annotator(packs=["finance"])
    >>> finance.scheme, finance.annotate("$AAPL to the moon 🚀🚀").in_scheme().top
    ('emtract', ['happy'])
    """

    def __init__(self, ontology=None, lexicon=None, rules=None, tokenizer: str = "fast",
                 inference=None, always: bool = False, appraisal=None, valence=None,
                 packs=None) -> None:
        if tokenizer not in ("fast", "spacy"):
            raise UsageError(f"unknown tokenizer {tokenizer!r}; expected 'fast' or 'spacy'")
        if isinstance(rules, (str, bytes)) or hasattr(rules, "__fspath__"):
            rules = [rules]  # one rules file
        elif not (rules is None or rules is False or isinstance(rules, (list, tuple))
                  or hasattr(rules, "apply_each")):
            raise UsageError(f"rules must be rule files (a path or a list of paths), a RuleSet, "
                             f"False or None, not {type(rules).__name__}")
        from .packs import load_packs, pack_formats, pack_scheme
        from .packs.tokens import read_tokens

        self.packs = load_packs(packs)
        #: the packs' default output scheme (None without one), and their output formats
        self.scheme, self.formats = pack_scheme(self.packs), pack_formats(self.packs)
        self._tokens = [case for pack in self.packs if pack.tokens
                        for case in read_tokens(pack.tokens)]
        self.tokenizer = tokenizer
        self._valence = None
        if valence is not None:  # a user's word valences replace the shipped list
            from .scoring.vad import user_valence

            self._valence = user_valence(valence)
        if any(pack.valence for pack in self.packs):  # the packs' valences join the list
            from .packs import overlay_valence

            self._valence = overlay_valence(self._valence or _shipped_valence(), self.packs)
        self.always = bool(always)
        self._ontology = ontology
        if ontology is not None and self.packs:
            from .packs.graph import add_pack_graph

            add_pack_graph(ontology, self.packs)
        defaults = ontology is None and rules in (None, False) and (
            lexicon is None or isinstance(lexicon, (str, bytes)) or hasattr(lexicon, "__fspath__"))
        if defaults:  # everything comes from files: compile once, then load from the cache
            from .cache import cached

            self.table, self.lexicon, self.rules = cached(
                "annotator", self._inputs(lexicon, rules),
                lambda: self._compile(lexicon, rules))
        else:
            self.table, self.lexicon, self.rules = self._compile(lexicon, rules)
        from .infer import for_annotator  # inference rules: None default, False off, or groups

        # Without a caller's ontology, the inference rules and the appraiser come from the
        # on-disk cache, whether or not compiling just loaded the shipped ontology: otherwise
        # the first run would fill only the annotator's entry and the second compile them.
        loaded, self._ontology = self._ontology, ontology
        self.inference = for_annotator(self, inference)
        from .appraisal import for_annotator as appraiser_for  # events -> appraisal -> emotions

        self.appraisal = appraiser_for(self, appraisal) if rules is not False else None
        if self._ontology is None:
            self._ontology = loaded

    @property
    def ontology(self):
        """The ontology (loaded on first use when the annotator came from the cache)."""
        if self._ontology is None:
            from .ontology import Ontology

            self._ontology = Ontology()
            if self.packs:  # the packs' terms, queryable with SPARQL
                from .packs.graph import add_pack_graph

                add_pack_graph(self._ontology, self.packs)
        return self._ontology

    def _inputs(self, lexicon, rules) -> list:
        from ._resources import data_dir
        from .lexicon.default import default_lexicon_path

        files = sorted(data_dir("ontology").glob("*.ttl"))
        files += sorted(data_dir("ontology").glob("mappings/*.ttl"))
        files += [Path(lexicon) if lexicon is not None else default_lexicon_path()]
        files += sorted(data_dir("lexicons").glob("en/*.tsv"))
        if rules is None:
            files += sorted(data_dir("rules").glob("en/*.rules"))
        files += [path for pack in self.packs for path in pack.files()]
        return [*files, f"tokenizer={self.tokenizer}", f"rules={rules is not False}",
                "packs=" + ",".join(pack.name for pack in self.packs)]

    def _compile(self, lexicon, rules):
        from .lexicon.compile import compile_lexicon
        from .lexicon.default import default_rows
        from .lexicon.loaders import load_lexicon

        table = self.ontology.table()
        if lexicon is None:
            rows = default_rows(self.ontology)
        elif isinstance(lexicon, (str, bytes)) or hasattr(lexicon, "__fspath__"):
            rows = load_lexicon(lexicon, table=table)  # any known format; file:line:col errors
        else:
            rows = list(lexicon)
            if not rows:
                raise UsageError("lexicon=[] has no rows: pass rows, a lexicon file, or None "
                                 "for the shipped lexicon")
        if self.packs:  # overlay rows add terms or replace a term's rows
            from .packs import overlay_rows

            rows = overlay_rows(rows, self.packs, table)
        tokenize = None
        if self.tokenizer == "spacy":  # terms and cues must be tokenized like the text
            from .text import spacy_tokenize as tokenize
        if rules is False:
            rule_set = None
        elif rules is None or isinstance(rules, (list, tuple)):
            from . import rules as rules_module

            pack_rules = [path for pack in self.packs for path in pack.rules]
            if pack_rules:  # after the shipped (or given) text rules
                rules = [*(rules_module.default_rule_paths() if rules is None else rules),
                         *pack_rules]
            rule_set = rules_module.load(rules, table=table, ontology=self.ontology,
                                         tokenize=tokenize)
        else:
            rule_set = rules
        idioms = rule_set.lexicon_rows() if hasattr(rule_set, "lexicon_rows") else []
        if idioms:  # the rules' idioms are lexicon terms; they replace rows of the same term
            phrases = {row.term for row in idioms}
            rows = [row for row in rows if row.term.lower() not in phrases] + idioms
        compiled = compile_lexicon(rows, table, tokenize=tokenize)
        return table, compiled, rule_set

    # -- the pipeline -------------------------------------------------------------------
    def _tokenize(self, texts: list[str]):
        from . import text as text_module

        # control and invisible format characters separate words; one character for one:
        # offsets and the texts in the results are the original ones
        texts = text_module.separators_as_spaces(texts)
        if self.tokenizer == "spacy":
            batch = text_module.spacy_tokenize(texts)
        else:
            batch = text_module.tokenize(texts)
        return self._pack_tokens(batch)

    def _pack_tokens(self, batch):
        """``batch`` with the packs' special cases (cashtags) as single tokens."""
        if self._tokens:
            from .packs.tokens import merge_tokens

            batch = merge_tokens(batch, self._tokens)
        return batch

    def _run(self, texts: list[str]):
        """Tokens, emotion-word matches with their rule effects, final concepts and weights,
        and the valence words (:func:`tone.scoring.vad.valence_words`): both kinds of word ruled in
        one kernel call."""
        from .lexicon.match import match
        from .scoring.vad import valence_lexicon, valence_words

        batch = self._tokenize(texts)
        matches = match(self.lexicon, batch)
        idioms = tuple(self.rules.idioms) if hasattr(self.rules, "idioms") else ()
        valence = valence_lexicon(self.table, self._valence_tokenize(), idioms=idioms,
                                  words=self._valence)
        found = match(valence, batch) if valence is not None else None
        effects = found_effects = None
        if self.rules is not None:
            effects, *rest = self.rules.apply_each(
                batch, [matches] if found is None else [matches, found])
            found_effects = rest[0] if rest else None
        words = valence_words(self.table, batch, tokenize=self._valence_tokenize(), found=found,
                              effects=found_effects)
        concept = effects.concept if effects is not None else matches.concept
        weight = effects.weight if effects is not None else matches.weight
        return (batch, matches, effects, concept, np.maximum(weight, 0.0).astype(np.float32),
                words)

    def pipe(self, texts: Iterable[str], batch_size: int = BATCH_SIZE,
             ids: Iterable | None = None, level: str = "doc") -> Iterator[Annotation]:
        """Annotate many texts, ``batch_size`` at a time (one kernel call per batch, which
        also closes at :data:`tone.batching.BATCH_CHARS` characters), in order.

        ``texts`` is an iterable of ``str`` — a list, not one ``str`` (that would be one document
        per character): pass ``[text]``, or use :meth:`annotate`. Control characters such as NUL
        separate words like a space; lone surrogates are kept (the writers of :mod:`tone.io`
        write U+FFFD for them)."""
        if isinstance(texts, (str, bytes, bytearray)):
            raise UsageError(f"pipe() takes a list of texts, not one {type(texts).__name__}; "
                             "pass [text], or use annotate(text)")
        if batch_size < 1:
            raise UsageError("batch_size must be at least 1")
        if level not in ("doc", "sentence"):
            raise UsageError(f"unknown level {level!r}; expected 'doc' or 'sentence'")
        return self._pipe(texts, batch_size, ids, level)

    def _pipe(self, texts, batch_size: int, ids, level: str) -> Iterator[Annotation]:
        texts = iter(texts)
        id_iter = iter(ids) if ids is not None else None
        done = 0
        while True:
            chunk = list(islice(texts, batch_size))
            if not chunk:
                return
            if set(map(type, chunk)) != {str}:  # rare: str subclasses, or a bad document
                for k, text in enumerate(chunk):
                    if not isinstance(text, str):
                        hint = (": decode it first, e.g. text.decode('utf-8')"
                                if isinstance(text, (bytes, bytearray)) else "")
                        raise UsageError(f"document {done + k} is of type "
                                         f"{type(text).__name__}, not str{hint}")
            if id_iter is None:
                chunk_ids = range(done, done + len(chunk))
            else:
                chunk_ids = list(islice(id_iter, len(chunk)))
                if len(chunk_ids) < len(chunk):
                    raise UsageError(f"fewer ids than documents: no id for document "
                                     f"{done + len(chunk_ids)}")
            for lo, hi in by_chars(list(map(len, chunk))):
                yield from self._annotate_batch(chunk[lo:hi], chunk_ids[lo:hi], level)
            done += len(chunk)

    def annotate(self, text: str, id=None, level: str = "doc") -> Annotation:
        """Annotate one text."""
        return next(self.pipe([text], ids=[id], level=level))

    # -- from arrays to results ---------------------------------------------------------
    def annotate_turns(self, texts: Sequence[str], ids: list, context: tuple) -> list[Annotation]:
        """One batch of conversation turns with their dialogue context ``(previous, reply)``
        (per turn, the index of the speaker's previous turn and of the reply in between, -1 for
        none: :func:`tone.infer.dialogue_context`), so that ``transition`` inference rules link
        them. Conversations are annotated by :func:`tone.dialogue.annotate`, which builds this."""
        return self._annotate_batch(list(texts), list(ids), "doc", dialogue=context)

    def _annotate_batch(self, texts: Sequence[str], ids: list, level: str,
                        dialogue=None) -> list[Annotation]:
        """One batch through the kernels; the results are views over its arrays
        (:class:`tone.scoring.results.BatchResult`), built into dicts and spans when read."""
        from .scoring.reason import sparse_scores
        from .scoring.results import BatchResult
        from .scoring.vad import doc_vad_matrix

        batch, matches, effects, concept, weight, words = self._run(list(texts))
        n_docs = len(texts)
        # rows: the documents with matches (every turn of a dialogue), in order
        if dialogue is None:
            active = np.flatnonzero(np.diff(np.searchsorted(matches.doc,
                                                            np.arange(n_docs + 1))))
        else:
            active = np.arange(n_docs)
        row = np.full(n_docs, -1, dtype=np.int64)
        row[active] = np.arange(len(active))
        match_row = row[matches.doc]
        inference = None
        if self.inference is not None:  # opposition per clause, then forward chaining
            inference = self.inference.run(self.table, batch, matches, concept, weight,
                                           match_row, len(active), dialogue)
            weight = inference.weight
            scores = inference.scores()
        else:
            scores = sparse_scores(self.table, match_row, concept, weight, len(active))
        appraised = None
        if self.appraisal is not None and level == "doc":  # events -> appraisal -> emotions
            from .appraisal import merge_scores

            appraised = self.appraisal.run(batch, matches, words)
            row, scores = merge_scores(self.table, appraised, row, scores)
        vad = doc_vad_matrix(self.table, matches.doc, concept, weight, n_docs, words)
        result = BatchResult(self, texts, batch, matches, effects, concept, weight, row, scores,
                             vad, inference, words, level, appraised=appraised,
                             n_word_rows=len(active))
        return result.views(ids)

    def _valence_tokenize(self):
        """The tokenizer the valence word list must be compiled with (None: the fast one)."""
        if self.tokenizer == "spacy":
            from .text import spacy_tokenize

            return spacy_tokenize
        return None


def _shipped_valence() -> tuple:
    """The shipped word valences as ``(term, valence, source)`` rows (``()`` without them)."""
    from ._resources import data_dir
    from .vocab.valence import read_valence

    path = data_dir("lexicons") / "en" / "valence.tsv"
    return tuple(read_valence(path)) if path.is_file() else ()


def annotate(text: str, level: str = "doc") -> Annotation:
    """Annotate one text with a default :class:`Annotator` (built once, then reused:
    :func:`tone.defaults.default_annotator`)."""
    from .defaults import default_annotator

    return default_annotator().annotate(text, level=level)
