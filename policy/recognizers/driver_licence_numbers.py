"""DRIVER_LICENSE_NUMBER (GOV_ID): any country's driving licence number right after its label.

"my driver's license number is 2270-66-1551", "driver license ID 567-890-123",
"DL: US98765432". Country recognizers check formats (UK_DRIVING_LICENCE, IT_DRIVER_LICENSE);
Presidio's US one scores bare numbers 0.01-0.4. This one knows the label; the value is
5 to 20 capitals, digits and dashes with at least 4 digits.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from policy.recognizers._patterns import CASE_SENSITIVE_FLAGS, LABEL_GAP

_LABEL = (r"(?i:\b(?:driver'?s?\s+licen[cs]e|driving\s+licen[cs]e|licen[cs]e\s+(?=number|no\b)|"
          r"f[üu]hrerschein|permis\s+de\s+conduire|patente(?:\s+di\s+guida)?|carnet\s+de\s+conducir|rijbewijs)|"
          r"\bDL)")
_VALUE = r"(?=(?:[A-Z-]*\d){4})[A-Z0-9](?:[A-Z0-9]|-(?=[A-Z0-9])){4,19}(?![\w-])"


class DriverLicenceNumberRecognizer(PatternRecognizer):
    PATTERNS = [Pattern("licence number after its label", rf"(?<={_LABEL}{LABEL_GAP}){_VALUE}", 0.6)]

    def __init__(self, supported_language: str = "en", name: str | None = None) -> None:
        super().__init__(supported_entity="DRIVER_LICENSE_NUMBER", patterns=self.PATTERNS, context=[],
                         supported_language=supported_language, name=name,
                         global_regex_flags=CASE_SENSITIVE_FLAGS)
