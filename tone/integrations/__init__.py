"""Integrations: thin faces over :class:`tone.Annotator` for other libraries.

``frame`` (pandas: :func:`tone.annotate_frame`), ``dask`` (Dask bags and data frames,
``tone annotate --dask``) and ``spacy_component`` (the ``"tone"`` spaCy pipeline component,
registered through the ``spacy_factories`` entry point). Each needs its optional extra; this
package imports none of them.
"""
