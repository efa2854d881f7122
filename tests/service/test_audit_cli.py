"""`residency audit`: verify, summary, query and replay over logs a real sidecar wrote."""

from __future__ import annotations

import io
import json
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from policy.audit import AuditLog, log_files
from service.api import residency_pb2 as A
from service.cli import main
from service.commands import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from tests.conftest import SHIPPED_POLICY, request

EMAIL = "Email jane.doe@example.com about the invoice"
CARD = "My card is 4111 1111 1111 1111"
CLEAN = "Explain the CAP theorem"
RAW_VALUES = ("jane.doe@example.com", "4111 1111 1111 1111", "CAP theorem")

# (prompt, request fields, action/target under the shipped policy)
TRAFFIC = [
    (CLEAN, {"jurisdiction": "EU"}, "allow_external/hosted-us"),
    (EMAIL, {"jurisdiction": "EU"}, "allow_external/hosted-eu"),
    (EMAIL, {"jurisdiction": "US"}, "allow_external/hosted-us"),
    (CARD, {"jurisdiction": "EU"}, "route_self_hosted/local"),
    (EMAIL, {"jurisdiction": "US", "tenant": "acme-redact"}, "redact/hosted-us"),
    (EMAIL, {"jurisdiction": ""}, "route_self_hosted/local"),
    (CLEAN, {"jurisdiction": "EU", "target": "local"}, "route_self_hosted/local"),
    (EMAIL, {"jurisdiction": "EU", "target": "hosted-eu"}, "allow_external/hosted-eu"),
]
_ACTIONS = {A.ALLOW_EXTERNAL: "allow_external", A.ROUTE_SELF_HOSTED: "route_self_hosted", A.REDACT: "redact",
            A.DENY: "deny"}


@dataclass(frozen=True)
class Logged:
    path: Path
    decision_ids: list[str]


def send_traffic(stub) -> list[str]:
    decision_ids = []
    for text, fields, expected in TRAFFIC:
        decision = stub.Evaluate(request(text, **fields))
        assert f"{_ACTIONS[decision.action]}/{decision.target.name}".rstrip("/") == expected
        decision_ids.append(decision.decision_id)
    return decision_ids


@pytest.fixture
def logged(sidecar) -> Logged:
    """The audit log of a real sidecar after the TRAFFIC decisions."""
    return Logged(sidecar.audit_path, send_traffic(sidecar.stub))


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["audit", *argv], out, err)
    for raw in RAW_VALUES:  # no subcommand ever prints prompt text
        assert raw not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()


