"""The LHE of a unit: its content (lke's scores and criteria, the ketua's notes, the
questions sent back and how they ended), who writes, reads and signs it, the sign-off of
the semester report (NIP, password, PAdES) and the shared verification page."""

import io
import json
import re

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluasi import lhe, services
from evaluasi.models import CatatanArea, Langkah, LheTertanda, PenugasanTPI, TemplatCatatan
from laporan import tte
from lke.selectors import skor_rencana
from organisasi.models import Keanggotaan, Peran
from rencana_aksi.models import Area
from tests.bukti_dukung.conftest import berkas
from tests.conftest import PASSWORD

from .test_ajukan import jawab
from .test_pengembalian import diajukan, hari, kirim, perbaiki  # noqa: F401 - a fixture

URL = "/evaluasi/2024/unit/dinsos-mojokerto/lhe/"
NIP = "19700101 199001 1 001"


@pytest.fixture
def tpi2(users, dinsos, ps_dinsos):
    """A second TPI assigned to Dinas Sosial, not the ketua."""
    u = users["anggota2"]
    Keanggotaan.objects.get_or_create(user=u, unit=dinsos, peran=Peran.TPI)
    PenugasanTPI.objects.create(peserta=ps_dinsos, user=u, ketua=False)
    return u


def palsu(ps, user, nomor=1):
    """A signed LHE row with a stand-in file (quick: no rendering)."""
    dok = LheTertanda(peserta=ps, nomor=nomor, sha256=f"{nomor:064d}", ukuran=12, halaman=1,
                      kode_verifikasi=f"ZI-LHE{nomor}-UJI1", ditandatangani_oleh=user,
                      nama_penandatangan="Ketua", ditandatangani_pada=timezone.now())
    dok.berkas.save("uji.pdf", ContentFile(b"%PDF-1.4 uji"), save=False)
    dok.save()
    return dok


