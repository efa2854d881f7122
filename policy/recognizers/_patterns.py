"""Helpers shared by our PatternRecognizer subclasses: flags, labels, check digits."""

from __future__ import annotations

import re

# Presidio's default flags without IGNORECASE: identifier shapes are case-sensitive
# ([A-Z] means a capital); labels use inline (?i:...).
CASE_SENSITIVE_FLAGS = re.DOTALL | re.MULTILINE
# Between a label and its value: "number is", ":", "#", "no.", or just a space.
LABEL_GAP = r"\s*(?:(?i:number|num|no\.?|nr\.?|#|id)\s*)?(?:(?i:is|was)\s+|[:#=]\s*|-\s+|\s+)"


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
