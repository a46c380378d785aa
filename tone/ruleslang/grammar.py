"""The rule language: a pyparsing 3 grammar that turns rule text into small AST objects.

The grammar is written out in BNF in ``rules/README.md``; this module follows it rule for rule.
Every pyparsing element gets a name (``set_name``), parsing uses ``parse_all=True``, and the
whitespace of every element is set explicitly (:func:`_fix_whitespace`), because rdflib changes
pyparsing's *default* whitespace characters when its SPARQL parser is imported and the
defaults are global. Nothing here changes pyparsing's global settings.

>>> rf = parse_text('rule very: scale cues intensifier window 2 gain 0.667 on under joy;')
>>> rule = rf.statements[0]
>>> rule.name, rule.kind, rule.option("window"), rule.concepts
('very', 'scale', 2, Under(ref=Label(label='joy', tier=None)))
>>> print(rf.to_text())
rule very: scale cues intensifier window 2 gain 0.667 on under joy;
>>> parse_text('rule x: scale cues intensifier windw 2;', path="x.rules")
Traceback (most recent call last):
...
tone.errors.RuleSyntaxError: x.rules:1:32: expected an option, 'on' or ';', found 'windw'
  rule x: scale cues intensifier windw 2;
                                 ^
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, ClassVar, Union

import pyparsing as pp

from tone._resources import read_data_file
from tone.errors import RuleNameError, RuleSyntaxError

from .locations import error_at, name_error_at

__all__ = [
    "RuleFile", "ClassDef", "SetDef", "Rule", "WordList", "ClassRef",
    "Label", "Tier", "Under", "Sparql", "SetRef", "AllConcepts", "BinOp",
    "KINDS", "OPTIONS", "RANGES", "INFER_RANGES", "parse_text", "parse_file", "format_error",
    "Idiom", "IDIOM_WEIGHT_RANGE", "Infer", "VadCmp", "ScoreCmp", "AnyOf", "BoolOp", "NotOp",
    "INFER_KINDS", "INFER_OPTIONS", "STATEMENTS",
]

#: Whitespace our elements skip, set on every element explicitly (never via pyparsing globals).
WHITESPACE = " \t\r\n"

# --------------------------------------------------------------------------------------------
# AST
# --------------------------------------------------------------------------------------------

_NOLOC = field(default=-1, compare=False, repr=False)


def _fmt_num(x: float) -> str:
    """Shortest text that reads back as the same float (``1.0`` -> ``1``)."""
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(float(x))


def _quote(s: str) -> str:
    out = s.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + out.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + '"'


@dataclass(frozen=True)
class WordList:
    """An inline word list ``["very", "so": 0.2]``: ``(term, weight or None)`` pairs."""

    items: tuple[tuple[str, float | None], ...]
    loc: int = _NOLOC
    #: where each item's weight starts in the file (parsed lists only), for range errors
    weight_locs: tuple[int, ...] = field(default=(), compare=False, repr=False)

    def weight_loc(self, i: int) -> int:
        return self.weight_locs[i] if i < len(self.weight_locs) else self.loc

    def to_text(self) -> str:
        parts = [(_quote(t) if w is None else f"{_quote(t)}: {_fmt_num(w)}") for t, w in self.items]
        return "[" + ", ".join(parts) + "]"


@dataclass(frozen=True)
class ClassRef:
    """A word class by name, e.g. ``negator`` (from ``modifiers.tsv`` or a ``class`` line)."""

    name: str
    loc: int = _NOLOC

    def to_text(self) -> str:
        return self.name


Cue = Union[WordList, ClassRef]


@dataclass(frozen=True)
class Label:
    """A concept by its lowercase label, optionally in one tier: ``joy``, ``tier 3 label joy``."""

    label: str
    tier: int | None = None
    loc: int = _NOLOC

    def to_text(self) -> str:
        name = self.label if _is_bare_label(self.label) else _quote(self.label)
        return name if self.tier is None else f"tier {self.tier} label {name}"


@dataclass(frozen=True)
class Tier:
    """Every concept of one tier: ``tier 2``."""

    tier: int
    loc: int = _NOLOC

    def to_text(self) -> str:
        return f"tier {self.tier}"


@dataclass(frozen=True)
class Under:
    """A concept and everything below it: ``under fear``."""

    ref: Label
    loc: int = _NOLOC

    def to_text(self) -> str:
        return f"under {self.ref.to_text()}"


@dataclass(frozen=True)
class Sparql:
    """The concepts in the first column of a SPARQL SELECT over the ontology."""

    query: str
    loc: int = _NOLOC

    def to_text(self) -> str:
        if '"""' not in self.query and not self.query.endswith('"') and "\\" not in self.query:
            return f'sparql """{self.query}"""'
        return f"sparql {_quote(self.query)}"


