from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from policy.categories import CATEGORY_BY_ENTITY
from policy.detect import Finding, Message
from policy.redact import Redactor


def finding(entity_type: str, start: int, end: int, score: float = 0.9, message_index: int = 0) -> Finding:
    return Finding(entity_type, CATEGORY_BY_ENTITY[entity_type], message_index, start, end, score, "test")


def test_each_finding_becomes_a_placeholder_and_other_messages_are_untouched():
    messages = [Message("system", "be brief"), Message("user", "mail jane@example.com or call 020 7946 0958")]
    findings = [finding("EMAIL_ADDRESS", 5, 21, message_index=1), finding("PHONE_NUMBER", 30, 43, message_index=1)]

    redacted = Redactor().redact(messages, findings)

    assert redacted == (messages[0], Message("user", "mail <EMAIL_ADDRESS> or call <PHONE_NUMBER>"))


def test_only_the_listed_types_are_replaced():
    messages = [Message("user", "card 4111 1111 1111 1111 for jane@example.com")]
    findings = [finding("CREDIT_CARD", 5, 24), finding("EMAIL_ADDRESS", 29, 45)]

    redacted = Redactor().redact(messages, findings, entity_types={"CREDIT_CARD"})

    assert redacted[0].content == "card <CREDIT_CARD> for jane@example.com"


def test_overlapping_findings_are_replaced_as_one_span_named_by_the_surer_finding():
    text = "IBAN DE89 3704 0044 0532 0130 00 ok"
    findings = [finding("IBAN_CODE", 5, 32, score=1.0), finding("PHONE_NUMBER", 10, 24, score=0.4)]

    assert Redactor().redact([Message("user", text)], findings)[0].content == "IBAN <IBAN_CODE> ok"


def test_partly_overlapping_findings_leave_no_fragment_of_either():
    text = "abcdefghij"
    findings = [finding("PERSON", 1, 5, score=0.85), finding("EMAIL_ADDRESS", 3, 8, score=1.0)]

    assert Redactor().redact([Message("user", text)], findings)[0].content == "a<EMAIL_ADDRESS>ij"


@given(
    text=st.text(st.characters(blacklist_characters="<>"), min_size=1, max_size=60),
    spans=st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20)), max_size=6),
)
def test_no_character_inside_a_finding_survives(text, spans):
    findings = [finding("PERSON", start, min(start + length, len(text))) for start, length in spans if start < len(text)]
    covered = {i for f in findings for i in range(f.start, f.end)}
    kept = "".join(ch for i, ch in enumerate(text) if i not in covered)

    redacted = Redactor().redact([Message("user", text)], findings)[0].content

    assert redacted.replace("<PERSON>", "") == kept
