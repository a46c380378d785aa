"""Build ``ontology/stimuli.ttl`` from ``ontology/stimuli.tsv`` and tone's annotation of each text.

Maintainers run ``python -m tone.prompting.build`` after changing the table, the lexicon or the
rules; ``tests/test_prompting.py`` checks that the shipped file is what this writes now.

Each stimulus becomes an individual of ``tone:Stimulus`` with its exact text
(``tone:stimulusText``), its paper (``dcterms:isPartOf`` the method, which carries the
``dcterms:bibliographicCitation``), the code it is quoted from (``tone:quotedFrom``), its
psychological theories (``tone:basedOnTheory``, each a ``tone:PsychologicalTheory`` with its own
citation), its polarity (``tone:stimulusPolarity``: EmotionPrompt positive, NegativePrompt
negative) and tone's annotation of the text: the primaries judged present
(``tone:annotatedEmotion``, the concept classes), every non-zero primary score as an
``tone:EmotionScore`` node, valence and intensity, and the matched words (``tone:annotatedTerm``).

>>> rows = read_table()
>>> len(rows), rows[0]["id"], rows[0]["theories"]
(21, 'EP01', ['self-monitoring'])
"""
from __future__ import annotations

from pathlib import Path

from .._resources import data_dir
from ..errors import DataFileError
from ..tsv import records

__all__ = ["METHODS", "THEORIES", "main", "read_table", "render"]

#: theory key -> (IRI local name, label, citation)
THEORIES = {
    "self-monitoring": (
        "SelfMonitoringTheory", "self-monitoring",
        ("Snyder, M. (1974). Self-monitoring of expressive behavior. Journal of Personality and "
         "Social Psychology, 30(4), 526-537")),
    "social-cognitive": (
        "SocialCognitiveTheory", "social cognitive theory",
        ("Bandura, A. (1986). Social Foundations of Thought and Action: A Social Cognitive "
         "Theory. Prentice-Hall")),
    "emotion-regulation": (
        "CognitiveEmotionRegulation", "cognitive emotion regulation",
        ("Garnefski, N., Kraaij, V. & Spinhoven, P. (2001). Negative life events, cognitive "
         "emotion regulation and emotional problems. Personality and Individual Differences, "
         "30(8), 1311-1327")),
    "cognitive-dissonance": (
        "CognitiveDissonanceTheory", "cognitive dissonance theory",
        "Festinger, L. (1957). A Theory of Cognitive Dissonance. Stanford University Press"),
    "social-comparison": (
        "SocialComparisonTheory", "social comparison theory",
        ("Festinger, L. (1954). A theory of social comparison processes. Human Relations, 7(2), "
         "117-140")),
    "stress-coping": (
        "StressAndCopingTheory", "stress and coping theory",
        "Lazarus, R. S. & Folkman, S. (1984). Stress, Appraisal, and Coping. Springer"),
}

#: family -> (IRI local name, polarity, paper IRI, citation, code the texts are quoted from)
METHODS = {
    "EmotionPrompt": (
        "EmotionPrompt", "positive", "https://arxiv.org/abs/2307.11760",
        ("Li, C., Wang, J., Zhang, Y., Zhu, K., Hou, W., Lian, J., Luo, F., Yang, Q. & Xie, X. "
         "(2023). Large Language Models Understand and Can be Enhanced by Emotional Stimuli. "
         "arXiv:2307.11760"),
        ("https://github.com/microsoft/promptbench/blob/2a9ffaa6f0daa9badbc024fa31fc26d2ed230fb8"
         "/promptbench/prompts/method_oriented.py")),
    "NegativePrompt": (
        "NegativePrompt", "negative", "https://arxiv.org/abs/2405.02814",
        ("Wang, X., Li, C., Chang, Y., Wang, J. & Wu, Y. (2024). NegativePrompt: Leveraging "
         "Psychology for Large Language Models Enhancement via Negative Emotional Stimuli. "
         "IJCAI 2024. arXiv:2405.02814"),
        ("https://github.com/wangxu0820/NegativePrompt/blob/cb1c5058286babfef62529a60cafa05316535b6e"
         "/config.py")),
}


def read_table(path: str | Path | None = None) -> list[dict]:
    """The rows of ``stimuli.tsv``: ``id``, ``family``, ``text``, ``theories`` (list of keys of
    :data:`THEORIES`), ``compound_of`` (list of ids) and ``code_index`` (int)."""
    path = Path(path) if path is not None else data_dir("ontology") / "stimuli.tsv"
    rows = []
    for line, row in records(path, comments=True):
        if row["family"] not in METHODS:
            raise DataFileError(f"unknown family {row['family']!r}; expected one of "
                                f"{', '.join(METHODS)}", path=str(path), line=line)
        theories = [t for t in row["theories"].split(",") if t]
        unknown = [t for t in theories if t not in THEORIES]
        if unknown or not theories:
            raise DataFileError(f"unknown or missing theory {unknown or ''!r}; expected one of "
                                f"{', '.join(THEORIES)}", path=str(path), line=line)
        rows.append({"id": row["id"], "family": row["family"], "text": row["text"],
                     "theories": theories,
                     "compound_of": [i for i in row["compound_of"].split(",") if i],
                     "code_index": int(row["code_index"])})
    return rows


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _annotation_lines(annotation, table) -> list[str]:
    """Turtle predicate-object lines with tone's annotation of one stimulus text."""

    def primary(label: str) -> str:
        return "tone:" + table.iris[table.index(label, 1)].rpartition("#")[2]

    lines = []
    if annotation.top:
        lines.append("tone:annotatedEmotion " + ", ".join(primary(t) for t in annotation.top))
    for label, score in annotation.primary.items():
        if score > 0:
            lines.append(f"tone:annotatedScore [ a tone:EmotionScore ; tone:emotion {primary(label)} ; "
                         f'tone:score "{score}"^^xsd:decimal ]')
    lines.append(f'tone:annotatedValence "{annotation.vad["valence"]}"^^xsd:decimal')
    lines.append(f'tone:annotatedIntensity "{annotation.intensity}"^^xsd:decimal')
    terms = sorted({span.text.lower() for span in annotation.spans})
    if terms:
        lines.append("tone:annotatedTerm " + ", ".join(_literal(t) for t in terms))
    return lines