@dataclass(frozen=True)
class SetRef:
    """A named concept set, ``@negative`` (defined by ``set negative = ...;``)."""

    name: str
    loc: int = _NOLOC

    def to_text(self) -> str:
        return f"@{self.name}"


@dataclass(frozen=True)
class AllConcepts:
    """Every concept."""

    loc: int = _NOLOC

    def to_text(self) -> str:
        return "all"


@dataclass(frozen=True)
class BinOp:
    """``left | right`` (union), ``left - right`` (difference), ``left & right`` (intersection)."""

    op: str
    left: Any
    right: Any
    loc: int = _NOLOC

    def to_text(self) -> str:
        def side(e, right_side):
            text = e.to_text()
            if isinstance(e, BinOp) and (_PREC[e.op] < _PREC[self.op]
                                         or (right_side and _PREC[e.op] == _PREC[self.op])):
                return f"({text})"
            return text
        return f"{side(self.left, False)} {self.op} {side(self.right, True)}"


_PREC = {"|": 1, "-": 1, "&": 2}
ConceptExpr = Union[Label, Tier, Under, Sparql, SetRef, AllConcepts, BinOp]


@dataclass(frozen=True)
class ClassDef:
    """``class NAME = [...];`` defines a word class; ``class NAME += [...];`` extends one."""

    keyword: ClassVar[str] = "class"

    name: str
    op: str
    words: WordList
    loc: int = _NOLOC

    def to_text(self) -> str:
        return f"class {self.name} {self.op} {self.words.to_text()};"


@dataclass(frozen=True)
class SetDef:
    """``set NAME = <concepts>;`` names a concept set for ``@NAME``."""

    keyword: ClassVar[str] = "set"

    name: str
    expr: Any
    loc: int = _NOLOC

    def to_text(self) -> str:
        return f"set {self.name} = {self.expr.to_text()};"


#: Rule kinds and, for each, its options in canonical order.
KINDS: dict[str, tuple[str, ...]] = {
    "negate": ("cues", "window", "stop", "action", "to", "factor", "else", "except"),
    "scale": ("cues", "window", "stop", "gain", "decay", "cap"),
    "dampen": ("cues", "window", "stop", "factor"),
    "contrast": ("cues", "before", "after"),
    "concede": ("cues", "window", "stop", "clause", "rest"),
    "question": ("factor",),
    "exclaim": ("per", "max"),
    "caps": ("factor",),
    "elongated": ("factor",),
    "repeat": ("per", "max"),
    "frame": ("cues", "window", "stop", "factor", "rest"),
}

#: Option name -> value type: ``cues`` (class names / word lists), ``int``, ``num``,
#: ``words`` (a word list), ``action`` (flip | dampen | mark), ``concept`` (a concept label).
OPTIONS: dict[str, str] = {
    "cues": "cues", "stop": "cues", "except": "cues", "action": "action", "to": "concept",
    "window": "int", "max": "int",
    "factor": "num", "else": "num", "gain": "num", "decay": "num", "cap": "num",
    "before": "num", "after": "num", "clause": "num", "rest": "num", "per": "num",
}
ACTIONS = ("flip", "dampen", "mark")

#: Allowed range ``(low, high)``, both inclusive, of every numeric slot of a rule file. The
#: parser refuses numbers no range could hold (non-finite, or integers over
#: ``MAX_INT_DIGITS`` digits); the compilers check the ranges, each error naming its range.
RANGES: dict[str, tuple[float, float]] = {
    "window": (1, 255), "max": (1, 1000), "cap": (1, 1e6), "decay": (0, 1),
    **{name: (0, 1e6) for name in ("factor", "else", "gain", "before", "after", "clause",
                                   "rest", "per")},
}
#: Ranges of the ``infer`` options, the word weights of word lists, ``tier N`` and the numbers
#: of ``valence < x`` (VAD lies in [-1, 1]) and ``score(...) > x`` tests.
INFER_RANGES: dict[str, tuple[float, float]] = {"gain": (0, 64), "prior": (0, 64), "min": (0, 1)}
WEIGHT_RANGE = (-1e6, 1e6)
TIER_RANGE = (1, 3)
VAD_RANGE = (-1, 1)
SCORE_RANGE = (0, 1e6)
MAX_INT_DIGITS = 18


