"""A sign-off you can trust: the NIP checked, a confirmation step that asks the password
again, the signature block kept with its text, QR codes to the verification page, and a
real PAdES signature (pyHanko) that the verification page checks. Dinas Kesehatan's plan."""

import asyncio
import io
from datetime import date

import pypdfium2
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from laporan import tte
from laporan.cetak import html_laporan, pdf_laporan
from laporan.models import LaporanTertanda, Proses
from organisasi.forms import periksa_nip
from tests.bukti_dukung.conftest import berkas
from tests.conftest import PASSWORD
from tests.factories import RencanaKerjaFactory
from tests.laporan.test_alur_laporan import HAL, NIP, _c, _versi, tanda
from umum.qr import qr_data_uri

HARI = date(2026, 12, 7)


@pytest.mark.parametrize("nip, tercetak", [
    ("197001011990011001", "19700101 199001 1 001"),
    (" 19700101  199001 1 001 ", "19700101 199001 1 001"),
    ("19851231 201003 2 017", "19851231 201003 2 017"),
])
def test_a_valid_nip_is_printed_in_its_groups(nip, tercetak):
    assert periksa_nip(nip, wajib=True, hari_ini=HARI) == tercetak


@pytest.mark.parametrize("nip, pesan", [
    ("", "NIP wajib diisi"),
    ("   ", "NIP wajib diisi"),
    ("19700101199001100", "18 angka"),  # 17 digits
    ("1970010119900110011", "18 angka"),  # 19
    ("１９７００１０１１９９００１１００１", "18 angka"),  # full-width digits
    ("19700101-199001-1-001", "18 angka"),
    ("19701301 199001 1 001", "tanggal lahir"),  # month 13
    ("19700230 199001 1 001", "tanggal lahir"),  # 30 February
    ("19300101 199001 1 001", "tanggal lahir"),  # born before 1940
    ("20150101 203501 1 001", "tanggal lahir"),  # 11 years old
    ("19700101 199013 1 001", "pengangkatan"),  # month 13
    ("19700101 198001 1 001", "pengangkatan"),  # appointed at 10
    ("19700101 203001 1 001", "pengangkatan"),  # in the future
    ("19700101 199001 3 001", "jenis kelamin"),
    ("19700101 199001 0 001", "jenis kelamin"),
])
def test_a_wrong_nip_is_refused_in_indonesian(nip, pesan):
    with pytest.raises(ValidationError) as exc:
        periksa_nip(nip, wajib=True, hari_ini=HARI)
    assert pesan in exc.value.messages[0]


def test_the_profile_keeps_an_empty_nip_but_not_a_wrong_one(client_as, users):
    c = client_as("kepaladinas")
    url = reverse("organisasi:profil")
    r = c.post(url, {"email": "k@contoh.go.id", "nip": "12345"})
    assert r.status_code == 400 and "NIP terdiri atas 18 angka" in r.content.decode()
    c.post(url, {"email": "k@contoh.go.id", "nip": "197001011990011001"})
    users["kepaladinas"].preferensi.refresh_from_db()
    assert users["kepaladinas"].preferensi.nip == "19700101 199001 1 001"


def _ajukan(users):
    sek = _c(users["sekretaris2"])
    sek.post(HAL, {"aksi": "simpan", "versi": 1, "ringkasan": "Berjalan", "kendala": "",
                   "tindak_lanjut": ""})
    sek.post(HAL, {"aksi": "ajukan", "versi": _versi()})


