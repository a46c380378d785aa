"""Scoring: from a batch's concept evidence to the annotation a user reads.

``reason`` (tier roll-up, intensity, ``top``), ``vad`` (valence, arousal, dominance),
``results`` (:class:`~tone.scoring.results.Annotation`, :class:`~tone.scoring.results.Span`,
:class:`~tone.scoring.results.RuleStep`: views over a batch's arrays), ``schemes`` (scores in
other taxonomies through the SKOS mappings) and ``explain`` (a readable trace).

The modules are imported on their own (``from tone.scoring.schemes import get_scheme``); this
package imports none of them, so ``import tone.scoring`` stays light.
"""
