"""CARD_SECURITY_CODE (PCI): a card's CVV/CVC or a PIN, after its label.

"CVV 878", "security code: 123", "my PIN is 2782". PCI DSS forbids storing these at
all, so they are payment card data as much as the card number. The label is a
lookbehind: the span is the digits alone.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from policy.recognizers._patterns import CASE_SENSITIVE_FLAGS

_GAP = r"\s*(?:(?i:code|number|no\.?)\s*)?(?:(?i:is|was)\s+|[:=#-]\s*|\s+)"


class CardSecurityCodeRecognizer(PatternRecognizer):
    PATTERNS = [
        Pattern("CVV/CVC after its label",
                rf"(?<=(?i:\b(?:cvv2?|cvc2?|cvn|csc|cid|card\s+security\s+code|security\s+code)){_GAP})\d{{3,4}}\b",
                0.7),
        Pattern("PIN after its label", rf"(?<=(?i:\bpin){_GAP})\d{{4,6}}\b", 0.6),
    ]

    def __init__(self, supported_language: str = "en", name: str | None = None) -> None:
        super().__init__(supported_entity="CARD_SECURITY_CODE", patterns=self.PATTERNS, context=[],
                         supported_language=supported_language, name=name,
                         global_regex_flags=CASE_SENSITIVE_FLAGS)
