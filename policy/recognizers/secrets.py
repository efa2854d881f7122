"""A Presidio recognizer for secrets in chat prompts: keys, tokens, passwords.

Presidio ships no recognizer for credentials. `SecretsRecognizer` reuses what the field
trusts, the plugins of Yelp's detect-secrets (as LLM Guard does), and adds patterns for
what those plugins miss in chat text. Each finding is the exact span of the secret
*value* (not the key name, the quotes or the rest of the URL), for every occurrence.

Covered, from detect-secrets (its compiled class-level `denylist` regexes, run with
`finditer` for offsets; its JWT validator; its Shannon entropy):
    AWS access key IDs and quoted AWS secret keys near "aws"; Azure storage AccountKey;
    passwords in `scheme://user:password@host` URLs (postgres, mongodb+srv, amqp, ...);
    Discord, GitHub (classic), GitLab, Mailchimp, OpenAI (T3BlbkFJ keys), PyPI, SendGrid,
    Slack (tokens, webhooks), Square, Stripe live keys, Telegram, Twilio, Artifactory.
Covered by our own patterns:
    whole private key blocks (PEM, OpenSSH, PGP, PuTTY; also truncated or JSON-escaped);
    JWTs including their signature; Google API keys (AIza...); GitHub fine-grained PATs;
    OpenAI project/service keys; Anthropic, npm, .npmrc and Hugging Face tokens; Stripe
    test keys and webhook secrets; Slack app tokens; Azure SharedAccessKey and SAS
    signatures; `redis://:password@host`; unquoted AWS secret keys near an AWS keyword or
    key ID; `Authorization: Bearer / Basic / Token` values; config lines whose key ends in
    a secret word (JSON, YAML, .env, `export`, INI, properties, Python/JS, connection
    strings `Password=...;`, query strings, XML elements, `--password x`, `curl -u
    user:pw`, `mysql -pX`), which also covers IBM, Cloudant and SoftLayer keys; passwords
    stated in prose ("my password is hunter2", "the pwd is ...", "log in with password
    ...", "set the root password to ..."); and every other occurrence of a value found by
    its context (a password pasted twice).
    Opt-in (`detect_high_entropy_strings=True`): quoted high-entropy strings, as
    detect-secrets' Base64/Hex high-entropy plugins report them.

Deliberately not used from detect-secrets: verification (network); KeywordDetector's
regexes (line-oriented, they capture to the end of the line); the IbmCloudIam, IbmCosHmac,
Cloudant and SoftLayer regexes (` *`, ` +`, ` *` in a row backtrack cubically on runs of
spaces: minutes for one prompt) and NpmDetector's (`//.+/:_authToken=`, quadratic);
Artifactory's "password" regex (matches upper-case words); IPPublicDetector (not a secret).

More phrasings of passwords and codes in prose, in several languages, are found by
`secrets_prose.py` ("the wifi pw is X", "mot de passe : X", "the alarm code is 4821",
"my login is bob / X", "I use X as my password"), whose findings join these.

Not covered (known gaps):
    passwords with no keyword at all ("log in as bob, then hunter2"); all-letter
    passwords that are everyday words ("my password is dragon"); secrets split
    across lines or messages, encoded or obfuscated; a `;` inside an unquoted config value
    ends it; vendor formats neither detect-secrets nor this module knows (e.g. Datadog,
    Heroku keys with no keyword); prose in languages other than those of `secrets_prose`.

Thread safety: every regex is compiled once at import; `analyze` keeps its state in
locals. detect-secrets' settings singleton, `analyze_line` (reads it) and the high-entropy
plugins' `non_quoted_string_regex` (mutates the plugin) are never called. Nothing here
logs, prints or puts text into exception messages. Cost: a few milliseconds per 20 KB,
and regexes are bounded so that pathological prompts stay well under a second.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from detect_secrets.plugins.artifactory import ArtifactoryDetector
from detect_secrets.plugins.aws import AWSKeyDetector
from detect_secrets.plugins.azure_storage_key import AzureStorageKeyDetector
from detect_secrets.plugins.basic_auth import BasicAuthDetector
from detect_secrets.plugins.discord import DiscordBotTokenDetector
from detect_secrets.plugins.github_token import GitHubTokenDetector
from detect_secrets.plugins.gitlab_token import GitLabTokenDetector
from detect_secrets.plugins.high_entropy_strings import (
    Base64HighEntropyString,
    HexHighEntropyString,
    HighEntropyStringsPlugin,
)
from detect_secrets.plugins.jwt import JwtTokenDetector
from detect_secrets.plugins.mailchimp import MailchimpDetector
from detect_secrets.plugins.openai import OpenAIDetector
from detect_secrets.plugins.pypi_token import PypiTokenDetector
from detect_secrets.plugins.sendgrid import SendGridDetector
from detect_secrets.plugins.slack import SlackDetector
from detect_secrets.plugins.square_oauth import SquareOAuthDetector
from detect_secrets.plugins.stripe import StripeDetector
from detect_secrets.plugins.telegram_token import TelegramBotTokenDetector
from detect_secrets.plugins.twilio import TwilioKeyDetector
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from policy.categories import SECRET_ENTITY_TYPES
from policy.recognizers._patterns import lower_keeping_offsets

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

_TOKEN_TAIL = re.compile(r"[A-Za-z0-9_-]*")
_BASE64_TAIL = re.compile(r"[A-Za-z0-9+/]*=*")
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

# detect-secrets' entropy is a pure function of the plugin's (read-only) charset.
_BASE64_ENTROPY = Base64HighEntropyString()
_HEX_ENTROPY = HexHighEntropyString()


@dataclass(frozen=True, slots=True)
class _Finding:
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
_CALL_OR_SUBSCRIPT = re.compile(r"[A-Za-z_$][\w$.]*[(\[].*")
# ... or an attribute chain (settings.DB_PASSWORD, process.env.TOKEN).
_ATTRIBUTE_CHAIN = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+")
_IDENTIFIER = re.compile(r"[A-Za-z_][\w.-]*")
# Words that make a multi-word identifier the *name* of a secret (DB_PASSWORD, PrivateKeyTypes).
_SECRET_NAME_WORDS = frozenset({"password", "passwd", "pass", "pwd", "secret", "secrets", "token", "tokens", "key",
                                "keys", "credential", "credentials", "auth"})
# Characters of code and regexes (`\s*((npm_.+)|...)`), not of generated credentials.
_TOKEN_CHARSET = re.compile(r"[^\s\\()\[\]{}|*<>^\"'`]+")
_WORD_OR_NAME = re.compile(r"[A-Za-z]+(?:_[A-Za-z]+)*|[A-Za-z]+(?:-[A-Za-z]+)*")  # password, db_name
_ALL_CAPS_WORD = re.compile(r"[A-Z]+")
_TYPE_NAMES = frozenset(
    "str string bytes int integer bool boolean text varchar char secretstr securestring any object number list "
    "dict map array".split()
)
# Prose and data that contain digits or symbols without being secrets.
_NON_SECRET_SHAPE = re.compile(
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
_MIN_SECRET_LEN = 4
_MIN_TOKEN_LEN = 12
_TRAILING_PUNCTUATION = ".,;:)]}>\"'”’"
_CLOSERS = {")": "(", "]": "[", "}": "{"}
_QUOTES = {'"': '"', "'": "'", "`": "`", "“": "”", "‘": "’"}


def _key_segments(key: str) -> list[str]:
    """Lower-case words of a name: DB_PASSWORD, dbPassword and db-password all give [db, password]."""
    segments: list[str] = []
    for part in _KEY_SEPARATORS.split(key):
        segments.extend(piece.lower() for piece in _CAMEL_PART.findall(part))
    return segments


def _names_a_secret(value: str) -> bool:
    """An identifier such as DB_PASSWORD or api_key_env: it names a secret, it is not one."""
    if not _IDENTIFIER.fullmatch(value):
        return False
    segments = _key_segments(value)
    return len(segments) >= 2 and any(segment in _SECRET_NAME_WORDS for segment in segments)


def _is_placeholder(value: str) -> bool:
    return _PLACEHOLDER.fullmatch(value) is not None


def _is_real_value(value: str) -> bool:
    """Not a template, mask or documentation placeholder (user:<password>@, user:password@)."""
    return not _is_placeholder(value)


def _looks_like_password(value: str) -> bool:
    """An unquoted word stated as a password: needs a digit, a symbol or inner capitals.

    All-letter words are left out on purpose: "my password is incorrect" is far more
    common in prompts than a password made of letters only.
    """
    if len(value) < _MIN_SECRET_LEN or _NON_SECRET_SHAPE.fullmatch(value) or _is_placeholder(value):
        return False
    if _CALL_OR_SUBSCRIPT.fullmatch(value) or _ATTRIBUTE_CHAIN.fullmatch(value):
        return False
    has_digit = any(char.isdigit() for char in value)
    has_symbol = any(not char.isalnum() for char in value)
    has_inner_capital = any(char.isupper() for char in value[1:]) and any(char.islower() for char in value)
    return has_digit or has_symbol or has_inner_capital


def _looks_like_token(value: str) -> bool:
    """A machine-generated credential: long, no spaces, random-looking (detect-secrets' entropy)."""
    if len(value) < _MIN_TOKEN_LEN or any(char.isspace() for char in value):
        return False
    if _NON_SECRET_SHAPE.fullmatch(value) or _is_placeholder(value) or _CALL_OR_SUBSCRIPT.fullmatch(value):
        return False
    if len(value) < 20 and _WORD_OR_NAME.fullmatch(value):
        return False
    has_digit = any(char.isdigit() for char in value)
    has_letter = any(char.isalpha() for char in value)
    if not _TOKEN_CHARSET.fullmatch(value) or _names_a_secret(value):
        return False
    if not has_digit and _ATTRIBUTE_CHAIN.fullmatch(value):
        return False
    if has_digit and has_letter:
        return True
    return _BASE64_ENTROPY.calculate_shannon_entropy(value) >= 4.0


def _looks_generated(value: str) -> bool:
    """A quoted random string: 20+ characters, no spaces, letters and digits, high entropy."""
    return (len(value) >= 20 and not any(char.isspace() for char in value)
            and any(char.isdigit() for char in value) and any(char.isalpha() for char in value)
            and _BASE64_ENTROPY.calculate_shannon_entropy(value) >= 4.0)


def _looks_like_strong_password(value: str) -> bool:
    """A value with no keyword verb before it ("her password !PurpleSky77"): letters, a digit,
    and a symbol or mixed case; at least 6 characters. Stricter than `_looks_like_password`."""
    if len(value) < 6 or not _looks_like_password(value) or _names_a_secret(value):
        return False
    has_letter = any(char.isalpha() for char in value)
    has_digit = any(char.isdigit() for char in value)
    has_symbol = any(not char.isalnum() for char in value)
    mixed_case = any(char.isupper() for char in value) and any(char.islower() for char in value)
    return has_letter and has_digit and (has_symbol or mixed_case) and "://" not in value


def _strip_code_punctuation(value: str) -> str:
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


def _unquote(raw: str) -> tuple[str, int, bool]:
    """The value inside matching quotes, its offset within raw, and whether it was quoted."""
    if len(raw) >= 2 and raw[0] in _QUOTES and raw[-1] == _QUOTES[raw[0]]:
        return raw[1:-1], 1, True
    return raw, 0, False


def _trim_prose_value(value: str) -> str:
    """Drop sentence punctuation after an unquoted value ("... is hunter2.")."""
    trimmed = value.rstrip(_TRAILING_PUNCTUATION)
    core = trimmed.rstrip("!?")
    # Keep a trailing "!" or "?" only when the rest already looks like a password.
    return trimmed if core != trimmed and _looks_like_password(core) else core


# --------------------------------------------------------------------------------------
# Token rules: one regex, one entity type. Most regexes are detect-secrets' own.
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _TokenRule:
    name: str
    source: str
    entity_type: str
    score: float
    regex: re.Pattern[str]
    # Lower-case literals of which at least one must occur, else the regex is not run.
    hints: tuple[str, ...]
    group: int = 0  # the capture group that holds the secret value
    # Reject a match glued to a letter or digit on the left: detect-secrets' regexes are unanchored.
    left_bounded: bool = True
    # Grow the span over trailing token characters: vendors lengthen tokens over time, and a
    # partly redacted token still leaks. None: reject a match glued to a letter or digit.
    grow: re.Pattern[str] | None = _TOKEN_TAIL
    strip: str = ""  # delimiters the regex includes around the value
    skip_prefix: str = ""  # a literal label the regex includes before the value
    value_check: Callable[[str], bool] = _is_real_value  # docs write ghp_xxxx..., user:<password>@
    context_based: bool = False


def _from_detect_secrets(plugin: type, entity_type: str, score: float, hints: Sequence[str], *,
                         indexes: Sequence[int] | None = None, **options) -> list[_TokenRule]:
    denylist = list(plugin.denylist)
    chosen = denylist if indexes is None else [denylist[index] for index in indexes]
    return [
        _TokenRule(
            name=plugin.__name__, source=DETECT_SECRETS, entity_type=entity_type, score=score,
            regex=regex, hints=tuple(hints), **options,
        )
        for regex in chosen
    ]


def _own(name: str, entity_type: str, score: float, pattern: str, hints: Sequence[str], **options) -> _TokenRule:
    return _TokenRule(
        name=name, source=RESIDENCY, entity_type=entity_type, score=score,
        regex=re.compile(pattern), hints=tuple(hints), **options,
    )


_GITLAB_PREFIXES = ("glpat-", "gldt-", "glft-", "glsoat-", "glrt-", "gr1348941", "glcbt-", "glimt-",
                    "glptt-", "glagent-", "gloas-")

_TOKEN_RULES: tuple[_TokenRule, ...] = (
    # AWS: key IDs are exactly 20 characters, so no growing.
    *_from_detect_secrets(AWSKeyDetector, AWS_ACCESS_KEY, SCORE_PREFIXED, ("akia", "asia", "abia", "acca", "a3t"),
                          indexes=[0], grow=None),
    *_from_detect_secrets(AWSKeyDetector, AWS_SECRET_KEY, SCORE_AWS_SECRET_QUOTED, ("aws",), indexes=[1],
                          group=1, left_bounded=False, grow=None, context_based=True),
    *_from_detect_secrets(AzureStorageKeyDetector, AZURE_KEY, SCORE_PREFIXED, ("accountkey=",),
                          skip_prefix="AccountKey=", grow=_BASE64_TAIL),
    # Group 1 is the password between "user:" and "@"; the regex excludes reserved characters.
    *_from_detect_secrets(BasicAuthDetector, PASSWORD, SCORE_SHAPED, ("://",), group=1, left_bounded=False,
                          grow=None, context_based=True),
    *_from_detect_secrets(DiscordBotTokenDetector, API_KEY, SCORE_SHAPED, (".",), grow=None),
    # GitHub's regex captures only the prefix in group 1, so take the whole match.
    *_from_detect_secrets(GitHubTokenDetector, GITHUB_TOKEN, SCORE_PREFIXED, ("ghp_", "gho_", "ghu_", "ghs_", "ghr_")),
    *_from_detect_secrets(GitLabTokenDetector, GITLAB_TOKEN, SCORE_PREFIXED, _GITLAB_PREFIXES),
    *_from_detect_secrets(MailchimpDetector, API_KEY, SCORE_SHAPED, ("-us",), grow=None),
    *_from_detect_secrets(OpenAIDetector, OPENAI_API_KEY, SCORE_PREFIXED, ("t3blbkfj",)),
    *_from_detect_secrets(PypiTokenDetector, API_KEY, SCORE_PREFIXED, ("pypi-",)),
    *_from_detect_secrets(SendGridDetector, API_KEY, SCORE_PREFIXED, ("sg.",)),
    *_from_detect_secrets(SlackDetector, SLACK_TOKEN, SCORE_PREFIXED, ("xox",), indexes=[0]),
    *_from_detect_secrets(SlackDetector, SLACK_TOKEN, SCORE_PREFIXED, ("hooks.slack.com",), indexes=[1]),
    *_from_detect_secrets(SquareOAuthDetector, API_KEY, SCORE_PREFIXED, ("sq0csp-",)),
    *_from_detect_secrets(StripeDetector, STRIPE_KEY, SCORE_PREFIXED, ("k_live_",)),
    # Telegram tokens usually follow "bot" in API URLs (/bot123456789:AA...), so no left boundary.
    *_from_detect_secrets(TelegramBotTokenDetector, API_KEY, SCORE_SHAPED, (":",), left_bounded=False, grow=None),
    *_from_detect_secrets(TwilioKeyDetector, API_KEY, SCORE_SHAPED, ("ac", "sk"), grow=None),
    # Not used: IbmCloudIam, IbmCosHmac, Cloudant and SoftLayer. Their assignment regexes put
    # ` *`, ` +` and ` *` in a row, which backtracks cubically on a run of spaces (minutes for
    # "key" and 5,000 spaces). Their `ibm_api_key = ...` lines are config lines, found below.
    # Not used either: NpmDetector, whose `//.+/:_authToken=` is quadratic on long lines;
    # `npmrc_auth_token` below covers it.
    # Only the API-token regex: the "password" one (AP + hex digit + 8 alnum) matches ordinary
    # upper-case words such as APEXLEGENDS. The token regex includes its delimiters.
    *_from_detect_secrets(ArtifactoryDetector, API_KEY, SCORE_SHAPED, ("akc",), indexes=[0], left_bounded=False,
                          grow=None, strip=" \t\r\n=:\""),
    # Formats detect-secrets 1.5 does not know (or only partly).
    # detect-secrets requires a user name; redis URLs often have none (redis://:pw@host).
    # detect-secrets' BasicAuth regex stops at !, *, $, ? and the like, which people put in
    # passwords unencoded (mongodb+srv://admin:Az!x55St*1A*KV@cluster0...): the value runs to the @.
    _own("url_password_with_symbols", PASSWORD, SCORE_SHAPED,
         r"[A-Za-z][A-Za-z0-9+.-]*://[^\s:/?#\[\]@]+:([^\s/@]{1,256})@(?=[A-Za-z0-9\[])", ("://",), group=1,
         left_bounded=False, grow=None, context_based=True),
    _own("url_password_without_user", PASSWORD, SCORE_SHAPED, r"[A-Za-z][A-Za-z0-9+.-]*://:([^\s:/?#\[\]@]+)@",
         ("://:",), group=1, left_bounded=False, grow=None, context_based=True),
    _own("google_api_key", GOOGLE_API_KEY, SCORE_PREFIXED, r"AIza[0-9A-Za-z_-]{35}", ("aiza",)),
    _own("github_fine_grained_pat", GITHUB_TOKEN, SCORE_PREFIXED, r"github_pat_[A-Za-z0-9_]{36,}", ("github_pat_",)),
    _own("openai_project_key", OPENAI_API_KEY, SCORE_SECONDARY_PREFIXED,
         r"sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}", ("sk-proj-", "sk-svcacct-", "sk-admin-")),
    _own("anthropic_key", API_KEY, SCORE_PREFIXED, r"sk-ant-[a-z]+\d*-[A-Za-z0-9_-]{20,}", ("sk-ant-",)),
    _own("stripe_test_or_restricted_key", STRIPE_KEY, SCORE_SECONDARY_PREFIXED, r"[rs]k_test_[0-9a-zA-Z]{24,}",
         ("k_test_",)),
    _own("stripe_webhook_secret", STRIPE_KEY, SCORE_SECONDARY_PREFIXED, r"whsec_[0-9a-zA-Z]{24,}", ("whsec_",)),
    _own("slack_app_token", SLACK_TOKEN, SCORE_PREFIXED, r"xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+", ("xapp-",)),
    _own("npm_token", API_KEY, SCORE_PREFIXED, r"npm_[A-Za-z0-9]{36}", ("npm_",)),
    _own("npmrc_auth_token", API_KEY, SCORE_SECONDARY_PREFIXED, r":_authToken=[ \t]*([A-Za-z0-9_-]{36,})",
         ("_authtoken=",), group=1, left_bounded=False),
    _own("huggingface_token", API_KEY, SCORE_SHAPED, r"hf_[A-Za-z0-9]{34,}", ("hf_",)),
    _own("azure_shared_access_key", AZURE_KEY, SCORE_PREFIXED, r"(?i:SharedAccessKey)=([A-Za-z0-9+/]{43}=)",
         ("sharedaccesskey=",), group=1, left_bounded=False, grow=None),
    # A SAS signature is only a secret inside a SAS token, which carries a signed version.
    _own("azure_sas_signature", AZURE_KEY, SCORE_SHAPED,
         r"\bsv=\d{4}-\d\d-\d\d[^\s\"'<>]{0,1000}?[?&]sig=([A-Za-z0-9%+/]{30,}(?:=|%3[Dd])*)",
         ("sig=",), group=1, left_bounded=False, grow=None),
)

# Fail at import, not at the first prompt, if a detect-secrets upgrade changes a regex's groups.
for _rule in _TOKEN_RULES:
    if _rule.regex.groups < _rule.group:
        raise RuntimeError(f"detect-secrets rule {_rule.name} has no capture group {_rule.group}")


def _find_tokens(text: str, lowered: str) -> Iterator[_Finding]:
    for rule in _TOKEN_RULES:
        if not any(hint in lowered for hint in rule.hints):
            continue
        for match in rule.regex.finditer(text):
            span = _token_span(text, match, rule)
            if span is not None:
                yield _Finding(rule.entity_type, span[0], span[1], rule.score, rule.name, rule.source,
                               rule.regex.pattern, context_based=rule.context_based)


def _token_span(text: str, match: re.Match[str], rule: _TokenRule) -> tuple[int, int] | None:
    start, end = match.span(rule.group)
    if start < 0:
        return None
    while start < end and text[start] in rule.strip:
        start += 1
    while end > start and text[end - 1] in rule.strip:
        end -= 1
    if rule.skip_prefix and text.startswith(rule.skip_prefix, start):
        start += len(rule.skip_prefix)
    if rule.left_bounded and start > 0 and text[start - 1] in _ALNUM:
        return None
    if rule.grow is not None:
        end = rule.grow.match(text, end).end()
    elif rule.group == 0 and end < len(text) and text[end] in _ALNUM:
        return None
    if end <= start or not rule.value_check(text[start:end]):
        return None
    return start, end


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


def _find_private_keys(text: str, lowered: str) -> Iterator[_Finding]:
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
            yield _Finding(PRIVATE_KEY, begin.start(), block_end, score, rule, pattern=begin_regex.pattern,
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


def _find_jwts(text: str) -> Iterator[_Finding]:
    if "eyJ" not in text:
        return
    for match in _JWT.finditer(text):
        token = match.group(0)
        if _is_valid_jwt(token):
            yield _Finding(JWT, match.start(), match.end(), SCORE_PREFIXED, "JwtTokenDetector", DETECT_SECRETS,
                           _JWT.pattern, validated=True)
        elif _is_json_object(_b64url_decode(token.split(".", 1)[0])):
            # A truncated or damaged payload: the header still says JWT.
            yield _Finding(JWT, match.start(), match.end(), SCORE_SHAPED, "jwt_header_only", RESIDENCY,
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
    segments = _key_segments(key)
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
    segments = _key_segments(key)
    return "secret" in segments and segments[-1] == "key" and ("aws" in segments or "access" in segments)


def _accept_value(kind: str, value: str, *, quoted: bool, loose_context: bool) -> bool:
    """Whether a value assigned to a secret-named key is a secret.

    loose_context: a `key: value` pair in running text ("Password: must be 8 chars"),
    where the value must look like a password, not like a word.
    """
    if len(value) < _MIN_SECRET_LEN or _is_placeholder(value):
        return False
    if not quoted and (_CALL_OR_SUBSCRIPT.fullmatch(value) or _ATTRIBUTE_CHAIN.fullmatch(value)
                       or value.lower() in _TYPE_NAMES):
        return False
    if _names_a_secret(value) or _ALL_CAPS_WORD.fullmatch(value):
        return False  # DB_PASSWORD, 'USERNAME': names and constants, not values
    if kind != PASSWORD:
        # Quoted generated keys may hold any printable character ('django-insecure-...)&p@...').
        return _looks_like_token(value) or (quoted and _looks_generated(value))
    if quoted or not loose_context:
        return True
    # Running text or code (`password: HiddenText | None`, `x, password = auth_info`):
    # demand a digit or a symbol, and not a snake_case name.
    return _looks_like_password(value) and not _WORD_OR_NAME.fullmatch(value)


def _key_before(text: str, end: int) -> str:
    """The whole key name that ends at end (DB_PASSWORD, spring.datasource.password)."""
    start = end
    while start > 0 and end - start < _MAX_KEY_LEN and text[start - 1] in _KEY_CHARS:
        start -= 1
    return text[start:end]


def _find_config_assignments(text: str, lowered: str) -> Iterator[_Finding]:
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
            or _key_segments(key) in (["pass"], ["pw"])
        )
        if not _accept_value(kind, value, quoted=quoted, loose_context=loose):
            continue
        if _is_aws_secret_key_name(key) and _AWS_SECRET_SHAPE.fullmatch(value):
            yield _Finding(AWS_SECRET_KEY, start, end, SCORE_AWS_SECRET_ASSIGNED, "aws_secret_key_assignment",
                           context_based=True)
        elif kind == PASSWORD:
            yield _Finding(PASSWORD, start, end, SCORE_CONFIG_PASSWORD, "password_assignment", context_based=True)
        else:
            yield _Finding(API_KEY, start, end, SCORE_CONFIG_KEY, "secret_assignment", context_based=True)


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
    end = start + len(_strip_code_punctuation(text[start:end]))
    at_line_end = bool(_REST_OF_LINE_EMPTY.match(text, end))
    if not at_line_end:
        # Running text: drop sentence punctuation; a config line keeps its value verbatim.
        end = start + len(_trim_prose_value(text[start:end]))
    return (start, end, False, at_line_end) if end > start else None


def _find_xml_and_cli(text: str, lowered: str) -> Iterator[_Finding]:
    if "</" in text:
        for element in _XML_ELEMENT.finditer(text):
            kind = _classify_key(element.group("tag").split(":")[-1])
            value = element.group("value").strip()
            start = element.start("value") + element.group("value").find(value)
            if kind and value and _accept_value(kind, value, quoted=True, loose_context=False):
                score = SCORE_CONFIG_PASSWORD if kind == PASSWORD else SCORE_CONFIG_KEY
                yield _Finding(kind, start, start + len(value), score, "xml_secret_element", context_based=True)
    if "--" in text:
        for flag in _CLI_FLAG.finditer(text):
            kind = _classify_key(flag.group("key"))
            value, offset, quoted = _unquote(flag.group("value"))
            start = flag.start("value") + offset
            # Loose: prose explains flags ("the --password option").
            if kind and _accept_value(kind, value, quoted=quoted, loose_context=True):
                score = SCORE_CONFIG_PASSWORD if kind == PASSWORD else SCORE_CONFIG_KEY
                yield _Finding(kind, start, start + len(value), score, "cli_secret_flag", context_based=True)
    if "mysql" in lowered:
        for command in _MYSQL_PASSWORD.finditer(text):
            if _accept_value(PASSWORD, command.group("value"), quoted=False, loose_context=False):
                yield _Finding(PASSWORD, command.start("value"), command.end("value"), SCORE_CONFIG_PASSWORD,
                               "mysql_password_flag", context_based=True)
    if "-u" in lowered or "--user" in lowered:
        for credentials in _CURL_USER.finditer(text):
            value = credentials.group("value")
            if _accept_value(PASSWORD, value, quoted=False, loose_context=False):
                yield _Finding(PASSWORD, credentials.start("value"), credentials.end("value"), SCORE_CONTEXT_STRONG,
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


def _find_auth_headers(text: str, lowered: str) -> Iterator[_Finding]:
    if "authorization" in lowered:
        for header in _AUTHORIZATION.finditer(text):
            scheme = (header.group("scheme") or "").lower()
            start, end = header.span("value")
            value = header.group("value")
            if scheme == "basic":
                if _is_basic_credentials(value):
                    yield _Finding(PASSWORD, start, end, SCORE_SHAPED, "authorization_basic",
                                   pattern=_AUTHORIZATION.pattern, validated=True, context_based=True)
            elif _looks_like_token(value) and (scheme or len(value) >= 20):
                yield _Finding(API_KEY, start, end, SCORE_CONTEXT_STRONG, "authorization_header",
                               pattern=_AUTHORIZATION.pattern, context_based=True)
    if "bearer" in lowered:
        for bearer in _BEARER.finditer(text):
            if len(bearer.group("value")) >= 16 and _looks_like_token(bearer.group("value")):
                yield _Finding(API_KEY, bearer.start("value"), bearer.end("value"), SCORE_CONFIG_KEY, "bearer_token",
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


def _find_aws_secret_keys(text: str, lowered: str) -> Iterator[_Finding]:
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
            yield _Finding(AWS_SECRET_KEY, candidate.start(), candidate.end(), SCORE_CONTEXT_STRONG,
                           "aws_secret_key_near_aws_context", pattern=_AWS_SECRET_CANDIDATE.pattern,
                           context_based=True)


# --------------------------------------------------------------------------------------
# Secrets stated in prose.
# --------------------------------------------------------------------------------------

# Password keywords, misspelt too: pasword, passwrd, paswd, pssword, passowrd, passwort.
_PASSWORD_KEYWORD = r"p(?:a?s{1,2}|s{1,2}a)(?:w(?:o?r|ro)?d|owrd)|passwort|pass(?:phrase|code)|pass[ \t]word|pwd|pw"
_PROSE_KEYWORD = (
    rf"{_PASSWORD_KEYWORD}"
    r"|(?:api|access|secret|auth|private|bot|bearer|client)[ \t_-]?(?:key|token|secret)|token|secret"
)
# A quoted phrase (“smart” quotes too) or one unquoted word.
_PROSE_VALUE = (
    r"(?P<value>\"[^\"\r\n]{1,128}\"|'[^'\r\n]{1,128}'|“[^”\r\n]{1,128}”|‘[^’\r\n]{1,128}’"
    r"|`[^`\r\n]{1,128}`|\S{1,256})"
)
_PROSE_STATEMENT = re.compile(
    rf"(?i)\b(?P<keyword>{_PROSE_KEYWORD})"
    r"(?:[ \t]+(?:for|of|on|to|at)(?:[ \t]+[^\s.,;:!?]+){1,3}?)?"  # "for the admin account"
    # Longer verbs first: the first alternative that leads to a value wins.
    r"[ \t]+(?:(?:is|was|has[ \t]+been|got)[ \t]+(?:now[ \t]+|still[ \t]+)?(?:changed|set|reset|updated)[ \t]+to"
    r"|(?:changed|set|reset|updated)[ \t]+to|is[ \t]+now|is[ \t]+still|will[ \t]+be|should[ \t]+be|would[ \t]+be"
    r"|is|was|equals)"
    r"[ \t]*:?[ \t]+" + _PROSE_VALUE
)
_PROSE_VERB_LED = re.compile(
    r"(?i)\b(?:use|using|with|enter|entered|type|typed|try|tried)[ \t]+(?:the[ \t]+|my[ \t]+|our[ \t]+|this[ \t]+)?"
    rf"(?P<keyword>{_PASSWORD_KEYWORD})[ \t]*:?[ \t]+" + _PROSE_VALUE
)
# "set the root password to X", "changed my password to X".
_PROSE_SET_TO = re.compile(
    r"(?i)\b(?:set|sets|setting|change|changed|changing|reset|update|updated)[ \t]+"
    r"(?:(?:the|my|our|your|his|her|their|its|a|new)[ \t]+)?(?:[\w-]+[ \t]+)?"
    rf"(?P<keyword>{_PASSWORD_KEYWORD})[ \t]+to[ \t]+" + _PROSE_VALUE
)
# "her password !PurpleSky77", "login password Start@2025": no verb, so a strong-looking value.
_PROSE_KEYWORD_VALUE = re.compile(
    # Bounded gaps: "[ \t]*[:=]?[ \t]+" is quadratic over a long run of spaces after the keyword.
    rf"(?i)\b(?P<keyword>{_PASSWORD_KEYWORD})(?:[ \t]{{0,3}}[:=])?[ \t]{{1,3}}"
    r"(?P<value>\"[^\"\s]{4,64}\"|'[^'\s]{4,64}'|“[^”\s]{4,64}”|‘[^’\s]{4,64}’|[^\s\"'`“‘]{6,64})"
)
# "user daan-bakker pass Granite?29", "username: bob password: x".
_USER_PASS = re.compile(
    rf"(?i)\buser(?:[ \t_-]?name)?[ \t]*[:=]?[ \t]+[^\s/]{{2,64}}[ \t,;]+(?:and[ \t]+)?(?:pass|{_PASSWORD_KEYWORD})"
    r"[ \t]*[:=]?[ \t]+(?P<value>[^\s\"'`]{2,64})"
)
# "log in as admin / Glacier!1266", "Login: kwojcik@onet.pl / Meadow$1313".
_CREDENTIAL_PAIR = re.compile(
    r"(?i)(?:(?P<email>[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,5})"
    r"|\b(?:as|user(?:name)?|login|account)[ \t]*:?[ \t]+[\w.@+-]{2,64})"
    r"[ \t]*/[ \t]*(?P<value>[^\s/]{4,64})"
)
_LOGIN_WORDS = re.compile(r"(?i)log[ -]?in|sign[ -]?in|password|credential|account|portal|user|access|leak|expos")
# A 32+ character hex or mixed key right after a key word: "the datadog key is 841dd2...".
_KEYWORD_TOKEN = re.compile(
    r"(?i)\b(?:api[ _-]?key|key|token|auth[ _-]?token|access[ _-]?token|secret)(?:[ \t]+(?:is|was)|[ \t]*[:=])?"
    r"[ \t]+(?P<value>[A-Za-z0-9]{32,128})(?![\w-])"
)


def _find_prose_secrets(text: str, lowered: str) -> Iterator[_Finding]:
    if not any(word in lowered for word in ("pas", "pss", "pwd", "pw", "secret", "token", "key")):
        return
    for regex in (_PROSE_STATEMENT, _PROSE_VERB_LED, _PROSE_SET_TO):
        for statement in regex.finditer(text):
            keyword = statement.group("keyword").lower()
            kind = PASSWORD if keyword.startswith(("pa", "ps", "pw")) else API_KEY
            value, offset, quoted = _unquote(statement.group("value"))
            if not quoted:
                value = _trim_prose_value(value)
            start = statement.start("value") + offset
            if len(value) < _MIN_SECRET_LEN or _is_placeholder(value):
                continue
            if kind == PASSWORD and (quoted or _looks_like_password(value)):
                yield _Finding(PASSWORD, start, start + len(value), SCORE_PROSE_PASSWORD, "password_in_prose",
                               pattern=regex.pattern, context_based=True)
            elif kind == API_KEY and _looks_like_token(value):
                yield _Finding(API_KEY, start, start + len(value), SCORE_PROSE_KEY, "secret_in_prose",
                               pattern=regex.pattern, context_based=True)



def _find_credentials_without_verb(text: str, lowered: str) -> Iterator[_Finding]:
    """Passwords and keys stated without "is": keyword + value, user/pass pairs, "user / password"."""
    if any(word in lowered for word in ("pas", "pss", "pwd", "pw")):
        for regex, strict in ((_PROSE_KEYWORD_VALUE, True), (_USER_PASS, False)):
            for statement in regex.finditer(text):
                value, offset, quoted = _unquote(statement.group("value"))
                if not quoted:
                    value = _trim_prose_value(value)
                start = statement.start("value") + offset
                # Quoted after the keyword ("password 'B@np0rt#24'"): a password-like value suffices.
                if strict and not (_looks_like_password(value) if quoted else _looks_like_strong_password(value)):
                    continue
                if not strict and (not _looks_like_password(value) or _NON_SECRET_SHAPE.fullmatch(value)):
                    continue
                yield _Finding(PASSWORD, start, start + len(value), SCORE_PROSE_PASSWORD, "password_without_verb",
                               pattern=regex.pattern, context_based=True)
    if "/" in text:
        for pair in _CREDENTIAL_PAIR.finditer(text):
            value = _trim_prose_value(pair.group("value"))
            if not _looks_like_strong_password(value) or _NON_SECRET_SHAPE.fullmatch(value):
                continue
            # An e-mail before "/" is a login only where the text speaks of logins.
            if pair.group("email") and not _LOGIN_WORDS.search(text, max(0, pair.start() - 120), pair.start()):
                continue
            start = pair.start("value")
            yield _Finding(PASSWORD, start, start + len(value), SCORE_PROSE_PASSWORD, "user_slash_password",
                           pattern=_CREDENTIAL_PAIR.pattern, context_based=True)
    if "key" in lowered or "token" in lowered or "secret" in lowered:
        for statement in _KEYWORD_TOKEN.finditer(text):
            value = statement.group("value")
            is_hex = all(char in "0123456789abcdefABCDEF" for char in value)
            mixed = (any(c.isupper() for c in value) and any(c.islower() for c in value)
                     and any(c.isdigit() for c in value))
            if not ((is_hex and any(c.isdigit() for c in value) and any(c.isalpha() for c in value)) or mixed):
                continue
            yield _Finding(API_KEY, statement.start("value"), statement.end("value"), SCORE_PROSE_KEY,
                           "key_after_keyword", pattern=_KEYWORD_TOKEN.pattern, context_based=True)

# --------------------------------------------------------------------------------------
# Opt-in: quoted high-entropy strings (detect-secrets' Base64/Hex high-entropy plugins).
# --------------------------------------------------------------------------------------

_HIGH_ENTROPY_MIN_LEN = 20


def _find_high_entropy_strings(text: str) -> Iterator[_Finding]:
    if '"' not in text and "'" not in text:
        return
    plugin: HighEntropyStringsPlugin
    for plugin, min_len in ((_BASE64_ENTROPY, _HIGH_ENTROPY_MIN_LEN), (_HEX_ENTROPY, 32)):
        # plugin.regex is the quoted-string regex compiled in __init__; reading it is thread-safe.
        for quoted in plugin.regex.finditer(text):
            value = quoted.group(2)
            if len(value) >= min_len and plugin.calculate_shannon_entropy(value) > plugin.entropy_limit:
                yield _Finding(API_KEY, quoted.start(2), quoted.end(2), SCORE_HIGH_ENTROPY, type(plugin).__name__,
                               DETECT_SECRETS, plugin.regex.pattern)


# --------------------------------------------------------------------------------------
# Repeats, overlaps, and the recognizer.
# --------------------------------------------------------------------------------------

_MIN_REPEAT_LEN = 6


def _find_repeats(text: str, findings: Sequence[_Finding]) -> Iterator[_Finding]:
    """Other occurrences of values found by their context ("pw is X ... log in with X")."""
    seen: set[str] = set()
    for finding in findings:
        value = text[finding.start:finding.end]
        if not finding.context_based or value in seen:
            continue
        seen.add(value)
        # Short or plain-word values would mark ordinary words elsewhere in the prompt.
        if len(value) < _MIN_REPEAT_LEN or not (_looks_like_password(value) or len(value) >= 12):
            continue
        position = text.find(value)
        while position >= 0:
            end = position + len(value)
            glued_left = position > 0 and value[0] in _ALNUM and text[position - 1] in _ALNUM
            glued_right = end < len(text) and value[-1] in _ALNUM and text[end] in _ALNUM
            if not glued_left and not glued_right:
                yield _Finding(finding.entity_type, position, end, round(finding.score - REPEAT_PENALTY, 4),
                               f"repeat_of_{finding.rule}", finding.source, context_based=False)
            position = text.find(value, position + 1)


def _without_overlaps(findings: Iterable[_Finding]) -> list[_Finding]:
    """Keep the most certain finding where spans overlap (a JWT beats the bearer token around it)."""
    kept: list[_Finding] = []  # sorted by start, pairwise disjoint
    kept_starts: list[int] = []
    for finding in sorted(findings, key=lambda f: (-f.score, -(f.end - f.start), f.start)):
        index = bisect.bisect_left(kept_starts, finding.start)
        overlaps_before = index > 0 and kept[index - 1].end > finding.start
        overlaps_after = index < len(kept) and kept[index].start < finding.end
        if not overlaps_before and not overlaps_after:
            kept.insert(index, finding)
            kept_starts.insert(index, finding.start)
    return kept


class SecretsRecognizer(EntityRecognizer):
    """Finds API keys, tokens, private keys and passwords; see the module docstring.

    :param supported_entities: a subset of SECRET_ENTITY_TYPES to emit (default: all).
    :param supported_language: the language Presidio runs this recognizer for.
    :param name: recognizer name in results and explanations.
    :param detect_high_entropy_strings: also report quoted high-entropy strings as API_KEY
        (score 0.5). Off by default: hashes and IDs in code trip it.
    :param find_repeats: also report other occurrences of values found by their context.
    """

    def __init__(
        self,
        supported_entities: Sequence[str] | None = None,
        supported_language: str = "en",
        name: str | None = None,
        *,
        detect_high_entropy_strings: bool = False,
        find_repeats: bool = True,
    ) -> None:
        entities = list(supported_entities) if supported_entities is not None else list(SECRET_ENTITY_TYPES)
        unknown = sorted(set(entities) - set(SECRET_ENTITY_TYPES))
        if unknown:
            raise ValueError(f"SecretsRecognizer does not emit: {', '.join(unknown)}")
        self._detect_high_entropy_strings = detect_high_entropy_strings
        self._find_repeats = find_repeats
        super().__init__(supported_entities=entities, name=name, supported_language=supported_language,
                         version="1.0.0")

    def load(self) -> None:
        """Nothing to load: all patterns are compiled at import."""

    def analyze(self, text: str, entities: list[str] | None = None, nlp_artifacts=None) -> list[RecognizerResult]:
        wanted = frozenset(self.supported_entities)
        if entities:
            wanted &= frozenset(entities)
        if not wanted or not text or len(text) < _MIN_SECRET_LEN:
            return []
        # Find every type, then filter: which type wins an overlap must not depend on the request.
        findings = [f for f in self._find_all(text) if f.entity_type in wanted]
        return [self._to_result(finding) for finding in findings]

    def _find_all(self, text: str) -> list[_Finding]:
        from policy.recognizers import secrets_prose  # imports this module: loaded on first use

        lowered = lower_keeping_offsets(text)
        findings: list[_Finding] = [
            *_find_private_keys(text, lowered),
            *_find_jwts(text),
            *_find_tokens(text, lowered),
            *_find_aws_secret_keys(text, lowered),
            *_find_auth_headers(text, lowered),
            *_find_config_assignments(text, lowered),
            *_find_xml_and_cli(text, lowered),
            *_find_prose_secrets(text, lowered),
            *_find_credentials_without_verb(text, lowered),
            *secrets_prose.find_prose_passwords(text, lowered),
        ]
        if self._detect_high_entropy_strings:
            findings.extend(_find_high_entropy_strings(text))
        if self._find_repeats:
            # Resolve overlaps first so a value is repeated under the type that won.
            findings.extend(_find_repeats(text, _without_overlaps(findings)))
        return _without_overlaps(findings)

    def _to_result(self, finding: _Finding) -> RecognizerResult:
        explanation = AnalysisExplanation(
            recognizer=self.name,
            original_score=finding.score,
            pattern_name=f"{finding.source}:{finding.rule}",
            pattern=finding.pattern,
            validation_result=finding.validated,
            textual_explanation=f"Detected by `{self.name}` using {finding.source} rule `{finding.rule}`",
        )
        return RecognizerResult(
            entity_type=finding.entity_type,
            start=finding.start,
            end=finding.end,
            score=finding.score,
            analysis_explanation=explanation,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )
