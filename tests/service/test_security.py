"""Transport security and caller identity: TLS, mutual TLS, bearer tokens, unix sockets."""

from __future__ import annotations

import os
import stat
from dataclasses import replace

import grpc
import pytest

from service.api import residency_pb2 as A
from service.api import residency_pb2_grpc
from service.auth import hash_token
from service.config import AuthSettings, ProfileSettings, TlsSettings
from tests.certs import Authority
from tests.conftest import request

CLEAN = "Explain the CAP theorem"
BILLING = ProfileSettings(services=("tests",), tenants=("acme",), jurisdictions=("EU", "DE"))


@pytest.fixture(scope="module")
def authority() -> Authority:
    return Authority.create()


def tls_settings(settings, tmp_path, authority, *, mutual: bool):
    cert, key = authority.server().write(tmp_path, "server")
    ca = tmp_path / "ca.crt"
    ca.write_bytes(authority.ca.cert)
    return replace(settings, tls=TlsSettings(cert_file=cert, key_file=key, client_ca_file=ca if mutual else None))


def secure_stub(port: int, authority: Authority, client=None) -> tuple[grpc.Channel, residency_pb2_grpc.ResidencyStub]:
    credentials = grpc.ssl_channel_credentials(
        root_certificates=authority.ca.cert,
        private_key=client.key if client else None,
        certificate_chain=client.cert if client else None,
    )
    channel = grpc.secure_channel(f"localhost:{port}", credentials)
    return channel, residency_pb2_grpc.ResidencyStub(channel)


def test_tls_serves_and_refuses_plaintext(start_sidecar, settings, tmp_path, authority):
    running = start_sidecar(tls_settings(settings, tmp_path, authority, mutual=False))

    channel, stub = secure_stub(running.sidecar.port, authority)
    with channel:
        assert stub.Evaluate(request(CLEAN)).action == A.ALLOW_EXTERNAL
    with pytest.raises(grpc.RpcError) as error:
        running.stub.Evaluate(request(CLEAN), timeout=5)  # the fixture's plaintext channel
    assert error.value.code() == grpc.StatusCode.UNAVAILABLE


def mtls_sidecar(start_sidecar, settings, tmp_path, authority):
    secured = tls_settings(settings, tmp_path, authority, mutual=True)
    auth = AuthSettings(profiles={"billing": BILLING}, certificate_identities={"spiffe://acme/billing": "billing"})
    return start_sidecar(replace(secured, auth=auth))


@pytest.mark.parametrize(
    ("tenant", "jurisdiction", "code"),
    [
        pytest.param("acme", "DE", grpc.StatusCode.OK, id="claims-inside-profile"),
        pytest.param("globex", "DE", grpc.StatusCode.PERMISSION_DENIED, id="other-tenant"),
        pytest.param("acme", "US", grpc.StatusCode.PERMISSION_DENIED, id="other-jurisdiction"),
    ],
)
def test_mtls_identity_bounds_the_claims(start_sidecar, settings, tmp_path, authority, tenant, jurisdiction, code):
    running = mtls_sidecar(start_sidecar, settings, tmp_path, authority)
    channel, stub = secure_stub(running.sidecar.port, authority, authority.client("billing", "spiffe://acme/billing"))

    with channel:
        try:
            stub.Evaluate(request(CLEAN, tenant=tenant, jurisdiction=jurisdiction))
            result = grpc.StatusCode.OK
        except grpc.RpcError as error:
            result = error.code()
            assert "may claim" in error.details()

    assert result == code
    assert len(running.audit_lines()) == (1 if code == grpc.StatusCode.OK else 0)


def test_mtls_unknown_certificate_is_unauthenticated(start_sidecar, settings, tmp_path, authority):
    running = mtls_sidecar(start_sidecar, settings, tmp_path, authority)
    channel, stub = secure_stub(running.sidecar.port, authority, authority.client("intruder", "spiffe://acme/other"))

    with channel, pytest.raises(grpc.RpcError) as error:
        stub.Evaluate(request(CLEAN))

    assert error.value.code() == grpc.StatusCode.UNAUTHENTICATED


