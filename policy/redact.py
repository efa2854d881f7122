"""Redaction: replace findings with `<ENTITY_TYPE>` placeholders.

Overlapping findings are merged: the whole union is replaced, so no fragment of either
value survives, and it is labelled with the type of its highest-scoring finding. The
redacted text goes back to the caller only; it is never logged or stored.

This is a few lines of our own rather than presidio-anonymizer: importing the anonymizer
imports presidio-analyzer and spaCy, about 110 MB in the server process, which does no
detection of its own when detection runs in worker processes.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from policy.detect import Finding, Message


class Redactor:
    def redact(
        self, messages: Sequence[Message], findings: Sequence[Finding], entity_types: Collection[str] | None = None
    ) -> tuple[Message, ...]:
        """The messages with the findings of `entity_types` (all when None) replaced."""
        by_message: dict[int, list[Finding]] = {}
        for f in findings:
            if (entity_types is None or f.entity_type in entity_types) and f.end > f.start:
                by_message.setdefault(f.message_index, []).append(f)
        return tuple(
            Message(message.role, _replace(message.content, by_message[index])) if index in by_message else message
            for index, message in enumerate(messages)
        )


def _replace(text: str, findings: list[Finding]) -> str:
    pieces: list[str] = []
    position = 0
    for start, end, label in _merged(findings):
        pieces.append(text[position:start])
        pieces.append(f"<{label}>")
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _merged(findings: list[Finding]) -> list[tuple[int, int, str]]:
    """Disjoint (start, end, label) in text order; overlapping findings become one span."""
    groups: list[list[Finding]] = []
    end = -1
    for f in sorted(findings, key=lambda f: (f.start, f.end)):
        if groups and f.start < end:
            groups[-1].append(f)
            end = max(end, f.end)
        else:
            groups.append([f])
            end = f.end
    spans = []
    for group in groups:
        label = max(group, key=lambda f: (f.score, f.end - f.start, f.entity_type)).entity_type
        spans.append((min(f.start for f in group), max(f.end for f in group), label))
    return spans
