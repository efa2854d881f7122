"""Secrets in config and code: `key = value` lines whose key names a secret, XML elements,
CLI flags, HTTP Authorization headers and bearer tokens, and unquoted AWS secret access keys.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator

from policy.recognizers.secrets._values import (
    API_KEY,
    ATTRIBUTE_CHAIN,
    AWS_SECRET_KEY,
    CALL_OR_SUBSCRIPT,
    MIN_SECRET_LEN,
    PASSWORD,
    SCORE_AWS_SECRET_ASSIGNED,
    SCORE_CONFIG_KEY,
    SCORE_CONFIG_PASSWORD,
    SCORE_CONTEXT_STRONG,
    SCORE_SHAPED,
    WORD_OR_NAME,
    Finding,
    is_placeholder,
    key_segments,
    looks_generated,
    looks_like_password,
    looks_like_token,
    names_a_secret,
    strip_code_punctuation,
    trim_prose_value,
    unquote,
)

# --------------------------------------------------------------------------------------
# Config lines: `<key ending in a secret word> <assignment> <value>`.
# --------------------------------------------------------------------------------------

_PASSWORD_WORDS = frozenset({"password", "passwd", "passphrase", "passcode", "pwd", "pw", "pass", "contraseña",
                             "contrasena", "passwort", "motdepasse"})
_SECRET_WORDS = frozenset({"secret", "token"})
# What may precede "key" in a secret key name (api_key, accountKey); primary_key, sort_key are not secrets.
_KEY_QUALIFIERS = frozenset({"api", "auth", "service", "account", "db", "database", "priv", "private", "client",
                             "secret", "access", "master", "signing", "encryption", "app", "application",
                             "subscription", "consumer", "sas", "shared", "webhook", "admin", "hmac", "jwt",
                             "session", "license", "storage"})
# Pagination and cancellation tokens are not credentials.
_NON_SECRET_TOKEN_QUALIFIERS = frozenset({"page", "next", "continuation", "cancellation", "max", "num", "sync",
                                          "csrf", "xsrf"})
_KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-ñÑ")
_MAX_KEY_LEN = 64
_AWS_SECRET_SHAPE = re.compile(r"[A-Za-z0-9/+]{40}")
# Unquoted values that are constants or type annotations (`password: str`), not secrets.
_ALL_CAPS_WORD = re.compile(r"[A-Z]+")
_TYPE_NAMES = frozenset(
    "str string bytes int integer bool boolean text varchar char secretstr securestring any object number list "
    "dict map array".split()
)

_SECRET_WORD = r"pass(?:word|wd|phrase|code)?|pwd|pw|contrase(?:ñ|n)a|passwort|secret|token|key"
# Anchor on the secret word right before an assignment; the rest of the key is read backwards.
_CONFIG_ASSIGNMENT = re.compile(
    rf"(?i)(?P<word>{_SECRET_WORD})"
    r"[\"'\]]{0,2}"  # closing quote of a JSON / dict key, INI/TOML bracket
    r"[^\S\r\n]*(?P<op>:=|=>|=(?![=>~])|:(?![:/\\]))[^\S\r\n]*"  # not ==, ::, ://
)
# Bounded: a longer value is not a password or key (and unbounded values made the
# plausibility checks quadratic on "password=password=...").
_MAX_VALUE_LEN = 512
_CONFIG_VALUE = re.compile(
    rf"""
    "(?P<dq>(?:[^"\\\r\n]|\\.){{0,{_MAX_VALUE_LEN}}})"
    | '(?P<sq>[^'\r\n]{{0,{_MAX_VALUE_LEN}}})'
    | `(?P<bq>[^`\r\n]{{0,{_MAX_VALUE_LEN}}})`
    | \{{(?P<br>[^{{}}\r\n]{{0,{_MAX_VALUE_LEN}}})\}}
    | (?P<bare>[^\s"'`]{{1,{_MAX_VALUE_LEN}}})(?![^\s"'`])
    """,
    re.VERBOSE,
)
# Where an unquoted value ends early: connection strings (;), query strings (&k=), k=v lists.
_BARE_VALUE_END = re.compile(r";|&(?=[\w.-]+=)|,(?=\s*[\w.-]+\s*[=:])")
_BRACED_VALUE_END = re.compile(r"[^\S\r\n]*(?:;|\r?\n|$)")
_REST_OF_LINE_EMPTY = re.compile(r"[^\S\r\n]*(?:(?:#|//).*)?(?:\r?\n|$)")
_XML_ELEMENT = re.compile(
    rf"(?i)<(?P<tag>[\w:.-]{{0,40}}(?:{_SECRET_WORD}))>(?P<value>[^<\r\n]{{1,512}})</(?P=tag)>"
)
_CLI_FLAG = re.compile(
    r"(?i)(?<![\w-])--(?P<key>password|passwd|pass|pwd|token|secret|api-?key|client-secret|access-token|"
    r"auth-token|db-password)[ \t]+(?P<value>\"[^\"\r\n]+\"|'[^'\r\n]+'|[^\s\"'-]\S*)"
)
_CURL_USER = re.compile(r"(?<![\w-])(?:-u|--user)[ \t]+[\"']?[^\s:\"'@]+:(?P<value>[^\s\"'@]+)")
# mysql takes its password glued to -p (`mysql -u root -pS3cret`).
_MYSQL_PASSWORD = re.compile(r"\bmysql(?:dump|admin|import|sh)?\b[^\r\n]{0,200}?[ \t]-p(?P<value>[^\s\"'-][^\s\"']*)")


def _classify_key(key: str) -> str | None:
    """PASSWORD or API_KEY when the key names a secret (db_password, apiKey); else None."""
    segments = key_segments(key)
    if not segments:
        return None
    last = segments[-1]
    before = segments[-2] if len(segments) > 1 else ""
    if "public" in segments:
        return None  # public keys and .NET publicKeyToken are not secrets
    if last in _PASSWORD_WORDS:
        return PASSWORD
    if last in _SECRET_WORDS:
        return None if before in _NON_SECRET_TOKEN_QUALIFIERS else API_KEY
    if last == "key":
        return API_KEY if before in _KEY_QUALIFIERS else None
    # Concatenated lower-case keys: dbpassword, apikey, accesstoken, clientsecret.
    if last.endswith(("password", "passwd", "passphrase")):
        return PASSWORD
    if last.endswith("key") and last.removesuffix("key") in _KEY_QUALIFIERS:
        return API_KEY
    for word in _SECRET_WORDS:
        if last.endswith(word) and last.removesuffix(word) not in _NON_SECRET_TOKEN_QUALIFIERS:
            return API_KEY
    return None


def _is_aws_secret_key_name(key: str) -> bool:
    segments = key_segments(key)
    return "secret" in segments and segments[-1] == "key" and ("aws" in segments or "access" in segments)


def _accept_value(kind: str, value: str, *, quoted: bool, loose_context: bool) -> bool:
    """Whether a value assigned to a secret-named key is a secret.

    loose_context: a `key: value` pair in running text ("Password: must be 8 chars"),
    where the value must look like a password, not like a word.
    """
    if len(value) < MIN_SECRET_LEN or is_placeholder(value):
        return False
    if not quoted and (CALL_OR_SUBSCRIPT.fullmatch(value) or ATTRIBUTE_CHAIN.fullmatch(value)
                       or value.lower() in _TYPE_NAMES):
        return False
    if names_a_secret(value) or _ALL_CAPS_WORD.fullmatch(value):
        return False  # DB_PASSWORD, 'USERNAME': names and constants, not values
    if kind != PASSWORD:
        # Quoted generated keys may hold any printable character ('django-insecure-...)&p@...').
        return looks_like_token(value) or (quoted and looks_generated(value))
    if quoted or not loose_context:
        return True
    # Running text or code (`password: HiddenText | None`, `x, password = auth_info`):
    # demand a digit or a symbol, and not a snake_case name.
    return looks_like_password(value) and not WORD_OR_NAME.fullmatch(value)


def _key_before(text: str, end: int) -> str:
    """The whole key name that ends at end (DB_PASSWORD, spring.datasource.password)."""
    start = end
    while start > 0 and end - start < _MAX_KEY_LEN and text[start - 1] in _KEY_CHARS:
        start -= 1
    return text[start:end]


def find_config_assignments(text: str, lowered: str) -> Iterator[Finding]:
    if not any(word in lowered for word in ("pass", "pwd", "pw", "secret", "token", "key", "contrase")):
        return
    for assignment in _CONFIG_ASSIGNMENT.finditer(text):
        key = _key_before(text, assignment.end("word"))
        kind = _classify_key(key)
        if kind is None:
            continue
        found = _config_value(text, assignment.end(), allow_braces=assignment.group("op") == "=")
        if found is None:
            continue
        start, end, quoted, at_line_end = found
        value = text[start:end]
        if not quoted and value.lower() == key.lower():
            continue  # password=password: a keyword argument passed through
        op = assignment.group("op")
        # Unquoted values where code or prose is as likely as config: `Password: must be ...`,
        # `password = auth_from_netrc` (code; .env and query strings do not space their `=`),
        # and keys that are only "pass" or "pw" (`Pass: 10/12`).
        loose = not quoted and (
            (op == ":" and not at_line_end)
            or (op == "=" and text[assignment.start("op") - 1] in " \t")
            or key_segments(key) in (["pass"], ["pw"])
        )
        if not _accept_value(kind, value, quoted=quoted, loose_context=loose):
            continue
        if _is_aws_secret_key_name(key) and _AWS_SECRET_SHAPE.fullmatch(value):
            yield Finding(AWS_SECRET_KEY, start, end, SCORE_AWS_SECRET_ASSIGNED, "aws_secret_key_assignment",
                          context_based=True)
        elif kind == PASSWORD:
            yield Finding(PASSWORD, start, end, SCORE_CONFIG_PASSWORD, "password_assignment", context_based=True)
        else:
            yield Finding(API_KEY, start, end, SCORE_CONFIG_KEY, "secret_assignment", context_based=True)


def _config_value(text: str, position: int, *, allow_braces: bool) -> tuple[int, int, bool, bool] | None:
    """(start, end, quoted, at_line_end) of the value that starts at position."""
    match = _CONFIG_VALUE.match(text, position)
    if match is None:
        return None
    for group in ("dq", "sq", "bq", "br"):
        if match.group(group) is not None:
            # ODBC quotes with braces (PWD={a;b};); elsewhere braces are code or templates.
            if group == "br" and not (allow_braces and _BRACED_VALUE_END.match(text, match.end())):
                return None
            start, end = match.span(group)
            return start, end, True, bool(_REST_OF_LINE_EMPTY.match(text, match.end()))
    start, end = match.span("bare")
    early_end = _BARE_VALUE_END.search(text, start, end)
    if early_end is not None:
        end = early_end.start()
    end = start + len(strip_code_punctuation(text[start:end]))
    at_line_end = bool(_REST_OF_LINE_EMPTY.match(text, end))
    if not at_line_end:
        # Running text: drop sentence punctuation; a config line keeps its value verbatim.
        end = start + len(trim_prose_value(text[start:end]))
    return (start, end, False, at_line_end) if end > start else None


def find_xml_and_cli(text: str, lowered: str) -> Iterator[Finding]:
    if "</" in text:
        for element in _XML_ELEMENT.finditer(text):
            kind = _classify_key(element.group("tag").split(":")[-1])
            value = element.group("value").strip()
            start = element.start("value") + element.group("value").find(value)
            if kind and value and _accept_value(kind, value, quoted=True, loose_context=False):
                score = SCORE_CONFIG_PASSWORD if kind == PASSWORD else SCORE_CONFIG_KEY
                yield Finding(kind, start, start + len(value), score, "xml_secret_element", context_based=True)
    if "--" in text:
        for flag in _CLI_FLAG.finditer(text):
            kind = _classify_key(flag.group("key"))
            value, offset, quoted = unquote(flag.group("value"))
            start = flag.start("value") + offset
            # Loose: prose explains flags ("the --password option").
            if kind and _accept_value(kind, value, quoted=quoted, loose_context=True):
                score = SCORE_CONFIG_PASSWORD if kind == PASSWORD else SCORE_CONFIG_KEY
                yield Finding(kind, start, start + len(value), score, "cli_secret_flag", context_based=True)
    if "mysql" in lowered:
        for command in _MYSQL_PASSWORD.finditer(text):
            if _accept_value(PASSWORD, command.group("value"), quoted=False, loose_context=False):
                yield Finding(PASSWORD, command.start("value"), command.end("value"), SCORE_CONFIG_PASSWORD,
                              "mysql_password_flag", context_based=True)
    if "-u" in lowered or "--user" in lowered:
        for credentials in _CURL_USER.finditer(text):
            value = credentials.group("value")
            if _accept_value(PASSWORD, value, quoted=False, loose_context=False):
                yield Finding(PASSWORD, credentials.start("value"), credentials.end("value"), SCORE_CONTEXT_STRONG,
                              "cli_user_password", context_based=True)


# --------------------------------------------------------------------------------------
# HTTP Authorization headers and bearer tokens.
# --------------------------------------------------------------------------------------

_AUTHORIZATION = re.compile(
    r"(?i)\b(?:proxy-)?authorization[\"']?[ \t]*[:=][ \t]*[\"']?"
    r"(?:(?P<scheme>bearer|basic|token|apikey|api-key|sso-key)[ \t]+)?(?P<value>[A-Za-z0-9\-._~+/:]+=*)"
)
# A bearer token outside an Authorization header, e.g. in prose or an SDK call.
_BEARER = re.compile(r"(?i)(?<![\w-])bearer[ \t]+(?P<value>[A-Za-z0-9\-._~+/]+=*)")


def find_auth_headers(text: str, lowered: str) -> Iterator[Finding]:
    if "authorization" in lowered:
        for header in _AUTHORIZATION.finditer(text):
            scheme = (header.group("scheme") or "").lower()
            start, end = header.span("value")
            value = header.group("value")
            if scheme == "basic":
                if _is_basic_credentials(value):
                    yield Finding(PASSWORD, start, end, SCORE_SHAPED, "authorization_basic",
                                  pattern=_AUTHORIZATION.pattern, validated=True, context_based=True)
            elif looks_like_token(value) and (scheme or len(value) >= 20):
                yield Finding(API_KEY, start, end, SCORE_CONTEXT_STRONG, "authorization_header",
                              pattern=_AUTHORIZATION.pattern, context_based=True)
    if "bearer" in lowered:
        for bearer in _BEARER.finditer(text):
            if len(bearer.group("value")) >= 16 and looks_like_token(bearer.group("value")):
                yield Finding(API_KEY, bearer.start("value"), bearer.end("value"), SCORE_CONFIG_KEY, "bearer_token",
                              pattern=_BEARER.pattern, context_based=True)


def _is_basic_credentials(value: str) -> bool:
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return False
    user, colon, password = decoded.partition(":")
    return bool(colon and password) and decoded.isprintable()


# --------------------------------------------------------------------------------------
# AWS secret access keys outside quotes: 40 base64 characters near an AWS hint.
# --------------------------------------------------------------------------------------

_AWS_SECRET_CANDIDATE = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
_AWS_CONTEXT = re.compile(r"(?i)aws|secret[ _-]?access[ _-]?key|(?:A3T[A-Z0-9]|ABIA|ACCA|AKIA|ASIA)[0-9A-Z]{16}")
_AWS_CONTEXT_WINDOW = 200


def find_aws_secret_keys(text: str, lowered: str) -> Iterator[Finding]:
    if "aws" not in lowered and "secret" not in lowered and "akia" not in lowered and "asia" not in lowered:
        return
    for candidate in _AWS_SECRET_CANDIDATE.finditer(text):
        value = candidate.group(0)
        # Real keys mix cases and digits; hex SHAs, paths and words do not.
        if not (any(c.isupper() for c in value) and any(c.islower() for c in value)
                and any(c.isdigit() for c in value)) or "//" in value:
            continue
        window = text[max(0, candidate.start() - _AWS_CONTEXT_WINDOW):candidate.end() + _AWS_CONTEXT_WINDOW]
        if _AWS_CONTEXT.search(window):
            yield Finding(AWS_SECRET_KEY, candidate.start(), candidate.end(), SCORE_CONTEXT_STRONG,
                          "aws_secret_key_near_aws_context", pattern=_AWS_SECRET_CANDIDATE.pattern,
                          context_based=True)