def test_mtls_refuses_a_client_without_certificate(start_sidecar, settings, tmp_path, authority):
    running = mtls_sidecar(start_sidecar, settings, tmp_path, authority)
    channel, stub = secure_stub(running.sidecar.port, authority)

    with channel, pytest.raises(grpc.RpcError) as error:
        stub.Evaluate(request(CLEAN), timeout=5)

    assert error.value.code() == grpc.StatusCode.UNAVAILABLE  # the handshake itself fails


@pytest.fixture
def token_sidecar(start_sidecar, settings, tmp_path, authority):
    tokens = tmp_path / "tokens"
    tokens.write_text(f"# profile digest\nbilling {hash_token('s3cret-token-billing')}\n")
    secured = tls_settings(settings, tmp_path, authority, mutual=False)
    return start_sidecar(replace(secured, auth=AuthSettings(profiles={"billing": BILLING}, tokens_file=tokens)))


@pytest.mark.parametrize(
    ("metadata", "tenant", "code"),
    [
        pytest.param([("authorization", "Bearer s3cret-token-billing")], "acme", grpc.StatusCode.OK, id="good-token"),
        pytest.param([("authorization", "Bearer s3cret-token-billing")], "globex", grpc.StatusCode.PERMISSION_DENIED,
                     id="good-token-other-tenant"),
        pytest.param([("authorization", "Bearer wrong")], "acme", grpc.StatusCode.UNAUTHENTICATED, id="wrong-token"),
        pytest.param([("authorization", "Basic czNjcmV0")], "acme", grpc.StatusCode.UNAUTHENTICATED, id="wrong-scheme"),
        pytest.param([], "acme", grpc.StatusCode.UNAUTHENTICATED, id="no-token"),
    ],
)
def test_bearer_tokens(token_sidecar, authority, metadata, tenant, code):
    channel, stub = secure_stub(token_sidecar.sidecar.port, authority)
    with channel:
        try:
            stub.Evaluate(request(CLEAN, tenant=tenant), metadata=metadata)
            result = grpc.StatusCode.OK
        except grpc.RpcError as error:
            result = error.code()

    assert result == code


def test_tokens_file_holds_digests_only(tmp_path):
    from policy.errors import ConfigError
    from service.auth import read_tokens_file

    bad = tmp_path / "tokens"
    bad.write_text("billing s3cret-token-billing\n")

    with pytest.raises(ConfigError, match=r"tokens:1: expected '<profile> sha256:"):
        read_tokens_file(bad)


def test_unix_socket_is_private(start_sidecar, settings, tmp_path):
    socket_path = tmp_path / "residency.sock"
    start_sidecar(replace(settings, listen=f"unix://{socket_path}"))

    mode = stat.S_IMODE(os.stat(socket_path).st_mode)
    with grpc.insecure_channel(f"unix://{socket_path}") as channel:
        decision = residency_pb2_grpc.ResidencyStub(channel).Evaluate(request(CLEAN))

    assert mode & 0o077 == 0, oct(mode)
    assert decision.action == A.ALLOW_EXTERNAL


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param({"tls.cert_file": "/x.crt"}, "go together", id="cert-without-key"),
        pytest.param({"tls.client_ca_file": "/ca.crt"}, "needs tls.cert_file", id="ca-without-cert"),
        pytest.param({"auth.profiles": {"b": {}}, "auth.certificate_identities": {"CN=b": "b"}},
                     "needs mutual TLS", id="identities-without-mtls"),
        pytest.param({"auth.profiles": {"b": {}}, "auth.tokens_file": "/t"}, "use TLS", id="tokens-in-plaintext"),
    ],
)
def test_conflicting_security_settings_are_refused(overrides, message):
    from policy.errors import ConfigError
    from service.config import load_settings

    with pytest.raises(ConfigError, match=message):
        load_settings(environ={}, overrides=overrides)
