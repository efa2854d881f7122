"""EMAIL_ADDRESS (PII), written to dodge scrapers: "olumide89 at gmail dot com", "jane [at] example [dot] org".

Presidio's EmailRecognizer needs an "@". The words "at" and "dot" also occur in prose
("look at this dot com bubble"), so the local part must look like a mailbox (a digit,
".", "_", "+" or "-" in it) or the domain must be a well-known mail provider.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

_AT = r"\s*(?:\(at\)|\[at\]|\{at\}|\bat\b)\s*"
_DOT = r"\s*(?:\(dot\)|\[dot\]|\{dot\}|\bdot\b)\s*"
_PROVIDERS = (r"gmail|googlemail|yahoo|outlook|hotmail|live|icloud|me|aol|gmx|web|posteo|proton|protonmail|"
              r"mailbox|orange|free|laposte|wanadoo|btinternet|sky|virginmedia|libero|tiscali|interia|onet|wp|"
              r"seznam|telia|kpnmail|ziggo|telenet|yandex|mail")
_TLD = r"[a-z]{2,10}(?:" + _DOT + r"[a-z]{2,10})?\b"


class ObfuscatedEmailRecognizer(PatternRecognizer):
    PATTERNS = [
        Pattern("mailbox-like local part",
                rf"\b(?=[\w.+-]{{0,63}}[\d._+-])[a-z0-9][\w.+-]{{1,63}}{_AT}[a-z0-9][\w-]{{1,62}}{_DOT}{_TLD}", 0.6),
        Pattern("well-known provider",
                rf"\b[a-z0-9][\w.+-]{{1,63}}{_AT}(?:{_PROVIDERS}){_DOT}{_TLD}", 0.6),
    ]

    def __init__(self, supported_language: str = "en", name: str | None = None) -> None:
        super().__init__(supported_entity="EMAIL_ADDRESS", patterns=self.PATTERNS, context=[],
                         supported_language=supported_language, name=name)

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        # Both patterns need a "dot"; most prompts have none, and the patterns try every word.
        if "dot" not in text.lower():
            return []
        return super().analyze(text, entities, nlp_artifacts, regex_flags)
