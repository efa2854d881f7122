"""NATIONAL_ID_NUMBER (GOV_ID): a national identity or voter number right after its label.

"Aadhaar number '9876 5432 1001'", "national ID: 880101-1234567", "voter ID VOTER1985746321".
Country recognizers check their formats (PESEL, NIR, BSN, personnummer ...); this one
knows the label. The value needs 6 digits or more.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from policy.recognizers._patterns import CASE_SENSITIVE_FLAGS, LABEL_GAP

_LABEL = (r"(?i:\b(?:national\s+(?:id(?:entity)?|identification|insurance|registration)(?:\s+card)?|"
          r"identity\s+card|id\s+card|voter(?:'?s)?\s+(?:id|card)|aadhaa?r|citizen(?:ship)?\s+(?:id|number)|"
          r"personal\s+(?:id|identity|identification)|social\s+insurance|personnummer|henkilötunnus|"
          r"cpr|dni|nie|cnp|egn|oib|emšo|amka|pps|ppsn))")
_QUOTE = r"[\"'‘“]?"
_VALUE = r"(?=(?:[A-Z -]*\d){6})[A-Z0-9](?:[A-Z0-9]|[ -](?=[A-Z0-9])){5,23}(?![\w-])"


class NationalIdNumberRecognizer(PatternRecognizer):
    PATTERNS = [Pattern("national ID after its label", rf"(?<={_LABEL}{LABEL_GAP}{_QUOTE}){_VALUE}", 0.6)]

    def __init__(self, supported_language: str = "en", name: str | None = None) -> None:
        super().__init__(supported_entity="NATIONAL_ID_NUMBER", patterns=self.PATTERNS, context=[],
                         supported_language=supported_language, name=name,
                         global_regex_flags=CASE_SENSITIVE_FLAGS)
