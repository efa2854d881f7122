"""Policy bundles: read one from a directory or a `.tar.gz`, and build a `.tar.gz` from a directory.

    directory     ─▶ read_directory() ─┐
    bundle.tar.gz ─▶ read_archive()   ─┴▶ entries checked ─▶ Bundle(modules, data, revision)
    directory     ─▶ build_bundle()  sorted entries, fixed mtimes, .manifest ─▶ bundle.tar.gz (same input, same bytes)
    load_bundle(path)                either, by what `path` is: the one way the project loads a bundle

The layout is OPA's: `*.rego` anywhere, `data.json` at its folder's data path
(`a/b/data.json` → `data.a.b`), `.manifest` at the root. In a directory, folders whose
names start with "." are skipped (a Kubernetes ConfigMap mount keeps its versions in
`..2026_…` folders behind symlinks). The manifest's `revision` becomes `Bundle.revision` (else the
digest of modules and data, as for a directory). Its `roots`, when present, must cover
every package and every data key, as OPA requires before it activates a bundle.
Nothing is extracted to disk. Entry names are read as OPA reads them: `/a.rego`,
`./a.rego` and `a.rego` are the same file (`opa build` writes the first form).

Errors: every refusal is a PolicyLoadError naming the archive and the entry
(`bundle.tar.gz:data.json:3:7: invalid JSON`): a `..` or `//` path, a backslash,
symlinks, hard links and devices, a name that appears twice, more than MAX_ENTRIES
entries, over MAX_ARCHIVE_BYTES compressed or MAX_UNPACKED_BYTES unpacked, a manifest
whose roots do not cover the bundle, and what we cannot honour rather than ignore:
`data.yaml`, `.wasm` modules, and `.signatures.json` (signatures would go unverified).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import tarfile
import tempfile
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from policy.errors import PolicyLoadError
from policy.rego import Bundle

MANIFEST = ".manifest"
MAX_ARCHIVE_BYTES = 16 * 1024 * 1024
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_ENTRIES = 4096
ARCHIVE_SUFFIXES = (".tar.gz", ".tgz")
# Fixed metadata so that the same directory always builds the same bytes.
_BUILD_MTIME = 0
_BUILD_MODE = 0o644
_UNSUPPORTED = {
    "data.yaml": "YAML data files are not supported; use data.json",
    "data.yml": "YAML data files are not supported; use data.json",
    ".signatures.json": "signed bundles are not supported: the signatures would not be verified",
}
_PACKAGE = re.compile(r"^package\s+([A-Za-z_][\w.]*)", re.MULTILINE)


def load_bundle(path: str | os.PathLike) -> Bundle:
    """The bundle at `path`: a bundle directory or a `.tar.gz` bundle archive."""
    path = Path(path)
    if path.is_dir():
        return read_directory(path)
    if path.name.endswith(ARCHIVE_SUFFIXES) and path.is_file():
        return read_archive(path)
    raise PolicyLoadError(f"policy bundle: {path} is neither a directory nor a .tar.gz bundle")


def read_directory(root: str | os.PathLike) -> Bundle:
    root = Path(root)
    files: dict[str, bytes] = {}
    total = 0
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in names:
            path = Path(folder) / name
            relative = path.relative_to(root).as_posix()
            if name.startswith(".") and relative != MANIFEST:
                continue
            try:
                files[relative] = path.read_bytes()
            except OSError as exc:
                raise PolicyLoadError(f"policy bundle: cannot read {path}: {exc.strerror}") from exc
            total += len(files[relative])
            if len(files) > MAX_ENTRIES or total > MAX_UNPACKED_BYTES:
                raise PolicyLoadError(f"policy bundle: {root} holds over {MAX_ENTRIES} files or {MAX_UNPACKED_BYTES} bytes")
    return _bundle_from_files(files, str(root))


def read_archive(path: str | os.PathLike) -> Bundle:
    path = Path(path)
    try:
        with path.open("rb") as file:
            archive = file.read(MAX_ARCHIVE_BYTES + 1)
    except OSError as exc:
        raise PolicyLoadError(f"policy bundle: cannot read {path}: {exc.strerror}") from exc
    return read_archive_bytes(archive, source=str(path))


def read_archive_bytes(archive: bytes, *, source: str) -> Bundle:
    """A bundle from the bytes of a `.tar.gz`; `source` names it in errors."""
    if len(archive) > MAX_ARCHIVE_BYTES:
        raise PolicyLoadError(f"{source}: bundle archive is over {MAX_ARCHIVE_BYTES} bytes")
    files = _regular_files(_gunzip(archive, source), source)
    return _bundle_from_files(files, source)


def build_bundle(directory: str | os.PathLike, output: str | os.PathLike, revision: str | None = None) -> Bundle:
    """Write the bundle directory as an OPA bundle archive; returns the bundle as it was written.

    The revision defaults to the digest of modules and data, so an unchanged directory
    rebuilds the same revision. The roots are the first segment of every package and
    data key (`residency`, `residency_test`): OPA refuses a module outside the roots.
    A `.manifest` in the directory is replaced by the one written here.
    """
    output = Path(output)
    if not output.name.endswith(ARCHIVE_SUFFIXES):
        raise PolicyLoadError(f"policy bundle: output {output} must end in .tar.gz")
    source = read_directory(directory)
    revision = revision if revision is not None else _digest(list(source.modules), source.data)
    if not revision.strip():
        raise PolicyLoadError("policy bundle: the revision must not be empty")
    roots = sorted({path[0] for path in _package_paths(source.modules) if path} | set(source.data))
    manifest = {"revision": revision, "roots": roots}
    entries = [
        (MANIFEST, _json_bytes(manifest)),
        ("data.json", _json_bytes(source.data)),
        *sorted(((path, text.encode()) for path, text in source.modules), key=lambda entry: _sort_key(entry[0])),
    ]
    _write_atomically(output, _tar_gz(entries))
    return Bundle(modules=source.modules, data=source.data, revision=revision)


def _gunzip(archive: bytes, source: str) -> bytes:
    """Decompress at most MAX_UNPACKED_BYTES, so that a gzip bomb costs no more than that."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        unpacked = inflater.decompress(archive, MAX_UNPACKED_BYTES + 1)
    except zlib.error as exc:
        raise PolicyLoadError(f"{source}: not a gzip archive ({exc})") from exc
    if len(unpacked) > MAX_UNPACKED_BYTES:
        raise PolicyLoadError(f"{source}: bundle unpacks to over {MAX_UNPACKED_BYTES} bytes")
    if not inflater.eof:
        raise PolicyLoadError(f"{source}: truncated gzip archive")
    return unpacked


