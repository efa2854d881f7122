"""NL_BSN (GOV_ID): the Dutch citizen service number (burgerservicenummer).

9 digits (older ones 8, written with a leading 0) passing the "11-proof":
9·d1 + 8·d2 + ... + 2·d8 - 1·d9 ≡ 0 (mod 11). One random 9-digit number in 11 passes,
so the number needs a context word ("BSN", "burgerservicenummer", "sofinummer").
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from policy.recognizers._patterns import CASE_SENSITIVE_FLAGS, digits_of


class NlBsnRecognizer(PatternRecognizer):
    PATTERNS = [
        Pattern("BSN (needs context)", r"(?<![\w.-])\d{4}[ .]?\d{2}[ .]?\d{3}(?![\w-]|\.\d)", 0.2),
        Pattern("BSN grouped 3-3-3 (needs context)", r"(?<![\w.-])\d{3}[ .]\d{3}[ .]\d{3}(?![\w-]|\.\d)", 0.2),
    ]
    CONTEXT = ["bsn", "burgerservicenummer", "burgerservice", "sofinummer", "sofi", "citizen service"]

    def __init__(self, supported_language: str = "en", name: str | None = None) -> None:
        super().__init__(supported_entity="NL_BSN", patterns=self.PATTERNS, context=self.CONTEXT,
                         supported_language=supported_language, name=name,
                         global_regex_flags=CASE_SENSITIVE_FLAGS)

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = digits_of(pattern_text)
        if len(digits) != 9 or digits == "000000000":
            return False
        total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1)))
        return None if total % 11 == 0 else False
