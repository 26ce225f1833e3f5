"""PAdES signatures on certificate PDFs, with the issuing authority's key.

Each authority (``accounts.enums.Authority``: mct, nrta) signs the certificates of
its kinds, so a printed-to-PDF or forwarded copy can be checked offline in any
PDF reader (or with pyHanko) against the authority's root certificate.

Where the keys come from, per authority ``a``:

* production: ``settings.CERTIFICATE_SIGNING[a] = {"key": path, "cert": path,
  "chain": [paths…], "passphrase": …}``, or the environment variables
  ``CERTIFICATE_SIGNING_KEY_<A>``, ``CERTIFICATE_SIGNING_CERT_<A>`` and
  ``CERTIFICATE_SIGNING_CHAIN_<A>`` (paths; the chain comma-separated). Private
  keys of production are never committed;
* demo, development and tests (nothing configured): a self-made test root
  (证照签名测试根证书) and one signing certificate per authority, generated on
  first use into ``var/signing/`` (``settings.CERTIFICATE_SIGNING_DIR``), which
  git ignores. They say 测试 in their names so nobody takes them for real ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

AUTHORITY_NAMES = {"mct": "文化和旅游部", "nrta": "国家广播电视总局"}
TEST_ROOT_NAME = "证照签名测试根证书（仅供演示和测试）"


@dataclass(frozen=True)
class SigningKey:
    authority: str
    key: Path
    cert: Path
    chain: tuple[Path, ...]
    passphrase: bytes | None = None


def signing_dir() -> Path:
    return Path(getattr(settings, "CERTIFICATE_SIGNING_DIR", settings.BASE_DIR / "var" / "signing"))


def _configured(authority: str) -> SigningKey | None:
    conf = (getattr(settings, "CERTIFICATE_SIGNING", None) or {}).get(authority)
    upper = authority.upper()
    if conf is None and os.environ.get(f"CERTIFICATE_SIGNING_KEY_{upper}"):
        chain = os.environ.get(f"CERTIFICATE_SIGNING_CHAIN_{upper}", "")
        conf = {
            "key": os.environ[f"CERTIFICATE_SIGNING_KEY_{upper}"],
            "cert": os.environ.get(f"CERTIFICATE_SIGNING_CERT_{upper}", ""),
            "chain": [p for p in chain.split(",") if p],
            "passphrase": os.environ.get(f"CERTIFICATE_SIGNING_PASSPHRASE_{upper}") or None,
        }
    if conf is None:
        return None
    passphrase = conf.get("passphrase")
    return SigningKey(
        authority=authority,
        key=Path(conf["key"]),
        cert=Path(conf["cert"]),
        chain=tuple(Path(p) for p in conf.get("chain", ())),
        passphrase=passphrase.encode() if isinstance(passphrase, str) else passphrase,
    )


# --- the self-made test root and keys (demo, development, tests) ------------------------------


def _name(common_name: str, organisation: str):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _write_pem(path: Path, data: bytes, mode: int = 0o644) -> None:
    path.write_bytes(data)
    path.chmod(mode)


def _generate_test_keys(target: Path) -> None:
    """A test root and one signing key and certificate per authority, written to ``target``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID

    now = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_name = _name(TEST_ROOT_NAME, "网络文化与视听节目备案申报门户（测试）")
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    _write_pem(target / "root.pem", root.public_bytes(pem))
    for authority, organisation in AUTHORITY_NAMES.items():
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(f"{organisation}证照签章（测试）", organisation))
            .issuer_name(root_name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + dt.timedelta(days=1825))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=True,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
            .sign(root_key, hashes.SHA256())
        )
        key_pem = key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        _write_pem(target / f"{authority}.key.pem", key_pem, 0o600)
        _write_pem(target / f"{authority}.cert.pem", cert.public_bytes(pem))


def _test_keys_dir() -> Path:
    """``var/signing`` with the test keys, generated once (atomically: a concurrent first use
    by another process keeps one consistent set)."""
    final = signing_dir()
    if (final / "root.pem").exists():
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".signing-", dir=final.parent))
    try:
        _generate_test_keys(work)
        try:
            os.rename(work, final)  # fails if another process got there first
            logger.warning("certificate signing: test keys generated in %s (not for production)", final)
        except OSError:
            pass
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return final


def signing_key(authority: str) -> SigningKey:
    configured = _configured(authority)
    if configured is not None:
        return configured
    folder = _test_keys_dir()
    return SigningKey(
        authority=authority,
        key=folder / f"{authority}.key.pem",
        cert=folder / f"{authority}.cert.pem",
        chain=(folder / "root.pem",),
    )


def test_root_path() -> Path:
    """The self-made test root (demo, development and tests only)."""
    return _test_keys_dir() / "root.pem"


@lru_cache(maxsize=8)
def _signer(key: SigningKey):
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load(
        str(key.key), str(key.cert), ca_chain_files=tuple(str(p) for p in key.chain), key_passphrase=key.passphrase
    )
    if signer is None:
        raise RuntimeError(f"certificate signing: cannot load the key of {key.authority} from {key.key}")
    return signer


def signer_subject(authority: str) -> str:
    return _signer(signing_key(authority)).signing_cert.subject.human_friendly


def root_fingerprint(authority: str) -> str:
    """SHA-256 of the root certificate the authority's signatures chain to (AA:BB:…)."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    key = signing_key(authority)
    path = key.chain[-1] if key.chain else key.cert
    der = x509.load_pem_x509_certificate(path.read_bytes()).public_bytes(Encoding.DER)
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def sign_pdf(data: bytes, *, authority: str, reason: str, location: str = "") -> tuple[bytes, str]:
    """``data`` signed (PAdES baseline B-B, /ETSI.CAdES.detached, SHA-256) with the authority's key.

    Returns the signed PDF and the signer certificate's subject.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = _signer(signing_key(authority))
    meta = signers.PdfSignatureMetadata(
        field_name="CertificateSignature",
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location or None,
    )
    writer = IncrementalPdfFileWriter(BytesIO(data))
    out = signers.sign_pdf(writer, meta, signer=signer)
    return out.getvalue(), signer.signing_cert.subject.human_friendly
