"""The report workflow: write, submit, return with a note, sign; the signed PDF is frozen
and can be verified without login. Uses the small Dinas Kesehatan plan (fast PDFs)."""

import hashlib
import re
import shutil
import subprocess
from datetime import date

from django.test import Client
from django.urls import reverse

from bukti_dukung import services as bukti
from laporan.models import Laporan, LaporanTertanda, StatusLaporan
from rencana_aksi.models import BuktiDukung
from tests.bukti_dukung.conftest import berkas, pdf_bytes
from tests.conftest import PASSWORD

KODE, TAHUN = "dinkes-mojokerto", 2024
HAL = reverse("laporan:laporan_semester", args=[KODE, TAHUN, 1])


def _c(user):
    c = Client()
    c.force_login(user)
    return c


def _versi():
    return Laporan.objects.get(rencana_kerja__unit__kode=KODE, semester=1).versi


def _teks(pdf):
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed"
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return re.sub(r"\s+", " ", out.stdout.decode())


NIP = "19700101 199001 1 001"


def tanda(c, nip=NIP, sandi=PASSWORD, versi=None):
    """Both steps of a sign-off with client `c`: the NIP checked (the confirmation page),
    then confirmed with the password. The first refusal, or the second step's answer."""
    versi = _versi() if versi is None else versi
    r = c.post(HAL, {"aksi": "tandatangani", "versi": versi, "nip": nip})
    if r.status_code != 200:
        return r
    assert 'data-testid="konfirmasi-tanda"' in r.content.decode()
    return c.post(HAL, {"aksi": "konfirmasi_tanda", "versi": versi, "nip": nip,
                        "kata_sandi": sandi, "setuju": "1"})


def _tanda(kepala, nip=NIP):
    return tanda(_c(kepala), nip=nip)


def test_submit_return_fix_sign_then_verify(rk_dinkes, users, kepala):
    sek = _c(users["sekretaris2"])
    r = sek.post(HAL, {"aksi": "simpan", "versi": 1, "ringkasan": "Semester pertama berjalan",
                       "kendala": "Anggaran terbatas", "tindak_lanjut": "Rapat koordinasi"})
    assert r.status_code == 302
    assert sek.post(HAL, {"aksi": "ajukan", "versi": _versi()}).status_code == 302
    lap = Laporan.objects.get(rencana_kerja=rk_dinkes, semester=1)
    assert lap.status == StatusLaporan.DIAJUKAN
    # a draft under review cannot be edited
    r = sek.post(HAL, {"aksi": "simpan", "versi": _versi(), "ringkasan": "x"})
    assert r.status_code == 409 and "sedang ditinjau" in r.content.decode()

    kep = _c(kepala)
    r = kep.post(HAL, {"aksi": "kembalikan", "versi": _versi(), "catatan": ""})
    assert r.status_code == 400 and "Tuliskan catatan" in r.content.decode()
    kep.post(HAL, {"aksi": "kembalikan", "versi": _versi(), "catatan": "Lengkapi kendala SDM"})
    body = sek.get(HAL).content.decode()
    assert "Lengkapi kendala SDM" in body and 'data-testid="status">Dikembalikan' in body

    sek.post(HAL, {"aksi": "simpan", "versi": _versi(), "ringkasan": "Semester pertama berjalan",
                   "kendala": "Anggaran dan SDM terbatas", "tindak_lanjut": "Rapat koordinasi"})
    sek.post(HAL, {"aksi": "ajukan", "versi": _versi()})
    assert _tanda(kepala).status_code == 302
    lt = LaporanTertanda.objects.get(laporan__rencana_kerja=rk_dinkes)
    assert lt.laporan.status == StatusLaporan.DITANDATANGANI and lt.nomor == 1
    stored = lt.berkas.open("rb").read()
    assert hashlib.sha256(stored).hexdigest() == lt.sha256 and lt.halaman >= 5
    teks = _teks(stored)
    assert lt.kode_verifikasi in teks and "19700101 199001 1 001" in teks
    assert "Anggaran dan SDM terbatas" in teks and "Kepala Dinas Kesehatan" in teks
    assert "DRAF" not in teks

    # the download is the stored file, as an attachment
    resp = sek.get(reverse("laporan:unduh_tertanda", args=[lt.pk]))
    assert b"".join(resp.streaming_content) == stored
    assert resp["Content-Disposition"].startswith("attachment")

    # verification: no login, by code and by file; a modified file is rejected
    anon = Client()
    r = anon.get(reverse("laporan:verifikasi_kode", args=[lt.kode_verifikasi]))
    assert r.status_code == 200 and 'data-testid="cocok"' in r.content.decode()
    r = anon.post(reverse("laporan:verifikasi"), {"berkas": berkas("l.pdf", stored)})
    assert r.status_code == 200 and "Dinas Kesehatan" in r.content.decode()
    tengah = len(stored) // 2  # one byte changed (the text streams are compressed)
    diubah = stored[:tengah] + bytes([stored[tengah] ^ 1]) + stored[tengah + 1:]
    r = anon.post(reverse("laporan:verifikasi"), {"berkas": berkas("l.pdf", diubah)})
    assert r.status_code == 404 and 'data-testid="tidak-cocok"' in r.content.decode()
    assert anon.get(reverse("laporan:verifikasi"), {"kode": "ZI-AAAA-BBBB"}).status_code == 404