def test_signing_asks_for_confirmation_and_the_password(rk_dinkes, users, kepala):
    _ajukan(users)
    kep = _c(kepala)
    r = kep.post(HAL, {"aksi": "tandatangani", "versi": _versi(), "nip": ""})
    assert r.status_code == 400 and "NIP wajib diisi" in r.content.decode()
    # step 1: nothing signed yet, the confirmation page says what and how
    r = kep.post(HAL, {"aksi": "tandatangani", "versi": _versi(), "nip": "197001011990011001"})
    body = r.content.decode()
    assert r.status_code == 200 and 'data-testid="konfirmasi-tanda"' in body
    assert 'data-testid="nip">19700101 199001 1 001<' in body
    assert "sertifikat uji lokal" in body  # the demo's certificate says it is local
    assert not Proses.objects.exists()
    ok = {"aksi": "konfirmasi_tanda", "versi": _versi(), "nip": NIP, "kata_sandi": PASSWORD,
          "setuju": "1"}
    # step 2 refused: box not ticked, wrong password; the page stays, nothing queued
    r = kep.post(HAL, {**ok, "setuju": ""})
    assert r.status_code == 400 and "Centang pernyataan" in r.content.decode()
    r = kep.post(HAL, {**ok, "kata_sandi": "salah"})
    assert r.status_code == 400 and "Kata sandi salah" in r.content.decode()
    assert 'data-testid="konfirmasi-tanda"' in r.content.decode()
    assert not Proses.objects.exists()
    # a NIP changed by hand on the confirmation page is checked again
    r = kep.post(HAL, {**ok, "nip": "19700101 199001 3 001"})
    assert r.status_code == 400 and "jenis kelamin" in r.content.decode()
    assert kep.post(HAL, ok).status_code == 302
    assert LaporanTertanda.objects.get().nip == NIP


def test_wrong_passwords_at_the_sign_off_are_limited(rk_dinkes, users, kepala):
    _ajukan(users)
    kep = _c(kepala)
    ok = {"aksi": "konfirmasi_tanda", "versi": _versi(), "nip": NIP, "kata_sandi": PASSWORD,
          "setuju": "1"}
    for _ in range(5):
        assert "Kata sandi salah" in kep.post(HAL, {**ok, "kata_sandi": "x"}).content.decode()
    r = kep.post(HAL, ok)  # even the right one, for a while
    assert r.status_code == 400 and "Terlalu banyak kata sandi salah" in r.content.decode()
    assert not LaporanTertanda.objects.exists()


def test_without_a_certificate_signing_is_refused_before_anything_is_queued(
        rk_dinkes, users, kepala, settings, tmp_path):
    _ajukan(users)
    settings.ZI_TTE_P12 = str(tmp_path / "tidak-ada.p12")
    r = _c(kepala).post(HAL, {"aksi": "tandatangani", "versi": _versi(), "nip": NIP})
    assert r.status_code == 400 and "Sertifikat tanda tangan elektronik belum diatur" in (
        r.content.decode())
    assert not Proses.objects.exists()


def test_the_signed_pdf_carries_a_pades_signature_that_pyhanko_validates(
        rk_dinkes, users, kepala):
    _ajukan(users)
    assert tanda(_c(kepala)).status_code == 302
    lt = LaporanTertanda.objects.get()
    pdf = lt.berkas.open("rb").read()
    sig = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    assert len(sig) == 1 and sig[0].field_name == tte.NAMA_FIELD
    ctx = ValidationContext(trust_roots=tte.akar_terpercaya(), allow_fetching=False)
    st = validate_pdf_signature(sig[0], ctx)
    assert st.intact and st.valid and st.trusted and st.coverage.name == "ENTIRE_FILE"
    assert sig[0].sig_object["/Name"] == "Kepala Dinas Kesehatan"
    assert "/ETSI.CAdES.detached" == sig[0].sig_object["/SubFilter"]  # PAdES
    assert lt.sertifikat_lokal and "Penandatangan Uji" in lt.sertifikat_subjek
    assert lt.sertifikat_seri == tte.sertifikat_aktif().nomor_seri


