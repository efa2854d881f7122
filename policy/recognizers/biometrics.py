"""BIOMETRIC_DATA (SPECIAL): an identifier of a person's biometric template or scan.

"Voiceprint template VP-559A", "fingerprint hash 9f2c...", "face ID template #A77".
Biometric data processed to identify a person is a GDPR Art. 9 category. Merely
mentioning a fingerprint reader or Face ID is not: a template, hash, scan or record
with an identifier is required.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from policy.recognizers._patterns import CASE_SENSITIVE_FLAGS, LABEL_GAP

_LABEL = (r"(?i:\b(?:voice\s?print|finger\s?print|iris|retina|retinal|face|facial|palm\s?print|palm\s?vein|"
          r"biometric|gait)\s{1,3}(?:template|hash|record|scan|id|identifier|enrol(?:l)?ment|sample|profile)"
          r"(?:\s{1,3}(?:id|no\.?|number|#))?)")
_VALUE = r"#?(?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]{2,63}(?![\w-])"


class BiometricDataRecognizer(PatternRecognizer):
    # LABEL_GAP bounds the spaces: an unbounded gap in a lookbehind backtracks on long runs of spaces.
    PATTERNS = [Pattern("biometric template identifier", rf"(?<={_LABEL}{LABEL_GAP}){_VALUE}", 0.65)]

    def __init__(self, supported_language: str = "en", name: str | None = None) -> None:
        super().__init__(supported_entity="BIOMETRIC_DATA", patterns=self.PATTERNS, context=[],
                         supported_language=supported_language, name=name,
                         global_regex_flags=CASE_SENSITIVE_FLAGS)
