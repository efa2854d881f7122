"""ACCOUNT_ID (PII): customer, employee, member, policy and loyalty numbers, and user names, after their label.

"customer number C86322677", "employee ID E-713233", "my frequent flyer number is 992 039
684 969 969", "policy number POL-NL-5488-1231", "My username is aoife-byrne", "user
daan-bakker pass ...". Such numbers identify a person to whoever holds the records, so
they are personal data (PII), routed like an e-mail address. The label is part of the
pattern (a lookbehind), so the span is the value alone; values need a digit, except
user names, which need a dot, dash, underscore or digit to tell them from words.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from policy.recognizers._patterns import CASE_SENSITIVE_FLAGS, LABEL_GAP

_LABEL = (r"(?i:\b(?:customer|client|employee|staff|personnel|member(?:ship)?|loyalty|frequent[ -]flyer|"
          r"miles\s?&\s?more|policy|subscriber|contract|student|matriculation|patron|library\s+card|"
          r"insurance\s+policy|tenant|payroll))")
# A run of capitals and digits, dash- or slash-separated, with a digit; or digit groups split by spaces.
_VALUE = r"(?:\d{2,4}(?: \d{2,4}){1,5}|(?=[A-Z0-9/-]*\d)[A-Z0-9]{2,}(?:[-/][A-Z0-9]+){0,4})(?![\w-])"
_USER_LABEL = r"(?i:\b(?:user\s?name|user\s?id|login\s?name|login\s?id|log-?in|handle|screen\s?name)\s*(?:is\s+|[:=]\s*))"
_USER_VALUE = r"(?!\S*@)(?=[\w.-]*[\d._-])[A-Za-z0-9][\w.-]{1,40}[A-Za-z0-9](?![\w@-])"


class AccountIdRecognizer(PatternRecognizer):
    PATTERNS = [
        Pattern("number after its label", rf"(?<={_LABEL}{LABEL_GAP}){_VALUE}", 0.6),
        Pattern("user name after its label", rf"(?<={_USER_LABEL}){_USER_VALUE}", 0.6),
        # "user daan-bakker pass Granite?29"
        Pattern("user name before a password", r"(?<=(?i:\buser)\s+)[A-Za-z0-9][\w.-]{1,40}(?=\s+(?i:pass|password|pwd|pw)\b)",
                0.6),
    ]

    def __init__(self, supported_language: str = "en", name: str | None = None) -> None:
        super().__init__(supported_entity="ACCOUNT_ID", patterns=self.PATTERNS, context=[],
                         supported_language=supported_language, name=name,
                         global_regex_flags=CASE_SENSITIVE_FLAGS)
