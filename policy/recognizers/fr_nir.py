"""FR_NIR (GOV_ID): the French social security number (NIR, "numéro INSEE"), with its key.

15 characters: sex (1/2), year (2), month (01-12, or 20-99 for unknown), department
(2 digits or 2A/2B for Corsica), commune (3), order (3), then a 2-digit key
= 97 - (first 13 digits mod 97), with 2A read as 19 and 2B as 18. Written compact or
grouped "2 66 02 67 143 659 28". The key makes a random 15-digit run pass 1 time in
97, and the structure narrows it further: a valid key alone is reported (0.6), a
context word lifts it.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from policy.recognizers._patterns import CASE_SENSITIVE_FLAGS


class FrNirRecognizer(PatternRecognizer):
    PATTERNS = [
        Pattern(
            "NIR with key",
            r"(?<![\w-])[12] ?\d{2} ?(?:0[1-9]|1[0-2]|[2-9]\d) ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}(?![\w-])",
            0.6,
        ),
    ]
    CONTEXT = ["sécurité", "securite", "sociale", "social", "insee", "nir", "secu", "sécu", "vitale", "cpam", "ameli"]

    def __init__(self, supported_language: str = "en", name: str | None = None) -> None:
        super().__init__(supported_entity="FR_NIR", patterns=self.PATTERNS, context=self.CONTEXT,
                         supported_language=supported_language, name=name,
                         global_regex_flags=CASE_SENSITIVE_FLAGS)

    def validate_result(self, pattern_text: str) -> bool | None:
        # A valid key keeps the pattern's score (None); a wrong one drops the match (False).
        compact = pattern_text.replace(" ", "")
        if len(compact) != 15:
            return False
        body = compact[:13].replace("2A", "19").replace("2B", "18")
        if not body.isdigit():
            return False
        return None if 97 - int(body) % 97 == int(compact[13:]) else False