def describe_range(what: str, bounds: tuple[float, float], integer: bool = False) -> str:
    """``"window must be an integer from 1 to 255"``: the message of an out-of-range value.

    >>> describe_range("decay", RANGES["decay"])
    'decay must be a number from 0 to 1'
    """
    lo, hi = bounds
    return (f"{what} must be {'an integer' if integer else 'a number'} "
            f"from {_fmt_num(lo)} to {_fmt_num(hi)}")


def in_range(value, bounds: tuple[float, float]) -> bool:
    """Whether a parsed number is finite and inside ``bounds``."""
    try:
        return math.isfinite(value) and bounds[0] <= value <= bounds[1]
    except (TypeError, OverflowError):
        return False


class _Options:
    """Option look-up shared by text rules and inference rules (``options`` and
    ``option_locs`` are tuples of ``(name, value)`` and ``(name, location)``)."""

    def option(self, name: str, default: Any = None) -> Any:
        for key, value in self.options:
            if key == name:
                return value
        return default

    def option_loc(self, name: str) -> int:
        return dict(self.option_locs).get(name, self.loc)


@dataclass(frozen=True)
class Rule(_Options):
    """``rule NAME: KIND {option value} [on <concepts>];``."""

    keyword: ClassVar[str] = "rule"

    name: str
    kind: str
    options: tuple[tuple[str, Any], ...]
    concepts: Any = None
    loc: int = _NOLOC
    option_locs: tuple[tuple[str, int], ...] = field(default=(), compare=False, repr=False)

    def to_text(self) -> str:
        parts = [f"rule {self.name}: {self.kind}"]
        for key, value in self.options:
            kind = OPTIONS[key]
            if kind == "cues":
                parts.append(f"{key} " + ", ".join(c.to_text() for c in value))
            elif kind == "words":
                parts.append(f"{key} {value.to_text()}")
            elif kind == "num":
                parts.append(f"{key} {_fmt_num(value)}")
            elif kind == "concept":
                parts.append(f"{key} {value.to_text()}")
            else:
                parts.append(f"{key} {value}")
        if self.concepts is not None:
            parts.append(f"on {self.concepts.to_text()}")
        return " ".join(parts) + ";"


#: Weights of an idiom's phrases: the range of a lexicon row's weight, (0, 1].
IDIOM_WEIGHT_RANGE = (0, 1)


@dataclass(frozen=True)
class Idiom:
    """``idiom NAME: ["can't wait": 0.8, ...] -> eagerness;``: phrases whose meaning is not the
    sum of their words. Each phrase becomes a lexicon term of the concept (weight: the phrase's,
    default 1; a longer term wins over the words inside it, so "can't wait" is one match)."""

    keyword: ClassVar[str] = "idiom"

    name: str
    words: WordList
    concept: Label
    loc: int = _NOLOC

    def to_text(self) -> str:
        return f"idiom {self.name}: {self.words.to_text()} -> {self.concept.to_text()};"


# --- inference statements (the second rule engine, tone.infer) ------------------------------

#: Inference kinds and, for each, its options in canonical order.
INFER_KINDS: dict[str, tuple[str, ...]] = {
    "compose": ("via", "gain", "min", "combine", "enabled"),
    "oppose": ("via", "policy", "scope", "min", "enabled"),
    "hierarchy": ("prior", "min", "enabled"),
    "transition": ("gain", "min", "combine", "scope", "enabled"),
}

#: Inference option -> allowed words (a tuple) or ``"num"``.
INFER_OPTIONS: dict[str, Any] = {
    "gain": "num", "min": "num", "prior": "num", "via": "relation",
    "combine": ("min", "product", "mean"),
    "policy": ("mixed", "net", "stronger"),
    "scope": ("clause", "sentence", "doc", "dialogue"),
    "enabled": ("true", "false"),
}
VAD_DIMS = ("valence", "arousal", "dominance")
CMP_OPS = ("<=", ">=", "<", ">")


@dataclass(frozen=True)
class VadCmp:
    """``valence < -0.3``: the unit's evidence-weighted VAD against a number."""

    dim: str
    op: str
    value: float
    loc: int = _NOLOC

    def to_text(self) -> str:
        return f"{self.dim} {self.op} {_fmt_num(self.value)}"


@dataclass(frozen=True)
class ScoreCmp:
    """``score(<concepts>) > 0.5``: the best score of a concept set in the unit."""

    concepts: Any
    op: str
    value: float
    loc: int = _NOLOC

    def to_text(self) -> str:
        return f"score({self.concepts.to_text()}) {self.op} {_fmt_num(self.value)}"


