"""CREDIT_CARD (PCI): a Luhn-valid 12 to 19 digit number right after "card" or "card number".

Presidio's CreditCardRecognizer knows the common prefixes and lengths; Maestro (12-19
digits), JCB 2131/1800 (15) and 19-digit Visa numbers slip through it. After a card label
("card number 630427373398", "my card 4030 8743 9774 0603 788") the Luhn check is
enough: a valid number keeps the pattern's 0.9, an invalid one is dropped. (Not 1.0: where
Presidio's recognizer finds the same span at 1.0, its finding wins deterministically.)
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from policy.recognizers._patterns import digits_of

_LABEL = r"(?i:\b(?:card|credit\s+card|debit\s+card|kreditkarte|carte|tarjeta|carta)(?:\s*(?:number|no\.?|num|#|nr\.?))?)"


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


class LabelledCardNumberRecognizer(PatternRecognizer):
    PATTERNS = [
        Pattern("card number after its label",
                rf"(?<={_LABEL}\s*(?:(?i:is|was|ending)\s+|[:#=]\s*|\s+))\d(?:[ -]?\d){{11,18}}(?![\w-])", 0.9),
    ]

    def __init__(self, supported_language: str = "en", name: str | None = None) -> None:
        super().__init__(supported_entity="CREDIT_CARD", patterns=self.PATTERNS, context=[],
                         supported_language=supported_language, name=name)

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = digits_of(pattern_text)
        return None if 12 <= len(digits) <= 19 and luhn_is_valid(digits) else False