def _regular_files(tar_bytes: bytes, source: str) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(tar_bytes), mode="r:") as archive:
            for count, member in enumerate(archive, start=1):
                if count > MAX_ENTRIES:
                    raise PolicyLoadError(f"{source}: bundle has over {MAX_ENTRIES} entries")
                name = _entry_path(member.name, source)
                if member.isdir():
                    continue
                if not member.isfile():
                    raise PolicyLoadError(f"{source}:{member.name}: {_kind(member)} entries are refused")
                if name in files:
                    raise PolicyLoadError(f"{source}:{name}: appears twice in the archive")
                files[name] = archive.extractfile(member).read()
    except tarfile.TarError as exc:
        raise PolicyLoadError(f"{source}: not a tar archive ({exc})") from exc
    return files


def _entry_path(name: str, source: str) -> str:
    """The bundle-relative path of an entry; refuses anything that could name a place outside the bundle."""
    if "\\" in name or name.startswith("//") or re.match(r"^[A-Za-z]:", name):
        raise PolicyLoadError(f"{source}:{name}: entry path is not a bundle path")
    parts = [part for part in name.removeprefix("/").split("/") if part not in ("", ".")]
    if ".." in parts:
        raise PolicyLoadError(f"{source}:{name}: entry path leaves the bundle")
    return "/".join(parts)


def _kind(member: tarfile.TarInfo) -> str:
    if member.issym():
        return "symlink"
    if member.islnk():
        return "hard link"
    return "device or fifo"


def _bundle_from_files(files: dict[str, bytes], source: str) -> Bundle:
    manifest = _manifest(files.pop(MANIFEST, None), source)
    modules: list[tuple[str, str]] = []
    data: dict[str, Any] = {}
    for name in sorted(files, key=_sort_key):
        where = f"{source}:{name}"
        base = name.rsplit("/", 1)[-1]
        if base in _UNSUPPORTED:
            raise PolicyLoadError(f"{where}: {_UNSUPPORTED[base]}")
        if name.endswith(".wasm"):
            raise PolicyLoadError(f"{where}: Wasm modules are not supported; ship Rego")
        if name.endswith(".rego"):
            modules.append((name, _text(files[name], where)))
        elif base == "data.json":
            _merge_at(data, tuple(name.split("/")[:-1]), _json(files[name], where), where)
        # Any other file (a README, a LICENSE) is not part of the policy, as in OPA.
    if not modules:
        raise PolicyLoadError(f"{source}: no .rego files in the bundle")
    if "roots" in manifest:
        _check_roots(manifest["roots"], modules, data, source)
    revision = manifest.get("revision") or _digest(modules, data)
    return Bundle(modules=tuple(modules), data=data, revision=revision)