@dataclass(frozen=True)
class AnyOf:
    """``any(<concepts>)``: some concept of the set has evidence in the unit."""

    concepts: Any
    loc: int = _NOLOC

    def to_text(self) -> str:
        return f"any({self.concepts.to_text()})"


@dataclass(frozen=True)
class NotOp:
    """``not <condition>``."""

    arg: Any
    loc: int = _NOLOC

    def to_text(self) -> str:
        inner = self.arg.to_text()
        return f"not ({inner})" if isinstance(self.arg, BoolOp) else f"not {inner}"


@dataclass(frozen=True)
class BoolOp:
    """``left and right``, ``left or right`` (``and`` binds tighter)."""

    op: str
    left: Any
    right: Any
    loc: int = _NOLOC

    def to_text(self) -> str:
        def side(e, right_side):
            text = e.to_text()
            if isinstance(e, BoolOp) and ((e.op == "or" and self.op == "and")
                                          or (right_side and e.op == self.op)):
                return f"({text})"
            return text
        return f"{side(self.left, False)} {self.op} {side(self.right, True)}"


@dataclass(frozen=True)
class Infer(_Options):
    """``infer NAME: KIND {option value} [on <concepts>] [when <condition>];``."""

    keyword: ClassVar[str] = "infer"

    name: str
    kind: str
    options: tuple[tuple[str, Any], ...]
    concepts: Any = None
    condition: Any = None
    loc: int = _NOLOC
    option_locs: tuple[tuple[str, int], ...] = field(default=(), compare=False, repr=False)

    def to_text(self) -> str:
        parts = [f"infer {self.name}: {self.kind}"]
        for key, value in self.options:
            parts.append(f"{key} {_fmt_num(value) if INFER_OPTIONS[key] == 'num' else value}")
        if self.concepts is not None:
            parts.append(f"on {self.concepts.to_text()}")
        if self.condition is not None:
            parts.append(f"when {self.condition.to_text()}")
        return " ".join(parts) + ";"


@dataclass(frozen=True)
class RuleFile:
    """A parsed rule file: its statements in order, the source text and the path."""

    statements: tuple[Any, ...]
    text: str = field(default="", compare=False, repr=False)
    path: str | None = field(default=None, compare=False, repr=False)

    @property
    def rules(self) -> list[Rule]:
        return [s for s in self.statements if isinstance(s, Rule)]

    @property
    def idioms(self) -> list[Idiom]:
        return [s for s in self.statements if isinstance(s, Idiom)]

    @property
    def inferences(self) -> list[Infer]:
        return [s for s in self.statements if isinstance(s, Infer)]

    def to_text(self) -> str:
        return "\n".join(s.to_text() for s in self.statements)

    def error(self, message: str, loc: int, suggestion: str | None = None) -> RuleSyntaxError:
        """A :class:`RuleSyntaxError` located at character ``loc`` of this file."""
        return error_at(message, self.text, loc, self.path, suggestion=suggestion)

    def name_error(self, message: str, loc: int, *, name: str, what: str,
                   suggestion: str | None = None) -> RuleNameError:
        """A :class:`~tone.errors.RuleNameError` (an unknown ``what`` called ``name``) at
        character ``loc`` of this file."""
        return name_error_at(message, self.text, loc, self.path, name=name, what=what,
                             suggestion=suggestion)

    def location(self, loc: int):
        """The :class:`~tone.ruleslang.locations.Location` of character ``loc``."""
        from .locations import locate

        return locate(self.text, loc, self.path)


#: The statement keywords of the language (what :attr:`keyword` of a statement can be).
STATEMENTS = ("rule", "infer", "idiom", "class", "set")

# --------------------------------------------------------------------------------------------
# Grammar
# --------------------------------------------------------------------------------------------

_KEYWORDS = {"rule", "class", "set", "idiom", "on", "all", "tier", "label", "under", "sparql"}
_KEYWORDS |= set(KINDS) | set(OPTIONS) | set(ACTIONS)
_KEYWORDS |= {"infer", "when", "and", "or", "not", "score", "any"} | set(INFER_KINDS)
_KEYWORDS |= set(INFER_OPTIONS) | set(VAD_DIMS)
_IDENT_RE = r"[A-Za-z_][A-Za-z0-9_]*"
_LABEL_EXCLUDE = {"all", "tier", "label", "under", "sparql", "on"}


