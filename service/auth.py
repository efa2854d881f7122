"""Caller identity: who is calling is proven by the transport, not claimed in the request.

    request ─▶ Authenticator.authenticate(context)
                 ├─ mTLS client certificate: SAN or "CN=<common name>" ─▶ profile
                 └─ bearer token (metadata "authorization: Bearer …"): SHA-256 ─▶ profile
               ─▶ CallerProfile.check(request.caller)   claims outside the profile ─▶ PERMISSION_DENIED

With no profiles configured, authentication is off and the caller's fields are taken as
sent (the sidecar listens on loopback or a private unix socket by default). Tokens are
stored as SHA-256 digests and compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import grpc

from policy.errors import ConfigError

TOKEN_PREFIX = "sha256:"


@dataclass(frozen=True)
class CallerProfile:
    """What an authenticated identity may claim. An empty tuple allows any value."""

    name: str
    services: tuple[str, ...] = ()
    tenants: tuple[str, ...] = ()
    jurisdictions: tuple[str, ...] = ()

    def refusal(self, service: str, tenant: str, jurisdiction: str) -> str | None:
        """Why these claims are outside the profile, or None when they are inside."""
        for field, value, allowed in (
            ("service", service, self.services),
            ("tenant", tenant, self.tenants),
            ("jurisdiction", jurisdiction, self.jurisdictions),
        ):
            if allowed and value not in allowed:
                return f"caller.{field} is not one this identity may claim (profile {self.name!r})"
        return None


class AuthenticationFailed(Exception):
    def __init__(self, code: grpc.StatusCode, message: str) -> None:
        super().__init__(message)
        self.code = code


class Authenticator:
    def __init__(
        self,
        *,
        profiles: Mapping[str, CallerProfile],
        certificate_identities: Mapping[str, str],
        token_digests: Mapping[str, str],
    ) -> None:
        self._profiles = dict(profiles)
        self._certificate_identities = dict(certificate_identities)
        self._token_digests = [(bytes.fromhex(digest), profile) for digest, profile in token_digests.items()]
        for profile in [*self._certificate_identities.values(), *(p for _, p in self._token_digests)]:
            if profile not in self._profiles:
                raise ConfigError(f"auth: identity maps to unknown profile {profile!r}")

    @property
    def enabled(self) -> bool:
        return bool(self._certificate_identities or self._token_digests)

    def authenticate(self, context: grpc.ServicerContext) -> CallerProfile | None:
        """The profile of the calling identity; None when authentication is off."""
        if not self.enabled:
            return None
        profile = self._from_certificate(context.auth_context()) or self._from_token(context.invocation_metadata())
        if profile is None:
            raise AuthenticationFailed(
                grpc.StatusCode.UNAUTHENTICATED,
                "authentication is required: present a known client certificate or an 'authorization: Bearer' token",
            )
        return self._profiles[profile]

    def _from_certificate(self, auth_context: Mapping[str, list[bytes]]) -> str | None:
        names = [b.decode("utf-8", "replace") for b in auth_context.get("x509_subject_alternative_name", [])]
        names += ["CN=" + b.decode("utf-8", "replace") for b in auth_context.get("x509_common_name", [])]
        for name in names:
            if name in self._certificate_identities:
                return self._certificate_identities[name]
        return None

    def _from_token(self, metadata) -> str | None:
        header = next((value for key, value in metadata or () if key == "authorization"), "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None
        digest = hashlib.sha256(token.strip().encode()).digest()
        found = None
        for known, profile in self._token_digests:  # no early exit: the time taken does not depend on the match
            if hmac.compare_digest(digest, known):
                found = profile
        return found


def hash_token(token: str) -> str:
    """The line to put in a tokens file for `token`."""
    return TOKEN_PREFIX + hashlib.sha256(token.encode()).hexdigest()


def read_tokens_file(path: Path) -> dict[str, str]:
    """`<profile> sha256:<hex>` per line; `#` starts a comment. Returns {hex digest: profile}."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"auth.tokens_file: cannot read {path}: {exc.strerror}") from exc
    digests: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 2 or not parts[1].startswith(TOKEN_PREFIX) or len(parts[1]) != len(TOKEN_PREFIX) + 64:
            raise ConfigError(f"auth.tokens_file {path}:{number}: expected '<profile> sha256:<64 hex digits>'")
        try:
            bytes.fromhex(parts[1][len(TOKEN_PREFIX):])
        except ValueError:
            raise ConfigError(f"auth.tokens_file {path}:{number}: the digest is not hex") from None
        digests[parts[1][len(TOKEN_PREFIX):]] = parts[0]
    return digests
