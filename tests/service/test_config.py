"""Configuration: defaults with no file, YAML, environment overrides, and errors that name the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from policy.errors import ConfigError
from service.config import SHIPPED_POLICY, load_settings


def test_defaults_need_no_file():
    settings = load_settings(environ={})

    assert settings.listen == "127.0.0.1:50051"
    assert settings.policy.path == str(SHIPPED_POLICY) and (SHIPPED_POLICY / "data.json").is_file()
    assert settings.policy.fallback_target == "local"
    assert settings.limits.max_request_text_bytes == 1024 * 1024


def test_file_then_environment_then_overrides(tmp_path):
    config = tmp_path / "residency.yaml"
    config.write_text(
        "listen: 127.0.0.1:6000\n"
        "limits: {max_messages: 10}\n"
        "detection: {type_thresholds: {PHONE_NUMBER: 0.3}, allow_list: [Acme GmbH], deny_lists: {PERSON: [Blue Falcon]}}\n"
        "policy: {floor_categories: [SECRET]}\n"
    )

    settings = load_settings(
        config,
        environ={"RESIDENCY_LIMITS_MAX_MESSAGES": "20", "RESIDENCY_AUDIT_PATH": "/tmp/a.jsonl"},
        overrides={"listen": "127.0.0.1:7000"},
    )

    assert settings.listen == "127.0.0.1:7000"
    assert settings.limits.max_messages == 20
    assert settings.audit.path == Path("/tmp/a.jsonl")
    assert settings.detection.type_thresholds == {"PHONE_NUMBER": 0.3}
    assert settings.detection.detection_settings().allow_list == ("Acme GmbH",)
    assert settings.detection.detection_settings().deny_lists == {"PERSON": ("Blue Falcon",)}
    assert settings.policy.floor_categories == ("SECRET",)


@pytest.mark.parametrize(
    ("yaml_text", "environ", "message"),
    [
        pytest.param("limits: {max_mesages: 3}\n", {}, "unknown setting limits.max_mesages", id="typo"),
        pytest.param("limits: {max_messages: many}\n", {}, "limits.max_messages must be a int", id="not-a-number"),
        pytest.param("limits: {max_messages: 0}\n", {}, "limits.max_messages must be positive", id="zero"),
        pytest.param("audit: {fsync: sometimes}\n", {}, "audit.fsync must be", id="bad-choice"),
        pytest.param("policy: {floor_categories: [SECRETS]}\n", {}, "unknown category SECRETS", id="bad-category"),
        pytest.param("detection: {deny_lists: {CODENAME: [x]}}\n", {}, "unknown entity types: CODENAME", id="deny-type"),
        pytest.param("", {"RESIDENCY_DETECTION_REGEX_TIMEOUT_S": "0"}, "regex_timeout_s must be > 0", id="regex-timeout"),
        pytest.param("listen: [1]\n", {}, "listen must be a str", id="wrong-type"),
        pytest.param("", {"RESIDENCY_POLICY_FLOOR_CATEGORIES": ""}, "floor_categories is empty", id="empty-floor"),
        pytest.param("limits: {max_message_chars: 2000000}\n", {}, "spaCy's longest text", id="over-spacy-limit"),
        pytest.param("limits: [\n", {}, r"residency.yaml:\d+:\d+ is not valid YAML", id="bad-yaml"),
        pytest.param("- a\n", {}, "must hold a mapping", id="not-a-mapping"),
        pytest.param("", {"RESIDENCY_NOPE": "1"}, "unknown environment setting RESIDENCY_NOPE", id="unknown-env"),
    ],
)
def test_errors_name_the_key(tmp_path, yaml_text, environ, message):
    config = tmp_path / "residency.yaml"
    config.write_text(yaml_text)

    with pytest.raises(ConfigError, match=message):
        load_settings(config, environ=environ)


def test_missing_config_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_settings(tmp_path / "nope.yaml", environ={})


def test_the_tuning_example_in_the_deployment_guide_loads(tmp_path):
    import re

    guide = (Path(__file__).resolve().parents[2] / "docs" / "deployment.md").read_text(encoding="utf-8")
    example = re.search(r"## Tuning detection.*?```yaml\n(.*?)```", guide, re.S).group(1)
    config = tmp_path / "residency.yaml"
    config.write_text(example)

    detection = load_settings(config, environ={}).detection.detection_settings()

    assert detection.deny_lists == {"PERSON": ("Blue Falcon",), "ACCOUNT_ID": ("ACME-ROOT",)}
    assert "acme.example" in detection.allow_list