def _is_bare_label(s: str) -> bool:
    import re

    return bool(re.fullmatch(_IDENT_RE, s)) and s not in _LABEL_EXCLUDE


def _fix_whitespace(root: pp.ParserElement) -> None:
    """Set our whitespace characters on ``root`` and every element below it (no globals)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        el = stack.pop()
        if id(el) in seen:
            continue
        seen.add(id(el))
        el.set_whitespace_chars(WHITESPACE, copy_defaults=False)
        for ign in getattr(el, "ignoreExprs", ()):
            stack.append(ign)
        sub = getattr(el, "exprs", None)
        if sub:
            stack.extend(sub)
        one = getattr(el, "expr", None)
        if isinstance(one, pp.ParserElement):
            stack.append(one)


def _at(s: str, loc: int) -> int:
    """The first location at or after ``loc`` that is not whitespace or a comment."""
    n = len(s)
    while loc < n:
        if s[loc] in WHITESPACE:
            loc += 1
        elif s[loc] == "#":
            nl = s.find("\n", loc)
            loc = n if nl < 0 else nl + 1
        else:
            break
    return loc


def _build() -> pp.ParserElement:
    S = pp.Suppress
    K = pp.Keyword

    def lit(s: str) -> pp.ParserElement:
        return S(pp.Literal(s)).set_name(repr(s))

    comment = pp.Regex(r"#[^\n]*").set_name("comment")
    ident = pp.Regex(_IDENT_RE).set_name("name")
    name = ident.copy().set_name("name")
    not_option = ~pp.MatchFirst([K(k) for k in sorted(set(OPTIONS) | {"on"})])
    class_name = (not_option + ident).set_name("word class name")
    def integer_for(what: str, bounds: tuple[float, float]) -> pp.ParserElement:
        """An integer; one too long for any range fails the parse, naming the range."""
        def convert(s, loc, t):
            if len(t[0]) > MAX_INT_DIGITS:
                raise pp.ParseFatalException(s, loc, describe_range(what, bounds, True))
            return int(t[0])

        return pp.Regex(r"\d+").set_name("integer").set_parse_action(convert)

    def number_for(what: str, bounds: tuple[float, float]) -> pp.ParserElement:
        """A number; one that overflows to infinity fails the parse, naming the range."""
        def convert(s, loc, t):
            value = float(t[0])
            if not math.isfinite(value):
                raise pp.ParseFatalException(s, loc, describe_range(what, bounds))
            return value

        element = pp.Regex(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
        return element.set_name("number").set_parse_action(convert)

    integer = integer_for("tier", TIER_RANGE)
    string = pp.QuotedString('"', esc_char="\\", multiline=False).set_name("quoted string")
    triple = pp.QuotedString('"""', multiline=True).set_name('"""query"""')

    # word lists: "[" [ item { "," item } [","] ] "]"
    weight_loc = pp.Empty().set_parse_action(lambda s, loc, t: _at(s, loc))
    item = pp.Group(string + pp.Opt(lit(":") - weight_loc + number_for("a word weight",
                                                                       WEIGHT_RANGE)))
    item = item.set_name("word")
    # each item: (term, weight or None, where the weight starts or -1)
    item.set_parse_action(lambda t: ((t[0][0], float(t[0][2]), t[0][1]) if len(t[0]) > 1
                                     else (t[0][0], None, -1)))
    wordlist = (lit("[") - pp.Opt(pp.DelimitedList(item, allow_trailing_delim=True)) - lit("]"))
    wordlist = wordlist.set_name("word list")

    def make_wordlist(s, loc, t):
        items = tuple((term, weight) for term, weight, _ in t)
        return WordList(items, loc=_at(s, loc), weight_locs=tuple(at for _, _, at in t))

    wordlist.set_parse_action(make_wordlist)
    classref = (not_option + ident).set_name("word class")
    classref.set_parse_action(lambda s, loc, t: ClassRef(t[0], loc=_at(s, loc)))
    cue = (wordlist | classref).set_name("word class or word list")
    cuelist = pp.Group(pp.DelimitedList(cue)).set_name("word classes")
    cuelist.set_parse_action(lambda t: tuple(t[0]))

    # concept expressions
    label_name = ((~pp.MatchFirst([K(k) for k in sorted(_LABEL_EXCLUDE)]) + ident) | string)
    label_name = label_name.set_name("concept label")
    tier_label = (S(K("tier")) + integer + S(K("label")) - label_name).set_name("tier N label L")
    tier_label.set_parse_action(lambda s, loc, t: Label(t[1], tier=t[0], loc=_at(s, loc)))
    plain_label = label_name.copy().set_parse_action(lambda s, loc, t: Label(t[0], loc=_at(s, loc)))
    labelref = (tier_label | plain_label).set_name("concept label")
    tier = (S(K("tier")) - integer).set_name("tier N")
    tier.set_parse_action(lambda s, loc, t: Tier(t[0], loc=_at(s, loc)))
    under = (S(K("under")) - labelref).set_name("under L")
    under.set_parse_action(lambda s, loc, t: Under(t[0], loc=_at(s, loc)))
    sparql = (S(K("sparql")) - (triple | string)).set_name("sparql query")
    sparql.set_parse_action(lambda s, loc, t: Sparql(t[0], loc=_at(s, loc)))
    setref = pp.Regex(r"@" + _IDENT_RE).set_name("@set")
    setref.set_parse_action(lambda s, loc, t: SetRef(t[0][1:], loc=_at(s, loc)))
    allc = S(K("all")).set_name("all").set_parse_action(lambda s, loc, t: AllConcepts(loc=_at(s, loc)))
    cexpr = pp.Forward().set_name("concepts")
    atom = (lit("(") - cexpr - lit(")")) | tier_label | tier | under | sparql | setref | allc
    atom = (atom | plain_label).set_name("concepts")

    def fold(s, loc, t):
        items = list(t)
        acc = items[0]
        for i in range(1, len(items), 2):
            acc = BinOp(items[i], acc, items[i + 1], loc=_at(s, loc))
        return acc

    amp = pp.Literal("&").set_name("'&'")
    term = (atom + pp.ZeroOrMore(amp - atom)).set_name("concepts")
    term.set_parse_action(fold)
    binop = pp.Literal("|").set_name("'|'") | pp.Literal("-").set_name("'-'")
    cexpr <<= (term + pp.ZeroOrMore(binop - term)).set_parse_action(fold)

    # rules
    semi = lit(";")
    opts = []
    for opt, typ in OPTIONS.items():
        if typ in ("int", "num"):
            value = (integer_for if typ == "int" else number_for)(opt, RANGES[opt])
        else:
            value = {"cues": cuelist, "words": wordlist, "concept": labelref,
                     "action": pp.MatchFirst([K(a) for a in ACTIONS]).set_name(
                         "flip, dampen or mark")}[typ]
        el = (K(opt) - value).set_name(f"{opt} option")
        el.set_parse_action(lambda s, loc, t: (t[0], t[1], _at(s, loc)))
        opts.append(el)
    option = pp.MatchFirst(opts).set_name("an option")
    kind = pp.MatchFirst([K(k) for k in KINDS]).set_name("rule kind (" + ", ".join(KINDS) + ")")
    on = (S(K("on")) - cexpr).set_name("on <concepts>")
    end = (on - semi | semi).set_name("an option, 'on' or ';'")
    rule = (S(K("rule")) - name - lit(":") - kind - pp.Group(pp.ZeroOrMore(option))
            - pp.Group(end)).set_name("rule")

    def make_rule(s, loc, t):
        options = tuple((k, v) for k, v, _ in t[2])
        locs = tuple((k, l) for k, _, l in t[2])
        concepts = t[3][0] if len(t[3]) else None
        return Rule(t[0], t[1], options, concepts, loc=_at(s, loc), option_locs=locs)

    rule.set_parse_action(make_rule)
    op = (pp.Literal("+=") | pp.Literal("=")).set_name("'=' or '+='")
    classdef = (S(K("class")) - class_name - op - wordlist - semi).set_name("class definition")
    classdef.set_parse_action(lambda s, loc, t: ClassDef(t[0], t[1], t[2], loc=_at(s, loc)))
    setdef = (S(K("set")) - name - lit("=") - cexpr - semi).set_name("set definition")
    setdef.set_parse_action(lambda s, loc, t: SetDef(t[0], t[1], loc=_at(s, loc)))
    idiom = (S(K("idiom")) - name - lit(":") - wordlist - lit("->") - labelref
             - semi).set_name("idiom")
    idiom.set_parse_action(lambda s, loc, t: Idiom(t[0], t[1], t[2], loc=_at(s, loc)))
    # inference statements ("infer NAME: KIND ... [on <concepts>] [when <condition>];")
    iopts = []
    for opt, typ in INFER_OPTIONS.items():
        if typ == "num":
            value = number_for(opt, INFER_RANGES[opt])
        elif typ == "relation":
            value = pp.Regex(r"(?:tone:)?" + _IDENT_RE).set_name("relation (e.g. tone:isComposedOf)")
        else:
            value = pp.MatchFirst([K(w) for w in typ]).set_name(" or ".join(typ))
        el = (K(opt) - value).set_name(f"{opt} option")
        el.set_parse_action(lambda s, loc, t: (t[0], t[1], _at(s, loc)))
        iopts.append(el)
    ioption = pp.MatchFirst(iopts).set_name("an option")
    ikind = pp.MatchFirst([K(k) for k in INFER_KINDS]).set_name(
        "inference kind (" + ", ".join(INFER_KINDS) + ")")
    cmp_op = pp.MatchFirst([pp.Literal(o) for o in CMP_OPS]).set_name("'<', '>', '<=' or '>='")
    vad = (pp.MatchFirst([K(d) for d in VAD_DIMS]) - cmp_op
           - number_for("a VAD threshold", VAD_RANGE)).set_name("VAD test")
    vad.set_parse_action(lambda s, loc, t: VadCmp(t[0], t[1], t[2], loc=_at(s, loc)))
    score = (S(K("score")) - lit("(") - cexpr - lit(")") - cmp_op
             - number_for("a score threshold", SCORE_RANGE)).set_name(
        "score(<concepts>) test")
    score.set_parse_action(lambda s, loc, t: ScoreCmp(t[0], t[1], t[2], loc=_at(s, loc)))
    anyof = (S(K("any")) - lit("(") - cexpr - lit(")")).set_name("any(<concepts>)")
    anyof.set_parse_action(lambda s, loc, t: AnyOf(t[0], loc=_at(s, loc)))
    cond = pp.Forward().set_name("condition")
    catom = pp.Forward().set_name("condition")
    negated = (S(K("not")) - catom).set_parse_action(lambda s, loc, t: NotOp(t[0], loc=_at(s, loc)))
    catom <<= (negated | (lit("(") - cond - lit(")")) | vad | score | anyof).set_name("condition")

    def bfold(s, loc, t):
        items = list(t)
        acc = items[0]
        for i in range(1, len(items), 2):
            acc = BoolOp(items[i], acc, items[i + 1], loc=_at(s, loc))
        return acc

    conj = (catom + pp.ZeroOrMore(K("and") - catom)).set_name("condition")
    conj.set_parse_action(bfold)
    cond <<= (conj + pp.ZeroOrMore(K("or") - conj)).set_parse_action(bfold)
    ion = pp.Group(pp.Opt(S(K("on")) - cexpr)).set_name("on <concepts>")
    iwhen = pp.Group(pp.Opt(S(K("when")) - cond)).set_name("when <condition>")
    iend = (ion + iwhen + semi).set_name("an option, 'on', 'when' or ';'")
    infer = (S(K("infer")) - name - lit(":") - ikind - pp.Group(pp.ZeroOrMore(ioption))
             - iend).set_name("infer statement")

    def make_infer(s, loc, t):
        options = tuple((k, v) for k, v, _ in t[2])
        locs = tuple((k, l) for k, _, l in t[2])
        concepts = t[3][0] if len(t[3]) else None
        condition = t[4][0] if len(t[4]) else None
        return Infer(t[0], t[1], options, concepts, condition, loc=_at(s, loc), option_locs=locs)

    infer.set_parse_action(make_infer)
    what = "'rule', 'infer', 'idiom', 'class' or 'set'"
    statement = (rule | infer | idiom | classdef | setdef).set_name(what)
    grammar = pp.ZeroOrMore(statement) + pp.StringEnd().set_name(what)
    grammar = grammar.set_name("rule file")
    grammar.ignore(comment)
    _fix_whitespace(grammar)
    grammar.parse_with_tabs()  # keep tabs: locations are character offsets into the file
    return grammar


