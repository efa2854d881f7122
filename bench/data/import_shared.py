"""Copy the subsets of the shared labelled sets that the detection bench uses into bench/data/.

    /work/shared/data/<set>.jsonl ─▶ deterministic subset (lowest SHA-256 of the id)
                                  ─▶ meta.split (dev / heldout) and meta.source_line added
                                  ─▶ bench/data/<set>.jsonl

Run it from the repository root (the source folder is an argument, so the copies can be
rebuilt wherever the originals are):

    python bench/data/import_shared.py [--source /work/shared/data]

Records are copied unchanged (id, text, spans, the source's meta) except for two keys
added to `meta`: `split` and `source_line` (0-based line in the source file). The split
is by group: Presidio's generated sets group records by `meta.template_id` (records of
one template share their wording, so they must land on the same side), the others by
id; a group is `heldout` when the SHA-256 of "residency-bench-split/<set>/<group>" falls
in the lowest 30 % of the hash range. Source, licence and attribution: bench/data/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
HELDOUT_SHARE = 0.30

# set name -> records kept (None: all of them)
SUBSETS: dict[str, int | None] = {
    "presidio_synth_dataset_v2": 500,
    "presidio_generated_large": 500,
    "wnut17_test": 500,
    "nannigalaxy_pii_syn_nano_en": None,
    "deidgate_safeharbor_seed": None,
}


def _hash(text: str) -> float:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") / 2**64


def split_group(set_name: str, record: dict) -> str:
    template = record.get("meta", {}).get("template_id")
    return f"template:{template}" if template is not None else f"id:{record['id']}"


def import_set(set_name: str, source: Path) -> tuple[int, int]:
    lines = (source / f"{set_name}.jsonl").read_text(encoding="utf-8").splitlines()
    records = [(i, json.loads(line)) for i, line in enumerate(lines) if line.strip()]
    keep = SUBSETS[set_name]
    if keep is not None:
        chosen = sorted(records, key=lambda item: _hash(f"residency-bench-subset/{set_name}/{item[1]['id']}"))[:keep]
        records = sorted(chosen)  # back in source order
    out = []
    for line_number, record in records:
        group = split_group(set_name, record)
        split = "heldout" if _hash(f"residency-bench-split/{set_name}/{group}") < HELDOUT_SHARE else "dev"
        record.setdefault("meta", {})
        record["meta"] = {**record["meta"], "split": split, "source_line": line_number}
        out.append(json.dumps(record, ensure_ascii=False) + "\n")
    (HERE / f"{set_name}.jsonl").write_text("".join(out), encoding="utf-8")
    heldout = sum('"split": "heldout"' in line for line in out)
    return len(out) - heldout, heldout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=Path("/work/shared/data"))
    args = parser.parse_args(argv)
    for set_name in SUBSETS:
        dev, heldout = import_set(set_name, args.source)
        print(f"{set_name:30} dev {dev:4}  heldout {heldout:4}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