def lines_of(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


# -- verify ------------------------------------------------------------------------


def test_every_decision_is_logged_once_and_verifies(logged):
    records = [json.loads(line) for line in lines_of(logged.path)]
    assert [r["decision_id"] for r in records] == logged.decision_ids

    code, out, err = run("verify", str(logged.path))

    assert (code, err) == (EXIT_OK, "")
    assert out.startswith(f"ok      {logged.path}: {len(TRAFFIC)} records in 1 file verified; last hash ")
    assert out.rstrip().endswith(records[-1]["hash"])


def flip_byte(lines: list[bytes], index: int) -> None:
    line = bytearray(lines[index])
    at = line.index(b'"service":"tests"') + len(b'"service":"t')  # a byte inside a value
    line[at] ^= 0x01
    lines[index] = bytes(line)


def delete(lines: list[bytes], index: int) -> None:
    del lines[index]


def swap_with_next(lines: list[bytes], index: int) -> None:
    lines[index], lines[index + 1] = lines[index + 1], lines[index]


@pytest.mark.parametrize(
    ("tamper", "index", "bad_line", "bad_record"),
    [
        pytest.param(flip_byte, 0, 1, 0, id="byte-in-first"),
        pytest.param(flip_byte, 4, 5, 4, id="byte-in-middle"),
        pytest.param(flip_byte, 7, 8, 7, id="byte-in-last"),
        pytest.param(delete, 0, 1, 1, id="delete-first"),
        pytest.param(delete, 3, 4, 4, id="delete-middle"),
        pytest.param(swap_with_next, 2, 3, 3, id="swap-two"),
    ],
)
def test_tampering_fails_verify_and_names_file_line_and_decision(logged, tamper, index, bad_line, bad_record):
    lines = lines_of(logged.path)
    tamper(lines, index)
    logged.path.write_bytes(b"".join(lines))

    code, out, _ = run("verify", str(logged.path))

    assert code == EXIT_FAILED
    assert out.startswith(
        f"FAILED  {logged.path}: {logged.path} line {bad_line} (decision {logged.decision_ids[bad_record]}): "
    )
    assert f"the {bad_line - 1} records before it verify" in out


def test_torn_tail_is_reported_not_failed(logged):
    with open(logged.path, "ab") as log:
        log.write(b'{"decision_id":"cut-short","inp')

    code, out, _ = run("verify", str(logged.path))

    assert code == EXIT_OK
    assert f"{len(TRAFFIC)} records in 1 file verified" in out
    offset = logged.path.stat().st_size - 31
    assert f"torn    {logged.path} line {len(TRAFFIC) + 1}: the last line is incomplete " in out
    assert f"(31 bytes at byte offset {offset}, " in out


def test_hmac_chain_verifies_only_with_the_key(start_sidecar, settings, tmp_path):
    key_file = tmp_path / "audit.key"
    key_file.write_bytes(b"0123456789abcdef0123456789abcdef\n")
    running = start_sidecar(replace(settings, audit=replace(settings.audit, hmac_key_file=key_file)))
    decision_ids = send_traffic(running.stub)

    assert run("verify", str(running.audit_path), "--hmac-key-file", str(key_file))[0] == EXIT_OK
    code, out, _ = run("verify", str(running.audit_path))
    assert code == EXIT_FAILED
    assert f"line 1 (decision {decision_ids[0]}): hash does not match" in out


# -- rotation --------------------------------------------------------------------


@pytest.fixture
def rotated(logged, tmp_path) -> list[Path]:
    """The sidecar's records re-logged with rotation: three records per file."""
    records = [json.loads(line) for line in lines_of(logged.path)]
    size = max(len(line) for line in lines_of(logged.path))
    active = tmp_path / "rotated" / "audit.jsonl"
    with AuditLog(active, max_bytes=3 * size + 100) as log:
        for record in records:
            log.append({k: v for k, v in record.items() if k not in ("hash", "prev_hash")})
    files = log_files(active)
    assert len(files) == 3
    return files


@pytest.mark.parametrize(
    "spec",
    [
        pytest.param(lambda files: [str(files[0].parent)], id="directory"),
        pytest.param(lambda files: [str(files[0].parent / "audit*.jsonl")], id="glob"),
        pytest.param(lambda files: [str(f) for f in reversed(files)], id="files-in-any-order"),
    ],
)
def test_rotation_keeps_verify_passing_across_files(rotated, spec):
    code, out, _ = run("verify", *spec(rotated))

    assert code == EXIT_OK
    assert out.startswith(f"ok      {rotated[-1]}: {len(TRAFFIC)} records in 3 files verified")


def test_tampering_in_a_rotated_file_names_that_file(rotated):
    lines = lines_of(rotated[1])
    flip_byte(lines, 1)
    rotated[1].write_bytes(b"".join(lines))
    bad_id = json.loads(lines[1])["decision_id"]

    code, out, _ = run("verify", str(rotated[0].parent))

    assert code == EXIT_FAILED
    assert f": {rotated[1]} line 2 (decision {bad_id}): hash does not match" in out


def test_missing_old_files_need_the_stored_hash(rotated):
    anchor = json.loads(lines_of(rotated[0])[-1])["hash"]
    rotated[0].unlink()

    assert run("verify", str(rotated[0].parent))[0] == EXIT_FAILED
    code, out, _ = run("verify", str(rotated[0].parent), "--after", anchor)
    assert code == EXIT_OK
    assert "5 records in 2 files verified" in out


def test_a_directory_with_two_logs_reports_each_chain(logged, tmp_path):
    fleet = tmp_path / "fleet"
    fleet.mkdir()
    shutil.copy(logged.path, fleet / "host-a.jsonl")
    shutil.copy(logged.path, fleet / "host-b.jsonl")

    code, out, _ = run("verify", str(fleet))

    assert code == EXIT_OK
    assert [line.split(":")[0] for line in out.splitlines()] == [
        f"ok      {fleet / 'host-a.jsonl'}", f"ok      {fleet / 'host-b.jsonl'}",
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(["verify", "/nonexistent/audit.jsonl"], "no such file or directory", id="missing-file"),
        pytest.param(["verify", "/nonexistent/*.jsonl"], "no files match", id="empty-glob"),
        pytest.param(["verify", "LOG", "--after", "abc"], "64-digit hex", id="bad-anchor"),
        pytest.param(["verify", "LOG", "--hmac-key-file", "/nonexistent/key"], "cannot read", id="missing-key"),
        pytest.param(["summary", "LOG", "--since", "2025-03-01T00:00:00"], "needs a UTC offset", id="naive-since"),
        pytest.param(["summary", "LOG", "--since", "yesterday"], "not an RFC 3339", id="bad-since"),
        pytest.param(["query", "LOG", "COPY decisions TO 'x.csv'"], "exactly one SELECT", id="copy-refused"),
        pytest.param(["query", "LOG", "SELECT 1; SELECT 2"], "exactly one SELECT", id="two-statements"),
        pytest.param(["query", "LOG", "SELECT * FROM read_text('/etc/passwd')"], "query failed", id="other-file"),
        pytest.param(["query", "LOG", "SELECT nope FROM decisions"], "query failed", id="bad-sql"),
        pytest.param(["replay", "LOG", "--policy", "/nonexistent"], "not a directory", id="missing-policy"),
    ],
)
def test_usage_and_io_errors_exit_2(logged, argv, message):
    code, out, err = run(*[str(logged.path) if arg == "LOG" else arg for arg in argv])

    assert (code, out) == (EXIT_USAGE, "")
    assert message in err


