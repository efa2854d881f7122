"""`residency audit`: verify, summarise, query and replay decision logs.

    residency audit verify  LOG… [--hmac-key-file FILE] [--after HASH]
    residency audit summary LOG… [--since RFC3339] [--until RFC3339] [--by KEY]
    residency audit query   LOG… SQL [--format table|csv|json]
    residency audit replay  LOG… --policy PATH [--config FILE]

LOG is a file, a directory (its *.jsonl files) or a quoted glob. Files are grouped
into chains by name — audit.jsonl with its rotated audit.<UTC stamp>.jsonl — and each
chain is read oldest file first, streaming:

    LOG… ─▶ expand_logs ─▶ chains ─┬─ verify   verify_chain per chain
                                   ├─ summary  read_chain ─▶ counts by KEY
                                   ├─ query    DuckDB view `decisions` over every file
                                   └─ replay   read_chain ─▶ candidate Rego ─▶ check ─▶ changes

Each subcommand is: argparse namespace ─▶ validate ─▶ params (a frozen dataclass) ─▶
core function (params, out, err) -> exit code. Tables are rich tables on a terminal and
plain text otherwise; progress bars go to `err`, and only when it is a terminal.

Exit codes: 0 ok; 1 verification failed (verify) or decisions would change (replay);
2 usage or I/O error, including logs that cannot be read as decision records.
"""

from __future__ import annotations

import argparse
import csv
import glob
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from policy.audit import (
    GENESIS_HASH,
    AuditTornTailError,
    ChainReport,
    Progress,
    find_torn_tail,
    log_chains,
    read_chain,
    verify_chain,
)
from policy.bundles import load_bundle
from service.commands import EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, command

if TYPE_CHECKING:  # the policy engine imports Presidio, seconds of start-up: only `replay` needs it
    from policy.decision import Verdict
    from policy.detect import Finding
    from policy.pipeline import Policy


Chain = tuple[Path, ...]



# -- the command group -----------------------------------------------------------


