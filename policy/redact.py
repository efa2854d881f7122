"""Redaction: replace findings with `<ENTITY_TYPE>` placeholders, with presidio-anonymizer.

Overlapping findings are merged by the anonymizer's own conflict resolution. The
redacted text goes back to the caller only; it is never logged or stored.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

from policy.detect import Finding, Message, gate_presidio_logs


class Redactor:
    def __init__(self) -> None:
        gate_presidio_logs()
        self._engine = AnonymizerEngine()

    def redact(
        self, messages: Sequence[Message], findings: Sequence[Finding], entity_types: Collection[str] | None = None
    ) -> tuple[Message, ...]:
        """The messages with the findings of `entity_types` (all when None) replaced."""
        by_message: dict[int, list[RecognizerResult]] = {}
        for f in findings:
            if entity_types is None or f.entity_type in entity_types:
                by_message.setdefault(f.message_index, []).append(
                    RecognizerResult(f.entity_type, f.start, f.end, f.score)
                )
        redacted = []
        for index, message in enumerate(messages):
            results = by_message.get(index)
            if not results:
                redacted.append(message)
                continue
            operators = {
                r.entity_type: OperatorConfig("replace", {"new_value": f"<{r.entity_type}>"}) for r in results
            }
            text = self._engine.anonymize(text=message.content, analyzer_results=results, operators=operators).text
            redacted.append(Message(message.role, text))
        return tuple(redacted)