def test_garbage_in_the_middle_stops_summary(logged):
    lines = lines_of(logged.path)
    lines.insert(2, b"not json\n")
    logged.path.write_bytes(b"".join(lines))

    code, _, err = run("summary", str(logged.path))

    assert code == EXIT_USAGE
    assert "line 3 is not a complete JSON object" in err


# -- summary -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("by", "rows"),
    [
        pytest.param("action", [("allow_external", 4, "50.0%"), ("route_self_hosted", 3, "37.5%"),
                                ("redact", 1, "12.5%")], id="action"),
        pytest.param("target", [("hosted-eu", 2, "25.0%"), ("hosted-us", 3, "37.5%"), ("local", 3, "37.5%")],
                     id="target"),
        pytest.param("category", [("(none)", 2, "25.0%"), ("PCI", 1, "12.5%"), ("PII", 5, "62.5%"),
                                  ("QUASI", 6, "75.0%")], id="category"),
        pytest.param("tenant", [("acme", 7, "87.5%"), ("acme-redact", 1, "12.5%")], id="tenant"),
        pytest.param("jurisdiction", [("(none)", 1, "12.5%"), ("EU", 5, "62.5%"), ("US", 2, "25.0%")],
                     id="jurisdiction"),
        pytest.param("fallback", [("policy", 8, "100.0%")], id="fallback"),
    ],
)
def test_summary_counts_and_shares(logged, by, rows):
    code, out, _ = run("summary", str(logged.path), "--by", by)

    assert code == EXIT_OK
    title, header, *body, total = out.splitlines()[:len(rows) + 3]
    assert title.startswith(f"8 decisions by {by}, ")
    assert header.split() == [by, "decisions", "share"]
    assert sorted(tuple(line.split()) for line in body) == sorted((k, str(n), s) for k, n, s in rows)
    assert total.split() == ["total", "8", "100.0%"]


def test_summary_by_revision(logged):
    revision = json.loads(lines_of(logged.path)[0])["policy_revision"]
    code, out, _ = run("summary", str(logged.path), "--by", "revision")
    assert code == EXIT_OK
    assert out.splitlines()[2].split() == [revision, "8", "100.0%"]


def test_summary_time_window(logged):
    timestamps = [json.loads(line)["timestamp"] for line in lines_of(logged.path)]

    code, out, _ = run("summary", str(logged.path), "--since", timestamps[2], "--until", timestamps[-1])

    assert code == EXIT_OK
    # --since is included, --until excluded; records logged in the same millisecond count alike.
    expected = sum(timestamps[2] <= t < timestamps[-1] for t in timestamps)
    assert out.splitlines()[0].startswith(f"{expected} decisions by action, {timestamps[2]} .. ")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_summary_is_a_rich_table_on_a_terminal(logged):
    out, err = Terminal(), Terminal()

    assert main(["audit", "summary", str(logged.path)], out, err) == EXIT_OK

    assert "┏━" in out.getvalue() and "│ allow_external    │" in out.getvalue()
    assert "━" in err.getvalue()  # the progress bar, on the terminal only


# -- query -------------------------------------------------------------------------

ACTIONS_SQL = "SELECT result.action AS action, count(*) AS n FROM decisions GROUP BY 1 ORDER BY 1"


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        pytest.param("csv", "action,n\nallow_external,4\nredact,1\nroute_self_hosted,3\n", id="csv"),
        pytest.param("table", "action             n\nallow_external     4\nredact             1\n"
                              "route_self_hosted  3\n", id="table"),
        pytest.param("json", '[\n{"action": "allow_external", "n": 4},\n{"action": "redact", "n": 1},\n'
                             '{"action": "route_self_hosted", "n": 3}\n]\n', id="json"),
    ],
)
def test_query_formats(logged, fmt, expected):
    code, out, err = run("query", str(logged.path), ACTIONS_SQL, "--format", fmt)

    assert (code, err) == (EXIT_OK, "")
    assert out == expected


