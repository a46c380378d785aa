"""Dialogue: conversations as input (placeholder; the dialogue helper's version replaces it)."""