def test_signed_bytes_never_change_and_a_new_version_needs_a_new_signature(
        rk_dinkes, users, kepala):
    sek = _c(users["sekretaris2"])
    sek.post(HAL, {"aksi": "simpan", "versi": 1, "ringkasan": "Versi satu"})
    sek.post(HAL, {"aksi": "ajukan", "versi": _versi()})
    _tanda(kepala)
    v1 = LaporanTertanda.objects.get()
    before = v1.berkas.open("rb").read()
    # evidence and plan change afterwards
    bd = BuktiDukung.objects.filter(
        rencana_aksi__indikator__komponen__area_rencana__rencana_kerja=rk_dinkes,
        rencana_aksi__target_bulan__bulan=date(2024, 2, 1)).first()
    p = bukti.unggah_bukti(bukti_dukung=bd, user=users["anggota3"], bulan=date(2024, 2, 1),
                           files=[berkas("baru.pdf", pdf_bytes("baru"))]).pengajuan
    bukti.setujui(pengajuan=p, versi=p.versi, user=users["sekretaris2"])
    # editing the signed report starts a new draft; the signed file stays
    sek.post(HAL, {"aksi": "simpan", "versi": _versi(), "ringkasan": "Versi dua"})
    assert Laporan.objects.get().status == StatusLaporan.DRAF
    v1.refresh_from_db()
    assert v1.berkas.open("rb").read() == before
    assert hashlib.sha256(before).hexdigest() == v1.sha256
    sek.post(HAL, {"aksi": "ajukan", "versi": _versi()})
    _tanda(kepala)
    v2 = LaporanTertanda.objects.get(nomor=2)
    assert v2.sha256 != v1.sha256 and v2.kode_verifikasi != v1.kode_verifikasi
    assert "Versi dua" in _teks(v2.berkas.open("rb").read())
    assert "Versi satu" in _teks(v1.berkas.open("rb").read())


def test_only_the_kepala_dinas_of_the_unit_signs(rk_dinkes, users, kepala):
    sek = _c(users["sekretaris2"])
    sek.post(HAL, {"aksi": "simpan", "versi": 1, "ringkasan": "x"})
    sek.post(HAL, {"aksi": "ajukan", "versi": _versi()})
    for name in ("sekretaris2", "tpi", "admin"):
        r = _c(users[name]).post(HAL, {"aksi": "tandatangani", "versi": _versi(), "nip": NIP})
        assert r.status_code == 403, name
        r = _c(users[name]).post(HAL, {"aksi": "konfirmasi_tanda", "versi": _versi(), "nip": NIP,
                                       "kata_sandi": PASSWORD, "setuju": "1"})
        assert r.status_code == 403, name
    # the Kepala Dinas of another unit does not even see this unit
    assert _c(users["kepaladinas"]).post(
        HAL, {"aksi": "tandatangani", "versi": _versi()}).status_code == 404
    assert _c(users["anggota3"]).get(HAL).status_code == 403  # team members: no reports
    assert not LaporanTertanda.objects.exists()
    assert Laporan.objects.get().status == StatusLaporan.DIAJUKAN