_GRAMMAR: pp.ParserElement | None = None


def _grammar() -> pp.ParserElement:
    global _GRAMMAR
    if _GRAMMAR is None:
        _GRAMMAR = _build()
    return _GRAMMAR


def format_error(message: str, text: str, loc: int, path: str | None = None) -> RuleSyntaxError:
    """A :class:`RuleSyntaxError` at character ``loc`` (kept for callers of the old name; see
    :func:`tone.ruleslang.locations.error_at`). Shown, it gives the line and a caret.

    >>> print(format_error("unknown word class 'negatr'", "rule a: negate cues negatr;", 20))
    1:21: unknown word class 'negatr'
      rule a: negate cues negatr;
                          ^
    """
    return error_at(message, text, loc, path)


def parse_text(text: str, path: str | None = None) -> RuleFile:
    """Parse rule text into a :class:`RuleFile`.

    Raises :class:`~tone.errors.RuleSyntaxError` (located, with the offending line) when the
    text does not follow the grammar or a statement's options break its kind's structure
    (unknown or repeated option, missing ``cues``...); :class:`TypeError` when ``text`` is not
    a ``str``. Names are not resolved here (see :mod:`tone.ruleslang.concepts`)."""
    if not isinstance(text, str):
        raise TypeError("rule text must be str")
    try:
        result = _grammar().parse_string(text, parse_all=True)
    except pp.ParseBaseException as err:
        found = _found(text, err.loc)
        msg = err.msg
        if msg.startswith("Expected "):
            msg = "expected " + msg[len("Expected "):]
        raise format_error(f"{msg}, found {found}", text, err.loc, path) from None
    except RecursionError:
        raise format_error("expression nested too deeply", text, 0, path) from None
    rf = RuleFile(tuple(result), text=text, path=path)
    _check_structure(rf)
    return rf