def test_query_sees_nested_fields_and_every_rotated_file(rotated, logged):
    sql = ("SELECT decision_id, input.caller.jurisdiction AS j, input.summary.types['EMAIL_ADDRESS'] AS emails, "
           "policy_result, timestamp FROM decisions ORDER BY timestamp, decision_id")

    code, out, _ = run("query", str(rotated[0].parent), sql, "--format", "json")

    rows = json.loads(out)
    assert code == EXIT_OK
    assert sorted(r["decision_id"] for r in rows) == sorted(logged.decision_ids)
    by_id = {r["decision_id"]: r for r in rows}
    second = by_id[logged.decision_ids[1]]
    assert (second["j"], second["emails"], second["policy_result"]["target"]) == ("EU", 1, "hosted-eu")
    assert second["timestamp"].endswith("Z")


def test_query_skips_a_torn_tail_with_a_warning(logged):
    with open(logged.path, "ab") as log:
        log.write(b'{"decision_id":"cut-short","inp')

    code, out, err = run("query", str(logged.path), "SELECT count(*) AS n FROM decisions", "--format", "csv")

    assert (code, out) == (EXIT_OK, "n\n8\n")
    assert "line 9 is incomplete (torn tail)" in err


def test_query_cannot_write_over_the_log(logged):
    before = logged.path.read_bytes()
    sql = f"SELECT * FROM decisions; COPY decisions TO '{logged.path}' (USE_TMP_FILE false)"

    assert run("query", str(logged.path), sql)[0] == EXIT_USAGE
    assert logged.path.read_bytes() == before


# -- replay ------------------------------------------------------------------------


@pytest.fixture
def all_pii_local(tmp_path) -> Path:
    """The shipped policy with no region allowed for personal data: every PII decision stays local."""
    bundle = tmp_path / "all-pii-local"
    shutil.copytree(SHIPPED_POLICY, bundle)
    data = json.loads((bundle / "data.json").read_text())
    data["residency"]["personal_data_regions"] = {}
    (bundle / "data.json").write_text(json.dumps(data))
    return bundle


def test_replay_lists_exactly_the_decisions_that_change(logged, all_pii_local):
    code, out, _ = run("replay", str(logged.path), "--policy", str(all_pii_local))

    assert code == EXIT_FAILED
    lines = out.splitlines()
    assert lines[0].startswith("replayed 8 decisions under policy revision sha256:")
    assert lines[0].endswith(": 4 would change")
    changed = {line.split()[0]: " ".join(line.split()[1:]) for line in lines[3:7]}
    local = "→ route_self_hosted/local"
    assert changed == {
        logged.decision_ids[1]: f"allow_external/hosted-eu {local}",
        logged.decision_ids[2]: f"allow_external/hosted-us {local}",
        logged.decision_ids[4]: f"redact/hosted-us {local}",
        logged.decision_ids[7]: f"allow_external/hosted-eu {local}",
    }
    assert lines[7] == "changes by kind"
    assert [line.rsplit(None, 1) for line in lines[8:]] == [
        ["change", "decisions"],
        [f"allow_external/hosted-eu {local}", "2"],
        [f"allow_external/hosted-us {local}", "1"],
        [f"redact/hosted-us {local}", "1"],
    ]


def test_replay_under_the_same_policy_changes_nothing(logged):
    code, out, _ = run("replay", str(logged.path), "--policy", str(SHIPPED_POLICY))

    assert code == EXIT_OK
    assert out.splitlines() == [out.splitlines()[0]]
    assert out.rstrip().endswith(": 0 would change")


def test_replay_applies_the_floor_whatever_the_policy_says(logged, tmp_path):
    # A policy that sends everything to hosted-us: the card must still fall back to local.
    bundle = tmp_path / "send-everything"
    bundle.mkdir()
    shutil.copy(SHIPPED_POLICY / "data.json", bundle / "data.json")
    (bundle / "decision.rego").write_text(
        'package residency\n\nimport rego.v1\n\n'
        'decision := {"action": "allow_external", "target": "hosted-us", "reasons": ["yolo"], "redact": []}\n'
    )

    code, out, _ = run("replay", str(logged.path), "--policy", str(bundle))

    assert code == EXIT_FAILED
    assert logged.decision_ids[3] not in out  # the floor keeps the card local, so it does not change
    assert "route_self_hosted/local → allow_external/hosted-us" in out