def _manifest(raw: bytes | None, source: str) -> dict[str, Any]:
    if raw is None:
        return {}
    manifest = _json(raw, f"{source}:{MANIFEST}")
    if not isinstance(manifest, dict):
        raise PolicyLoadError(f"{source}:{MANIFEST}: must hold a JSON object")
    if not isinstance(manifest.get("revision", ""), str):
        raise PolicyLoadError(f"{source}:{MANIFEST}: revision must be a string")
    roots = manifest.get("roots", [])
    if not isinstance(roots, list) or not all(isinstance(root, str) for root in roots):
        raise PolicyLoadError(f"{source}:{MANIFEST}: roots must be a list of strings")
    return manifest


def _check_roots(roots: list[str], modules: list[tuple[str, str]], data: Mapping[str, Any], source: str) -> None:
    """OPA's rule: every package and every data value must lie under a root (`""` covers all)."""
    root_paths = [tuple(part for part in root.split("/") if part) for root in roots]

    def covered(path: tuple[str, ...]) -> bool:
        return any(path[: len(root)] == root for root in root_paths)

    for (name, _), package in zip(modules, _package_paths(modules), strict=True):
        if package and not covered(package):
            raise PolicyLoadError(
                f"{source}:{name}: package {'.'.join(package)} is outside the manifest roots {roots}"
            )
    uncovered = _uncovered_data(data, (), covered)
    if uncovered is not None:
        raise PolicyLoadError(f"{source}: data at {'.'.join(uncovered)} is outside the manifest roots {roots}")


def _uncovered_data(node: Any, path: tuple[str, ...], covered) -> tuple[str, ...] | None:
    if covered(path):
        return None
    if isinstance(node, dict) and node:
        for key, value in node.items():
            found = _uncovered_data(value, (*path, key), covered)
            if found is not None:
                return found
        return None
    return path


def _package_paths(modules: Iterable[tuple[str, str]]) -> list[tuple[str, ...]]:
    """Each module's package path; () when it has none (the compiler reports that module)."""
    paths = []
    for _, text in modules:
        match = _PACKAGE.search(text)
        paths.append(tuple(match.group(1).split(".")) if match else ())
    return paths


def _sort_key(path: str) -> tuple[str, ...]:
    # By path parts, so that a directory and its archive digest alike.
    return tuple(path.split("/"))


def _merge_at(data: dict[str, Any], parts: tuple[str, ...], value: Any, source: str) -> None:
    node = data
    for part in parts:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise PolicyLoadError(f"policy bundle: {source} conflicts with data at {'.'.join(parts)}")
    if not isinstance(value, dict):
        raise PolicyLoadError(f"policy bundle: {source} must hold a JSON object")
    for key, item in value.items():
        if key in node:
            raise PolicyLoadError(f"policy bundle: {source} redefines data key {key!r}")
        node[key] = item


def _digest(modules: list[tuple[str, str]] | tuple[tuple[str, str], ...], data: Mapping[str, Any]) -> str:
    digest = hashlib.sha256()
    for path, source in modules:
        digest.update(f"{path}\0{source}\0".encode())
    digest.update(json.dumps(data, sort_keys=True, separators=(",", ":")).encode())
    return "sha256:" + digest.hexdigest()[:16]


def _text(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PolicyLoadError(f"{where}: not UTF-8 text (byte {exc.start})") from exc


def _json(raw: bytes, where: str) -> Any:
    try:
        return json.loads(_text(raw, where))
    except json.JSONDecodeError as exc:
        raise PolicyLoadError(f"{where}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from None


def _json_bytes(value: Any) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode()


def _tar_gz(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    # filename="" and mtime=0 keep the gzip header free of the output name and the time.
    with (
        gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=_BUILD_MTIME) as zipped,
        tarfile.open(fileobj=zipped, mode="w", format=tarfile.PAX_FORMAT) as archive,
    ):
        for name, content in entries:
            info = tarfile.TarInfo(name)
            info.size = len(content)
            info.mtime = _BUILD_MTIME
            info.mode = _BUILD_MODE
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def _write_atomically(output: Path, content: bytes) -> None:
    """Write then rename, so that a watcher of `output` never reads half an archive."""
    temporary = None
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.")
        with os.fdopen(descriptor, "wb") as file:
            file.write(content)
        os.chmod(temporary, _BUILD_MODE)
        os.replace(temporary, output)
    except OSError as exc:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        raise PolicyLoadError(f"policy bundle: cannot write {output}: {exc.strerror}") from exc
