"""BANK_ACCOUNT_NUMBER (FINANCIAL): a domestic bank account number after its label, in several languages.

"account number 998863831556", "Kontonummer 9734689019", "numéro de compte 00012345678",
"número de cuenta 1234567890", "rekeningnummer 123456789", "numer konta 12345678".
No check digit is common to all countries, so the label must stand right before the
number (6 to 18 digits, in groups of at least three if spaced). Bank codes (routing
numbers, sort codes, BLZ) identify a bank, not a person, and are not reported; an
8-digit UK account number is also `UK_BANK_ACCOUNT`.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from policy.recognizers._patterns import CASE_SENSITIVE_FLAGS, LABEL_GAP

_LABEL = (r"(?i:\b(?<!routing\s)(?<!sort\s)(?:(?:bank|checking|savings|current|chequing|deposit)\s+)?"
          r"(?:account|acct|acc|a/c)(?:\s+(?:number|num|no\.?|nr\.?|#))?"
          r"|\bkonto(?:nummer|nr\.?|-nr\.?|\s+nr\.?)?|\bnum(?:é|e)ro\s+de\s+compte|\bn[°º]\s*de\s+compte"
          r"|\bn(?:ú|u)mero\s+de\s+cuenta|\bn[°º]\s*de\s+cuenta|\bnumero\s+di\s+conto|\bconto\s+n[°º.]?"
          r"|\brekening(?:nummer)?|\bnumer\s+konta|\bkontonummer|\bn(?:ú|u)mero\s+da\s+conta)")
_VALUE = r"(?<![\w.-])(?:\d{6,18}|\d{3,6}(?:[ -]\d{3,6}){1,4})(?![\w-]|[.,]\d)"


class BankAccountNumberRecognizer(PatternRecognizer):
    PATTERNS = [Pattern("account number after its label", rf"(?<={_LABEL}{LABEL_GAP}){_VALUE}", 0.6)]

    def __init__(self, supported_language: str = "en", name: str | None = None) -> None:
        super().__init__(supported_entity="BANK_ACCOUNT_NUMBER", patterns=self.PATTERNS, context=[],
                         supported_language=supported_language, name=name,
                         global_regex_flags=CASE_SENSITIVE_FLAGS)
