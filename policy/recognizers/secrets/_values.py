"""Shared by every family of `SecretsRecognizer`: entity types, scores, `Finding`, and the
checks that a value looks like a secret, not like prose, code, a template or a placeholder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from detect_secrets.plugins.high_entropy_strings import Base64HighEntropyString, HexHighEntropyString

from policy.categories import SECRET_ENTITY_TYPES

# The names live in policy.categories, so that the table loads without Presidio or spaCy.
(
    AWS_ACCESS_KEY,
    AWS_SECRET_KEY,
    AZURE_KEY,
    GITHUB_TOKEN,
    GITLAB_TOKEN,
    SLACK_TOKEN,
    STRIPE_KEY,
    OPENAI_API_KEY,
    GOOGLE_API_KEY,
    API_KEY,  # any other SaaS/API token, bearer tokens, generic keyword secrets
    JWT,
    PRIVATE_KEY,
    PASSWORD,  # in URLs, connection strings, config lines and prose
) = SECRET_ENTITY_TYPES

# Scores: fixed vendor formats are near-certain; values found by a keyword next to them less so.
SCORE_BLOCK = 1.0  # a complete private key block
SCORE_PREFIXED = 0.95  # vendor prefix plus fixed shape, or a JWT whose parts decode
SCORE_SHAPED = 0.85  # vendor shape without a distinctive prefix; URL passwords; Basic auth
SCORE_CONTEXT_STRONG = 0.8  # shape plus a vendor keyword (AWS secret, IBM), Authorization headers
SCORE_AWS_SECRET_QUOTED = 0.85  # detect-secrets' quoted 40-character value after "aws ... key"
SCORE_AWS_SECRET_ASSIGNED = 0.9  # aws_secret_access_key = <40 characters>
SCORE_SECONDARY_PREFIXED = 0.9  # prefixed, but the prefix is shared or the block truncated
SCORE_CONFIG_PASSWORD = 0.75
SCORE_CONFIG_KEY = 0.7
SCORE_PROSE_PASSWORD = 0.65
SCORE_PROSE_KEY = 0.6
SCORE_HIGH_ENTROPY = 0.5
REPEAT_PENALTY = 0.05  # a repeat of a found value is a little less certain than the original

DETECT_SECRETS = "detect-secrets"
RESIDENCY = "residency"

ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

# detect-secrets' entropy is a pure function of the plugin's (read-only) charset.
BASE64_ENTROPY = Base64HighEntropyString()
HEX_ENTROPY = HexHighEntropyString()


@dataclass(frozen=True, slots=True)
class Finding:
    entity_type: str
    start: int
    end: int
    score: float
    rule: str
    source: str = RESIDENCY
    pattern: str | None = None
    validated: bool | None = None
    # Found by its surroundings (keyword, URL): other occurrences of the value are secrets too.
    context_based: bool = False


# --------------------------------------------------------------------------------------
# Value plausibility: what a keyword points at must look like a secret, not like prose,
# code, a template or a placeholder.
# --------------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(
    r"""(?ix)
    <[^<>]*> | \[[^\[\]]*\] | \{\{.*\}\} | \{[%\#].* | \$\{.*\}? | \$\(.*\)? | \$[A-Za-z_][\w]*
    | %\(?[\w.]*\)?[sd] | %[\w.]+% | @\w+@ | __\w+__ | (?:\#\{|\{)[\w.]+\}
    | .*(?:\.\.\.|…|\*\*\*|xxxx|your[_\s-]?|_here\b|-here\b|placeholder|redacted|changeme_?later).*
    | .*\bmy[_\s-]?(?:password|passwd|pass|pwd|secret|token|api[_-]?key|key)\b.*
    | .*\s.*\b(?:password|passwd|secret|token|api[_\s-]?key)\b.* | .*\b(?:password|passwd|secret|token)\b.*\s.*
    | [*x•·.\#?_=~-]+
    | none|null|nil|undefined|true|false|yes|no|on|off|n/?a|tbd|todo|fixme|empty|blank|required|optional
    | hidden|masked|omitted|removed|secret|secrets|password|passwd|pwd|pass|token|key|apikey|api[_-]key
    """
)
# Code that computes the value: a call or subscript (getpass(), os.environ["X"]) ...
CALL_OR_SUBSCRIPT = re.compile(r"[A-Za-z_$][\w$.]*[(\[].*")
# ... or an attribute chain (settings.DB_PASSWORD, process.env.TOKEN).
ATTRIBUTE_CHAIN = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+")
_IDENTIFIER = re.compile(r"[A-Za-z_][\w.-]*")
# Words that make a multi-word identifier the *name* of a secret (DB_PASSWORD, PrivateKeyTypes).
_SECRET_NAME_WORDS = frozenset({"password", "passwd", "pass", "pwd", "secret", "secrets", "token", "tokens", "key",
                                "keys", "credential", "credentials", "auth"})
# Characters of code and regexes (`\s*((npm_.+)|...)`), not of generated credentials.
_TOKEN_CHARSET = re.compile(r"[^\s\\()\[\]{}|*<>^\"'`]+")
WORD_OR_NAME = re.compile(r"[A-Za-z]+(?:_[A-Za-z]+)*|[A-Za-z]+(?:-[A-Za-z]+)*")  # password, db_name
# Prose and data that contain digits or symbols without being secrets.
NON_SECRET_SHAPE = re.compile(
    r"""(?ix)
    \d+[.,/]\d+ | \d+\s*(?:%|\+|chars?|characters?|digits?|min|max|x)    # 3.5, 10/12, 10%, 8+, 12chars
    | [a-z]+'[a-z]{1,2}                                               # don't, it's
    | [a-z0-9]+-[a-z]+                                                # 2fa-protected, case-sensitive
    | e\.g\.?|i\.e\.?|etc\.?|vs\.?|n/a
    | v?\d+(?:\.\d+)+(?:[-+][\w.]+)?                                  # versions
    | \d{4}-\d\d-\d\d(?:[t\s]\d\d:\d\d(?::\d\d)?(?:\.\d+)?(?:z|[+-]\d\d:?\d\d)?)?   # dates
    | \(.* | \[.*
    | (?:https?|ftp|file)://.* | [~.]?/.*                              # URLs and paths
    """
)
_KEY_SEPARATORS = re.compile(r"[_.\-\s]+")
_CAMEL_PART = re.compile(r"[A-Z]+(?![a-zñ])|[A-Z]?[a-z0-9ñ]+")
MIN_SECRET_LEN = 4
_MIN_TOKEN_LEN = 12
_TRAILING_PUNCTUATION = ".,;:)]}>\"'”’"
_CLOSERS = {")": "(", "]": "[", "}": "{"}
_QUOTES = {'"': '"', "'": "'", "`": "`", "“": "”", "‘": "’"}


def key_segments(key: str) -> list[str]:
    """Lower-case words of a name: DB_PASSWORD, dbPassword and db-password all give [db, password]."""
    segments: list[str] = []
    for part in _KEY_SEPARATORS.split(key):
        segments.extend(piece.lower() for piece in _CAMEL_PART.findall(part))
    return segments


def names_a_secret(value: str) -> bool:
    """An identifier such as DB_PASSWORD or api_key_env: it names a secret, it is not one."""
    if not _IDENTIFIER.fullmatch(value):
        return False
    segments = key_segments(value)
    return len(segments) >= 2 and any(segment in _SECRET_NAME_WORDS for segment in segments)


def is_placeholder(value: str) -> bool:
    return _PLACEHOLDER.fullmatch(value) is not None


def is_real_value(value: str) -> bool:
    """Not a template, mask or documentation placeholder (user:<password>@, user:password@)."""
    return not is_placeholder(value)


def looks_like_password(value: str) -> bool:
    """An unquoted word stated as a password: needs a digit, a symbol or inner capitals.

    All-letter words are left out on purpose: "my password is incorrect" is far more
    common in prompts than a password made of letters only.
    """
    if len(value) < MIN_SECRET_LEN or NON_SECRET_SHAPE.fullmatch(value) or is_placeholder(value):
        return False
    if CALL_OR_SUBSCRIPT.fullmatch(value) or ATTRIBUTE_CHAIN.fullmatch(value):
        return False
    has_digit = any(char.isdigit() for char in value)
    has_symbol = any(not char.isalnum() for char in value)
    has_inner_capital = any(char.isupper() for char in value[1:]) and any(char.islower() for char in value)
    return has_digit or has_symbol or has_inner_capital


def looks_like_token(value: str) -> bool:
    """A machine-generated credential: long, no spaces, random-looking (detect-secrets' entropy)."""
    if len(value) < _MIN_TOKEN_LEN or any(char.isspace() for char in value):
        return False
    if NON_SECRET_SHAPE.fullmatch(value) or is_placeholder(value) or CALL_OR_SUBSCRIPT.fullmatch(value):
        return False
    if len(value) < 20 and WORD_OR_NAME.fullmatch(value):
        return False
    has_digit = any(char.isdigit() for char in value)
    has_letter = any(char.isalpha() for char in value)
    if not _TOKEN_CHARSET.fullmatch(value) or names_a_secret(value):
        return False
    if not has_digit and ATTRIBUTE_CHAIN.fullmatch(value):
        return False
    if has_digit and has_letter:
        return True
    return BASE64_ENTROPY.calculate_shannon_entropy(value) >= 4.0


def looks_generated(value: str) -> bool:
    """A quoted random string: 20+ characters, no spaces, letters and digits, high entropy."""
    return (len(value) >= 20 and not any(char.isspace() for char in value)
            and any(char.isdigit() for char in value) and any(char.isalpha() for char in value)
            and BASE64_ENTROPY.calculate_shannon_entropy(value) >= 4.0)


def looks_like_strong_password(value: str) -> bool:
    """A value with no keyword verb before it ("her password !PurpleSky77"): letters, a digit,
    and a symbol or mixed case; at least 6 characters. Stricter than `looks_like_password`."""
    if len(value) < 6 or not looks_like_password(value) or names_a_secret(value):
        return False
    has_letter = any(char.isalpha() for char in value)
    has_digit = any(char.isdigit() for char in value)
    has_symbol = any(not char.isalnum() for char in value)
    mixed_case = any(char.isupper() for char in value) and any(char.islower() for char in value)
    return has_letter and has_digit and (has_symbol or mixed_case) and "://" not in value


def strip_code_punctuation(value: str) -> str:
    """Drop separators and unbalanced closers that end a call or annotation: `password=x),`."""
    while value:
        last = value[-1]
        if last in ",;:":
            value = value[:-1]
        elif last in _CLOSERS and value.count(_CLOSERS[last]) < value.count(last):
            value = value[:-1]
        else:
            return value
    return value


def unquote(raw: str) -> tuple[str, int, bool]:
    """The value inside matching quotes, its offset within raw, and whether it was quoted."""
    if len(raw) >= 2 and raw[0] in _QUOTES and raw[-1] == _QUOTES[raw[0]]:
        return raw[1:-1], 1, True
    return raw, 0, False


def trim_prose_value(value: str) -> str:
    """Drop sentence punctuation after an unquoted value ("... is hunter2.")."""
    trimmed = value.rstrip(_TRAILING_PUNCTUATION)
    core = trimmed.rstrip("!?")
    # Keep a trailing "!" or "?" only when the rest already looks like a password.
    return trimmed if core != trimmed and looks_like_password(core) else core