def test_verification_checks_the_signature_and_refuses_a_tampered_pdf(
        rk_dinkes, users, kepala):
    _ajukan(users)
    tanda(_c(kepala))
    lt = LaporanTertanda.objects.get()
    pdf = lt.berkas.open("rb").read()
    anon = Client()
    r = anon.post(reverse("laporan:verifikasi"), {"berkas": berkas("l.pdf", pdf)})
    body = r.content.decode()
    assert r.status_code == 200 and 'data-testid="cocok"' in body
    assert 'data-testid="tanda-sah"' in body and 'data-testid="tanda-lokal"' in body
    assert "Penandatangan Uji Kabupaten Demo" in body and "Terpercaya" in body
    # by code: the stored file's signature
    r = anon.get(reverse("laporan:verifikasi_kode", args=[lt.kode_verifikasi]))
    assert 'data-testid="tanda-sah"' in r.content.decode()
    # one byte of the signed content changed: no match and the signature is not valid
    tengah = len(pdf) // 3
    diubah = pdf[:tengah] + bytes([pdf[tengah] ^ 1]) + pdf[tengah + 1:]
    r = anon.post(reverse("laporan:verifikasi"), {"berkas": berkas("l.pdf", diubah)})
    body = r.content.decode()
    assert r.status_code == 404 and 'data-testid="tidak-cocok"' in body
    assert 'data-testid="tanda-rusak"' in body and 'data-testid="tanda-sah"' not in body
    assert not tte.periksa_pdf(diubah).sah
    # bytes appended after the signature (an incremental update): not covered
    r = anon.post(reverse("laporan:verifikasi"), {"berkas": berkas("l.pdf", pdf + b"\n% x\n")})
    assert 'data-testid="tanda-rusak"' in r.content.decode()
    # an unsigned PDF and a non-PDF say so
    assert not tte.periksa_pdf(pdf_laporan(rk_dinkes, 1)).ada
    r = anon.post(reverse("laporan:verifikasi"), {"berkas": berkas("l.pdf", b"bukan pdf")})
    assert 'data-testid="tanda-tidak-ada"' in r.content.decode()


def test_a_certificate_from_elsewhere_is_not_trusted(rk_dinkes, users, kepala, settings,
                                                     tmp_path):
    _ajukan(users)
    tanda(_c(kepala))
    pdf = LaporanTertanda.objects.get().berkas.open("rb").read()
    settings.ZI_TTE_P12 = str(tte.buat_sertifikat_lokal(tmp_path / "lain.p12", nama="Lain"))
    hasil = tte.periksa_pdf(pdf)
    assert hasil.sah and not hasil.terpercaya  # intact, but not our regency's chain


def test_qr_codes_point_to_the_verification_page_on_the_block_and_every_footer(rk_dinkes):
    url = "https://zi.contoh.go.id/verifikasi/ZI-ABCD-EFGH/"
    html = html_laporan(rk_dinkes, 1, None, penandatangan="Kepala", nip=NIP,
                        ditandatangani_pada=HARI, kode_verifikasi="ZI-ABCD-EFGH",
                        url_verifikasi=url, sertifikat=tte.sertifikat_aktif())
    qr = qr_data_uri(url)
    assert f'@bottom-left-corner {{ content: ""; background: url("{qr}")' in html
    assert f'<img class="qr" src="{qr}"' in html
    assert "Sertifikat uji lokal, bukan sertifikat elektronik tersertifikasi" in html
    assert "bottom-left-corner" not in html_laporan(rk_dinkes, 1, None)  # a draft: no QR


def _halaman_ttd(pdf):
    """Texts of the page holding the signature block (its NIP line)."""
    doc = pypdfium2.PdfDocument(pdf)
    try:
        teks = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()
    return next(t for t in reversed(teks) if "NIP 19700101" in t)


@pytest.mark.django_db
def test_the_signature_block_never_stands_alone_on_the_last_page():
    rk = RencanaKerjaFactory()  # a small plan: quick to render
    # every length of the last list across more than a page: the block is pushed to a new
    # page at some of them, and must take the last item with it
    for n in range(0, 66, 3):
        rk.target_prioritas = [f"Target prioritas {i:02d}" for i in range(n)]
        halaman = _halaman_ttd(pdf_laporan(rk, 1, None, penandatangan="Kepala", nip=NIP))
        if n:
            assert f"Target prioritas {n - 1:02d}" in halaman, n


def test_signing_and_checking_work_inside_a_running_event_loop(rk_dinkes):
    """As under an ASGI server or Playwright: pyHanko's own asyncio.run would refuse."""
    pdf = pdf_laporan(rk_dinkes, 1)

    async def main():
        signed = tte.tandatangani_pdf(pdf, nama="Kepala", alasan="Uji", lokasi="Mojokerto")
        return tte.periksa_pdf(signed)

    assert asyncio.run(main()).sah
