"""Real X.509 certificates made in the test: a CA, a server certificate for localhost, client certificates."""

from __future__ import annotations

import datetime
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class Pem:
    cert: bytes
    key: bytes

    def write(self, folder: Path, name: str) -> tuple[Path, Path]:
        cert, key = folder / f"{name}.crt", folder / f"{name}.key"
        cert.write_bytes(self.cert)
        key.write_bytes(self.key)
        return cert, key


def _issue(subject_cn: str, *, issuer: tuple[x509.Name, ec.EllipticCurvePrivateKey] | None, is_ca: bool,
           sans: list[x509.GeneralName]) -> tuple[Pem, x509.Name, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject_cn)])
    issuer_name, issuer_key = issuer or (name, key)
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
    )
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    cert = builder.sign(issuer_key, hashes.SHA256())
    pem = Pem(
        cert.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
    )
    return pem, name, key


@dataclass(frozen=True)
class Authority:
    ca: Pem
    _name: x509.Name
    _key: ec.EllipticCurvePrivateKey

    @classmethod
    def create(cls, cn: str = "Residency Test CA") -> Authority:
        pem, name, key = _issue(cn, issuer=None, is_ca=True, sans=[])
        return cls(pem, name, key)

    def server(self) -> Pem:
        sans = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
        return _issue("localhost", issuer=(self._name, self._key), is_ca=False, sans=sans)[0]

    def client(self, cn: str, uri: str | None = None) -> Pem:
        sans = [x509.UniformResourceIdentifier(uri)] if uri else []
        return _issue(cn, issuer=(self._name, self._key), is_ca=False, sans=sans)[0]
