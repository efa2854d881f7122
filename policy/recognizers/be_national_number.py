"""BE_NATIONAL_NUMBER (GOV_ID): the Belgian national register number (rijksregisternummer, NISS).

YY.MM.DD-SSS.CC: birth date, a serial (odd for men, even for women) and a check
number 97 - (YYMMDDSSS mod 97); for people born from 2000 on, 2 is put before the
nine digits. The dotted form is distinctive and reported with a valid check (0.6);
eleven bare digits are as common as a DE tax ID or a PESEL, so they need context.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from policy.recognizers._patterns import CASE_SENSITIVE_FLAGS, digits_of


class BeNationalNumberRecognizer(PatternRecognizer):
    PATTERNS = [
        Pattern("national number, dotted", r"(?<![\w.-])\d{2}\.\d{2}\.\d{2}[- ]\d{3}\.\d{2}(?![\w-]|\.\d)", 0.6),
        Pattern("national number, compact (needs context)", r"(?<![\w.-])\d{11}(?![\w-]|\.\d)", 0.2),
    ]
    CONTEXT = ["rijksregister", "rijksregisternummer", "national", "niss", "insz", "registre", "numéro national",
               "belgian", "belge", "belgische"]

    def __init__(self, supported_language: str = "en", name: str | None = None) -> None:
        super().__init__(supported_entity="BE_NATIONAL_NUMBER", patterns=self.PATTERNS, context=self.CONTEXT,
                         supported_language=supported_language, name=name,
                         global_regex_flags=CASE_SENSITIVE_FLAGS)

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = digits_of(pattern_text)
        if len(digits) != 11:
            return False
        month = int(digits[2:4])
        if month > 12 and not 20 <= month <= 52:  # 20-52: bis numbers (foreigners)
            return False
        body, check = int(digits[:9]), int(digits[9:])
        return None if check in (97 - body % 97, 97 - int("2" + digits[:9]) % 97) else False