def _found(text: str, loc: int) -> str:
    if loc >= len(text):
        return "end of file"
    import re

    m = re.match(r'[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[A-Za-z0-9_]+'
                 r'|"[^"\n]{0,20}"?|\S', text[loc:loc + 200])
    found = m.group(0) if m else text[loc]
    return repr(found if len(found) <= 40 else found[:37] + "...")


def _check_structure(rf: RuleFile) -> None:
    """Checks that need no word classes or ontology: options allowed per kind, no repeats."""
    for st in rf.statements:
        if isinstance(st, Infer):
            _check_infer(rf, st)
            continue
        if not isinstance(st, Rule):
            continue
        allowed = KINDS[st.kind]
        seen: set[str] = set()
        for key, value in st.options:
            if key not in allowed:
                raise rf.error(f"rule {st.name!r}: a {st.kind} rule has no option {key!r} "
                               f"(allowed: {', '.join(allowed)})", st.option_loc(key))
            if key in seen:
                raise rf.error(f"rule {st.name!r}: option {key!r} given twice", st.option_loc(key))
            seen.add(key)
            if OPTIONS[key] == "num" and not math.isfinite(value):
                raise rf.error(f"rule {st.name!r}: {describe_range(key, RANGES[key])}",
                               st.option_loc(key))
        if "to" in seen and st.option("action", "flip") != "flip":
            raise rf.error(f"rule {st.name!r}: option 'to' needs action flip",
                           st.option_loc("to"))
        if "cues" in allowed and "cues" not in seen:
            raise rf.error(f"rule {st.name!r}: a {st.kind} rule needs 'cues'", st.loc)
        for req in ("factor", "per"):
            if req in allowed and req not in seen and st.kind not in ("negate",):
                raise rf.error(f"rule {st.name!r}: a {st.kind} rule needs {req!r}", st.loc)


