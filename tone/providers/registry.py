"""Provider names -> lazily imported factories.

>>> "glove" in available_providers(), "word2vec" in available_providers()
(True, False)
>>> get_provider("word2vec")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
tone.errors.UsageError: unknown provider 'word2vec'; known: all-minilm-l6-v2, glove, ...
"""
from __future__ import annotations

import importlib
from collections.abc import Callable

from tone.errors import UsageError

__all__ = ["BUILTIN", "available_providers", "get_provider", "register"]

# name -> "module:attribute"; the module is imported only when the provider is asked for
BUILTIN = {
    "glove-6b-50d": "tone.providers.glove:GloveProvider",
    "minilm-l6-v2": "tone.providers.minilm:MiniLMProvider",
}
ALIASES = {"glove": "glove-6b-50d", "minilm": "minilm-l6-v2",
           "all-minilm-l6-v2": "minilm-l6-v2"}

_registered: dict = {}   # name -> factory (user providers, test fakes)
_instances: dict = {}    # name -> provider, shared by get_provider calls without kwargs


def register(name: str, factory: Callable[..., object]) -> None:
    """Make ``get_provider(name)`` call ``factory(**kwargs)`` (replacing any earlier one)."""
    _registered[name] = factory
    _instances.pop(name, None)


def available_providers() -> list[str]:
    """Every name :func:`get_provider` accepts (whether or not its packages are installed)."""
    return sorted(set(BUILTIN) | set(ALIASES) | set(_registered))


def get_provider(name: str, **kwargs):
    """The provider called ``name``, loaded on first use.

    Without keyword arguments the instance is cached, so the vectors load once per process;
    keyword arguments (``device="cpu"``, ``mmap=False``) build a fresh one. A missing
    optional package raises :class:`tone.errors.MissingExtra` naming
    ``pip install "tone[neural]"``; an unknown name raises :class:`tone.errors.UsageError`.
    """
    name = ALIASES.get(name, name)
    if not kwargs and name in _instances:
        return _instances[name]
    if name in _registered:
        factory = _registered[name]
    elif name in BUILTIN:
        module, _, attr = BUILTIN[name].partition(":")
        factory = getattr(importlib.import_module(module), attr)
    else:
        raise UsageError(f"unknown provider {name!r}; known: {', '.join(available_providers())}")
    provider = factory(**kwargs)
    if not kwargs:
        _instances[name] = provider
    return provider
