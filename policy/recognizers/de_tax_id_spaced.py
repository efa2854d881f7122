"""DE_TAX_ID (GOV_ID), grouped as printed: "12 345 678 901" (Steuerliche Identifikationsnummer).

Presidio's DeTaxIdRecognizer finds the compact form only. Same checks as the official
rule: first digit not 0, in the first ten digits one digit occurs two or three times and
no digit more, and the 11th is the ISO 7064 MOD 11,10 check digit. A context word is
needed: grouped 11-digit numbers are also phone numbers.
"""

from __future__ import annotations

from collections import Counter

from presidio_analyzer import Pattern, PatternRecognizer

from policy.recognizers._patterns import CASE_SENSITIVE_FLAGS, digits_of


def steuer_id_is_valid(digits: str) -> bool:
    if len(digits) != 11 or not digits.isdigit() or digits[0] == "0":
        return False
    counts = Counter(digits[:10]).values()
    if max(counts) > 3 or sum(1 for c in counts if c > 1) != 1:
        return False
    product = 10
    for d in digits[:10]:
        total = (int(d) + product) % 10 or 10
        product = (total * 2) % 11
    return (11 - product) % 10 == int(digits[10])


class DeTaxIdSpacedRecognizer(PatternRecognizer):
    PATTERNS = [Pattern("Steuer-ID grouped (needs context)", r"(?<![\w-])[1-9]\d \d{3} \d{3} \d{3}(?![\w-])", 0.2)]
    CONTEXT = ["steuer", "steuerid", "idnr", "identifikationsnummer", "tax", "finanzamt", "elster"]

    def __init__(self, supported_language: str = "en", name: str | None = None) -> None:
        super().__init__(supported_entity="DE_TAX_ID", patterns=self.PATTERNS, context=self.CONTEXT,
                         supported_language=supported_language, name=name,
                         global_regex_flags=CASE_SENSITIVE_FLAGS)

    def validate_result(self, pattern_text: str) -> bool | None:
        return None if steuer_id_is_valid(digits_of(pattern_text)) else False