def test_second_editor_gets_a_conflict_and_keeps_the_input(rk_dinkes, users):
    a, b = _c(users["sekretaris2"]), _c(users["sekretaris2"])
    a.post(HAL, {"aksi": "simpan", "versi": 1, "ringkasan": "Tulisan A"})
    r = b.post(HAL, {"aksi": "simpan", "versi": 1, "ringkasan": "Tulisan B"})
    body = r.content.decode()
    assert r.status_code == 409
    assert "Tulisan B" in body  # the user's input is still in the form
    assert "Tulisan A" in body  # beside the saved version
    assert Laporan.objects.get().ringkasan == "Tulisan A"
    assert b.post(HAL, {"aksi": "simpan", "versi": _versi(), "ringkasan": "Tulisan B"}
                  ).status_code == 302  # a second Simpan deliberately overwrites
    assert Laporan.objects.get().ringkasan == "Tulisan B"


def test_pages_and_queries(rk_dinsos, users, django_assert_max_num_queries):
    c = _c(users["sekretaris"])
    with django_assert_max_num_queries(12):
        body = c.get(reverse("laporan:daftar_laporan", args=["dinsos-mojokerto", 2024])).content
    assert "Semester I (Juli)" in body.decode()
    url = reverse("laporan:laporan_semester", args=["dinsos-mojokerto", 2024, 2])
    with django_assert_max_num_queries(12):
        body = c.get(url).content.decode()
    # every overdue requirement of the year gets a follow-up field
    assert body.count('name="tl-') > 100
    assert c.get(reverse("laporan:laporan_semester", args=["dinsos-mojokerto", 2024, 3])
                 ).status_code == 404
    assert _c(users["sekretaris2"]).get(url).status_code == 404  # another unit


def test_conflict_shows_the_saved_item_notes_and_a_way_back(rk_dinkes, users):
    from bukti_dukung.kebutuhan import daftar_kebutuhan
    from laporan.selectors import batas_semester, kunci_item

    hari, _s = batas_semester(2024, 1)
    kunci = [kunci_item(it["bukti_dukung_id"], it["bulan"])
             for it in daftar_kebutuhan(rk_dinkes, status="terlambat", hari=hari)][:2]
    a, b = _c(users["sekretaris2"]), _c(users["sekretaris2"])
    a.post(HAL, {"aksi": "simpan", "versi": 1, "ringkasan": "A", f"tl-{kunci[0]}": "Catatan A"})
    r = b.post(HAL, {"aksi": "simpan", "versi": 1, "ringkasan": "B", f"tl-{kunci[1]}": "Catatan B"})
    body = r.content.decode()
    assert r.status_code == 409
    assert 'data-testid="tersimpan-item">Tersimpan: Catatan A' in body.replace("\n", "")
    assert 'value="Catatan B"' in body and ">Batal</a>" in body


def test_text_typed_while_the_report_was_submitted_is_shown_back(rk_dinkes, users):
    a, b = _c(users["sekretaris2"]), _c(users["sekretaris2"])
    a.post(HAL, {"aksi": "ajukan", "versi": 1, "ringkasan": "Diajukan"})  # save and submit
    lap = Laporan.objects.get()
    assert lap.status == StatusLaporan.DIAJUKAN and lap.ringkasan == "Diajukan"
    r = b.post(HAL, {"aksi": "simpan", "versi": 1, "ringkasan": "Teks panjang yang saya ketik"})
    body = r.content.decode()
    assert r.status_code == 409 and 'data-testid="belum-tersimpan"' in body
    assert "Teks panjang yang saya ketik" in body


def test_bad_input_is_refused_in_indonesian(rk_dinkes, users, kepala):
    sek = _c(users["sekretaris2"])
    r = sek.post(HAL, {"aksi": "simpan", "versi": 1, "ringkasan": "x" * 10_001})
    assert r.status_code == 400 and "Ringkasan terlalu panjang" in r.content.decode()
    assert "x" * 10_001 in r.content.decode()  # kept in the form
    sek.post(HAL, {"aksi": "ajukan", "versi": 1, "ringkasan": "ok"})
    r = _tanda(kepala, nip="bukan <b>nip</b>")
    assert r.status_code == 400 and "NIP terdiri atas 18 angka" in r.content.decode()
    assert not LaporanTertanda.objects.exists()
    r = Client().post(reverse("laporan:verifikasi"), {"berkas": berkas("k.pdf", b"")})
    assert r.status_code == 400 and "Berkas kosong" in r.content.decode()


def test_a_signed_report_is_edited_only_on_purpose(rk_dinkes, users, kepala):
    sek = _c(users["sekretaris2"])
    sek.post(HAL, {"aksi": "ajukan", "versi": 1, "ringkasan": "v1"})
    _tanda(kepala)
    body = sek.get(HAL).content.decode()
    assert "Ubah untuk versi baru" in body and "<details" in body
