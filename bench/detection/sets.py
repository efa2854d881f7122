"""The labelled sets: where each lives, how its labels map, and its dev / heldout split.

Every record in bench/data carries `meta.split` (written by bench/data/build_cases.py and
bench/data/import_shared.py); this module only reads it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from bench.detection.labels import GOLD_TYPES, LABEL_MAPS, scored_prediction_types

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SPLITS = ("dev", "heldout")


@dataclass(frozen=True)
class SetInfo:
    name: str
    title: str
    annotates_all_regulated: bool  # True: any regulated prediction outside the gold is a false positive


SETS: tuple[SetInfo, ...] = (
    SetInfo("residency_cases",
            "Residency's own cases (chat, secrets, EU IDs, health and Art. 9 in words, clean)", True),
    SetInfo("residency_blind", "Blind held-out cases (written without seeing the recognizers; never tuned on)", True),
    SetInfo("nannigalaxy_pii_syn_nano_en",
            "Nannigalaxy PII-synthetic (LLM-written incident texts; noisy labels)", False),
    SetInfo("deidgate_safeharbor_seed", "deidgate Safe Harbor seed (clinical notes)", False),
    SetInfo("presidio_synth_dataset_v2",
            "presidio-research synth_dataset_v2 (template + Faker; Presidio's labels)", False),
    SetInfo("presidio_generated_large",
            "presidio-research generated_large (template + Faker; Presidio's labels)", False),
    SetInfo("wnut17_test", "WNUT-17 test (social media; persons and locations only)", False),
)
SET_NAMES = tuple(s.name for s in SETS)


@dataclass(frozen=True)
class GoldSpan:
    gold_type: str  # a key of GOLD_TYPES
    category: str
    start: int
    end: int
    source_label: str


@dataclass(frozen=True)
class Record:
    id: str
    text: str
    spans: tuple[GoldSpan, ...]
    split: str
    meta: dict

    @property
    def regulated(self) -> bool:
        return any(span.category != "QUASI" for span in self.spans)


@dataclass(frozen=True)
class LabelledSet:
    info: SetInfo
    records: tuple[Record, ...]
    scored_types: frozenset[str]
    unscored_labels: frozenset[str]  # source labels mapped to None


def load(info: SetInfo, *, limit: int | None = None, data_dir: Path = DATA_DIR) -> LabelledSet:
    label_map = LABEL_MAPS[info.name]
    records = []
    path = data_dir / f"{info.name}.jsonl"
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            raw = json.loads(line)
            split = raw.get("meta", {}).get("split")
            if split not in SPLITS:
                raise ValueError(f"{path}: record {raw.get('id')!r} has no meta.split (rebuild bench/data)")
            spans = []
            for span in raw["spans"]:
                if span["label"] not in label_map:
                    raise ValueError(f"{path}: label {span['label']!r} is not mapped in bench/detection/labels.py")
                name = label_map[span["label"]]
                if name is None:
                    continue
                spans.append(GoldSpan(name, GOLD_TYPES[name].category, span["start"], span["end"], span["label"]))
            records.append(Record(raw["id"], raw["text"], tuple(spans), split, raw.get("meta", {})))
            if limit is not None and len(records) >= limit:
                break
    return LabelledSet(
        info=info,
        records=tuple(records),
        scored_types=scored_prediction_types(info.name, annotates_all_regulated=info.annotates_all_regulated),
        unscored_labels=frozenset(label for label, name in label_map.items() if name is None),
    )
