"""DE_ID_CARD and DE_PASSPORT (GOV_ID): German identity card and passport numbers.

The document number is 9 characters from the ICAO charset C F G H J K L M N P R T V W X Y Z
and digits, as printed on the card. Its check digit is *not* one of the nine: it follows
them in the machine-readable zone. Presidio's recognizers validate the 9th character as
a check digit, so about nine in ten real numbers fail; these replace them. A number
followed by its check digit (10 characters, MRZ style) is validated with ICAO 9303 and
reported at 1.0; a bare 9-character number needs a context word, which also tells the
card ("Personalausweis", "ID card") from the passport ("Reisepass", "passport").
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from policy.recognizers._patterns import CASE_SENSITIVE_FLAGS, icao_check_digit

_CHARSET = "CFGHJKLMNPRTVWXYZ"
# 9 characters, first a letter, at least one digit; optionally the MRZ check digit.
_NUMBER = rf"\b(?=[{_CHARSET}0-9]{{0,8}}\d)[{_CHARSET}][{_CHARSET}0-9]{{8}}(?:\d(?=\b|<))?"


def _validate(pattern_text: str) -> bool | None:
    if len(pattern_text) == 10:  # with the check digit
        return icao_check_digit(pattern_text[:9]) == int(pattern_text[9])
    return None


class DeIdCardIcaoRecognizer(PatternRecognizer):
    PATTERNS = [Pattern("Personalausweis number (needs context)", _NUMBER, 0.2)]
    CONTEXT = ["ausweis", "personalausweis", "perso", "npa", "id", "identity", "identification", "identitätskarte"]

    def __init__(self, supported_language: str = "en", name: str | None = None) -> None:
        super().__init__(supported_entity="DE_ID_CARD", patterns=self.PATTERNS, context=self.CONTEXT,
                         supported_language=supported_language, name=name,
                         global_regex_flags=CASE_SENSITIVE_FLAGS)

    def validate_result(self, pattern_text: str) -> bool | None:
        return _validate(pattern_text)


class DePassportIcaoRecognizer(PatternRecognizer):
    PATTERNS = [Pattern("Reisepass number (needs context)", _NUMBER, 0.2)]
    CONTEXT = ["reisepass", "passport", "passnummer", "reisepassnummer"]

    def __init__(self, supported_language: str = "en", name: str | None = None) -> None:
        super().__init__(supported_entity="DE_PASSPORT", patterns=self.PATTERNS, context=self.CONTEXT,
                         supported_language=supported_language, name=name,
                         global_regex_flags=CASE_SENSITIVE_FLAGS)

    def validate_result(self, pattern_text: str) -> bool | None:
        return _validate(pattern_text)
