"""CHILD_DATA (category SPECIAL): a child identified by name or age through a family or school tie.

"my son Zoé (9)", "my 8-year-old Ida", "our daughter Emma, 6,", "Luca Evans (class 3B)".
GDPR gives children's data "specific protection" (Recital 38, Art. 8) without making it
an Art. 9 category; Residency maps it to SPECIAL so that the shipped policy keeps a
named or aged child on the self-hosted model. A child word alone ("my son loves
dinosaurs") or a general question ("games for 7-year-olds") is not reported: only
a child who can be told apart, by a name or an age tied to the writer or a school class.
The child's name itself is PERSON (spaCy, or `names.NameRecognizer`).
"""

from __future__ import annotations

from typing import ClassVar

import regex
from presidio_analyzer import RecognizerResult

from policy.recognizers._base import OwnRecognizer
from policy.recognizers._lexicon import lexicon_result

CHILD_DATA = "CHILD_DATA"

_AGE_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen"
_CHILD = (r"(?:son|daughter|kid|child|boy|girl|baby|toddler|stepson|stepdaughter|step-son|step-daughter"
          r"|grandson|granddaughter|nephew|niece|twins?|teenager|teen|pupil)")
_NAME = r"\p{Lu}[\p{L}'’-]+"
_AGE = rf"(?:1[0-7]|[1-9]|{_AGE_WORDS})"


class ChildDataRecognizer(OwnRecognizer):
    """CHILD_DATA: a named or aged child of the writer, or a pupil with a school class."""

    ENTITIES = (CHILD_DATA,)
    # The reported span is the group "id": the name and/or age that single the child out.
    PATTERNS: ClassVar[tuple[regex.Pattern[str], ...]] = (
        # my son Zoé (9) / our daughter Emma, 6 / my son Luca
        regex.compile(
            rf"(?i:\b(?:my|our|his|her|their)\s+(?:(?:{_AGE})[- ]year[- ]old\s+)?(?:little\s+|eldest\s+|youngest\s+)?"
            rf"{_CHILD}),?\s+(?P<id>{_NAME}(?:\s*\((?:age\s*)?{_AGE}\)|,\s*{_AGE}\b)?)"
        ),
        # my 8-year-old (son) (Ida)
        regex.compile(
            rf"(?i:\b(?:my|our|his|her|their)\s+)(?P<id>(?i:{_AGE})[- ](?i:year)[- ](?i:old)(?:\s+{_NAME})?)"
        ),
        # Luca Evans (class 3B) / (year 5) / (grade 2)
        regex.compile(rf"(?P<id>{_NAME}(?:\s+{_NAME})?\s*\((?i:class|year|grade|form)\s+\d{{1,2}}[A-Za-z]?\))"),
    )
    # Capitalised words after "my son" that are not names.
    NOT_NAMES = frozenset("and or is was has had who which that the i i'm in at on to from with will can".split())
    SCORE = 0.6

    def analyze(self, text: str, entities: list[str] | None = None, nlp_artifacts=None) -> list[RecognizerResult]:
        if entities and CHILD_DATA not in entities:
            return []
        results: dict[tuple[int, int], RecognizerResult] = {}
        for pattern in self.PATTERNS:
            for match in pattern.finditer(text):
                start, end = match.span("id")
                first_word = text[start:end].split()[0].lower() if text[start:end].split() else ""
                if first_word in self.NOT_NAMES:
                    continue
                results.setdefault((start, end), lexicon_result(self, CHILD_DATA, start, end, self.SCORE, "child"))
        return list(results.values())
