"""The electronic signature (tanda tangan elektronik) of a frozen report: a PAdES signature
made with pyHanko and the PKCS#12 certificate the Admin configures (ZI_TTE_P12,
ZI_TTE_SANDI), e.g. the regency's BSrE certificate. Without one, a local test certificate
(`buat_sertifikat_lokal`, made by `make setup`) signs, and every page says it is local."""

import asyncio
import datetime
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

# the organisational unit that marks a certificate made by `buat_sertifikat_lokal`
OU_LOKAL = "Sertifikat uji lokal Zona Integritas"
NAMA_FIELD = "TandaTanganKepala"


class SertifikatTidakAda(Exception):
    """No usable signing certificate is configured."""


def path_sertifikat():
    return Path(settings.ZI_TTE_P12)


def sandi_sertifikat():
    s = settings.ZI_TTE_SANDI
    return s.encode() if s else None


def buat_sertifikat_lokal(path, *, nama="Kabupaten Demo"):
    """A local CA and a signing certificate it issued, as one PKCS#12 without a passphrase
    (for the demo and tests; never a certified e-signature)."""
    now = datetime.datetime.now(datetime.UTC)

    def name(cn):
        return x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, nama),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, OU_LOKAL),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ])

    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = name(f"CA Uji Lokal {nama}")
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(days=1))
          .not_valid_after(now + datetime.timedelta(days=3650))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                       key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, key_cert_sign=True, crl_sign=True,
                                       encipher_only=False, decipher_only=False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (x509.CertificateBuilder().subject_name(name(f"Penandatangan Uji {nama}"))
            .issuer_name(ca_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1825))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False,
                                         decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    data = pkcs12.serialize_key_and_certificates(
        b"zi-tte", key, cert, [ca], serialization.NoEncryption())
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.chmod(0o600)
    tmp.replace(path)
    _penanda.cache_clear()
    return path


@cache
def _penanda(path, sandi, mtime):
    return signers.SimpleSigner.load_pkcs12(pfx_file=path, passphrase=sandi)


def penanda():
    """The configured signer (pyHanko), or SertifikatTidakAda with a message to show."""
    path = path_sertifikat()
    if not path.is_file():
        raise SertifikatTidakAda(_(
            "Sertifikat tanda tangan elektronik belum diatur. Hubungi Admin (ZI_TTE_P12)."))
    signer = _penanda(str(path), sandi_sertifikat(), path.stat().st_mtime_ns)
    if signer is None:
        raise SertifikatTidakAda(_(
            "Sertifikat tanda tangan elektronik tidak dapat dibuka: periksa berkas PKCS#12 "
            "dan kata sandinya (ZI_TTE_P12, ZI_TTE_SANDI)."))
    return signer


@dataclass
class InfoSertifikat:
    nama: str  # the subject's common name
    nama_penerbit: str
    subjek: str
    penerbit: str
    nomor_seri: str
    berlaku_dari: datetime.datetime
    berlaku_sampai: datetime.datetime
    lokal: bool  # made by buat_sertifikat_lokal: not a certified e-signature


def info(cert):
    """What a page says about an asn1crypto certificate."""
    ou = cert.subject.native.get("organizational_unit_name", "")
    ou = ou if isinstance(ou, list) else [ou]
    return InfoSertifikat(
        nama=cert.subject.native.get("common_name", ""),
        nama_penerbit=cert.issuer.native.get("common_name", ""),
        subjek=cert.subject.human_friendly, penerbit=cert.issuer.human_friendly,
        nomor_seri=f"{cert.serial_number:X}", berlaku_dari=cert.not_valid_before,
        berlaku_sampai=cert.not_valid_after, lokal=OU_LOKAL in ou)


def sertifikat_aktif():
    """InfoSertifikat of the configured certificate, or None when none can be loaded."""
    try:
        return info(penanda().signing_cert)
    except SertifikatTidakAda:
        return None


def tandatangani_pdf(pdf, *, nama, alasan, lokasi):
    """The PDF with a PAdES (B-B) signature over the whole file."""
    signer = penanda()
    meta = signers.PdfSignatureMetadata(
        field_name=NAMA_FIELD, subfilter=SigSeedSubFilter.PADES, md_algorithm="sha256",
        name=nama, reason=alasan, location=lokasi)
    out = _tunggu(lambda: signers.async_sign_pdf(IncrementalPdfFileWriter(BytesIO(pdf)), meta,
                                                 signer=signer))
    return out.getvalue()


def _tunggu(buat_coro):
    """Run pyHanko's coroutine to its end: in a thread of its own when this thread already
    runs an event loop (an ASGI server, Playwright in the browser tests), where
    pyHanko's synchronous wrappers (asyncio.run) would refuse."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(buat_coro())
    with ThreadPoolExecutor(max_workers=1) as ex:
        return ex.submit(lambda: asyncio.run(buat_coro())).result()


@dataclass
class HasilTandaTangan:
    ada: bool  # the PDF carries a signature at all
    utuh: bool = False  # the signed bytes are unchanged and cover the whole file
    sah: bool = False  # intact, and the signature is cryptographically valid
    terpercaya: bool = False  # valid, and its certificate chains to the configured roots
    sertifikat: InfoSertifikat | None = None
    waktu: datetime.datetime | None = None
    pesan: str = ""


def akar_terpercaya():
    """Trust roots: the CA certificates shipped in the configured PKCS#12 (its chain)."""
    try:
        signer = penanda()
    except SertifikatTidakAda:
        return []
    certs = [c for c in signer.cert_registry if c != signer.signing_cert]
    return certs or [signer.signing_cert]


def periksa_pdf(data):
    """Check the PAdES signature in PDF bytes `data`."""
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        sigs = reader.embedded_signatures
    except Exception:  # noqa: BLE001 - any unreadable PDF is "no signature"
        return HasilTandaTangan(ada=False, pesan=_("Berkas bukan PDF yang dapat dibaca."))
    if not sigs:
        return HasilTandaTangan(ada=False, pesan=_("PDF ini tidak memuat tanda tangan digital."))
    sig = sigs[-1]
    try:
        ctx = ValidationContext(trust_roots=akar_terpercaya(), allow_fetching=False)
        st = _tunggu(lambda: async_validate_pdf_signature(sig, ctx))
    except Exception as e:  # noqa: BLE001 - a broken signature is reported, not raised
        return HasilTandaTangan(ada=True, pesan=_("Tanda tangan digital rusak: %s") % e)
    utuh = bool(st.intact) and st.coverage is not None and st.coverage.name == "ENTIRE_FILE"
    return HasilTandaTangan(
        ada=True, utuh=utuh, sah=utuh and bool(st.valid), terpercaya=utuh and bool(st.trusted),
        sertifikat=info(st.signing_cert), waktu=st.signer_reported_dt)
