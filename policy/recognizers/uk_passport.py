"""UK_PASSPORT (GOV_ID): a UK passport number, 9 digits (older: 2 letters and 7 digits).

No check digit in the printed number, and 9 digits are everywhere, so a context word is
required ("passport", "HMPO"). Replaces Presidio's UkPassportRecognizer, which knows the
letter form only and scores 0.45 at most, below the threshold.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from policy.recognizers._patterns import CASE_SENSITIVE_FLAGS


class UkPassportDigitsRecognizer(PatternRecognizer):
    PATTERNS = [
        Pattern("UK passport, 9 digits (needs context)", r"(?<![\w.-])\d{9}(?![\w-]|\.\d)", 0.2),
        Pattern("UK passport, letters (needs context)", r"\b[A-Z]{2}\d{7}\b", 0.2),
    ]
    CONTEXT = ["passport", "hmpo"]

    def __init__(self, supported_language: str = "en", name: str | None = None) -> None:
        super().__init__(supported_entity="UK_PASSPORT", patterns=self.PATTERNS, context=self.CONTEXT,
                         supported_language=supported_language, name=name,
                         global_regex_flags=CASE_SENSITIVE_FLAGS)
