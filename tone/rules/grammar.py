"""Moved to :mod:`tone.ruleslang.grammar` (the rule language every engine shares); this name
stays for old imports."""
from tone.ruleslang.grammar import *  # noqa: F401,F403
from tone.ruleslang.grammar import __all__  # noqa: F401