def add_audit_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register `audit verify|summary|query|replay` on the `residency` subparsers."""
    audit = subparsers.add_parser("audit", help="verify, summarise, query and replay audit logs")
    commands = audit.add_subparsers(required=True, metavar="ACTION")
    log_help = "log file, directory or quoted glob; rotated files are ordered by their names"

    verify = commands.add_parser("verify", help="check the hash chain across rotated files")
    verify.add_argument("logs", nargs="+", metavar="LOG", help=log_help)
    verify.add_argument("--hmac-key-file", help="the sidecar's audit.hmac_key_file, to check HMAC chains")
    verify.add_argument(
        "--after", metavar="HASH",
        help="the prev_hash of the first record, when older files of the chain are gone (default: genesis)",
    )
    verify.set_defaults(run=command(verify_params, run_verify))

    summary = commands.add_parser("summary", help="count decisions by action, target, category …")
    summary.add_argument("logs", nargs="+", metavar="LOG", help=log_help)
    summary.add_argument("--since", help="first timestamp included, RFC 3339 (e.g. 2025-03-01T00:00:00Z)")
    summary.add_argument("--until", help="first timestamp excluded, RFC 3339")
    summary.add_argument("--by", choices=sorted(GROUPINGS), default="action")
    summary.set_defaults(run=command(summary_params, run_summary))

    query = commands.add_parser("query", help="run one SQL SELECT over the view `decisions` (DuckDB)")
    query.add_argument("logs", nargs="+", metavar="LOG", help=log_help)
    query.add_argument("sql", metavar="SQL", help='e.g. "SELECT result.action, count(*) FROM decisions GROUP BY 1"')
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")
    query.set_defaults(run=command(query_params, run_query))

    replay = commands.add_parser("replay", help="list the decisions a candidate policy would change")
    replay.add_argument("logs", nargs="+", metavar="LOG", help=log_help)
    replay.add_argument("--policy", required=True, help="candidate policy bundle directory")
    replay.add_argument("--config", help="YAML configuration: policy.fallback_target and policy.floor_categories")
    replay.set_defaults(run=command(replay_params, run_replay))



# -- inputs ------------------------------------------------------------------------


def expand_logs(specs: Iterable[str]) -> tuple[Chain, ...]:
    """Files, directories (their *.jsonl) and globs ─▶ chains, each oldest file first."""
    files: dict[Path, None] = {}  # ordered set: a file named twice is read once
    for spec in specs:
        path = Path(spec)
        if path.is_dir():
            found = sorted(p for p in path.glob("*.jsonl") if p.is_file())
            if not found:
                raise UsageError(f"{spec}: no *.jsonl files in this directory")
        elif path.is_file():
            found = [path]
        elif glob.has_magic(spec):
            found = sorted(Path(p) for p in glob.glob(spec) if os.path.isfile(p))
            if not found:
                raise UsageError(f"{spec}: no files match")
        else:
            raise UsageError(f"{spec}: no such file or directory")
        files.update(dict.fromkeys(p.absolute() for p in found))
    return tuple(log_chains(files))


def _read_hmac_key(path: str) -> bytes:
    # As the sidecar reads audit.hmac_key_file: surrounding whitespace is not part of the key.
    try:
        key = Path(path).read_bytes().strip()
    except OSError as exc:
        raise UsageError(f"--hmac-key-file: cannot read {path}: {exc.strerror}") from None
    if not key:
        raise UsageError(f"--hmac-key-file: {path} is empty")
    return key


def _rfc3339(flag: str, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{flag}: {value!r} is not an RFC 3339 timestamp") from None
    if moment.tzinfo is None:
        raise UsageError(f"{flag}: {value!r} needs a UTC offset, e.g. {value}Z")
    return moment


# -- output helpers --------------------------------------------------------------


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@contextmanager
def _progress(err: TextIO, files: Sequence[Path], label: str) -> Iterator[Progress | None]:
    """A bytes-read progress bar on `err` when it is a terminal; None (no callback) otherwise."""
    if not _is_terminal(err):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, TextColumn, TimeRemainingColumn
    from rich.progress import Progress as Bar

    total = sum(f.stat().st_size for f in files)
    with Bar(TextColumn(label), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
             console=Console(file=err), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda nbytes: bar.advance(task, nbytes)


def _print_table(out: TextIO, title: str, headers: Sequence[str], rows: Sequence[Sequence[str]],
                 numeric: frozenset[int] = frozenset()) -> None:
    """A rich table on a terminal; otherwise aligned plain text (stable for scripts and tests)."""
    if _is_terminal(out):
        from rich.console import Console
        from rich.table import Table

        console = Console(file=out)
        if title:
            console.print(title, style="bold", highlight=False)
        table = Table(*headers)
        for index in numeric:
            table.columns[index].justify = "right"
        for row in rows:
            table.add_row(*row)
        console.print(table)
        return
    if title:
        print(title, file=out)
    widths = [max([len(header)] + [len(row[i]) for row in rows]) for i, header in enumerate(headers)]
    for row in [list(headers), *rows]:
        cells = [cell.rjust(w) if i in numeric else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))]
        print("  ".join(cells).rstrip(), file=out)


def _chain_name(chain: Chain) -> str:
    return str(chain[-1])


# -- verify ------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyParams:
    chains: tuple[Chain, ...]
    hmac_key: bytes | None
    after: str  # prev_hash expected of each chain's first record


def verify_params(args: argparse.Namespace) -> VerifyParams:
    chains = expand_logs(args.logs)
    after = GENESIS_HASH
    if args.after is not None:
        after = args.after.lower()
        if len(after) != 64 or any(c not in "0123456789abcdef" for c in after):
            raise UsageError("--after must be a 64-digit hex hash")
        if len(chains) > 1:
            raise UsageError(f"--after applies to one chain, but the logs hold {len(chains)}")
    key = _read_hmac_key(args.hmac_key_file) if args.hmac_key_file else None
    return VerifyParams(chains=chains, hmac_key=key, after=after)


def run_verify(params: VerifyParams, out: TextIO, err: TextIO) -> int:
    """One report per chain; exit 1 when any record fails. A torn tail is reported, not failed."""
    failed = False
    for chain in params.chains:
        with _progress(err, chain, f"verify {chain[-1].name}") as progress:
            report = verify_chain(chain, hmac_key=params.hmac_key, prev_hash=params.after, progress=progress)
        _print_verify_report(out, chain, report)
        failed |= not report.ok
    return EXIT_FAILED if failed else EXIT_OK


def _print_verify_report(out: TextIO, chain: Chain, report: ChainReport) -> None:
    files = f"{len(chain)} file{'s' if len(chain) > 1 else ''}"
    error = report.first_error
    if error is None:
        print(f"ok      {_chain_name(chain)}: {report.records} records in {files} verified; "
              f"last hash {report.last_hash}", file=out)
    else:
        decision = f" (decision {error.decision_id})" if error.decision_id else ""
        print(f"FAILED  {_chain_name(chain)}: {error.path} line {error.line}{decision}: {error.reason}; "
              f"the {report.records} records before it verify", file=out)
    torn = report.torn_tail
    if torn is not None:
        print(f"torn    {torn.path} line {torn.line}: the last line is incomplete ({torn.size} bytes at byte offset "
              f"{torn.offset}, a write cut short by a crash); it is not counted and the records before it verify",
              file=out)


# -- summary -----------------------------------------------------------------------


def _field(record: Mapping[str, Any], *keys: str) -> Any:
    node: Any = record
    for key in keys:
        node = node.get(key) if isinstance(node, Mapping) else None
    return node


def _label(value: Any) -> str:
    return "(none)" if value in (None, "") else str(value)


# Each grouping yields the keys a decision counts under (several for `category`).
GROUPINGS: dict[str, Callable[[Mapping[str, Any]], list[str]]] = {
    "action": lambda r: [_label(_field(r, "result", "action"))],
    "target": lambda r: [_label(_field(r, "result", "target"))],
    "category": lambda r: [_label(c) for c in _field(r, "input", "summary", "categories") or [None]],
    "tenant": lambda r: [_label(_field(r, "input", "caller", "tenant"))],
    "jurisdiction": lambda r: [_label(_field(r, "input", "caller", "jurisdiction"))],
    "revision": lambda r: [_label(_field(r, "policy_revision"))],
    "fallback": lambda r: [_fallback_label(r)],
}


def _fallback_label(record: Mapping[str, Any]) -> str:
    if record.get("fallback") is not True:
        return "policy"
    code = record.get("fallback_code")
    return f"fallback: {code}" if code else "fallback"


@dataclass(frozen=True)
class SummaryParams:
    chains: tuple[Chain, ...]
    by: str
    since: datetime | None
    until: datetime | None  # excluded


def summary_params(args: argparse.Namespace) -> SummaryParams:
    since, until = _rfc3339("--since", args.since), _rfc3339("--until", args.until)
    if since and until and since >= until:
        raise UsageError("--since must be before --until")
    return SummaryParams(chains=expand_logs(args.logs), by=args.by, since=since, until=until)


def run_summary(params: SummaryParams, out: TextIO, err: TextIO) -> int:
    counts: Counter[str] = Counter()
    total, first, last = 0, None, None
    keys_of = GROUPINGS[params.by]
    for record in _records(params.chains, err, "summary"):
        moment = _timestamp(record)
        if params.since or params.until:
            if moment is None or (params.since and moment < params.since) or (params.until and moment >= params.until):
                continue
        total += 1
        counts.update(keys_of(record))
        if moment is not None:
            first = moment if first is None or moment < first else first
            last = moment if last is None or moment > last else last

    span = f", {_iso(first)} .. {_iso(last)}" if first else ""
    rows = [[key, str(n), _share(n, total)] for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    rows.append(["total", str(total), _share(total, total)])
    _print_table(out, f"{total} decisions by {params.by}{span}", [params.by, "decisions", "share"], rows,
                 numeric=frozenset({1, 2}))
    if params.by == "category":
        print("a decision counts once under each category it carries, so shares may add up to more than 100%",
              file=out)
    return EXIT_OK


def _records(chains: Sequence[Chain], err: TextIO, label: str) -> Iterator[dict[str, Any]]:
    """Every record of every chain; a torn tail is reported on `err` and skipped."""
    for chain in chains:
        with _progress(err, chain, f"{label} {chain[-1].name}") as progress:
            try:
                yield from read_chain(chain, progress=progress)
            except AuditTornTailError as torn:
                print(f"residency audit: warning: {torn.path} line {torn.line_number} is incomplete "
                      "(torn tail); not counted", file=err)


def _timestamp(record: Mapping[str, Any]) -> datetime | None:
    try:
        return datetime.fromisoformat(record["timestamp"])
    except (KeyError, TypeError, ValueError):
        return None


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


# -- query -------------------------------------------------------------------------


def _struct(**fields: str) -> str:
    return "STRUCT(" + ", ".join(f'"{name}" {kind}' for name, kind in fields.items()) + ")"


_TEXT = "VARCHAR"
# The columns of the view `decisions`: the record format residency.decision/v1
# (policy/pipeline.py Decision.audit_record, plus prev_hash and hash). Declared rather
# than inferred, so a key first seen after DuckDB's sample is not silently dropped.
DECISION_COLUMNS: dict[str, str] = {
    "schema": _TEXT,
    "decision_id": _TEXT,
    "timestamp": "TIMESTAMPTZ",
    "policy_revision": _TEXT,
    "input": _struct(
        caller=_struct(service=_TEXT, tenant=_TEXT, user=_TEXT, jurisdiction=_TEXT, purpose=_TEXT),
        request=_struct(id=_TEXT, requested_target=_TEXT, labels="MAP(VARCHAR, VARCHAR)", message_count="BIGINT"),
        findings=_struct(type=_TEXT, category=_TEXT, score="DOUBLE", message="BIGINT", role=_TEXT,
                         start="BIGINT", end="BIGINT") + "[]",
        summary=_struct(categories="VARCHAR[]", types="MAP(VARCHAR, BIGINT)"),
        detection=_struct(complete="BOOLEAN"),
    ),
    "result": _struct(action=_TEXT, target=_TEXT, reasons="VARCHAR[]", redact="VARCHAR[]"),
    "policy_result": "JSON",  # whatever the policy returned, possibly not an object
    "fallback": "BOOLEAN",
    "fallback_code": _TEXT,
    "fallback_reason": _TEXT,
    "timings": _struct(detect_ms="DOUBLE", policy_ms="DOUBLE", total_ms="DOUBLE"),
    "prev_hash": _TEXT,
    "hash": _TEXT,
}
_READ_ONLY_STATEMENTS = ("SELECT", "EXPLAIN")
_NUMERIC_TYPES = frozenset({"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
                            "UINTEGER", "UBIGINT", "FLOAT", "DOUBLE"})


@dataclass(frozen=True)
class QueryParams:
    files: tuple[Path, ...]
    sql: str
    format: str


def query_params(args: argparse.Namespace) -> QueryParams:
    files = tuple(f for chain in expand_logs(args.logs) for f in chain)
    if not args.sql.strip():
        raise UsageError("the SQL query is empty")
    return QueryParams(files=files, sql=args.sql, format=args.format)


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _connect(files: Sequence[Path], skip_torn: bool):
    """DuckDB with the view `decisions`, able to read those files and nothing else, write nothing."""
    import duckdb

    connection = duckdb.connect(":memory:")
    paths = "[" + ", ".join(_sql_string(str(f)) for f in files) + "]"
    columns = "{" + ", ".join(f"{_sql_string(k)}: {_sql_string(v)}" for k, v in DECISION_COLUMNS.items()) + "}"
    # A torn last line is skipped as a parse error; its row has no hash.
    torn_options, torn_filter = (", ignore_errors=true", " WHERE hash IS NOT NULL") if skip_torn else ("", "")
    for statement in (
        "SET enable_progress_bar=false",
        "SET TimeZone='UTC'",
        f"SET allowed_paths={paths}",
        "SET enable_external_access=false",
        "SET lock_configuration=true",
        f"CREATE VIEW decisions AS SELECT * FROM read_json({paths}, format='newline_delimited', "
        f"columns={columns}, filename=true{torn_options}){torn_filter}",
    ):
        connection.execute(statement)
    return connection


def run_query(params: QueryParams, out: TextIO, err: TextIO) -> int:
    import duckdb

    torn = [t for t in map(find_torn_tail, params.files) if t is not None]
    for tail in torn:
        print(f"residency audit: warning: {tail.path} line {tail.line} is incomplete (torn tail); not queried",
              file=err)
    connection = _connect(params.files, skip_torn=bool(torn))
    try:
        statements = connection.extract_statements(params.sql)
        if len(statements) != 1 or statements[0].type.name not in _READ_ONLY_STATEMENTS:
            raise UsageError("query runs exactly one SELECT (or EXPLAIN) statement; it never writes")
        cursor = connection.execute(params.sql)
        headers = [column[0] for column in cursor.description]
        json_columns = {i for i, column in enumerate(cursor.description) if str(column[1]) == "JSON"}
        batches = iter(lambda: cursor.fetchmany(10_000), [])
        if params.format == "csv":
            _write_csv(out, headers, batches)
        elif params.format == "json":
            _write_json(out, headers, batches, json_columns)
        else:
            rows = [[_cell(value) for value in row] for batch in batches for row in batch]
            numeric = frozenset(i for i, column in enumerate(cursor.description) if _is_numeric(str(column[1])))
            _print_table(out, "", headers, rows, numeric=numeric)
    except duckdb.Error as exc:
        raise UsageError(f"query failed: {exc}") from None
    finally:
        connection.close()
    return EXIT_OK


def _is_numeric(duckdb_type: str) -> bool:
    return duckdb_type in _NUMERIC_TYPES or duckdb_type.startswith("DECIMAL")


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)  # UUID, timedelta, …


def _cell(value: Any) -> str:
    """One value as text in a table or CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    plain = _jsonable(value)
    return plain if isinstance(plain, str) else json.dumps(plain, separators=(",", ":"), ensure_ascii=False)


