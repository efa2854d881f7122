"""UK_BANK_ACCOUNT (FINANCIAL): an 8-digit UK account number next to "account" or a sort code.

"Account no. 92780978, sort code 62-45-99". No check digit is public, so the word
"account" (or "sort code") must be near; Presidio's UsBankRecognizer scores such numbers
0.4 at most.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from policy.recognizers._patterns import CASE_SENSITIVE_FLAGS


class UkBankAccountRecognizer(PatternRecognizer):
    PATTERNS = [
        Pattern("account number (needs context)", r"(?<![\w.-])\d{8}(?![\w-]|\.\d)", 0.2),
        Pattern("account number before a sort code", r"(?<![\w.-])\d{8}(?=[,;]?\s+(?i:sort\s*code))", 0.6),
    ]
    CONTEXT = ["account", "acct", "acc"]

    def __init__(self, supported_language: str = "en", name: str | None = None) -> None:
        super().__init__(supported_entity="UK_BANK_ACCOUNT", patterns=self.PATTERNS, context=self.CONTEXT,
                         supported_language=supported_language, name=name,
                         global_regex_flags=CASE_SENSITIVE_FLAGS)
