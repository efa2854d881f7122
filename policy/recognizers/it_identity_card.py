"""IT_IDENTITY_CARD (GOV_ID): the Italian identity card number, paper or electronic (CIE).

CIE 3.0: 2 letters, 5 digits, 2 letters ("CA12345AB"); CIE 2.0: 7 digits, 2 letters;
paper card: 2 letters, 7 digits. No check digit, so a context word is needed ("carta
d'identità", "CIE", "identity card"). Replaces Presidio's ItIdentityCardRecognizer,
whose scores (0.01 + 0.35) never reach the threshold.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from policy.recognizers._patterns import CASE_SENSITIVE_FLAGS


class ItCieRecognizer(PatternRecognizer):
    PATTERNS = [
        Pattern("CIE 3.0 (needs context)", r"\b[A-Z]{2}\d{5}[A-Z]{2}\b", 0.2),
        Pattern("CIE 2.0 (needs context)", r"\b\d{7}[A-Z]{2}\b", 0.2),
        Pattern("paper card (needs context)", r"\b[A-Z]{2} ?\d{7}\b", 0.1),
    ]
    CONTEXT = ["identità", "identita", "carta", "cie", "identity", "documento"]

    def __init__(self, supported_language: str = "en", name: str | None = None) -> None:
        super().__init__(supported_entity="IT_IDENTITY_CARD", patterns=self.PATTERNS, context=self.CONTEXT,
                         supported_language=supported_language, name=name,
                         global_regex_flags=CASE_SENSITIVE_FLAGS)