def _check_infer(rf: RuleFile, st: Infer) -> None:
    allowed = INFER_KINDS[st.kind]
    seen: set[str] = set()
    for key, value in st.options:
        if key not in allowed:
            raise rf.error(f"infer {st.name!r}: a {st.kind} rule has no option {key!r} "
                           f"(allowed: {', '.join(allowed)})", st.option_loc(key))
        if key in seen:
            raise rf.error(f"infer {st.name!r}: option {key!r} given twice", st.option_loc(key))
        seen.add(key)
        if INFER_OPTIONS[key] == "num" and not math.isfinite(value):
            raise rf.error(f"infer {st.name!r}: {describe_range(key, INFER_RANGES[key])}",
                           st.option_loc(key))


def parse_file(path) -> RuleFile:
    """Parse a rule file (UTF-8); errors name ``path:line:col``.

    Raises :class:`~tone.errors.RuleSyntaxError`: what :func:`parse_text` raises, and when the
    file cannot be read or is not UTF-8 (located at the path only)."""
    from pathlib import Path

    p = Path(path)
    try:
        # bytes, not read_text: universal newlines would turn a lone \r into a line break the
        # file does not have for other tools (lines are counted at \n only; \r is whitespace)
        text = read_data_file(p).decode("utf-8")
    except UnicodeDecodeError as err:
        raise RuleSyntaxError(f"not UTF-8 at byte {err.start}", path=str(p)) from None
    except OSError as err:
        raise RuleSyntaxError(f"cannot read the rule file: {err.strerror or err}",
                              path=str(p)) from None
    return parse_text(text, path=str(p))
