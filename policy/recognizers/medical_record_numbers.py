"""MEDICAL_RECORD_NUMBER (PHI): patient IDs, medical record numbers (MRN) and health-plan IDs, after their label.

"patient ID PHX-839221", "MRN 5583920", "medical record number: 108965", "Medical file
#MXC-438220". HIPAA lists medical record and health-plan beneficiary numbers among its
identifiers; they are health data. The label is a lookbehind; the value needs a digit.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from policy.recognizers._patterns import CASE_SENSITIVE_FLAGS

# Words that name a record by themselves, and words that do only with "number", "ID" or "#" after them.
_LABEL = (r"(?i:\b(?:(?:mrn|medical\s+record|medical\s+file|health\s+record|health\s+plan|medicaid|medicare)"
          r"(?:\s+(?:id|number|no\.?|#))?|(?:patient|chart|health\s+insurance|insurance|beneficiary|hospital|case)"
          r"\s*(?:id|number|no\.?|#)))")
_VALUE = r"#?(?=[A-Z0-9_-]*\d)[A-Z0-9][A-Z0-9_-]{3,20}(?![\w-])"


class MedicalRecordNumberRecognizer(PatternRecognizer):
    PATTERNS = [Pattern("record number after its label",
                        rf"(?<={_LABEL}\s*(?:(?i:is|was)\s+|[:#=]\s*|-\s+|\s+)){_VALUE}", 0.6)]

    def __init__(self, supported_language: str = "en", name: str | None = None) -> None:
        super().__init__(supported_entity="MEDICAL_RECORD_NUMBER", patterns=self.PATTERNS, context=[],
                         supported_language=supported_language, name=name,
                         global_regex_flags=CASE_SENSITIVE_FLAGS)
