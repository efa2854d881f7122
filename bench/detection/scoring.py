"""Span-level precision and recall, and prompt-level leak and over-block, for one side on one split.

Span matching (the same rule for both sides):
    a prediction matches a gold span when they overlap by at least one character and
      - per type:     the prediction's type is one the gold type accepts (labels.GOLD_TYPES)
      - per category: the prediction's category equals the gold span's category
    recall    = gold spans matched by at least one prediction / gold spans
    precision = scored predictions matching at least one gold span / scored predictions
    exact     = recall counted only where a matching prediction has the gold span's exact offsets
A prediction is scored only when the set labels its type (LabelledSet.scored_types).

Prompt level (a prompt is "regulated" when it has a gold span of a category other than QUASI):
    leak            regulated, and some regulated gold span reaches an external target: the
                    action is allow_external, or redact without a redacted finding over it
    leak (policy)   the same, counted only where the shipped policy forbids that category at
                    that target: a restricted category at any external target, a personal
                    category at a target outside the regions allowed for the caller (EU: eu)
    over-block      not regulated, and the prompt is kept local or denied
    rerouted        not regulated, sent to an external target other than the one requested
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from bench.detection.engines import REQUESTED_TARGET, Prediction, Result, Route
from bench.detection.labels import GOLD_TYPES, QUASI, category_of_prediction
from bench.detection.sets import GoldSpan, Record

MAX_EXAMPLES = 400


@dataclass(frozen=True)
class PolicyRule:
    """What the shipped policy allows, read from its data.json: used for 'leak (policy)'."""

    restricted: frozenset[str]
    personal: frozenset[str]
    allowed_regions: frozenset[str]

    @classmethod
    def from_data(cls, data: dict, jurisdiction: str) -> PolicyRule:
        return cls(
            restricted=frozenset(data.get("restricted_categories", [])),
            personal=frozenset(data.get("personal_categories", [])),
            allowed_regions=frozenset(data.get("personal_data_regions", {}).get(jurisdiction, [])),
        )

    def forbids(self, category: str, route: Route) -> bool:
        if not route.external:
            return False
        if category in self.personal:
            return route.region not in self.allowed_regions
        return True  # restricted, or a category the policy does not know: never external


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


@dataclass
class Example:
    record_id: str
    kind: str  # missed, false_positive, leak, over_block
    label: str
    text: str  # the span (or the prompt) — synthetic data only is ever printed


@dataclass
class Counts:
    # span level, per type
    gold: Counter = field(default_factory=Counter)
    gold_hit: Counter = field(default_factory=Counter)
    gold_exact: Counter = field(default_factory=Counter)
    pred: Counter = field(default_factory=Counter)
    pred_hit: Counter = field(default_factory=Counter)
    # span level, per category
    cat_gold: Counter = field(default_factory=Counter)
    cat_gold_hit: Counter = field(default_factory=Counter)
    cat_gold_exact: Counter = field(default_factory=Counter)
    cat_pred: Counter = field(default_factory=Counter)
    cat_pred_hit: Counter = field(default_factory=Counter)
    # prompt level
    prompts: int = 0
    regulated: int = 0
    clean: int = 0
    leak: int = 0
    leak_policy: int = 0
    over_block: int = 0
    rerouted: int = 0
    fallbacks: int = 0
    detector_errors: int = 0
    cat_prompts: Counter = field(default_factory=Counter)
    cat_leaked: Counter = field(default_factory=Counter)
    actions: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    examples: list[Example] = field(default_factory=list)

    def example(self, example: Example) -> None:
        if len(self.examples) < MAX_EXAMPLES:
            self.examples.append(example)


def score(record: Record, result: Result, scored_types: frozenset[str], rule: PolicyRule, counts: Counts) -> None:
    predictions = [p for p in result.predictions if p.entity_type in scored_types]
    _score_spans(record, predictions, counts)
    _score_prompt(record, result, rule, counts)


def _type_match(gold: GoldSpan, p: Prediction) -> bool:
    return p.entity_type in GOLD_TYPES[gold.gold_type].accepts and _overlap(gold.start, gold.end, p.start, p.end)


def _category_match(gold: GoldSpan, p: Prediction) -> bool:
    return category_of_prediction(p.entity_type) == gold.category and _overlap(gold.start, gold.end, p.start, p.end)


def _exact(gold: GoldSpan, p: Prediction) -> bool:
    return (gold.start, gold.end) == (p.start, p.end)


def _score_spans(record: Record, predictions: list[Prediction], c: Counts) -> None:
    for gold in record.spans:
        by_type = [p for p in predictions if _type_match(gold, p)]
        by_category = [p for p in predictions if _category_match(gold, p)]
        c.gold[gold.gold_type] += 1
        c.gold_hit[gold.gold_type] += bool(by_type)
        c.gold_exact[gold.gold_type] += any(_exact(gold, p) for p in by_type)
        c.cat_gold[gold.category] += 1
        c.cat_gold_hit[gold.category] += bool(by_category)
        c.cat_gold_exact[gold.category] += any(_exact(gold, p) for p in by_category)
        if not by_category and gold.category != QUASI:
            c.example(Example(record.id, "missed", gold.gold_type, record.text[gold.start:gold.end]))
    for p in predictions:
        category = category_of_prediction(p.entity_type)
        hit = any(_type_match(gold, p) for gold in record.spans)
        c.pred[p.entity_type] += 1
        c.pred_hit[p.entity_type] += hit
        if category is not None:
            cat_hit = any(_category_match(gold, p) for gold in record.spans)
            c.cat_pred[category] += 1
            c.cat_pred_hit[category] += cat_hit
            if not cat_hit and category != QUASI:
                c.example(Example(record.id, "false_positive", p.entity_type, record.text[p.start:p.end]))


def _covered(gold: GoldSpan, result: Result) -> bool:
    """Replaced before sending: a finding of a redacted type lies over the gold span."""
    route = result.route
    return route.action == "redact" and any(
        p.entity_type in route.redacted and _overlap(gold.start, gold.end, p.start, p.end) for p in result.predictions
    )


def _score_prompt(record: Record, result: Result, rule: PolicyRule, c: Counts) -> None:
    route = result.route
    c.prompts += 1
    c.actions[route.action] += 1
    c.fallbacks += route.fallback
    c.detector_errors += bool(result.error)
    regulated_spans = [g for g in record.spans if g.category != QUASI]
    if not regulated_spans:
        c.clean += 1
        if not route.external:
            c.over_block += 1
            c.example(Example(record.id, "over_block", route.action, record.text))
        elif route.target != REQUESTED_TARGET:
            c.rerouted += 1
        return
    c.regulated += 1
    exposed = [g for g in regulated_spans if route.external and not _covered(g, result)]
    forbidden = [g for g in exposed if rule.forbids(g.category, route)]
    c.leak += bool(exposed)
    c.leak_policy += bool(forbidden)
    if forbidden:
        c.example(Example(record.id, "leak", ",".join(sorted({g.gold_type for g in forbidden})), record.text))
    for category in {g.category for g in regulated_spans}:
        c.cat_prompts[category] += 1
        c.cat_leaked[category] += any(g.category == category for g in forbidden)
