"""Prechecks skip recognizers on texts they cannot match, and never change a finding."""

from __future__ import annotations

import json
import re
from pathlib import Path

import phonenumbers
import pytest
from phonenumbers.phonenumberutil import SUPPORTED_REGIONS

from policy.detect import DetectionSettings, SpanAnalyzer, build_analyzer
from policy.prechecks import PatternNeeds, leading_lookbehind, phone_min_digits, required_digits

BENCH_DATA = Path(__file__).resolve().parents[2] / "bench" / "data"


@pytest.mark.parametrize(
    ("pattern", "flags", "digits"),
    [
        (r"\b\d{3}-\d{2}-\d{4}\b", 0, 9),
        (r"(\d{9}|[A-Z]\d{8})", 0, 8),
        (r"[0-9]{2}(?:\s?[0-9]){3}", 0, 5),
        (r"[A-Z]{2}\d*", 0, 0),
        (r"[^0-9]{12}", 0, 0),
        (r"[0-9A-F]{32}", 0, 0),
        (r"\d+?", 0, 1),
        (r"(?=\d{5})\w+", 0, 0),  # lookahead: not counted, so never skipped on its account
        (r"\p{Nd}{4}", 0, 0),  # syntax only `regex` knows
        (r"\d{2} # 12345 in a comment", re.VERBOSE, 2),
        (r"\d{2} # 12345", 0, 7),
        # Syntax `re` would misread: regex's fuzzy matching, inline V1, POSIX classes.
        (r"\d{9}{e<=1}", 0, 0),
        (r"(?V1)\d{4}", 0, 0),
        (r"[[:digit:]]{4}", 0, 0),
    ],
)
def test_required_digits_reads_the_pattern(pattern, flags, digits):
    assert required_digits(pattern, flags) == digits


@pytest.mark.parametrize(
    ("pattern", "label"),
    [
        (r"(?<=(?i:passport)\s)\d{9}", r"(?i:passport)\s"),
        (r"(?<=(?:id|no)[:)]\s?)\w+", r"(?:id|no)[:)]\s?"),  # a ")" in a class does not close it
        (r"(?<=[]a(]b)c", r"[]a(]b"),  # "]" first in a class is a member
        (r"(?<=\(see\)\s)x", r"\(see\)\s"),  # escaped brackets
        (r"(?<!no)\d+", None),  # a negative lookbehind needs no label
        (r"\d+(?<=1)", None),  # not where the pattern opens
        (r"(?<=unclosed", None),
        (r"(?<=id )\d+|\bno\d+", None),  # the second alternative needs no label
        (r"(?<=id )(?:\d+|no\d+)", r"id "),  # an alternative inside a group does
    ],
)
def test_leading_lookbehind_reads_the_label(pattern, label):
    assert leading_lookbehind(pattern) == label


@pytest.mark.parametrize(
    ("pattern", "flags", "text"),
    [
        # A global inline flag: V1 folds "ß" to "ss" in the label too.
        (r"(?<=strasse )\d+(?V1)", re.IGNORECASE, "Straße 12"),
        # An optional lookbehind is no label.
        (r"(?<=id )?\d+", 0, "12345"),
        (r"(?<=id ){0}\d+", 0, "12345"),
        # Matched backwards, these read differently from a forward search.
        (r"(?<=\d++0)x", 0, "10x"),
        (r"(?<=(?>\w+)ab)x", 0, "cabx"),
        (r"(?<=\1(a))x", 0, "aax"),
        # Brackets and bars in comments or verbose mode are not syntax.
        (r"(?<=id )\d+(?#[)|\bno\d+", 0, "no12"),
        (r"(?<=id )\d+(?# (|)|\bno\d+", 0, "no12"),
        ("(?<=id )(?x:#(\n)|" r"\bno\d+", 0, "no12"),
        (r"(?<=passport )\d{9}", re.VERBOSE, "passport123456789"),  # verbose: the space is no space
    ],
)
def test_a_pattern_that_reads_its_label_differently_gets_no_label_precheck(pattern, flags, text):
    import regex

    assert regex.search(pattern, text, flags) is not None  # the pattern does match
    assert PatternNeeds.of(pattern, flags).label is None


@pytest.mark.parametrize(
    ("pattern", "flags", "text"),
    [
        (r"(?:\d{9}){1<=e<=2}", 0, "12345678"),  # fuzzy: one digit may be missing
        (r"(?:\d{9}){2i+2d+1s<=4}", 0, "1234567"),
        (r"[[a-z]0-9]{4}", 1 << 8, "abcd"),  # V1 (regex.V1 has re.ASCII's value): one nested class
    ],
)
def test_regex_only_syntax_and_flags_get_no_digit_precheck(pattern, flags, text):
    import regex

    assert regex.search(pattern, text, flags) is not None
    assert required_digits(pattern, flags) == 0


