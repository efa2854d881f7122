"""Prechecks: skip a recognizer on a text it cannot match, for the same findings at less cost.

Most pattern recognizers need digits: an SSN has nine, an NHS number ten, a card twelve or
more, and half of all chat messages have none. `required_digits` reads a pattern with
`re`'s own parser and returns the fewest digits any match must contain. Our label patterns
open with a lookbehind, "(?<=passport number:\\s)VALUE", which `regex` tries backwards at
every position of the text; one forward search for the label costs a tenth of that, and a
text without the label cannot match. A plain pattern recognizer is skipped on a text that
none of its patterns can match. Three recognizers get a precheck of their own:

    PhoneRecognizer   phonenumbers accepts no valid number shorter than the shortest its
                      metadata allows (4 digits, in Germany), national or international
    UrlRecognizer     every pattern holds `[a-z0-9.\\-]{1,253}[.](?:com|…)`, so a text
                      without a dot between such a character and a letter has no URL
    ItFiscalCodeRecognizer  a code is 16 letters and digits in a row

A precheck only ever skips work whose result would have been empty:
tests/policy/test_prechecks.py compares gated and ungated analysis.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import regex

from policy.recognizers._base import once_per_analysis

# Count with the engine that matches: `regex` knows digits of newer Unicode than `re`.
_DIGIT = regex.compile(r"\d")
# Syntax that `re` parses but reads differently from `regex`: fuzzy matching ("{e<=1}",
# "{1<=e<=2}", "{2i+2d+1s<=4}"), regex-only inline flags (V1, f, b, e, r, w, p), POSIX classes.
_REGEX_ONLY_SYNTAX = re.compile(r"(?<!\\)\{[^}]*[eisd][^}]*\}|\(\?[a-zA-Z0-9-]*[Vfberwp]|\[\[:")
# `regex` flags that `re` does not know (V1 has the value of re.ASCII, so `re` would accept it).
_REGEX_ONLY_FLAGS = (regex.V1 | regex.FULLCASE | regex.REVERSE | regex.WORD | regex.POSIX | regex.BESTMATCH
                     | regex.ENHANCEMATCH)
# A label is searched forwards, while `regex` matches a lookbehind backwards: the two find the
# same strings (lookarounds inside are assertions about a position either way) only without
# atomic groups, possessive quantifiers, backreferences, conditionals, recursion, branch
# resets, comments or scoped verbose mode.
_DIRECTIONAL_OR_OPAQUE = re.compile(
    r"\(\?(?:>|P=|P>|\(|\||R|&|[0-9+]|-[0-9]|#|[a-zA-Z-]*x)|[*+?}]\+|\\[1-9gGkK]")
# Presidio compiles its URL patterns with IGNORECASE (and their own `(?i)`), with `regex`.
# Every character of an Italian fiscal code pattern is a letter or a digit, also under
# IGNORECASE (the Kelvin sign and long s fold into it, and both are letters).
_SIXTEEN_ALPHANUMERICS = regex.compile(r"[^\W_]{16}")
# Comments and scoped verbose mode may hold brackets and bars that are not syntax.
_COMMENT_OR_VERBOSE = re.compile(r"\(\?#|\(\?[a-zA-Z-]*x")
_GLOBAL_INLINE_FLAGS = re.compile(r"\(\?[a-zA-Z0-9]+\)")
_URL_DOMAIN_DOT = regex.compile(r"[a-z0-9.\-][.][a-z]", flags=regex.IGNORECASE)

Precheck = Callable[[str, object], bool]  # (text, nlp_artifacts or None)


def install_prechecks(recognizers: Iterable) -> dict[str, str]:
    """Wrap `analyze` of every recognizer that has a precheck; returns {name: precheck} for the log."""
    from presidio_analyzer import PatternRecognizer
    from presidio_analyzer.predefined_recognizers import ItFiscalCodeRecognizer, PhoneRecognizer, UrlRecognizer

    installed: dict[str, str] = {}
    for recognizer in recognizers:
        if type(recognizer) is PhoneRecognizer:
            digits = phone_min_digits(recognizer.supported_regions)
            _gate(recognizer, _has_digits(digits))
            installed[recognizer.name] = f">= {digits} digits"
        elif type(recognizer) is UrlRecognizer:
            _gate(recognizer, lambda text, _: _URL_DOMAIN_DOT.search(text) is not None)
            installed[recognizer.name] = "a domain-like dot"
        elif type(recognizer) is ItFiscalCodeRecognizer:
            _gate(recognizer, lambda text, _: _SIXTEEN_ALPHANUMERICS.search(text) is not None)
            installed[recognizer.name] = "16 letters and digits in a row"
        elif type(recognizer).analyze is PatternRecognizer.analyze and recognizer.patterns:
            # Only plain pattern recognizers: a subclass's own analyze may find more than its patterns.
            needs = [PatternNeeds.of(pattern.regex, recognizer.global_regex_flags or 0) for pattern in recognizer.patterns]
            if all(need.skips_anything for need in needs):
                _gate(recognizer, _any_possible(needs))
                if any(need.label for need in needs):
                    installed[recognizer.name] = " or ".join(dict.fromkeys(str(need) for need in needs))
                else:
                    installed[recognizer.name] = f">= {min(need.digits for need in needs)} digits"
    return installed


@dataclass(frozen=True)
class PatternNeeds:
    """What any match of a pattern needs: a number of digits, and the label its lookbehind opens with."""

    digits: int
    label: regex.Pattern | None

    @classmethod
    def of(cls, pattern: str, flags: int = 0) -> PatternNeeds:
        if flags & _REGEX_ONLY_FLAGS:
            return cls(0, None)
        # A global inline flag anywhere, "(?i)", applies to the whole pattern in `regex`, so the
        # label alone could read differently; VERBOSE comments may hold brackets.
        readable = not (_GLOBAL_INLINE_FLAGS.search(pattern) or _REGEX_ONLY_SYNTAX.search(pattern)
                        or _COMMENT_OR_VERBOSE.search(pattern) or flags & regex.VERBOSE)
        label = leading_lookbehind(pattern) if readable else None
        if label is not None and _DIRECTIONAL_OR_OPAQUE.search(label):
            label = None
        try:
            compiled = regex.compile(label, flags) if label is not None else None
        except regex.error:
            compiled = None
        return cls(required_digits(pattern, flags), compiled)

    @property
    def skips_anything(self) -> bool:
        return self.digits > 0 or self.label is not None

    def __str__(self) -> str:
        return " and ".join(filter(None, ["its label" if self.label else "", f">= {self.digits} digits" if self.digits else ""]))


def _any_possible(needs: list[PatternNeeds]) -> Precheck:
    def precheck(text: str, nlp_artifacts) -> bool:
        return any(
            (need.digits == 0 or _digit_count(text, nlp_artifacts) >= need.digits)
            and (need.label is None or need.label.search(text) is not None)
            for need in needs
        )

    return precheck


def leading_lookbehind(pattern: str) -> str | None:
    """X when every match of `pattern` follows a match of X: it opens with the lookbehind
    (?<=X) and has no alternative at its top level ("(?<=X)a|b" matches "b" anywhere).

    A text in which a forward search finds no X at all then holds no match.
    """
    if not pattern.startswith("(?<="):
        return None
    closes = _top_level_end(pattern, 4)
    if closes is None or pattern[closes + 1 : closes + 2] in ("?", "*", "+", "{"):  # "(?<=X)?": optional
        return None
    if _top_level_end(pattern, closes + 1, stop_at_bar=True) is not None:
        return None
    return pattern[4:closes]


def _top_level_end(pattern: str, start: int, *, stop_at_bar: bool = False) -> int | None:
    """From `start`, inside one open group: the index of the ")" closing it, or with
    `stop_at_bar` of a "|" outside any group (the pattern's end counts as closing it)."""
    depth, i = 1, start
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i = _class_end(pattern, i)
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0 and not stop_at_bar:
                return i
        elif char == "|" and depth == 1 and stop_at_bar:
            return i
        i += 1
    return None


def _class_end(pattern: str, start: int) -> int:
    """Index of the "]" closing the character class opened at `start` ("[]a]" and "[^]a]" hold a "]")."""
    i = start + 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i


def required_digits(pattern: str, flags: int = 0) -> int:
    """The fewest decimal digits any match of `pattern` contains; 0 when unsure.

    `flags` are `re`/`regex` flags (their values agree); VERBOSE changes what is a literal.
    """
    import re._parser as parser

    if _REGEX_ONLY_SYNTAX.search(pattern) or flags & _REGEX_ONLY_FLAGS:
        return 0
    try:
        return _min_digits(parser.parse(pattern, flags))
    except (re.error, RecursionError, TypeError, ValueError):
        return 0  # syntax only `regex` knows: never skip


def phone_min_digits(regions: Iterable[str]) -> int:
    """Digits in the shortest valid number, national in `regions` or international from anywhere."""
    import phonenumbers
    from phonenumbers import PhoneMetadata
    from phonenumbers.phonenumberutil import SUPPORTED_REGIONS

    def shortest(region: str) -> int | None:
        metadata = PhoneMetadata.metadata_for_region(region)
        lengths = [n for n in metadata.general_desc.possible_length if n > 0] if metadata else []
        return min(lengths) if lengths else None

    national = [n for n in map(shortest, regions) if n]
    international = [
        len(str(phonenumbers.country_code_for_region(region))) + n
        for region in SUPPORTED_REGIONS
        if (n := shortest(region))
    ]
    return max(1, min(national + international))


def _has_digits(count: int) -> Precheck:
    def precheck(text: str, nlp_artifacts) -> bool:
        return _digit_count(text, nlp_artifacts) >= count

    return precheck


def _digit_count(text: str, nlp_artifacts) -> int:
    """Digits in `text`, counted once for all recognizers analysing it."""
    return once_per_analysis(text, nlp_artifacts, "digits", lambda t: len(_DIGIT.findall(t)))


def _gate(recognizer, precheck: Precheck) -> None:
    analyze = recognizer.analyze

    def analyze_if_possible(text, entities, nlp_artifacts=None, *args, **kwargs):
        return analyze(text, entities, nlp_artifacts, *args, **kwargs) if precheck(text, nlp_artifacts) else []

    recognizer.analyze = analyze_if_possible


def _min_digits(items) -> int:
    import re._constants as c

    total = 0
    for op, av in items:
        if op is c.LITERAL:
            total += _is_digit_code(av)
        elif op is c.IN:
            total += _class_is_digits(av)
        elif op is c.SUBPATTERN:
            total += _min_digits(av[-1])
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            total += av[0] * _min_digits(av[2])
        elif op is c.BRANCH:
            total += min(_min_digits(branch) for branch in av[1])
        elif op is c.ATOMIC_GROUP:
            total += _min_digits(av)
        # Anything else (anchors, lookarounds, ".", negated characters, backreferences)
        # guarantees no digit.
    return total


def _class_is_digits(items) -> bool:
    import re._constants as c

    if not items:
        return False
    for op, av in items:
        if op is c.CATEGORY and av is c.CATEGORY_DIGIT:
            continue
        if op is c.RANGE and _is_digit_code(av[0]) and _is_digit_code(av[1]):
            continue
        if op is c.LITERAL and _is_digit_code(av):
            continue
        return False  # NEGATE, letters, other categories…
    return True


def _is_digit_code(code: int) -> bool:
    return 0x30 <= code <= 0x39
