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

More phrasings of passwords and codes in prose, in several languages, are found too ("the
wifi pw is X", "mot de passe : X", "the alarm code is 4821", "my login is bob / X", "I use
X as my password").

Not covered (known gaps):
    passwords with no keyword at all ("log in as bob, then hunter2"); all-letter
    passwords that are everyday words ("my password is dragon"); secrets split
    across lines or messages, encoded or obfuscated; a `;` inside an unquoted config value
    ends it; vendor formats neither detect-secrets nor this package knows (e.g. Datadog,
    Heroku keys with no keyword); prose in languages other than those of `prose.py`.

Layout: one module per family, each with `find_*` functions that yield the findings of one
text; `SecretsRecognizer`, here, runs them all, adds repeats and resolves overlaps.
    _values.py   entity types, scores, `Finding`, and the checks that a value looks like a
                 secret (placeholder, password, token) and unquotes or trims it
    tokens.py    token rules (detect-secrets' plugins and our own vendor formats); opt-in
                 quoted high-entropy strings
    blocks.py    private key blocks and JWTs
    config.py    config lines, XML elements and CLI flags, Authorization headers and
                 bearer tokens, unquoted AWS secret keys
    prose.py     passwords and keys stated in prose, in English and several other languages

Thread safety: every regex is compiled once at import; `analyze` keeps its state in
locals. detect-secrets' settings singleton, `analyze_line` (reads it) and the high-entropy
plugins' `non_quoted_string_regex` (mutates the plugin) are never called. Nothing in this
package logs, prints or puts text into exception messages. Cost: a few milliseconds per
20 KB, and regexes are bounded so that pathological prompts stay well under a second.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from policy.categories import SECRET_ENTITY_TYPES
from policy.recognizers._patterns import lower_keeping_offsets
from policy.recognizers.secrets._values import ALNUM, MIN_SECRET_LEN, REPEAT_PENALTY, Finding, looks_like_password
from policy.recognizers.secrets.blocks import find_jwts, find_private_keys
from policy.recognizers.secrets.config import (
    find_auth_headers,
    find_aws_secret_keys,
    find_config_assignments,
    find_xml_and_cli,
)
from policy.recognizers.secrets.prose import find_credentials_without_verb, find_prose_passwords, find_prose_secrets
from policy.recognizers.secrets.tokens import find_high_entropy_strings, find_tokens

__all__ = ["SECRET_ENTITY_TYPES", "SecretsRecognizer"]

# --------------------------------------------------------------------------------------
# Repeats, overlaps, and the recognizer.
# --------------------------------------------------------------------------------------

_MIN_REPEAT_LEN = 6


def _find_repeats(text: str, findings: Sequence[Finding]) -> Iterator[Finding]:
    """Other occurrences of values found by their context ("pw is X ... log in with X")."""
    seen: set[str] = set()
    for finding in findings:
        value = text[finding.start:finding.end]
        if not finding.context_based or value in seen:
            continue
        seen.add(value)
        # Short or plain-word values would mark ordinary words elsewhere in the prompt.
        if len(value) < _MIN_REPEAT_LEN or not (looks_like_password(value) or len(value) >= 12):
            continue
        position = text.find(value)
        while position >= 0:
            end = position + len(value)
            glued_left = position > 0 and value[0] in ALNUM and text[position - 1] in ALNUM
            glued_right = end < len(text) and value[-1] in ALNUM and text[end] in ALNUM
            if not glued_left and not glued_right:
                yield Finding(finding.entity_type, position, end, round(finding.score - REPEAT_PENALTY, 4),
                              f"repeat_of_{finding.rule}", finding.source, context_based=False)
            position = text.find(value, position + 1)


def _without_overlaps(findings: Iterable[Finding]) -> list[Finding]:
    """Keep the most certain finding where spans overlap (a JWT beats the bearer token around it)."""
    kept: list[Finding] = []  # sorted by start, pairwise disjoint
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
        if not wanted or not text or len(text) < MIN_SECRET_LEN:
            return []
        # Find every type, then filter: which type wins an overlap must not depend on the request.
        findings = [f for f in self._find_all(text) if f.entity_type in wanted]
        return [self._to_result(finding) for finding in findings]

    def _find_all(self, text: str) -> list[Finding]:
        lowered = lower_keeping_offsets(text)
        findings: list[Finding] = [
            *find_private_keys(text, lowered),
            *find_jwts(text),
            *find_tokens(text, lowered),
            *find_aws_secret_keys(text, lowered),
            *find_auth_headers(text, lowered),
            *find_config_assignments(text, lowered),
            *find_xml_and_cli(text, lowered),
            *find_prose_secrets(text, lowered),
            *find_credentials_without_verb(text, lowered),
            *find_prose_passwords(text, lowered),
        ]
        if self._detect_high_entropy_strings:
            findings.extend(find_high_entropy_strings(text))
        if self._find_repeats:
            # Resolve overlaps first so a value is repeated under the type that won.
            findings.extend(_find_repeats(text, _without_overlaps(findings)))
        return _without_overlaps(findings)

    def _to_result(self, finding: Finding) -> RecognizerResult:
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