def test_a_label_is_prechecked_where_it_reads_the_same():
    needs = PatternNeeds.of(r"(?<=passport )\d{9}")
    assert needs.label is not None and needs.digits == 9
    # Lookarounds inside a label assert a position, whichever way it is matched.
    assert PatternNeeds.of(r"(?<=(?i:\b(?<!routing\s)account\s(?=no|number)\w+\s))\d{8}").label is not None


def test_a_label_recognizer_is_skipped_on_a_text_without_its_label():
    from presidio_analyzer import Pattern, PatternRecognizer

    from policy.prechecks import install_prechecks

    recognizer = PatternRecognizer(
        supported_entity="PASSPORT",
        name="LabelledPassport",
        patterns=[Pattern("after its label", r"(?<=(?i:passport)\s(?i:no\.?\s)?)[A-Z]\d{6,8}", 0.6)],
    )
    analysed = []
    original = recognizer.analyze

    def spy(text, entities, nlp_artifacts=None):
        analysed.append(text)
        return original(text, entities, nlp_artifacts)

    recognizer.analyze = spy
    assert install_prechecks([recognizer]) == {"LabelledPassport": "its label and >= 6 digits"}
    assert recognizer.analyze("ticket A1234567 booked", ["PASSPORT"]) == []
    assert recognizer.analyze("Passport: no digits", ["PASSPORT"]) == []
    found = recognizer.analyze("my PASSPORT no. A1234567", ["PASSPORT"])
    assert [(r.start, r.end) for r in found] == [(16, 24)]
    assert analysed == ["my PASSPORT no. A1234567"]


def test_no_valid_phone_number_is_shorter_than_the_phone_precheck():
    from presidio_analyzer.predefined_recognizers import PhoneRecognizer

    shortest = phone_min_digits(PhoneRecognizer.DEFAULT_SUPPORTED_REGIONS)
    for region in SUPPORTED_REGIONS:
        for number_type in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE):
            example = phonenumbers.example_number_for_type(region, number_type)
            if example is not None:
                international = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
                assert len(international) - 1 >= shortest, (region, number_type)
    assert shortest == 4  # Germany's shortest national numbers


@pytest.fixture(scope="module")
def analyzers():
    with_prechecks = DetectionSettings()
    without = DetectionSettings(prechecks=False)
    return (
        SpanAnalyzer(build_analyzer(with_prechecks), with_prechecks),
        SpanAnalyzer(build_analyzer(without), without),
    )


EDGE_CASES = [
    "ruf 0301 23 an",  # the shortest German number: four digits are enough
    "call 030 123",
    "SSN 078-05-1120 and nothing else",
    "see e.g. the docs at example.com or EXAMPLE.ORG/path?q=1",
    "mail me at ana@example.org",
    "the \u212a.com domain with a Kelvin sign",
    "no digits, no dots: just words",
    "one 1 two 22 three 333",
    "card ４１１１ １１１１ １１１１ １１１１ in full-width digits",
    "+683 4002",
    # Garay digits: decimal digits to `regex` (newer Unicode) but not to Python 3.11's `re`.
    "bank account " + "".join(chr(0x10D40 + int(d)) for d in "12345678901"),
    # Labels in upper case, split over lines, right at the start or end of a text.
    "PASSPORT NUMBER: C03005988",
    "my passport\nnumber is X1234567",
    "Fingerprint template FP-20391A",
    "account number",
    "codice fiscale RSSMRA85T10A562S, and in lower case rssmra85t10a562s",
    "RSSMRA85T10A562 is one character short",
    "",
]


def test_findings_are_the_same_with_and_without_prechecks(analyzers):
    gated, ungated = analyzers
    texts = list(EDGE_CASES)
    for name in ("residency_cases.jsonl", "presidio_synth_dataset_v2.jsonl", "nannigalaxy_pii_syn_nano_en.jsonl"):
        with (BENCH_DATA / name).open(encoding="utf-8") as lines:
            texts += [json.loads(line)["text"] for line in lines][:150]

    assert gated.spans(texts) == ungated.spans(texts)


def test_a_digit_pattern_recognizer_is_skipped_on_a_text_with_too_few_digits():
    from presidio_analyzer.predefined_recognizers import UsSsnRecognizer

    from policy.prechecks import install_prechecks

    ssn = UsSsnRecognizer()
    analysed = []
    original = ssn.analyze

    def spy(text, entities, nlp_artifacts=None):
        analysed.append(text)
        return original(text, entities, nlp_artifacts)

    ssn.analyze = spy

    assert install_prechecks([ssn]) == {"UsSsnRecognizer": ">= 9 digits"}
    assert ssn.analyze("no digits here", ["US_SSN"]) == []
    assert ssn.analyze("only 12345678 eight", ["US_SSN"]) == []
    ssn.analyze("SSN 123-45-6789", ["US_SSN"])
    assert analysed == ["SSN 123-45-6789"]
