"""spaCy's PERSON findings, minus those that are code, tools or commands.

spaCy's small model tags "Grafana", "Kafka", "git log", "HF_TOKEN", "JDBC", "k8s",
"heapq.heappush" and "Compare Claude" as PERSON. Each such finding sends a clean prompt
to the caller's region instead of where it asked. A PERSON finding is dropped when
  - a word inside it has a character no name has (digit, "_", "=", "/", ":", "@", or a
    dot inside a word: "heapq.heappush"); such words at either end are trimmed ("RT @"),
  - every word is a technical term (`technical_terms.TECHNICAL_TERMS`), or
  - it is a single short all-capital word (an acronym: JDBC, AWS);
and a leading command word ("Summarise Angela Merkel") or trailing "'s" is trimmed.
The other spaCy types come from Presidio's SpacyRecognizer, which recognizers.yaml
configures without PERSON.
"""

from __future__ import annotations

import regex
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from policy.recognizers.technical_terms import TECHNICAL_TERMS

# A word of a name: letters, apostrophes, hyphens, and dots of initials ("J.K.", "Jr.").
_NAME_WORD = regex.compile(r"(?:\p{L}[\p{L}\p{M}'’-]*\.?)+")
_CODE_DOT = regex.compile(r"\p{L}{2}\.\p{L}")  # heapq.heappush, file.py
_COMMANDS = frozenset(
    "summarise summarize compare convert explain translate draft write refactor generate rewrite tell ask create "
    "list describe check update review show give make help plan suggest fix email message call ping cc rt".split()
)
_SPACE_RUN = regex.compile(r"\S+")


def _is_name_word(word: str) -> bool:
    return _NAME_WORD.fullmatch(word) is not None and not _CODE_DOT.search(word)


def person_span_or_none(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of a name inside a PERSON finding, or None when the finding is not a name.

    Words that cannot be part of a name ("RT", "@", "5150", ">") are trimmed from both
    ends; one left inside ("Box 8144 APO") means it is not a name.
    """
    words = [(m.start(), m.end()) for m in _SPACE_RUN.finditer(text, start, end)]
    while words and (not _is_name_word(text[words[0][0]:words[0][1]])
                     or (len(words) > 1 and text[words[0][0]:words[0][1]].lower() in _COMMANDS)):
        words.pop(0)
    while words and not _is_name_word(text[words[-1][0]:words[-1][1]].rstrip(",;:!?")):
        words.pop()
    if not words or not all(_is_name_word(text[a:b].rstrip(",;:!?")) for a, b in words):
        return None
    first, last = words[0][0], words[-1][1]
    while last > first and text[last - 1] in ",;:!?":
        last -= 1
    if text[first:last].endswith(("'s", "’s")):
        last -= 2
    lowered = [text[a:b].lower().rstrip(",;:!?").removesuffix("'s").removesuffix("’s") for a, b in words]
    if all(w in TECHNICAL_TERMS or w in _COMMANDS for w in lowered):
        return None
    if len(words) == 1 and text[first:last].isupper() and len(text[first:last]) <= 5:
        return None  # an acronym: JDBC, AWS
    return first, last


class SpacyPersonRecognizer(SpacyRecognizer):
    """spaCy's PERSON entities, filtered and trimmed (see the module docstring)."""

    def __init__(self, supported_language: str = "en", name: str | None = None) -> None:
        super().__init__(supported_language=supported_language, supported_entities=["PERSON"],
                         name=name or type(self).__name__)

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: D102
        kept = []
        for result in super().analyze(text, entities, nlp_artifacts):
            if result.entity_type == "PERSON":
                span = person_span_or_none(text, result.start, result.end)
                if span is None:
                    continue
                result.start, result.end = span
            kept.append(result)
        return kept
