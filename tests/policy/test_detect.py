"""The real Presidio + spaCy detector: findings, categories, thresholds and the cache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from policy.categories import CATEGORY_BY_ENTITY, IGNORED_ENTITY_TYPES
from policy.detect import (
    RECOGNIZERS_YAML,
    DetectionSettings,
    Message,
    PresidioDetector,
    SpanAnalyzer,
    build_analyzer,
    gate_presidio_logs,
)
from policy.errors import ConfigError, DetectionError

BENCH_DATA = Path(__file__).resolve().parents[2] / "bench" / "data"


def types_in(detector, text: str) -> set[str]:
    return {f.entity_type for f in detector.detect([Message("user", text)])}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("My card is 4111 1111 1111 1111", {"CREDIT_CARD"}, id="card"),
        pytest.param("Email jane.doe@example.com about it", {"EMAIL_ADDRESS"}, id="email"),
        pytest.param("Transfer to DE89370400440532013000 today", {"IBAN_CODE"}, id="iban"),
        pytest.param("My social security number is 536-22-8726", {"US_SSN"}, id="ssn"),
        pytest.param("Call me on +44 20 7946 0958", {"PHONE_NUMBER"}, id="phone-below-default-threshold"),
        pytest.param("The key is AKIAIOSFODNN7EXAMPLE", {"AWS_ACCESS_KEY"}, id="aws-key"),
        pytest.param("Barack Obama visited the factory", {"PERSON"}, id="person"),
    ],
)
def test_detects(detector, text, expected):
    assert expected <= types_in(detector, text)


def test_clean_prompt_has_no_regulated_finding(detector):
    findings = detector.detect([Message("user", "Explain the CAP theorem")])

    assert [f for f in findings if f.category != "QUASI"] == []


def test_findings_carry_position_category_and_recognizer(detector):
    findings = detector.detect([Message("system", "hi"), Message("user", "Write to jane.doe@example.com now")])
    [finding] = [f for f in findings if f.entity_type == "EMAIL_ADDRESS"]

    assert (finding.entity_type, finding.category, finding.message_index, finding.start, finding.end) == (
        "EMAIL_ADDRESS", "PII", 1, 9, 29,
    )
    assert finding.recognizer == "EmailRecognizer" and finding.score == 1.0


def test_cache_gives_the_same_findings_and_counts_hits(detector):
    messages = [Message("user", "Unique 5: email cache.test@example.com"), Message("assistant", "ok")]
    hits = detector.cache.hits

    first = detector.detect(messages)
    second = detector.detect(messages)

    assert first == second
    assert detector.cache.hits >= hits + 2


def test_cache_is_bounded():
    from policy.detect import Span, SpanCache

    cache = SpanCache(max_entries=2)
    for key in (b"a", b"b", b"c"):
        cache.put(key, (Span("PERSON", 0, 1, 1.0, "r"),))

    assert len(cache) == 2 and cache.get(b"a") is None and cache.get(b"c") is not None


def test_type_threshold_filters(fresh_analyzer):
    strict_settings = DetectionSettings(type_thresholds={"PHONE_NUMBER": 0.99})
    strict = PresidioDetector(SpanAnalyzer(fresh_analyzer, strict_settings).spans, strict_settings)

    assert "PHONE_NUMBER" not in types_in(strict, "Call me on +44 20 7946 0958")


def test_detection_error_of_the_backend_propagates():
    def exploding(texts):
        raise DetectionError("detector failed: ValueError")

    broken = PresidioDetector(exploding, DetectionSettings())

    with pytest.raises(DetectionError, match="detector failed: ValueError"):
        broken.detect([Message("user", "secret-ish text 12345")])


def test_every_supported_entity_has_a_category(fresh_analyzer):
    supported = set(fresh_analyzer.get_supported_entities())

    assert supported - set(CATEGORY_BY_ENTITY) == set(IGNORED_ENTITY_TYPES)


def test_yaml_lists_each_recognizer_once():
    names = [r["name"] for r in yaml.safe_load(RECOGNIZERS_YAML.read_text())["recognizers"]]

    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        pytest.param(dict(type_thresholds={"NOT_A_TYPE": 0.5}), "unknown entity types: NOT_A_TYPE", id="unknown-type"),
        pytest.param(dict(score_threshold=1.5), "between 0 and 1", id="threshold-range"),
        pytest.param(dict(cache_size=-1), "cache_size", id="cache-size"),
        pytest.param(dict(deny_lists={"CODENAME": ("x",)}), "deny_lists names unknown entity types: CODENAME",
                     id="deny-unknown-type"),
        pytest.param(dict(deny_lists={"PERSON": ()}), "deny_lists.PERSON must be a list of non-empty terms",
                     id="deny-empty"),
        pytest.param(dict(allow_list=("acme", " ")), "allow_list must hold non-empty terms", id="allow-blank"),
    ],
)
def test_bad_detection_settings(settings, message):
    with pytest.raises(ConfigError, match=message):
        DetectionSettings(**settings)


def test_missing_recognizer_yaml_is_an_error_not_a_default(tmp_path):
    with pytest.raises(ConfigError, match="no such file"):
        build_analyzer(DetectionSettings(recognizers_yaml=tmp_path / "missing.yaml"))


def test_unknown_model_is_a_config_error():
    with pytest.raises(ConfigError, match="is not installed"):
        PresidioDetector.load(DetectionSettings(model="xx_no_such_model"))


@pytest.fixture(scope="module")
def fresh_analyzer():
    """A real analyzer of our own, so tests can add recognizers without touching the shared one."""
    return build_analyzer(DetectionSettings())


def test_exception_in_a_real_recognizer_is_a_detection_error(fresh_analyzer):
    from presidio_analyzer import EntityRecognizer

    class ExplodingRecognizer(EntityRecognizer):
        """A test double: a recognizer with a bug."""

        def load(self):
            pass

        def analyze(self, text, entities, nlp_artifacts=None):
            raise KeyError(f"cannot handle {text}")

    analyzer = SpanAnalyzer(fresh_analyzer, DetectionSettings())
    fresh_analyzer.registry.add_recognizer(ExplodingRecognizer(supported_entities=["PERSON"], name="Exploding"))
    try:
        with pytest.raises(DetectionError, match="detector failed: KeyError") as error:
            analyzer.spans(["Explain the CAP theorem to Zqxvorlemb"])
        assert "CAP" not in str(error.value) and error.value.__cause__ is None
    finally:
        fresh_analyzer.registry.remove_recognizer("Exploding")
    # The failed batch left spaCy's vocabulary as it was: the next batch works.
    assert "EMAIL_ADDRESS" in {s.entity_type for s in analyzer.spans(["Mail Zqxvorlemb at ana@example.org"])[0]}


def test_regex_timeout_that_presidio_skips_is_a_detection_error(fresh_analyzer, monkeypatch):
    import presidio_analyzer.pattern_recognizer

    gate_presidio_logs()
    monkeypatch.setattr(presidio_analyzer.pattern_recognizer, "REGEX_TIMEOUT_SECONDS", 0)

    with pytest.raises(DetectionError, match="regex pattern\\(s\\) timed out"):
        SpanAnalyzer(fresh_analyzer, DetectionSettings()).spans(["Call 555-0100 at 10:30"])


def test_batched_analysis_equals_one_at_a_time(fresh_analyzer):
    analyzer = SpanAnalyzer(fresh_analyzer, DetectionSettings())
    texts = [
        "Hi, I am Jean Dupont from Lyon; mail jean.dupont@example.fr",
        "Explain the CAP theorem",
        "Card 4111 1111 1111 1111, call +44 20 7946 0958 after 5pm on 3 March",
        "Angela Merkel met Barack Obama in Berlin.",
        "",
    ]

    assert analyzer.spans(texts) == [analyzer.spans([t])[0] for t in texts]


def test_each_distinct_message_is_analysed_once():
    seen: list[list[str]] = []

    def backend(texts):
        seen.append(list(texts))
        return [() for _ in texts]

    detector = PresidioDetector(backend, DetectionSettings())
    history = [Message("system", "be brief"), Message("user", "hello"), Message("assistant", "hello")]

    detector.detect(history)
    detector.detect([*history, Message("user", "and now?")])

    assert seen == [["be brief", "hello"], ["and now?"]]


def test_the_cache_is_partitioned_by_scope():
    seen: list[list[str]] = []

    def backend(texts):
        seen.append(list(texts))
        return [() for _ in texts]

    detector = PresidioDetector(backend, DetectionSettings())
    detector.detect([Message("user", "Patient Jane Roe tested positive")], scope="tenant-a")
    detector.detect([Message("user", "Patient Jane Roe tested positive")], scope="tenant-b")
    detector.detect([Message("user", "Patient Jane Roe tested positive")], scope="tenant-a")

    # Tenant b's first sight of the message is analysed, not served from tenant a's entry.
    assert len(seen) == 2


def test_ner_only_pipeline_finds_what_the_full_pipeline_finds(fresh_analyzer):
    texts = [
        "Dear Ms. Johnson, your appointment with Dr. Patel is on 4 May. Call 020 7946 0958.",
        "I live at 12 Rue de Rivoli, Paris. My colleague Hans Müller lives in Munich.",
        "Send the invoice to jane.doe@example.com and cc Tom.",
        # Context words in inflected forms, where real lemmas and lower case could differ.
        "The passports numbered 912803456 and C01X00T47 were renewed; driving licences too: MORGA753116SM9IJ.",
        "Our banking details: accounts 12345678 and 87654321, routing 021000021, phones ringing on 212-555-0147.",
    ]
    full = DetectionSettings(spacy_remove=())

    ner_only = SpanAnalyzer(fresh_analyzer, DetectionSettings()).spans(texts)
    with_every_component = SpanAnalyzer(build_analyzer(full), full).spans(texts)

    assert fresh_analyzer.nlp_engine.get_nlp("en").pipe_names == ["ner"]
    assert ner_only == with_every_component


def test_lowercase_lemma_artifacts_are_presidios_artifacts_for_lowercase_lemmas(fresh_analyzer):
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    engine = fresh_analyzer.nlp_engine
    texts = ["", "   ", "The İstanbul office: a:b-c, Be BE be -PRON- ÀÉÎ ß ẞ \u212a x:y:z."]
    for name in ("residency_cases.jsonl", "presidio_synth_dataset_v2.jsonl", "wnut17_test.jsonl"):
        with (BENCH_DATA / name).open(encoding="utf-8") as lines:
            texts += [json.loads(line)["text"] for line in lines][:200]

    for doc in engine.get_nlp("en").pipe(texts):
        ours = engine._doc_to_nlp_artifact(doc, "en")
        for token in doc:
            token.lemma_ = token.lower_
        presidios = SpacyNlpEngine._doc_to_nlp_artifact(engine, doc, "en")
        assert ours.lemmas == presidios.lemmas
        assert ours.tokens_indices == presidios.tokens_indices
        assert ours.keywords == presidios.keywords
        assert [(e.start_char, e.end_char, e.label_) for e in ours.entities] == [
            (e.start_char, e.end_char, e.label_) for e in presidios.entities
        ]
        assert ours.scores == presidios.scores and ours.nlp_engine is engine


PLANTED_WORDS = ["Zqxvorlemb", "zqxvorlemb", "hunter2zqx", "Qwibblestein"]


def planted_prompts() -> list[str]:
    return [f"My password is {PLANTED_WORDS[2]}, ask {PLANTED_WORDS[0]} {PLANTED_WORDS[3]}.", PLANTED_WORDS[1]]


def test_no_word_of_a_prompt_stays_in_spacys_vocabulary_once_forgotten():
    analyzer = SpanAnalyzer.load(DetectionSettings())
    strings = analyzer._nlp.vocab.strings
    before = len(strings)

    spans = analyzer.spans(planted_prompts())
    analyzer.forget_words()  # what a detection worker does when idle for a second

    assert any(s.entity_type == "PASSWORD" for s in spans[0])
    assert not any(word in strings for word in PLANTED_WORDS)
    assert len(strings) == before


def test_words_are_forgotten_every_zone_texts_texts(monkeypatch):
    import policy.detect

    monkeypatch.setattr(policy.detect, "ZONE_TEXTS", 2)
    analyzer = SpanAnalyzer.load(DetectionSettings())
    strings = analyzer._nlp.vocab.strings

    analyzer.spans(planted_prompts())  # two texts: the zone closes after them

    assert not any(word in strings for word in PLANTED_WORDS)


def test_presidio_errors_are_logged_without_the_text(detector, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    # A Kelvin sign matches [A-Z] case-insensitively; Presidio's IBAN validator then logs the text.
    planted = "DE89370400440532013\u212a00"

    detector.detect([Message("user", f"pay to {planted} please")])

    assert "ERROR in iban_recognizer.validate_result (message withheld" in caplog.text  # the record survives
    assert planted not in caplog.text and "DE8937" not in caplog.text
    assert all(r.exc_info is None for r in caplog.records if r.name.startswith("presidio"))


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Hello" + " " * 20_000 + "world", id="run-of-spaces-after-a-greeting"),
        pytest.param("tin " + " " * 20_000, id="run-of-spaces-after-a-label"),
        pytest.param("A-" * 10_000, id="dash-separated-word-run"),
        pytest.param("1." * 10_000, id="dotted-digit-run"),
        # pay amounts in one long sentence: each used to re-read the whole sentence before it
        pytest.param(("on €1 a month and " * 2_000)[:20_000], id="pay-amounts-without-a-full-stop"),
    ],
)
def test_hostile_inputs_finish_or_fail_closed(detector, text):
    """Every one of our recognizers is linear on these; Presidio's own URL regex is not on the
    dotted run, so its regex timeout fires and detection fails closed instead of stalling."""
    try:
        detector.detect([Message("user", text)])
    except DetectionError as error:
        assert "timed out" in str(error)


def test_allow_list_drops_the_organisations_own_names_and_nothing_that_contains_them():
    text = "Ask Jean Dupont at jean.dupont@acme-corp.com or see acme-corp.com for details."
    plain = DetectionSettings()
    allowing = DetectionSettings(allow_list=("jean dupont", "ACME-CORP.COM"))

    before = {(s.entity_type, text[s.start : s.end]) for s in SpanAnalyzer(build_analyzer(plain), plain).spans([text])[0]}
    after = {
        (s.entity_type, text[s.start : s.end]) for s in SpanAnalyzer(build_analyzer(allowing), allowing).spans([text])[0]
    }

    assert ("PERSON", "Jean Dupont") in before and ("URL", "acme-corp.com") in before
    assert after == before - {("PERSON", "Jean Dupont"), ("URL", "acme-corp.com")}
    assert ("EMAIL_ADDRESS", "jean.dupont@acme-corp.com") in after


def test_allow_list_never_silences_a_restricted_finding():
    text = "the admin password is AcmeRoot2024! for the acme box"
    settings = DetectionSettings(allow_list=("AcmeRoot2024!",))
    spans = SpanAnalyzer(build_analyzer(settings), settings).spans([text])[0]

    assert ("PASSWORD", "AcmeRoot2024!") in {(s.entity_type, text[s.start : s.end]) for s in spans}


def test_cache_keys_frame_the_scope():
    from policy.detect import _digest

    assert _digest("a\x00b", "c") != _digest("a", "b\x00c")
    assert _digest("ab", "c") != _digest("a", "bc")


def test_deny_list_terms_are_found_as_whole_words_in_any_case():
    settings = DetectionSettings(deny_lists={"PERSON": ("Blue Falcon",), "MEDICAL_RECORD_NUMBER": ("PX-7",)})
    analyzer = SpanAnalyzer(build_analyzer(settings), settings)
    texts = ["the blue falcon report is late; chart PX-7 too", "bluefalcons and xPX-7 are other words"]

    first, second = analyzer.spans(texts)

    assert {(s.entity_type, texts[0][s.start : s.end], s.score) for s in first} >= {
        ("PERSON", "blue falcon", 1.0),
        ("MEDICAL_RECORD_NUMBER", "PX-7", 1.0),
    }
    assert not [s for s in second if s.recognizer.startswith("DenyList_")]
