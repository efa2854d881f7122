"""Vendor token formats, one regex per rule, most of them detect-secrets' own; and, opt-in,
quoted high-entropy strings as detect-secrets' Base64/Hex high-entropy plugins report them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from detect_secrets.plugins.artifactory import ArtifactoryDetector
from detect_secrets.plugins.aws import AWSKeyDetector
from detect_secrets.plugins.azure_storage_key import AzureStorageKeyDetector
from detect_secrets.plugins.basic_auth import BasicAuthDetector
from detect_secrets.plugins.discord import DiscordBotTokenDetector
from detect_secrets.plugins.github_token import GitHubTokenDetector
from detect_secrets.plugins.gitlab_token import GitLabTokenDetector
from detect_secrets.plugins.high_entropy_strings import HighEntropyStringsPlugin
from detect_secrets.plugins.mailchimp import MailchimpDetector
from detect_secrets.plugins.openai import OpenAIDetector
from detect_secrets.plugins.pypi_token import PypiTokenDetector
from detect_secrets.plugins.sendgrid import SendGridDetector
from detect_secrets.plugins.slack import SlackDetector
from detect_secrets.plugins.square_oauth import SquareOAuthDetector
from detect_secrets.plugins.stripe import StripeDetector
from detect_secrets.plugins.telegram_token import TelegramBotTokenDetector
from detect_secrets.plugins.twilio import TwilioKeyDetector

from policy.recognizers.secrets._values import (
    ALNUM,
    API_KEY,
    AWS_ACCESS_KEY,
    AWS_SECRET_KEY,
    AZURE_KEY,
    BASE64_ENTROPY,
    DETECT_SECRETS,
    GITHUB_TOKEN,
    GITLAB_TOKEN,
    GOOGLE_API_KEY,
    HEX_ENTROPY,
    OPENAI_API_KEY,
    PASSWORD,
    RESIDENCY,
    SCORE_AWS_SECRET_QUOTED,
    SCORE_HIGH_ENTROPY,
    SCORE_PREFIXED,
    SCORE_SECONDARY_PREFIXED,
    SCORE_SHAPED,
    SLACK_TOKEN,
    STRIPE_KEY,
    Finding,
    is_real_value,
)

# --------------------------------------------------------------------------------------
# Token rules: one regex, one entity type. Most regexes are detect-secrets' own.
# --------------------------------------------------------------------------------------

_TOKEN_TAIL = re.compile(r"[A-Za-z0-9_-]*")
_BASE64_TAIL = re.compile(r"[A-Za-z0-9+/]*=*")


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
    value_check: Callable[[str], bool] = is_real_value  # docs write ghp_xxxx..., user:<password>@
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


def find_tokens(text: str, lowered: str) -> Iterator[Finding]:
    for rule in _TOKEN_RULES:
        if not any(hint in lowered for hint in rule.hints):
            continue
        for match in rule.regex.finditer(text):
            span = _token_span(text, match, rule)
            if span is not None:
                yield Finding(rule.entity_type, span[0], span[1], rule.score, rule.name, rule.source,
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
    if rule.left_bounded and start > 0 and text[start - 1] in ALNUM:
        return None
    if rule.grow is not None:
        end = rule.grow.match(text, end).end()
    elif rule.group == 0 and end < len(text) and text[end] in ALNUM:
        return None
    if end <= start or not rule.value_check(text[start:end]):
        return None
    return start, end


# --------------------------------------------------------------------------------------
# Opt-in: quoted high-entropy strings (detect-secrets' Base64/Hex high-entropy plugins).
# --------------------------------------------------------------------------------------

_HIGH_ENTROPY_MIN_LEN = 20


def find_high_entropy_strings(text: str) -> Iterator[Finding]:
    if '"' not in text and "'" not in text:
        return
    plugin: HighEntropyStringsPlugin
    for plugin, min_len in ((BASE64_ENTROPY, _HIGH_ENTROPY_MIN_LEN), (HEX_ENTROPY, 32)):
        # plugin.regex is the quoted-string regex compiled in __init__; reading it is thread-safe.
        for quoted in plugin.regex.finditer(text):
            value = quoted.group(2)
            if len(value) >= min_len and plugin.calculate_shannon_entropy(value) > plugin.entropy_limit:
                yield Finding(API_KEY, quoted.start(2), quoted.end(2), SCORE_HIGH_ENTROPY, type(plugin).__name__,
                              DETECT_SECRETS, plugin.regex.pattern)