def _c(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def dievaluasi(diajukan, users, dinsos):  # noqa: F811 - the imported fixture
    """Submitted; the TPI answered one row; A.I.1.a sent back, fixed and closed; A.I.1.b
    sent back and still waiting for the unit; a note on area I."""
    ps = diajukan
    jawab(users["tpi"], dinsos, "A.I.1.a", "Tidak", sisi="tpi")
    p = perbaiki(kirim(ps, users), users)
    services.tutup_pengembalian(pengembalian=p, oleh=users["tpi"],
                                saat=hari(ps, Langkah.PEMERIKSAAN))
    kirim(ps, users, kode="A.I.1.b", alasan="Lampirkan notulen")
    CatatanArea.objects.create(peserta=ps, area=Area.objects.get(kode="I"),
                               catatan="Tim sudah dibentuk.", rekomendasi="Tetapkan SK baru.")
    return ps


def test_content_is_lke_scoring_with_notes_and_send_backs(dievaluasi, rk_dinsos):
    isi = lhe.isi_lhe(dievaluasi)
    skor = skor_rencana(rk_dinsos)[0]
    assert {r["area"].kode: r["skor"]["nilai"] for r in isi["areas"]} == {
        k: v["nilai"] for k, v in skor.per_area.items()}
    assert isi["skor"].total == skor.total and isi["skor"].total_unit == skor.total_unit
    out = io.StringIO()
    call_command("rekap_evaluasi", tahun=2024, stdout=out)
    rekap = {r["unit"]: r for r in json.loads(out.getvalue())}["dinsos-mojokerto"]
    assert float(isi["skor"].total) == rekap["skor_tpi"]
    assert {p: bool(hp and hp.lulus) for p, hp in isi["predikat"]} == {
        "WBK": rekap["WBK"], "WBBM": rekap["WBBM"]}
    kembali = {k["soal"].kode: k for k in isi["kembali"]}
    assert kembali["A.I.1.a"]["akhir"].status == "ditutup"
    assert [x["langkah"] for x in kembali["A.I.1.a"]["linimasa"]] == [
        "Dikembalikan", "Sudah diperbaiki", "Ditutup"]
    assert kembali["A.I.1.b"]["akhir"].status == "dikembalikan"
    html = lhe.html_lhe(dievaluasi)
    assert "Tim sudah dibentuk." in html and "Tetapkan SK baru." in html
    assert 'data-lhe="kembali-A.I.1.a"' in html and "ditutup TPI" in html
    assert "Lampirkan notulen" in html and 'data-lhe="predikat-WBK"' in html
    assert f'data-lhe="nilai-total">{skor.total:.2f}'.replace(".", ",") in html
    assert "tanda-air" in html  # a draft: DRAF across the pages


@pytest.mark.parametrize("siapa, editor, tulis, tanda, unduh", [
    ("tpi", 200, 302, 200, 200),            # the ketua
    ("tpi2", 200, 403, 403, 200),           # another assigned TPI: reads
    ("admin", 200, 403, 403, 200),
    ("sekretaris", 403, 403, 403, 200),
    ("kepaladinas", 403, 403, 403, 200),
    ("anggota1", 403, 403, 403, 403),
    ("sekretaris2", 404, 404, 404, 404),    # another unit's
])
def test_permission_matrix(dievaluasi, users, tpi2, siapa, editor, tulis, tanda, unduh):
    u = tpi2 if siapa == "tpi2" else users[siapa]
    dok = palsu(dievaluasi, users["tpi"])
    c = _c(u)
    assert c.get(URL).status_code == editor
    assert c.get(URL + "pratinjau/").status_code == editor
    assert c.post(URL, {"catatan-I": "x"}).status_code == tulis
    assert c.post(URL + "tandatangani/", {"aksi": "tandatangani", "nip": NIP}).status_code == tanda
    assert c.get(URL + f"v{dok.nomor}.pdf").status_code == unduh
    peserta = c.get("/evaluasi/2024/unit/dinsos-mojokerto/")
    if unduh == 200 and peserta.status_code == 200:
        assert f"lhe/v{dok.nomor}.pdf" in peserta.content.decode()
    assert Client().get(URL).status_code == 302  # anonymous: to the sign-in page


def test_the_ketua_writes_notes_and_inserts_snippets(dievaluasi, users):
    c = _c(users["tpi"])
    milik = TemplatCatatan.objects.create(judul="SK", teks="Perbarui SK tim.", pemilik=users["tpi"])
    lain = TemplatCatatan.objects.create(judul="Lain", teks="Rahasia", pemilik=users["admin"])
    dibagi = TemplatCatatan.objects.create(judul="Umum", teks="Teks bersama.",
                                           pemilik=users["admin"], dibagikan=True)
    r = c.post(URL, {"catatan-I": "Awal", "sisipkan": "catatan-I", "templat-I": milik.pk})
    body = r.content.decode()
    assert r.status_code == 200 and "Awal\nPerbarui SK tim.</textarea>" in body
    assert CatatanArea.objects.get(area__kode="I").catatan == "Tim sudah dibentuk."  # not saved
    r = c.post(URL, {"sisipkan": "rekomendasi-II", "templat-II": dibagi.pk})
    assert r.status_code == 200 and "Teks bersama.</textarea>" in r.content.decode()
    # another TPI's own snippet is not offered, nor accepted
    assert "Rahasia" not in c.get(URL).content.decode()
    assert c.post(URL, {"sisipkan": "catatan-I", "templat-I": lain.pk}).status_code == 400
    r = c.post(URL, {"catatan-I": "Baru", "rekomendasi-I": "", "catatan-II": "Dua"})
    assert r.status_code == 302
    assert CatatanArea.objects.get(area__kode="I").catatan == "Baru"
    assert CatatanArea.objects.get(area__kode="II").history.first().history_user == users["tpi"]


@pytest.mark.parametrize("data", [
    {"catatan-I": "a\x00b"},
    {"catatan-I": "x" * 5001},
    {"sisipkan": "catatan-ZZ"},
    {"sisipkan": "diubah_oleh"},
    {"sisipkan": "catatan-I"},  # no snippet chosen
    {"sisipkan": "catatan-I", "templat-I": "abc"},
    {"sisipkan": "catatan-I", "templat-I": "99999999999999999999"},
])
def test_hostile_editor_input_is_a_form_error(dievaluasi, users, data):
    r = _c(users["tpi"]).post(URL, data)
    assert r.status_code == 400


@pytest.mark.parametrize("path", [
    "/verifikasi/%00/", "/verifikasi/" + "A" * 500 + "/", "/verifikasi/?kode=%00",
    "/verifikasi/?kode=" + "x" * 100,
])
def test_hostile_verification_input_never_500(db, path):
    assert Client().get(path).status_code in (200, 400, 404)


def test_hostile_sign_off_and_download_input(dievaluasi, users):
    c = _c(users["tpi"])
    assert c.post(URL + "tandatangani/", {"aksi": "hapus", "nip": NIP}).status_code == 400
    assert c.post(URL + "tandatangani/", {"aksi": "tandatangani",
                                          "nip": "1\x00"}).status_code == 400
    assert c.get(URL + "v99.pdf").status_code == 404
    assert c.get(URL + "tandatangani/").status_code == 405


def _sidik(c):
    """Step 1 of the sign-off: the draft's fingerprint the confirmation page carries."""
    r = c.post(URL + "tandatangani/", {"aksi": "tandatangani", "nip": NIP})
    return re.search(r'name="sidik" value="([0-9a-f]{16})"', r.content.decode())[1]


def test_sign_off_needs_the_nip_and_the_password(dievaluasi, users):
    c = _c(users["tpi"])
    tt = URL + "tandatangani/"
    r = c.post(tt, {"aksi": "tandatangani", "nip": ""})
    assert r.status_code == 400 and "NIP wajib diisi" in r.content.decode()
    r = c.post(tt, {"aksi": "tandatangani", "nip": "19700101 199001 3 001"})
    assert r.status_code == 400 and "jenis kelamin" in r.content.decode()
    r = c.post(tt, {"aksi": "tandatangani", "nip": "197001011990011001"})
    body = r.content.decode()
    assert r.status_code == 200 and 'data-testid="konfirmasi-tanda"' in body
    assert f'data-testid="nip">{NIP}<' in body and "sertifikat uji lokal" in body
    ok = {"aksi": "konfirmasi_tanda", "nip": NIP, "kata_sandi": PASSWORD, "setuju": "1",
          "sidik": _sidik(c)}
    r = c.post(tt, {**ok, "setuju": ""})
    assert r.status_code == 400 and "Centang pernyataan" in r.content.decode()
    r = c.post(tt, {**ok, "kata_sandi": "salah"})
    assert r.status_code == 400 and "Kata sandi salah" in r.content.decode()
    # the NIP changed by hand on the confirmation page is checked again
    r = c.post(tt, {**ok, "nip": "19700101 199001 3 001"})
    assert r.status_code == 400 and "jenis kelamin" in r.content.decode()
    assert not LheTertanda.objects.exists()
    assert c.post(tt, ok).status_code == 302
    dok = LheTertanda.objects.get()
    assert dok.nip == NIP and dok.nomor == 1 and dok.ditandatangani_oleh == users["tpi"]
    assert dok.history.count() == 1


def test_a_draft_changed_between_the_two_steps_is_not_signed(dievaluasi, users):
    """The ketua confirms what it read: a note changed meanwhile (e.g. in another tab)
    refuses the sign-off in words; a forged or missing fingerprint too."""
    c = _c(users["tpi"])
    sidik = _sidik(c)
    ok = {"aksi": "konfirmasi_tanda", "nip": NIP, "kata_sandi": PASSWORD, "setuju": "1"}
    area = Area.objects.order_by("urutan").first()
    lhe.simpan_catatan(peserta=dievaluasi, isi={area: ("Catatan baru", "")}, oleh=users["tpi"])
    for palsu in (sidik, "", "0" * 16, "<script>"):
        r = c.post(URL + "tandatangani/", {**ok, "sidik": palsu})
        assert r.status_code == 400 and "LHE berubah sejak Anda membuka konfirmasi" in \
            r.content.decode()
        assert f'value="{NIP}"' in r.content.decode()  # the NIP stays for the next try
    r = c.post(URL + "tandatangani/", {**ok, "nip": "1" * 5000})
    assert r.status_code == 400 and "NIP terlalu panjang" in r.content.decode()
    assert not LheTertanda.objects.exists()
    assert c.post(URL + "tandatangani/", {**ok, "sidik": _sidik(c)}).status_code == 302


def test_sign_off_before_submission_is_refused(ps_dinsos, users):
    r = _c(users["tpi"]).post(URL + "tandatangani/", {"aksi": "tandatangani", "nip": NIP})
    assert r.status_code == 400 and "belum mengajukan" in r.content.decode()


def test_the_signed_pdf_validates_and_the_verification_page_finds_it(dievaluasi, users):
    c = _c(users["tpi"])
    c.post(URL + "tandatangani/", {"aksi": "konfirmasi_tanda", "nip": NIP, "sidik": _sidik(c),
                                   "kata_sandi": PASSWORD, "setuju": "1"})
    dok = LheTertanda.objects.get()
    pdf = dok.berkas.open("rb").read()
    hasil = tte.periksa_pdf(pdf)
    assert hasil.sah and hasil.terpercaya and hasil.sertifikat.lokal
    tengah = len(pdf) // 3
    diubah = pdf[:tengah] + bytes([pdf[tengah] ^ 1]) + pdf[tengah + 1:]
    assert not tte.periksa_pdf(diubah).sah
    anon = Client()
    r = anon.get(reverse("laporan:verifikasi_kode", args=[dok.kode_verifikasi.lower()]))
    body = r.content.decode()
    assert r.status_code == 200 and 'data-testid="cocok"' in body
    assert "Laporan Hasil Evaluasi 2024 · Dinas Sosial" in body and 'data-testid="tanda-sah"' in body
    r = anon.post(reverse("laporan:verifikasi"), {"berkas": berkas("lhe.pdf", pdf)})
    assert r.status_code == 200 and "Laporan Hasil Evaluasi 2024" in r.content.decode()
    r = anon.post(reverse("laporan:verifikasi"), {"berkas": berkas("lhe.pdf", diubah)})
    body = r.content.decode()
    assert r.status_code == 404 and 'data-testid="tanda-rusak"' in body
    assert dok.halaman >= 4
    # a second sign-off is version 2; both stay downloadable
    c.post(URL + "tandatangani/", {"aksi": "konfirmasi_tanda", "nip": NIP, "sidik": _sidik(c),
                                   "kata_sandi": PASSWORD, "setuju": "1"})
    assert list(LheTertanda.objects.values_list("nomor", flat=True)) == [2, 1]
    assert c.get(URL + "v1.pdf").status_code == 200


def test_the_signed_html_has_the_qr_code_and_no_draft_mark(dievaluasi):
    url = "https://zi.contoh.go.id/verifikasi/ZI-ABCD-EFGH/"
    html = lhe.html_lhe(dievaluasi, penandatangan="Ketua", nip=NIP, ditandatangani_pada=hari(
        dievaluasi, Langkah.PEMERIKSAAN), kode_verifikasi="ZI-ABCD-EFGH", url_verifikasi=url,
        sertifikat=tte.sertifikat_aktif())
    assert "bottom-left-corner" in html and "tanda-air" not in html
    assert "Ketua Tim Penilai Internal" in html and "ZI-ABCD-EFGH" in html


def test_the_editor_loads_in_a_fixed_number_of_queries(dievaluasi, users):
    c = _c(users["tpi"])
    c.get(URL)

    def hitung():
        with CaptureQueriesContext(connection) as q:
            assert c.get(URL).status_code == 200
        return len(q)

    sedikit = hitung()
    for kode in ("A.I.2.a", "A.II.1.a", "A.III.1.a"):
        kirim(dievaluasi, users, kode=kode)
    for a in Area.objects.exclude(kode="I"):
        CatatanArea.objects.create(peserta=dievaluasi, area=a, catatan="c")
    assert hitung() == sedikit <= 40


def test_snippet_page(client_as, users):
    c = client_as("tpi")
    r = c.post(reverse("evaluasi:templat"), {"judul": "SK", "teks": "Perbarui SK."})
    assert r.status_code == 302
    t = TemplatCatatan.objects.get()
    assert t.pemilik == users["tpi"] and not t.dibagikan
    assert c.post(reverse("evaluasi:templat"), {"judul": "", "teks": ""}).status_code == 400
    assert client_as("sekretaris").get(reverse("evaluasi:templat")).status_code == 403
    assert client_as("admin").post(reverse("evaluasi:hapus_templat", args=[t.pk])).status_code \
        in (403, 404)
    c = client_as("tpi")
    assert c.post(reverse("evaluasi:hapus_templat", args=[t.pk])).status_code == 302
    assert not TemplatCatatan.objects.exists()