def _write_csv(out: TextIO, headers: list[str], batches: Iterable[list[tuple]]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers)
    for batch in batches:
        writer.writerows([_cell(value) for value in row] for row in batch)


def _write_json(out: TextIO, headers: list[str], batches: Iterable[list[tuple]], json_columns: set[int]) -> None:
    """A JSON array of objects, written row by row so that large results stream."""
    separator = "[\n"
    for batch in batches:
        for row in batch:
            item = {
                header: json.loads(value) if i in json_columns and value is not None else _jsonable(value)
                for i, (header, value) in enumerate(zip(headers, row, strict=True))
            }
            out.write(separator + json.dumps(item, ensure_ascii=False))
            separator = ",\n"
    out.write("[]\n" if separator == "[\n" else "\n]\n")


# -- replay ------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplayParams:
    chains: tuple[Chain, ...]
    policy_path: Path
    fallback_target: str | None
    floor_categories: frozenset[str]


def replay_params(args: argparse.Namespace) -> ReplayParams:
    from policy.errors import ConfigError
    from service.config import load_settings

    chains = expand_logs(args.logs)
    policy_path = Path(args.policy)
    if not policy_path.is_dir():
        raise UsageError(f"--policy: not a directory: {policy_path}")
    try:
        settings = load_settings(args.config)  # only the fallback target and the floor are used
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    return ReplayParams(
        chains=chains,
        policy_path=policy_path,
        fallback_target=settings.policy.fallback_target or None,
        floor_categories=frozenset(settings.policy.floor_categories),
    )


