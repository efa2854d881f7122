"""OPA bundle archives: reading them safely, and building them deterministically."""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import tarfile
from pathlib import Path

import pytest

from policy import bundles
from policy.bundles import build_bundle, load_bundle, read_archive, read_archive_bytes
from policy.errors import PolicyLoadError
from policy.rego import RegoEngine
from tests.conftest import SHIPPED_POLICY

POLICY = b"package residency\nimport rego.v1\nx := data.residency.k\n"


def tar_gz(*entries: tarfile.TarInfo | tuple[str, bytes]) -> bytes:
    """A .tar.gz of (name, content) files and ready-made TarInfo entries (links, devices)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for entry in entries:
            if isinstance(entry, tarfile.TarInfo):
                archive.addfile(entry)
            else:
                name, content = entry
                info = tarfile.TarInfo(name)
                info.size = len(content)
                archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def special(name: str, kind: bytes, linkname: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    return info


def test_a_built_archive_reads_back_as_the_directory(tmp_path):
    output = tmp_path / "bundle.tar.gz"

    written = build_bundle(SHIPPED_POLICY, output)
    read = read_archive(output)
    directory = load_bundle(SHIPPED_POLICY)

    assert (read.modules, read.data) == (directory.modules, directory.data)
    assert read.revision == written.revision == directory.revision  # the digest, when no revision is given
    assert [r.passed for r in RegoEngine(read).run_tests()].count(False) == 0


def test_build_is_byte_identical_whatever_the_file_times(tmp_path):
    source = tmp_path / "policy"
    shutil.copytree(SHIPPED_POLICY, source)
    build_bundle(source, tmp_path / "first.tar.gz")
    for path in source.iterdir():
        os.utime(path, (1_700_000_000, 1_700_000_000))
    build_bundle(source, tmp_path / "second.tar.gz")

    assert (tmp_path / "first.tar.gz").read_bytes() == (tmp_path / "second.tar.gz").read_bytes()


def test_build_writes_a_sorted_archive_with_fixed_times_and_a_manifest(tmp_path):
    output = tmp_path / "bundle.tar.gz"

    build_bundle(SHIPPED_POLICY, output, revision="2026-11-24.1")

    with tarfile.open(output) as archive:
        members = archive.getmembers()
        manifest = json.loads(archive.extractfile(".manifest").read())
    assert [m.name for m in members] == [".manifest", "data.json", "decision.rego", "decision_test.rego"]
    assert {m.mtime for m in members} == {0} and {(m.uid, m.gid, m.mode) for m in members} == {(0, 0, 0o644)}
    # OPA refuses a module outside the roots, so the test package is a root too.
    assert manifest == {"revision": "2026-11-24.1", "roots": ["residency", "residency_test"]}
    assert read_archive(output).revision == "2026-11-24.1"


def test_build_refuses_an_output_that_is_not_a_tar_gz(tmp_path):
    with pytest.raises(PolicyLoadError, match=r"must end in \.tar\.gz"):
        build_bundle(SHIPPED_POLICY, tmp_path / "bundle.zip")


@pytest.mark.parametrize(
    "names",
    [
        pytest.param(("data.json", "p.rego"), id="plain"),
        pytest.param(("/data.json", "/p.rego"), id="opa-build-leading-slash"),
        pytest.param(("./data.json", "./p.rego"), id="tar-dot-prefix"),
    ],
)
def test_entry_names_are_read_as_opa_reads_them(names):
    data_name, module_name = names

    bundle = read_archive_bytes(tar_gz((data_name, b'{"residency": {"k": 1}}'), (module_name, POLICY)), source="b")

    assert [path for path, _ in bundle.modules] == ["p.rego"]
    assert RegoEngine(bundle).evaluate("data.residency.x", {}) == 1


def test_nested_data_lands_at_its_folder_path_and_the_manifest_names_the_revision():
    archive = tar_gz(
        (".manifest", b'{"revision": "r-7", "roots": ["residency"]}'),
        ("residency/data.json", b'{"k": 7}'),
        ("policies/p.rego", POLICY),
    )

    bundle = read_archive_bytes(archive, source="b.tar.gz")

    assert bundle.revision == "r-7"
    assert RegoEngine(bundle).evaluate("data.residency.x", {}) == 7


def test_a_compile_error_in_an_archive_names_the_entry_line_and_column():
    bundle = read_archive_bytes(tar_gz(("rules/p.rego", b"package residency\n\nx := [\n")), source="b.tar.gz")

    with pytest.raises(PolicyLoadError, match=r"rules/p\.rego:\d+:\d+: error:"):
        RegoEngine(bundle)


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        pytest.param([("../evil.rego", POLICY)], "leaves the bundle", id="parent-traversal"),
        pytest.param([("a/../../evil.rego", POLICY)], "leaves the bundle", id="nested-traversal"),
        pytest.param([("//etc/evil.rego", POLICY)], "not a bundle path", id="double-slash-absolute"),
        pytest.param([("C:/evil.rego", POLICY)], "not a bundle path", id="drive-letter"),
        pytest.param([("a\\evil.rego", POLICY)], "not a bundle path", id="backslash"),
        pytest.param([("p.rego", POLICY), special("q.rego", tarfile.SYMTYPE, "/etc/passwd")], "symlink entries",
                     id="symlink"),
        pytest.param([("p.rego", POLICY), special("q.rego", tarfile.LNKTYPE, "p.rego")], "hard link entries",
                     id="hard-link"),
        pytest.param([("p.rego", POLICY), special("dev", tarfile.CHRTYPE)], "device or fifo", id="device"),
        pytest.param([("p.rego", POLICY), ("./p.rego", POLICY)], "appears twice", id="duplicate"),
        pytest.param([("data.json", b"{}")], "no .rego files", id="no-modules"),
        pytest.param([("p.rego", POLICY), ("data.json", b'{"residency": [1,\n 2,,]}')],
                     r"b\.tar\.gz:data\.json:2:4: invalid JSON", id="bad-json"),
        pytest.param([("p.rego", POLICY), ("a/data.json", b'{"k": 1}'), ("data.json", b'{"a": {"k": 2}}')],
                     r"data\.json redefines data key 'a'", id="conflicting-data"),
        pytest.param([("p.rego", POLICY), ("data.yaml", b"k: 1")], "YAML data files are not supported", id="yaml"),
        pytest.param([("p.rego", POLICY), (".signatures.json", b"{}")], "signatures would not be verified",
                     id="signed"),
        pytest.param([("p.rego", POLICY), ("policy.wasm", b"\0asm")], "Wasm modules are not supported", id="wasm"),
        pytest.param([("p.rego", POLICY), (".manifest", b'{"revision": 7}')], "revision must be a string",
                     id="numeric-revision"),
        pytest.param([("p.rego", POLICY), (".manifest", b'{"roots": "residency"}')], "roots must be a list",
                     id="roots-not-a-list"),
        pytest.param([("p.rego", POLICY), (".manifest", b'{"roots": ["other"]}')],
                     r"p\.rego: package residency is outside the manifest roots", id="package-outside-roots"),
        pytest.param([("p.rego", POLICY), ("data.json", b'{"residency": {}, "other": {"k": 1}}'),
                      (".manifest", b'{"roots": ["residency"]}')],
                     r"data at other\.k is outside the manifest roots", id="data-outside-roots"),
    ],
)
def test_unsafe_or_unsupported_archives_are_refused(entries, message):
    with pytest.raises(PolicyLoadError, match=message):
        read_archive_bytes(tar_gz(*entries), source="b.tar.gz")


def test_too_many_entries_are_refused(monkeypatch):
    monkeypatch.setattr(bundles, "MAX_ENTRIES", 3)

    with pytest.raises(PolicyLoadError, match="over 3 entries"):
        read_archive_bytes(tar_gz(*[(f"p{i}.rego", POLICY) for i in range(4)]), source="b")


def test_an_oversize_archive_is_refused(monkeypatch):
    monkeypatch.setattr(bundles, "MAX_ARCHIVE_BYTES", 64)

    with pytest.raises(PolicyLoadError, match="archive is over 64 bytes"):
        read_archive_bytes(tar_gz(("p.rego", POLICY)), source="b")


def test_a_gzip_bomb_is_stopped_at_the_unpacked_limit(monkeypatch):
    monkeypatch.setattr(bundles, "MAX_UNPACKED_BYTES", 1024 * 1024)
    bomb = tar_gz(("p.rego", POLICY), ("padding.txt", b"\0" * (8 * 1024 * 1024)))

    assert len(bomb) < 64 * 1024
    with pytest.raises(PolicyLoadError, match="unpacks to over 1048576 bytes"):
        read_archive_bytes(bomb, source="b")


@pytest.mark.parametrize(
    ("archive", "message"),
    [
        pytest.param(b"not gzip at all", "not a gzip archive", id="not-gzip"),
        pytest.param(tar_gz(("p.rego", POLICY))[:40], "truncated gzip archive", id="truncated"),
        pytest.param(gzip.compress(b"\1" * 1024), "not a tar archive", id="gzip-but-not-tar"),
    ],
)
def test_archives_that_are_not_bundles_are_refused(archive, message):
    with pytest.raises(PolicyLoadError, match=message):
        read_archive_bytes(archive, source="b")


def test_load_bundle_takes_a_directory_or_an_archive(tmp_path):
    archive = tmp_path / "bundle.tar.gz"
    build_bundle(SHIPPED_POLICY, archive, revision="r1")
    (tmp_path / "notes.txt").write_text("not a bundle")

    assert load_bundle(SHIPPED_POLICY).revision == load_bundle(SHIPPED_POLICY).revision
    assert load_bundle(archive).revision == "r1"
    with pytest.raises(PolicyLoadError, match=r"neither a directory nor a \.tar\.gz"):
        load_bundle(tmp_path / "notes.txt")


def test_read_archive_names_a_missing_file(tmp_path: Path):
    with pytest.raises(PolicyLoadError, match=r"cannot read .*missing\.tar\.gz"):
        read_archive(tmp_path / "missing.tar.gz")
