"""IBAN_CODE in the forms people type that Presidio's IbanRecognizer misses.

Presidio finds an IBAN written compact or in groups of four. Prompts also carry
"IT33P2615556 1481 934317 41200" (irregular groups), "NL79.INGB.6958.0974.64",
"DE89-3704-0044-...", "de89 3704 ..." and an IBAN whose line breaks were lost. Here a
candidate is two letters, two digits, then 11 to 30 letters or digits with at most one
separator (one or two spaces or tabs, a dot or a dash) between any two; for each length
its country allows, the prefix of that length must

  - fit the country's structure (Presidio's own per-country patterns: letters and digits
    where the registry says),
  - end where the candidate does or at a separator (never inside a word), and
  - pass the ISO 7064 mod-97 check (score 0.95); or, right after the label "IBAN", fail
    only the check (a mistyped IBAN is an account number all the same: score 0.6).

`iban_spans(text)` gives the spans of the valid ones to `iban_nesting`, so that card or
PESEL shapes inside an IBAN in any of these forms are dropped too.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.predefined_recognizers.generic.iban_patterns import regex_per_country

from policy.recognizers._base import OwnRecognizer
from policy.recognizers._lexicon import lexicon_result

IBAN_CODE = "IBAN_CODE"
SCORE_VALID = 0.95
SCORE_MISTYPED = 0.6

_CANDIDATE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}(?:(?:[ \t]{1,2}|[.\-])?[A-Za-z0-9]){11,30}")
_START = re.compile(r"(?i)(?<![a-z0-9])[a-z]{2}\d{2}")
_STRUCTURE = {country: re.compile(pattern.replace("[ ]?", "")) for country, pattern in regex_per_country.items()}
_LABEL_BEFORE = re.compile(r"(?i)\biban\b[^\w\r\n]{0,6}(?:(?:is|no|nr|number)\b[^\w\r\n]{0,3}){0,2}$")


def _mod97_valid(iban: str) -> bool:
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def find_ibans(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, checksum valid) of the IBANs in text, in any of the forms above."""
    if not _START.search(text):
        return []
    found = []
    for candidate in _CANDIDATE.finditer(text):
        positions = [candidate.start() + k for k, c in enumerate(candidate.group(0)) if c.isalnum()]
        compact = "".join(text[p] for p in positions).upper()
        structure = _STRUCTURE.get(compact[:2])
        if structure is None:
            continue
        labelled = _LABEL_BEFORE.search(text, max(0, candidate.start() - 24), candidate.start()) is not None
        for length in range(min(len(compact), 34), 14, -1):
            end = positions[length - 1] + 1
            if length < len(compact) and positions[length] == end:
                continue  # the prefix would end inside a word
            if not structure.fullmatch(compact[:length]):
                continue
            valid = _mod97_valid(compact[:length])
            if valid or labelled:
                found.append((candidate.start(), end, valid))
            break
    return found


def iban_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of the checksum-valid IBANs in text."""
    return tuple((start, end) for start, end, valid in find_ibans(text) if valid)


class IbanFormsRecognizer(OwnRecognizer):
    """IBAN_CODE in irregular groups, with dots or dashes, or mistyped after "IBAN" (see the module docstring)."""

    ENTITIES = (IBAN_CODE,)

    def analyze(self, text: str, entities: list[str] | None = None, nlp_artifacts=None) -> list[RecognizerResult]:
        if entities and IBAN_CODE not in entities:
            return []
        return [
            lexicon_result(self, IBAN_CODE, start, end, SCORE_VALID if valid else SCORE_MISTYPED,
                           "mod-97 valid" if valid else "after the label IBAN, mod-97 invalid")
            for start, end, valid in find_ibans(text)
        ]