@dataclass(frozen=True)
class Change:
    decision_id: str
    before: str  # "action/target", or "deny"
    after: str


def run_replay(params: ReplayParams, out: TextIO, err: TextIO) -> int:
    """Re-decide each logged input under the candidate policy; exit 1 when any decision changes."""
    from policy.errors import PolicyError
    from policy.pipeline import Policy
    from policy.rego import RegoEngine

    try:
        replayer = Replayer(Policy(RegoEngine(load_bundle(params.policy_path))), params.fallback_target,
                            params.floor_categories)
    except PolicyError as exc:
        raise UsageError(f"--policy: {exc}") from None
    changes: list[Change] = []
    replayed = unreadable = 0
    for record in _records(params.chains, err, "replay"):
        before = _outcome(_field(record, "result", "action"), _field(record, "result", "target"))
        try:
            verdict = replayer.decide(record)
        except (KeyError, TypeError, ValueError) as exc:
            unreadable += 1
            print(f"residency audit: decision {record.get('decision_id')}: input cannot be replayed "
                  f"({type(exc).__name__}: {exc})", file=err)
            continue
        replayed += 1
        after = _outcome(str(verdict.action), verdict.target.name if verdict.target else "")
        if after != before:
            changes.append(Change(str(record.get("decision_id")), before, after))

    print(f"replayed {replayed} decisions under policy revision {replayer.revision}: "
          f"{len(changes)} would change", file=out)
    if changes:
        _print_table(out, "decisions that would change", ["decision_id", "before", "after"],
                     [[c.decision_id, c.before, f"→ {c.after}"] for c in changes])
        by_change = Counter((c.before, c.after) for c in changes)
        rows = [[f"{before} → {after}", str(n)] for (before, after), n in
                sorted(by_change.items(), key=lambda kv: (-kv[1], kv[0]))]
        _print_table(out, "changes by kind", ["change", "decisions"], rows, numeric=frozenset({1}))
    if unreadable:
        print(f"residency audit: {unreadable} decisions could not be replayed", file=err)
        return EXIT_USAGE
    return EXIT_FAILED if changes else EXIT_OK


