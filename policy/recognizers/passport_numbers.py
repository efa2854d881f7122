"""PASSPORT_NUMBER (GOV_ID): any country's passport number written right after "passport (number)".

Country recognizers know their formats (UK_PASSPORT, DE_PASSPORT, ...); this one knows
the label: "passport number XG9382049", "Passport: P4789023X", "Reisepass-Nr. C01X00T47".
The label is a lookbehind; the value is 6 to 12 capitals and digits with a digit.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from policy.recognizers._patterns import CASE_SENSITIVE_FLAGS, LABEL_GAP

_LABEL = r"(?i:\b(?:passport|reisepass|passeport|pasaporte|passaporto|paspoort|paszport|passport\s+card))"
_VALUE = r"(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z0-9]{6})[A-Z0-9]{6,12}(?![\w-])"


class PassportNumberRecognizer(PatternRecognizer):
    PATTERNS = [Pattern("passport number after its label", rf"(?<={_LABEL}(?:-?(?i:nr\.?))?{LABEL_GAP}){_VALUE}", 0.6)]

    def __init__(self, supported_language: str = "en", name: str | None = None) -> None:
        super().__init__(supported_entity="PASSPORT_NUMBER", patterns=self.PATTERNS, context=[],
                         supported_language=supported_language, name=name,
                         global_regex_flags=CASE_SENSITIVE_FLAGS)
