"""Lexicon rows with provenance, loaders for user-supplied lexicons, compilation and matching."""
