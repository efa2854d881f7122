"""Helpers shared by our PatternRecognizer subclasses: flags, labels, check digits."""

from __future__ import annotations

import re

# Presidio's default flags without IGNORECASE: identifier shapes are case-sensitive
# ([A-Z] means a capital); labels use inline (?i:...).
CASE_SENSITIVE_FLAGS = re.DOTALL | re.MULTILINE
# Between a label and its value: "number is", ":", "#", "no.", or just a space. Every run
# of spaces is bounded: inside a lookbehind, unbounded \s* next to \s+ backtracks
# cubically over a long run of spaces (a 1,000-space message took 28 s).
_SPACES = r"\s{0,3}"
_SPACE = r"\s{1,3}"
LABEL_GAP = rf"{_SPACES}(?:(?i:number|num|no\.?|nr\.?|#|id){_SPACES})?(?:(?i:is|was){_SPACE}|[:#=]{_SPACES}|-{_SPACE}|{_SPACE})"


def lower_keeping_offsets(text: str) -> str:
    """text.lower(), except that a character whose lower case is longer ("İ" becomes "i̇")
    stays as it is, so that an offset into the result is an offset into `text`."""
    lowered = text.lower()
    if len(lowered) == len(text):  # no character grew, and none ever shrinks
        return lowered
    return "".join(low if len(low := c.lower()) == 1 else c for c in text)


def digits_of(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def icao_check_digit(chars: str) -> int:
    """ICAO 9303 check digit: weights 7, 3, 1; digits as themselves, A=10 ... Z=35, '<' = 0."""
    total = 0
    for i, c in enumerate(chars):
        if c.isdigit():
            value = int(c)
        elif "A" <= c <= "Z":
            value = ord(c) - ord("A") + 10
        elif c == "<":
            value = 0
        else:
            raise ValueError("not an ICAO character")
        total += value * (7, 3, 1)[i % 3]
    return total % 10