HEADER = """\
# Generated by `python -m tone.prompting.build` from stimuli.tsv and tone's annotation of each
# text; do not edit by hand (ontology/README.md, "Stimuli").
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix tone: <https://w3id.org/tone#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

tone:Stimulus a owl:Class ; rdfs:label "emotional stimulus"@en ;
    skos:definition "a sentence appended to a prompt for a language model to change how it answers, grounded in a psychological theory"@en .
tone:PsychologicalTheory a owl:Class ; rdfs:label "psychological theory"@en .
tone:PromptingMethod a owl:Class ; rdfs:label "prompting method"@en .
tone:EmotionScore a owl:Class ; rdfs:label "emotion score"@en .
tone:stimulusText a owl:DatatypeProperty ; rdfs:domain tone:Stimulus ; rdfs:range xsd:string .
tone:stimulusPolarity a owl:DatatypeProperty ; rdfs:domain tone:Stimulus ; rdfs:range xsd:string ;
    rdfs:comment "positive (EmotionPrompt) or negative (NegativePrompt)"@en .
tone:basedOnTheory a owl:ObjectProperty ; rdfs:domain tone:Stimulus ; rdfs:range tone:PsychologicalTheory .
tone:compoundOf a owl:ObjectProperty ; rdfs:domain tone:Stimulus ; rdfs:range tone:Stimulus .
tone:quotedFrom a owl:ObjectProperty ; rdfs:domain tone:Stimulus ;
    rdfs:comment "the source file the text is quoted from, at a fixed commit"@en .
tone:codeIndex a owl:DatatypeProperty ; rdfs:domain tone:Stimulus ; rdfs:range xsd:integer ;
    rdfs:comment "the stimulus's index in the list of the file it is quoted from"@en .
tone:annotatedEmotion a owl:ObjectProperty ; rdfs:domain tone:Stimulus ;
    rdfs:comment "a primary emotion tone judges present in the text (a concept class, punned)"@en .
tone:annotatedScore a owl:ObjectProperty ; rdfs:domain tone:Stimulus ; rdfs:range tone:EmotionScore .
tone:emotion a owl:ObjectProperty ; rdfs:domain tone:EmotionScore .
tone:annotatedValence a owl:DatatypeProperty ; rdfs:domain tone:Stimulus ; rdfs:range xsd:decimal .
tone:annotatedIntensity a owl:DatatypeProperty ; rdfs:domain tone:Stimulus ; rdfs:range xsd:decimal .
tone:annotatedTerm a owl:DatatypeProperty ; rdfs:domain tone:Stimulus ; rdfs:range xsd:string ;
    rdfs:comment "a word or phrase of the text that tone's lexicon matched"@en .
"""


def render(rows: list[dict], annotator=None) -> str:
    """The Turtle text of ``stimuli.ttl`` for ``rows`` (:func:`read_table`), annotated by
    ``annotator`` (default: the shared default annotator)."""
    from ..defaults import default_annotator

    annotator = annotator or default_annotator()
    table = annotator.ontology.table()
    parts = [HEADER]
    for key, (name, label, citation) in THEORIES.items():
        parts.append(f"tone:{name} a tone:PsychologicalTheory ; rdfs:label {_literal(label)}@en ;\n"
                     f"    skos:notation {_literal(key)} ;\n"
                     f"    dcterms:bibliographicCitation {_literal(citation)} .\n")
    for family, (name, polarity, paper, citation, code) in METHODS.items():
        parts.append(f"tone:{name} a tone:PromptingMethod ; rdfs:label {_literal(family)}@en ;\n"
                     f"    dcterms:source <{paper}> ;\n"
                     f"    dcterms:bibliographicCitation {_literal(citation)} .\n")
    annotations = list(annotator.pipe([row["text"] for row in rows]))
    for row, annotation in zip(rows, annotations):
        name, polarity, _, _, code = METHODS[row["family"]]
        lines = [f"a tone:Stimulus ; rdfs:label {_literal(row['id'])}",
                 f"tone:stimulusText {_literal(row['text'])}",
                 f"dcterms:isPartOf tone:{name}",
                 f"tone:stimulusPolarity {_literal(polarity)}",
                 "tone:basedOnTheory " + ", ".join(f"tone:{THEORIES[t][0]}"
                                                   for t in row["theories"]),
                 f"tone:quotedFrom <{code}>",
                 f'tone:codeIndex "{row["code_index"]}"^^xsd:integer']
        if row["compound_of"]:
            lines.append("tone:compoundOf " + ", ".join(f"tone:{i}" for i in row["compound_of"]))
        lines += _annotation_lines(annotation, table)
        parts.append(f"tone:{row['id']} " + " ;\n    ".join(lines) + " .\n")
    return "\n".join(parts)


def main(path: str | Path | None = None) -> Path:
    """Write ``stimuli.ttl`` next to ``stimuli.tsv`` (or to ``path``); return its path."""
    from ..io.output import write_text

    target = Path(path) if path is not None else data_dir("ontology") / "stimuli.ttl"
    write_text(target, render(read_table()))
    return target


if __name__ == "__main__":  # pragma: no cover
    print(main())
