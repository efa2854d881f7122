"""The policy in force, and its hot reload from a directory, a bundle archive or a URL.

    PolicyStore.start()      source.load() ─▶ gates ─▶ in force        (raises if the first policy fails)
      └─ reload thread       every poll_interval_s: source.poll() ─▶ changed? ─▶ gates ─▶ swap, or keep the old one
    PolicyStore.current()    the policy in force: one attribute read, so a swap is atomic per decision
    PolicyStore.status()     revision, last reload time, last error, reload failures

    gates: compile ─▶ the bundle's test_* rules ─▶ the decision contract (policy.contract)
           ─▶ the fallback target is still a self-hosted target

Sources (`policy_source(location)`):
    DirectorySource   a bundle directory, polled by file stats
    ArchiveSource     a .tar.gz bundle, polled by stat
    UrlSource         an HTTP(S) bundle URL, polled with If-None-Match; 304 is "unchanged", not a reload
    OpaSource         a remote OPA server (policy.opa_remote), polled for its bundle revision

Files are polled, not watched with watchfiles: one loop serves files and URLs alike,
it sees Kubernetes ConfigMap symlink swaps and network volumes that inotify misses,
and it costs a few stat() calls per interval. A changed file set must hold still for
one interval before it is read, because editors and `cp -r` write files one by one.

Error behaviour: a candidate that fails to load or fails a gate never serves. The old
policy keeps serving; the error (file:line:col for Rego) is logged and kept in
status(); the same failed version is not tried again until it changes. Only the first
load raises (PolicyLoadError), so that a sidecar never reports SERVING without a policy.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from policy.bundles import ARCHIVE_SUFFIXES, MAX_ARCHIVE_BYTES, load_bundle, read_archive, read_archive_bytes
from policy.contract import PolicyLike, check_contract, tenants_with_exceptions
from policy.decision import DEFAULT_FLOOR_CATEGORIES, Target
from policy.errors import PolicyError, PolicyLoadError
from policy.pipeline import Policy
from policy.rego import Bundle, RegoEngine

log = logging.getLogger("residency.policy")

DEFAULT_POLL_INTERVAL_S = 1.0
DEFAULT_FETCH_TIMEOUT_S = 5.0
_URL_SCHEMES = ("http://", "https://")
_NO_STAMP = object()  # no file stamp taken yet; a missing file's stamp is None


@dataclass(frozen=True)
class Candidate:
    """A loaded policy on its way through the gates; `tenants` widen its contract check."""

    policy: PolicyLike
    tenants: tuple[str, ...] = ()


class PolicySource(Protocol):
    location: str  # a path or URL, for logs and status

    def load(self) -> Candidate:
        """The policy as it is now; raises PolicyError."""

    def poll(self) -> Candidate | None:
        """A new candidate when the source changed since the last load or poll, else None; raises PolicyError."""

    def close(self) -> None: ...


@dataclass(frozen=True)
class PolicyStatus:
    location: str
    revision: str  # "" until the first policy is in force
    last_reload_time: float | None  # time.time() of the last swap, the first load included
    last_error: str  # why the last refused candidate was refused; "" after a successful reload
    reload_failures: int  # refused candidates since start
    reloads: int  # successful swaps since start, the first load excluded


def compile_bundle(bundle: Bundle) -> Candidate:
    """Compile a bundle and run its test_* rules; a failing test refuses the bundle."""
    engine = RegoEngine(bundle)  # PolicyLoadError with file:line:col when it does not compile
    results = engine.run_tests()
    failed = [result for result in results if not result.passed]
    if failed:
        first = failed[0]
        detail = f" ({first.error})" if first.error else ""
        raise PolicyLoadError(
            f"{len(failed)} of {len(results)} policy tests fail; first: {first.name} at {first.location}{detail}"
        )
    return Candidate(Policy(engine), tenants_with_exceptions(bundle.data))


def fallback_problem(targets: Mapping[str, Target], fallback_target: str | None) -> str:
    """Why `fallback_target` cannot be the fail-closed fallback of this policy, or ""."""
    target = targets.get(fallback_target or "")
    if not fallback_target or (target is not None and target.self_hosted):
        return ""
    return f"the fallback target {fallback_target!r} is not a self-hosted target of the policy data"


def policy_source(location: str | os.PathLike, *, fetch_timeout_s: float = DEFAULT_FETCH_TIMEOUT_S) -> PolicySource:
    """The source for `policy.path`: an http(s) URL, a .tar.gz bundle, or a bundle directory."""
    text = os.fspath(location)
    if text.startswith(_URL_SCHEMES):
        return UrlSource(text, timeout_s=fetch_timeout_s)
    path = Path(text)
    if path.name.endswith(ARCHIVE_SUFFIXES):
        return ArchiveSource(path)
    if path.is_dir():
        return DirectorySource(path)
    raise PolicyLoadError(f"policy.path {text!r} is neither a bundle directory, a .tar.gz bundle nor an http(s) URL")


class _PolledFiles:
    """Stat-polled bundle files: a change is read once it has held still for one poll."""

    location: str

    def __init__(self) -> None:
        self._seen: object = _NO_STAMP
        self._pending: object = _NO_STAMP
        self._last: Bundle | None = None

    def load(self) -> Candidate:
        self._seen, self._pending = self._stamp(), _NO_STAMP
        self._last = self._read()
        return compile_bundle(self._last)

    def poll(self) -> Candidate | None:
        stamp = self._stamp()
        if stamp == self._seen:
            self._pending = _NO_STAMP
            return None
        if stamp != self._pending:
            self._pending = stamp
            return None
        self._seen, self._pending = stamp, _NO_STAMP
        bundle = self._read()
        if bundle == self._last:  # touched, or rewritten with the same content
            return None
        self._last = bundle
        return compile_bundle(bundle)

    def close(self) -> None:
        """Nothing is held open between polls."""

    def _stamp(self) -> object:
        raise NotImplementedError

    def _read(self) -> Bundle:
        raise NotImplementedError


class DirectorySource(_PolledFiles):
    def __init__(self, root: str | os.PathLike) -> None:
        super().__init__()
        self.root = Path(root)
        self.location = str(self.root)

    def _stamp(self) -> object:
        return tuple(sorted((str(path), _stat(path)) for path in self.root.rglob("*") if path.is_file()))

    def _read(self) -> Bundle:
        return load_bundle(self.root)


class ArchiveSource(_PolledFiles):
    def __init__(self, path: str | os.PathLike) -> None:
        super().__init__()
        self.path = Path(path)
        self.location = str(self.path)

    def _stamp(self) -> object:
        return _stat(self.path)

    def _read(self) -> Bundle:
        return read_archive(self.path)


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        status = path.stat()  # follows symlinks: a ConfigMap's ..data swap changes this
    except OSError:
        return None  # gone or unreadable for now: a change like any other
    return (status.st_size, status.st_mtime_ns, status.st_ino)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is answered as the HTTP error it is


# Only the configured URL: no proxy from the environment, no redirect to another host.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())


class UrlSource:
    """A bundle served over HTTP(S), fetched with If-None-Match once an ETag is known."""

    def __init__(self, url: str, *, timeout_s: float = DEFAULT_FETCH_TIMEOUT_S) -> None:
        self.location = url
        self._timeout_s = timeout_s
        self._etag = ""
        self._last: Bundle | None = None

    def load(self) -> Candidate:
        self._etag = ""
        candidate = self._fetch()
        if candidate is None:
            raise PolicyLoadError(f"{self.location}: the server sent no bundle")
        return candidate

    def poll(self) -> Candidate | None:
        return self._fetch()

    def close(self) -> None:
        """Each fetch opens and closes its own connection."""

    def _fetch(self) -> Candidate | None:
        headers = {"If-None-Match": self._etag} if self._etag else {}
        request = urllib.request.Request(self.location, headers=headers)
        try:
            with _OPENER.open(request, timeout=self._timeout_s) as response:
                body = response.read(MAX_ARCHIVE_BYTES + 1)
                etag = response.headers.get("ETag", "")
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return None
            raise PolicyLoadError(f"{self.location}: HTTP {exc.code} {exc.reason}") from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise PolicyLoadError(f"{self.location}: cannot fetch the bundle: {reason}") from exc
        # Remembered before the gates: a refused bundle is not fetched again until the server changes it.
        self._etag = etag
        bundle = read_archive_bytes(body, source=self.location)
        if bundle == self._last:
            return None
        self._last = bundle
        return compile_bundle(bundle)


class PolicyStore:
    """Holds the policy in force and replaces it, whole, when its source changes and passes the gates."""

    def __init__(
        self,
        source: PolicySource,
        *,
        poll_interval_s: float = DEFAULT_POLL_INTERVAL_S,
        floor_categories: frozenset[str] = DEFAULT_FLOOR_CATEGORIES,
        fallback_target: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._source = source
        self._poll_interval_s = poll_interval_s
        self._floor = floor_categories
        self._fallback_target = fallback_target
        self._clock = clock
        self._policy: PolicyLike | None = None
        self._status = PolicyStatus(source.location, "", None, "", 0, 0)
        self._status_lock = threading.Lock()
        self._reload_lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Load and gate the first policy (raises PolicyError), then poll in the background.

        A poll_interval_s of 0 loads once and never reloads.
        """
        with self._reload_lock:
            policy = self._gate(self._source.load())
            self._swap(policy, first=True)
        if self._poll_interval_s > 0:
            self._thread = threading.Thread(target=self._poll_forever, name="residency-policy-reload", daemon=True)
            self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop polling; a reload still running (a slow server) is abandoned after timeout_s."""
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout=timeout_s)
            self._thread = None
        self._source.close()

    def current(self) -> PolicyLike:
        policy = self._policy
        if policy is None:
            raise PolicyLoadError("the policy store has not been started")
        return policy

    def status(self) -> PolicyStatus:
        with self._status_lock:
            return self._status

    def refresh(self) -> bool:
        """Poll the source once now; True when a new policy went into force."""
        with self._reload_lock:
            try:
                candidate = self._source.poll()
                if candidate is None:
                    return False
                policy = self._gate(candidate)
            except PolicyError as exc:
                self._refuse(str(exc))
                return False
            except Exception as exc:  # noqa: BLE001 — a bug in a source must not end hot reload
                log.exception("policy reload from %s failed unexpectedly", self._source.location)
                self._refuse(f"{type(exc).__name__}: {exc}")
                return False
            self._swap(policy, first=False)
            return True

    def _poll_forever(self) -> None:
        while not self._stopped.wait(self._poll_interval_s):
            self.refresh()

    def _gate(self, candidate: Candidate) -> PolicyLike:
        policy = candidate.policy
        report = check_contract(policy, tenants=candidate.tenants, floor_categories=self._floor)
        if not report.passed:
            raise PolicyLoadError(f"decision contract: {report.summary()}")
        problem = fallback_problem(policy.targets, self._fallback_target)
        if problem:
            raise PolicyLoadError(problem)
        return policy

    def _swap(self, policy: PolicyLike, *, first: bool) -> None:
        previous = self._policy
        self._policy = policy
        with self._status_lock:
            self._status = replace(
                self._status,
                revision=policy.revision,
                last_reload_time=self._clock(),
                last_error="",
                reloads=self._status.reloads + (0 if first else 1),
            )
        was = f" (was {previous.revision})" if previous is not None else ""
        log.info("policy revision %s in force%s, from %s", policy.revision, was, self._source.location)

    def _refuse(self, error: str) -> None:
        with self._status_lock:
            status = self._status = replace(
                self._status, last_error=error, reload_failures=self._status.reload_failures + 1
            )
        log.warning(
            "policy from %s refused, revision %s keeps serving: %s", self._source.location, status.revision, error
        )

