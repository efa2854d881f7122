"""Private key blocks (PEM, OpenSSH, PGP, PuTTY; also truncated or JSON-escaped) and JWTs."""

from __future__ import annotations

import base64
import binascii
import bisect
import json
import re
from collections.abc import Iterator

from detect_secrets.plugins.jwt import JwtTokenDetector

from policy.recognizers.secrets._values import (
    DETECT_SECRETS,
    JWT,
    PRIVATE_KEY,
    RESIDENCY,
    SCORE_BLOCK,
    SCORE_PREFIXED,
    SCORE_SECONDARY_PREFIXED,
    SCORE_SHAPED,
    Finding,
)

# --------------------------------------------------------------------------------------
# Private key blocks: the whole block, BEGIN to END, is the secret.
# --------------------------------------------------------------------------------------

# Covers every marker of detect-secrets' PrivateKeyDetector (a test checks this) and more,
# e.g. "ENCRYPTED PRIVATE KEY"; SSH2 uses four dashes and spaces.
_KEY_LABEL = r"(?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?"
_PEM_BEGIN = re.compile(rf"-{{4,5}} ?BEGIN {_KEY_LABEL} ?-{{4,5}}")
_PEM_END = re.compile(rf"-{{4,5}} ?END {_KEY_LABEL} ?-{{4,5}}")
_PUTTY_BEGIN = re.compile(r"PuTTY-User-Key-File-\d+:[^\r\n]*")
_PUTTY_END = re.compile(r"Private-MAC:[ \t]*[0-9a-fA-F]+")
# For a truncated block: the base64 or "Header: value" lines that follow, with real or
# JSON-escaped ("\n") line breaks.
_KEY_BODY_LINE = re.compile(
    r"(?:\r?\n|\\r?\\n)[ \t]*(?:[A-Za-z0-9+/=]+|[A-Za-z][A-Za-z0-9-]*:[^\r\n\\]*)(?=\r?\n|\\r|\\n|$)"
)
_KEY_MATERIAL = re.compile(r"[A-Za-z0-9+/=]{16,}")
_MAX_KEY_BLOCK = 64_000  # no private key is longer; bounds the search for END


def find_private_keys(text: str, lowered: str) -> Iterator[Finding]:
    if "private key" not in lowered and "putty-user-key-file-" not in lowered:
        return
    for begin_regex, end_regex in ((_PEM_BEGIN, _PEM_END), (_PUTTY_BEGIN, _PUTTY_END)):
        # One pass for all END markers: searching from every BEGIN would be quadratic.
        ends = list(end_regex.finditer(text))
        end_starts = [end.start() for end in ends]
        covered_until = 0
        for begin in begin_regex.finditer(text):
            if begin.start() < covered_until:
                continue  # inside the previous block
            index = bisect.bisect_left(end_starts, begin.end())
            end = ends[index] if index < len(ends) and end_starts[index] - begin.end() <= _MAX_KEY_BLOCK else None
            if end is not None:
                block_end, score, rule = end.end(), SCORE_BLOCK, "private_key_block"
            else:
                block_end = begin.end()
                while (line := _KEY_BODY_LINE.match(text, block_end)) is not None:
                    block_end = line.end()
                score, rule = SCORE_SECONDARY_PREFIXED, "private_key_block_truncated"
            covered_until = block_end
            # Markers without key material are code or documentation (`if line == "-----BEGIN ..."`).
            if not _KEY_MATERIAL.search(text, begin.end(), end.start() if end is not None else block_end):
                continue
            yield Finding(PRIVATE_KEY, begin.start(), block_end, score, rule, pattern=begin_regex.pattern,
                          validated=end is not None)


# --------------------------------------------------------------------------------------
# JWTs: header.payload.signature; detect-secrets validates the parts.
# --------------------------------------------------------------------------------------

# detect-secrets' own JWT regex stops before the signature (lazy `*?`), so we find the span.
_JWT = re.compile(r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*")


def _is_valid_jwt(token: str) -> bool:
    try:
        return JwtTokenDetector.is_formally_valid(token)
    except RecursionError:  # json.loads on a header nested thousands deep
        return False


def find_jwts(text: str) -> Iterator[Finding]:
    if "eyJ" not in text:
        return
    for match in _JWT.finditer(text):
        token = match.group(0)
        if _is_valid_jwt(token):
            yield Finding(JWT, match.start(), match.end(), SCORE_PREFIXED, "JwtTokenDetector", DETECT_SECRETS,
                          _JWT.pattern, validated=True)
        elif _is_json_object(_b64url_decode(token.split(".", 1)[0])):
            # A truncated or damaged payload: the header still says JWT.
            yield Finding(JWT, match.start(), match.end(), SCORE_SHAPED, "jwt_header_only", RESIDENCY,
                          _JWT.pattern, validated=False)


def _b64url_decode(part: str) -> bytes | None:
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError):
        return None


def _is_json_object(raw: bytes | None) -> bool:
    if not raw:
        return False
    try:
        return isinstance(json.loads(raw.decode("utf-8")), dict)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False
