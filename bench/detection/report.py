"""Plain-text tables: Residency and plain Presidio side by side."""

from __future__ import annotations

from collections.abc import Sequence

from bench.detection.labels import ALL_CATEGORIES, GOLD_TYPES, REGULATED_CATEGORIES, category_of_prediction
from bench.detection.scoring import Counts

DASH = "–"


def pct(numerator: int, denominator: int) -> str:
    return DASH if denominator == 0 else f"{100.0 * numerator / denominator:.1f}"


def rate(numerator: int, denominator: int) -> str:
    return DASH if denominator == 0 else f"{numerator}/{denominator} {100.0 * numerator / denominator:5.1f}%"


def table(header: Sequence[str], rows: Sequence[Sequence[str]], *, left: int, groups: Sequence[tuple[int, str]] = (),
          indent: str = "  ") -> list[str]:
    """Aligned columns: the first `left` left-aligned, the rest right-aligned; a │ before each group start."""
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    starts = {start for start, _ in groups}

    def line(cells: Sequence[str]) -> str:
        out = []
        for i, cell in enumerate(cells):
            if i in starts:
                out.append("│")
            out.append(str(cell).ljust(widths[i]) if i < left else str(cell).rjust(widths[i]))
        return indent + " ".join(out).rstrip()

    lines = []
    if groups:
        title_cells = [""] * len(header)
        for start, title in groups:
            title_cells[start] = title
        # group titles sit over the first column of their group, left-aligned across the group
        spans: list[str] = []
        for i in range(len(header)):
            if i in starts:
                spans.append("│")
            spans.append(" " * widths[i])
        text = indent + " ".join(spans)
        for start, title in groups:
            position = len(indent) + sum(widths[j] + 1 for j in range(start)) + 2 * sum(1 for s in starts if s <= start)
            text = text[:position] + title + text[position + len(title):]
        lines.append(text.rstrip())
    lines.append(line(header))
    lines.extend(line(row) for row in rows)
    return lines


def type_table(sides: dict[str, Counts]) -> list[str]:
    names = list(sides)
    all_types = set()
    for counts in sides.values():
        all_types |= set(counts.gold) | set(counts.pred)
    order = {c: i for i, c in enumerate(ALL_CATEGORIES)}

    def category(name: str) -> str:
        gold = GOLD_TYPES.get(name)
        return gold.category if gold else (category_of_prediction(name) or "—")

    rows = []
    def rank(name: str) -> tuple:
        return order.get(category(name), 99), -max(s.gold[name] for s in sides.values()), name

    for name in sorted(all_types, key=rank):
        gold = max(s.gold[name] for s in sides.values())
        row = [name, category(name), str(gold) if gold else DASH]
        for side in names:
            c = sides[side]
            row += [str(c.pred[name]) if c.pred[name] else DASH, pct(c.pred_hit[name], c.pred[name]),
                    pct(c.gold_hit[name], c.gold[name]), pct(c.gold_exact[name], c.gold[name])]
        rows.append(row)
    rows.append(_micro_row(sides, names, by_category=False))
    header = ["entity type", "cat", "gold"] + ["pred", "P%", "R%", "Rx%"] * len(names)
    groups = [(3 + 4 * i, side) for i, side in enumerate(names)]
    return table(header, rows, left=2, groups=groups)


def category_table(sides: dict[str, Counts]) -> list[str]:
    names = list(sides)
    rows = []
    for category in ALL_CATEGORIES:
        gold = max(s.cat_gold[category] for s in sides.values())
        if not gold and not any(s.cat_pred[category] for s in sides.values()):
            continue
        row = [category, str(gold) if gold else DASH]
        for side in names:
            c = sides[side]
            row += [str(c.cat_pred[category]) if c.cat_pred[category] else DASH,
                    pct(c.cat_pred_hit[category], c.cat_pred[category]),
                    pct(c.cat_gold_hit[category], c.cat_gold[category]),
                    pct(c.cat_gold_exact[category], c.cat_gold[category])]
        rows.append(row)
    micro = _micro_row(sides, names, by_category=True)
    rows.append(micro[:1] + micro[2:])
    header = ["category", "gold"] + ["pred", "P%", "R%", "Rx%"] * len(names)
    groups = [(2 + 4 * i, side) for i, side in enumerate(names)]
    return table(header, rows, left=1, groups=groups)


def _micro_row(sides: dict[str, Counts], names: list[str], *, by_category: bool) -> list[str]:
    """All regulated gold spans and all regulated scored predictions together."""
    regulated = set(REGULATED_CATEGORIES)
    row = ["all regulated", "", ""]
    for side in names:
        c = sides[side]
        if by_category:
            gold = sum(c.cat_gold[k] for k in regulated)
            hit = sum(c.cat_gold_hit[k] for k in regulated)
            exact = sum(c.cat_gold_exact[k] for k in regulated)
            pred = sum(c.cat_pred[k] for k in regulated)
            pred_hit = sum(c.cat_pred_hit[k] for k in regulated)
        else:
            gold_types = [t for t in c.gold if GOLD_TYPES[t].regulated]
            pred_types = [t for t in c.pred if category_of_prediction(t) in regulated]
            gold = sum(c.gold[t] for t in gold_types)
            hit = sum(c.gold_hit[t] for t in gold_types)
            exact = sum(c.gold_exact[t] for t in gold_types)
            pred = sum(c.pred[t] for t in pred_types)
            pred_hit = sum(c.pred_hit[t] for t in pred_types)
        row[2] = str(gold)
        row += [str(pred), pct(pred_hit, pred), pct(hit, gold), pct(exact, gold)]
    return row


def prompt_table(sides: dict[str, Counts], *, requested: str, jurisdiction: str,
                 without_policy: frozenset[str] = frozenset()) -> list[str]:
    """`without_policy`: sides that only keep local or send as asked, so never reroute."""
    names = list(sides)
    any_side = next(iter(sides.values()))
    rows = [
        [f"regulated prompts (n={any_side.regulated})", *[""] * len(names)],
        ["  leak: sent to an external target", *[rate(sides[s].leak, sides[s].regulated) for s in names]],
        ["  leak (policy): where the policy forbids it", *[rate(sides[s].leak_policy, sides[s].regulated)
                                                             for s in names]],
        [f"prompts without regulated data (n={any_side.clean})", *[""] * len(names)],
        ["  over-block: kept local or denied", *[rate(sides[s].over_block, sides[s].clean) for s in names]],
        [f"  rerouted: external, but not {requested}",
         *[DASH if s in without_policy else rate(sides[s].rerouted, sides[s].clean) for s in names]],
        ["leak (policy) by gold category", *[""] * len(names)],
    ]
    for category in REGULATED_CATEGORIES:
        n = any_side.cat_prompts[category]
        if n:
            rows.append([f"  {category} (n={n})", *[rate(sides[s].cat_leaked[category], n) for s in names]])
    rows.append(["fallbacks / detector errors", *[f"{sides[s].fallbacks} / {sides[s].detector_errors}"
                                                  for s in names]])
    header = [f"prompt level: {jurisdiction} caller requests {requested}", *names]
    return table(header, rows, left=1)