def _outcome(action: Any, target: Any) -> str:
    return f"{action}/{target}" if target else str(action)


class Replayer:
    """The sidecar's decision steps after detection, over a logged input document.

    As in policy/pipeline.py: incomplete detection ─▶ fallback; otherwise Rego ─▶
    check_result with the findings rebuilt from the input (so the floor applies) ─▶
    any policy error ─▶ fallback. Timeouts are not replayed.
    """

    def __init__(self, policy: Policy, fallback_target: str | None, floor_categories: frozenset[str]) -> None:
        self._policy = policy
        self._targets = policy.targets
        self._fallback_target = fallback_target
        self._floor = floor_categories
        self.revision = policy.revision

    def decide(self, record: Mapping[str, Any]) -> Verdict:
        """The verdict the candidate policy gives the record's input."""
        from policy.decision import check_result, fallback
        from policy.errors import PolicyError

        input_document = record["input"]
        findings = findings_from_input(input_document)
        if _field(input_document, "detection", "complete") is not True:
            # Detection failed when the decision was made; the policy never saw this input.
            code = record.get("fallback_code") or "detection_failed"
            reason = record.get("fallback_reason") or "detection did not complete"
            return fallback(code, reason, targets=self._targets, fallback_target=self._fallback_target)
        try:
            result = self._policy.evaluate(input_document)
            return check_result(result, targets=self._targets, findings=findings, floor_categories=self._floor)
        except PolicyError as exc:
            return fallback(exc.code, f"{exc.code}: {exc}", targets=self._targets,
                            fallback_target=self._fallback_target)


def findings_from_input(input_document: Mapping[str, Any]) -> tuple[Finding, ...]:
    """The Finding objects behind an input document's `findings` (the recognizer is not logged)."""
    from policy.categories import Category
    from policy.detect import Finding

    return tuple(
        Finding(entity_type=f["type"], category=Category(f["category"]), message_index=f["message"],
                start=f["start"], end=f["end"], score=f["score"], recognizer="")
        for f in input_document["findings"]
    )
