"""Findings inside a validated IBAN are part of the IBAN, not numbers of their own.

A 16-digit run of a grouped IBAN can pass Luhn ("IT98 O709 3720 9963 1129 6208 043" holds
the card-shaped "3720 9963 1129 6208"), and 11 digits of an IBAN can pass the PESEL
checksum: each would make the prompt a floor category (PCI, GOV_ID) and keep it local,
while an IBAN is personal data the policy lets go to the caller's region. The
recognizers below are Presidio's, with their names, minus results that lie inside an
IBAN that Presidio's IbanRecognizer or our `ibans.py` validates (country format and mod-97).

`without_findings_inside_ibans(text, results)` is the same filter for any list of
results, for a caller that wants it after the analyzer.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.predefined_recognizers import CreditCardRecognizer, IbanRecognizer, PlPeselRecognizer

from policy.recognizers.ibans import iban_spans

# Two letters and two digits: every IBAN starts so; texts without one skip the IBAN pass.
_IBAN_START = re.compile(r"(?i)\b[a-z]{2}\d{2}")
_IBAN = IbanRecognizer()


def validated_iban_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of the IBANs in text that pass validation (nothing is cached: texts are not kept):
    Presidio's, and those in the irregular forms of `ibans.py` ("IT33P2615556 1481 ...")."""
    if not _IBAN_START.search(text):
        return ()
    return tuple((r.start, r.end) for r in _IBAN.analyze(text, ["IBAN_CODE"]) if r.score >= 0.5) + iban_spans(text)


def without_findings_inside_ibans(text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
    """Results minus non-IBAN results lying wholly inside a validated IBAN."""
    spans = validated_iban_spans(text)
    if not spans:
        return results
    return [
        r for r in results
        if r.entity_type == "IBAN_CODE" or not any(start <= r.start and r.end <= end for start, end in spans)
    ]


class CreditCardOutsideIbanRecognizer(CreditCardRecognizer):
    """Presidio's CreditCardRecognizer, minus Luhn-valid runs inside a validated IBAN."""

    def __init__(self, supported_language: str = "en", name: str | None = "CreditCardRecognizer") -> None:
        super().__init__(supported_language=supported_language, name=name)

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):  # noqa: D102
        return without_findings_inside_ibans(text, super().analyze(text, entities, nlp_artifacts, regex_flags))


class PlPeselOutsideIbanRecognizer(PlPeselRecognizer):
    """Presidio's PlPeselRecognizer, minus checksum-valid runs inside a validated IBAN."""

    def __init__(self, supported_language: str = "en", name: str | None = "PlPeselRecognizer") -> None:
        super().__init__(supported_language=supported_language, name=name)

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):  # noqa: D102
        return without_findings_inside_ibans(text, super().analyze(text, entities, nlp_artifacts, regex_flags))
