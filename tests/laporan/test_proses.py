"""Long work off the request path: the draft PDF, the sign-off and the evidence ZIP are
queued in the database (django-tasks), the request returns at once, and `db_worker` runs
them; the user watches the status page. Uses the small Dinas Kesehatan plan."""

import io
import zipfile
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from laporan import proses as layanan
from laporan.models import JenisProses, Laporan, LaporanTertanda, Proses, StatusLaporan, StatusProses
from tests.conftest import PASSWORD
from tests.laporan.test_alur_laporan import HAL, KODE, NIP, TAHUN, _c, _versi, tanda

DRAF = reverse("laporan:pdf_draf", args=[KODE, TAHUN, 1])
ZIP = reverse("laporan:bundel_bukti", args=[KODE, TAHUN])


def _proses(resp):
    assert resp.status_code == 302, resp.content[:300]
    t = Proses.objects.get(pk=resp["Location"].split("/")[-2])
    assert resp["Location"] == reverse("laporan:proses", args=[t.pk])
    return t


def _status(c, t):
    """The status box as htmx polls it."""
    return c.get(reverse("laporan:proses", args=[t.pk]), HTTP_HX_REQUEST="true").content.decode()


def _ajukan(users):
    sek = _c(users["sekretaris2"])
    sek.post(HAL, {"aksi": "simpan", "versi": 1, "ringkasan": "Berjalan", "kendala": "",
                   "tindak_lanjut": ""})
    sek.post(HAL, {"aksi": "ajukan", "versi": _versi()})


def test_draft_pdf_request_returns_at_once_and_the_worker_renders_it(
        rk_dinkes, users, antrean, monkeypatch, jalankan_pekerja):
    import laporan.cetak

    asli = laporan.cetak.pdf_dari_html

    def tidak_di_permintaan(html):
        raise AssertionError("the request rendered the PDF itself")
    monkeypatch.setattr(laporan.cetak, "pdf_dari_html", tidak_di_permintaan)
    c = _c(users["sekretaris2"])
    # GET (a bookmark) starts nothing; the button POSTs
    assert "Siapkan sekarang" in c.get(DRAF).content.decode()
    assert not Proses.objects.exists()
    t = _proses(c.post(DRAF))
    assert t.status == StatusProses.ANTRE and t.jenis == JenisProses.PDF_DRAF and t.semester == 1
    assert DBTaskResult.objects.get(id=t.id_antrean).status == "READY"
    box = _status(c, t)
    assert 'hx-trigger="every 2s"' in box and "Menunggu giliran: proses ini berikutnya." in box
    assert c.get(reverse("laporan:unduh_proses", args=[t.pk])).status_code == 404  # not yet
    # a second click while it waits joins the same task
    assert _proses(c.post(DRAF)).pk == t.pk

    monkeypatch.setattr(laporan.cetak, "pdf_dari_html", asli)
    jalankan_pekerja()
    t.refresh_from_db()
    assert t.status == StatusProses.SELESAI and t.mulai_pada and t.selesai_pada
    assert DBTaskResult.objects.get(id=t.id_antrean).status == "SUCCESSFUL"
    box = _status(c, t)
    assert "hx-trigger" not in box and "laporan-zi-dinkes-mojokerto-2024-semester-1-draf.pdf siap" in box
    resp = c.get(reverse("laporan:unduh_proses", args=[t.pk]))
    data = b"".join(resp.streaming_content)
    assert data[:5] == b"%PDF-" and len(data) == t.ukuran
    assert resp["Content-Disposition"] == \
        'attachment; filename="laporan-zi-dinkes-mojokerto-2024-semester-1-draf.pdf"'
    assert resp["X-Content-Type-Options"] == "nosniff"
    # done: the next click is a new task, rendered with the data as of then
    assert _proses(c.post(DRAF)).pk != t.pk
    # the report list shows what was prepared, with its download link
    body = c.get(reverse("laporan:daftar_laporan", args=[KODE, TAHUN])).content.decode()
    assert reverse("laporan:unduh_proses", args=[t.pk]) in body


def test_sign_off_is_checked_at_once_and_frozen_by_the_worker(rk_dinkes, users, kepala, jalankan_pekerja):
    _ajukan(users)
    kep = _c(kepala)
    # refused on the spot, nothing queued: a bad NIP, a stale version
    r = kep.post(HAL, {"aksi": "tandatangani", "versi": _versi(), "nip": "abc"})
    assert r.status_code == 400 and "NIP terdiri atas 18 angka" in r.content.decode()
    r = kep.post(HAL, {"aksi": "tandatangani", "versi": _versi() - 1, "nip": NIP})
    assert r.status_code == 409
    assert not Proses.objects.exists()

    t = _proses(tanda(kep))
    assert t.status == StatusProses.ANTRE and not LaporanTertanda.objects.exists()
    assert t.parameter["nip"] == "19700101 199001 1 001"
    page = kep.get(HAL).content.decode()
    assert 'data-testid="proses-tanda"' in page and 'data-testid="tandatangani"' not in page
    # pressing again (another tab) does not sign twice
    assert _proses(kep.post(HAL, {"aksi": "konfirmasi_tanda", "versi": _versi(), "nip": NIP,
                                  "kata_sandi": PASSWORD, "setuju": "1"})).pk == t.pk

    jalankan_pekerja()
    t.refresh_from_db()
    lt = LaporanTertanda.objects.get()
    assert t.status == StatusProses.SELESAI and t.hasil == {
        "tertanda": lt.pk, "nomor": 1, "kode": lt.kode_verifikasi}
    assert lt.nip == "19700101 199001 1 001" and lt.ditandatangani_oleh == kepala
    assert lt.laporan.status == StatusLaporan.DITANDATANGANI
    box = _status(kep, t)
    assert f"kode {lt.kode_verifikasi}" in box and reverse("laporan:unduh_tertanda",
                                                           args=[lt.pk]) in box
    assert 'data-testid="proses-tanda"' not in kep.get(HAL).content.decode()


def test_a_report_returned_before_the_worker_signs_is_not_signed(rk_dinkes, users, kepala, jalankan_pekerja):
    _ajukan(users)
    kep = _c(kepala)
    t = _proses(tanda(kep))
    kep.post(HAL, {"aksi": "kembalikan", "versi": _versi(), "catatan": "Belum lengkap"})
    jalankan_pekerja()
    t.refresh_from_db()
    assert t.status == StatusProses.GAGAL and not LaporanTertanda.objects.exists()
    assert "Hanya laporan yang sedang diajukan" in t.pesan
    assert Laporan.objects.get().status == StatusLaporan.DIKEMBALIKAN
    box = _status(kep, t)
    assert t.pesan in box and 'data-testid="ulangi"' not in box  # redone from the report
    # said on the report page until the report changes again
    assert "Penandatanganan terakhir gagal" in kep.get(HAL).content.decode()
    _c(users["sekretaris2"]).post(HAL, {"aksi": "simpan", "versi": _versi(), "ringkasan": "Lagi",
                                        "kendala": "", "tindak_lanjut": ""})
    assert "Penandatanganan terakhir gagal" not in kep.get(HAL).content.decode()


def test_evidence_zip_in_the_background(rk_dinsos, users, jalankan_pekerja):
    from tests.bukti_dukung.conftest import pdf_bytes
    from tests.laporan.test_ekspor import _bds, _unggah

    _unggah(_bds(rk_dinsos, 1)[0], users, "sk.pdf", pdf_bytes("sk"))
    c = _c(users["tpi"])
    zip_url = reverse("laporan:bundel_bukti", args=["dinsos-mojokerto", 2024])
    kosong = _proses(_c(users["sekretaris2"]).post(ZIP))  # nothing approved there yet
    t = _proses(c.post(zip_url))
    assert t.status == StatusProses.ANTRE and not t.berkas
    jalankan_pekerja()
    t.refresh_from_db()
    assert t.status == StatusProses.SELESAI and t.hasil == {"jumlah_berkas": 1}
    assert t.berkas.name.startswith(f"proses/{rk_dinsos.unit_id}/")
    resp = c.get(reverse("laporan:unduh_proses", args=[t.pk]))
    assert resp["Content-Type"] == "application/zip"
    zf = zipfile.ZipFile(io.BytesIO(b"".join(resp.streaming_content)))
    assert zf.testzip() is None and len(zf.namelist()) == 3  # two indexes and the file
    assert "1 berkas bukti." in _status(c, t)
    kosong.refresh_from_db()
    assert kosong.hasil == {"jumlah_berkas": 0}
    assert "ZIP ini hanya berisi indeks" in _status(_c(users["sekretaris2"]), kosong)


def test_a_crash_fails_the_task_with_a_message_and_it_can_be_redone(
        rk_dinkes, users, antrean, monkeypatch, jalankan_pekerja):
    import laporan.cetak

    asli = laporan.cetak.pdf_dari_html
    c = _c(users["sekretaris2"])
    t = _proses(c.post(DRAF))
    monkeypatch.setattr("laporan.cetak.pdf_dari_html", lambda html: 1 / 0)
    jalankan_pekerja()
    t.refresh_from_db()
    assert t.status == StatusProses.GAGAL and t.pesan == str(layanan.PESAN_GALAT) and not t.berkas
    hasil = DBTaskResult.objects.get(id=t.id_antrean)
    assert hasil.status == "FAILED" and "ZeroDivisionError" in hasil.traceback  # for the Admin
    box = _status(c, t)
    assert "Terjadi kesalahan saat memproses proses ini" in box and 'data-testid="ulangi"' in box

    monkeypatch.setattr("laporan.cetak.pdf_dari_html", asli)
    baru = _proses(c.post(reverse("laporan:ulangi_proses", args=[t.pk])))
    assert baru.pk != t.pk and baru.status == StatusProses.ANTRE
    jalankan_pekerja()
    baru.refresh_from_db()
    assert baru.status == StatusProses.SELESAI
    # a finished one cannot be redone
    r = c.post(reverse("laporan:ulangi_proses", args=[baru.pk]), follow=True)
    assert "Proses ini tidak dapat diulang." in r.content.decode()
    assert Proses.objects.count() == 2


def test_no_worker_and_a_dead_worker_are_said(rk_dinkes, users, antrean):
    c = _c(users["sekretaris2"])
    t = _proses(c.post(DRAF))
    assert 'data-testid="menunggu-pekerja"' not in _status(c, t)
    Proses.objects.filter(pk=t.pk).update(dibuat_pada=timezone.now() - timedelta(minutes=3))
    assert 'data-testid="menunggu-pekerja"' in _status(c, t)
    # taken by a worker that died under it: after the limit the page stops polling
    Proses.objects.filter(pk=t.pk).update(status=StatusProses.BERJALAN,
                                          mulai_pada=timezone.now() - timedelta(minutes=10))
    box = _status(c, t)
    assert "Sedang diproses sejak" in box and "hx-trigger" in box
    Proses.objects.filter(pk=t.pk).update(mulai_pada=timezone.now() - timedelta(minutes=31))
    box = _status(c, t)
    assert 'data-testid="terhenti"' in box and "hx-trigger" not in box and 'data-testid="ulangi"' in box
    baru = _proses(c.post(reverse("laporan:ulangi_proses", args=[t.pk])))
    t.refresh_from_db()
    assert t.status == StatusProses.GAGAL and baru.status == StatusProses.ANTRE
    # the dead worker's task, if it ever comes back, is not run twice
    assert layanan.jalankan_proses.call(str(t.pk)) == "dilewati"


def test_tasks_are_for_the_unit_only(rk_dinkes, users, antrean):
    t = _proses(_c(users["sekretaris2"]).post(DRAF))
    Proses.objects.filter(pk=t.pk).update(status=StatusProses.GAGAL)
    for name in ("proses", "unduh_proses"):
        url = reverse(f"laporan:{name}", args=[t.pk])
        assert _c(users["sekretaris"]).get(url).status_code == 404  # another unit
        assert _c(users["anggota3"]).get(url).status_code == 403  # team member, no reports
        assert Client().get(url).status_code == 302
    url = reverse("laporan:ulangi_proses", args=[t.pk])
    assert _c(users["sekretaris"]).post(url).status_code == 404
    assert _c(users["anggota3"]).post(url).status_code == 403
    assert _c(users["anggota3"]).post(DRAF).status_code == 403
    assert Proses.objects.count() == 1


def test_task_pages_do_not_grow_with_tasks(rk_dinkes, users, antrean, django_assert_max_num_queries):
    c = _c(users["sekretaris2"])
    for _i in range(12):
        t = _proses(c.post(ZIP))
        Proses.objects.filter(pk=t.pk).update(status=StatusProses.GAGAL)
    with django_assert_max_num_queries(12):
        c.get(reverse("laporan:daftar_laporan", args=[KODE, TAHUN]))
    with django_assert_max_num_queries(10):
        c.get(ZIP)
    with django_assert_max_num_queries(8):
        _status(c, t)


def test_a_queued_sign_off_can_be_cancelled_by_its_signer(rk_dinkes, users, kepala, antrean):
    _ajukan(users)
    kep = _c(kepala)
    t = _proses(tanda(kep))
    assert 'data-testid="batalkan"' in _status(kep, t)
    batal = reverse("laporan:batalkan_proses", args=[t.pk])
    assert 'data-testid="batalkan"' not in _status(_c(users["sekretaris2"]), t)
    assert _c(users["sekretaris2"]).post(batal).status_code == 403  # not the one who asked
    r = kep.post(batal, follow=True)
    assert "Proses dibatalkan." in r.content.decode()
    t.refresh_from_db()
    assert t.status == StatusProses.GAGAL and t.pesan == "Dibatalkan oleh Kepala Dinas Kesehatan."
    assert layanan.jalankan_proses.call(str(t.pk)) == "dilewati"  # the worker leaves it
    # the report can be returned (or signed) again
    page = kep.get(HAL).content.decode()
    assert 'data-testid="tandatangani"' in page and 'data-testid="kembalikan"' in page
    assert "sudah diproses" in kep.post(batal, follow=True).content.decode()


def test_a_stuck_sign_off_does_not_hold_the_report(rk_dinkes, users, kepala, antrean):
    _ajukan(users)
    kep = _c(kepala)
    t = _proses(tanda(kep))
    Proses.objects.filter(pk=t.pk).update(status=StatusProses.BERJALAN,
                                          mulai_pada=timezone.now() - timedelta(minutes=31))
    box = _status(kep, t)
    assert "laporan belum ditandatangani" in box and 'data-testid="kembali"' in box
    assert 'data-testid="tandatangani"' in kep.get(HAL).content.decode()
    baru = _proses(tanda(kep))
    t.refresh_from_db()
    assert baru.pk != t.pk and t.status == StatusProses.GAGAL and "terhenti" in t.pesan


def test_the_signer_is_checked_again_when_the_worker_signs(
        rk_dinkes, users, kepala, jalankan_pekerja):
    from organisasi.models import Keanggotaan

    _ajukan(users)
    t = _proses(tanda(_c(kepala)))
    Keanggotaan.objects.filter(user=kepala).delete()  # moved to another post meanwhile
    jalankan_pekerja()
    t.refresh_from_db()
    assert t.status == StatusProses.GAGAL and "tidak lagi berwenang" in t.pesan
    assert not LaporanTertanda.objects.exists()


def test_a_worker_stopped_mid_task_leaves_it_failed_not_running(
        rk_dinkes, users, monkeypatch, jalankan_pekerja):
    c = _c(users["sekretaris2"])
    t = _proses(c.post(DRAF))

    def dihentikan(html):
        raise SystemExit(1)  # db_worker's second signal: sys.exit inside the task
    monkeypatch.setattr("laporan.cetak.pdf_dari_html", dihentikan)
    jalankan_pekerja()
    t.refresh_from_db()
    assert t.status == StatusProses.GAGAL and not t.berkas
    assert 'data-testid="ulangi"' in _status(c, t)


def test_a_lost_queue_row_and_the_per_user_limit(rk_dinkes, users, antrean):
    c = _c(users["sekretaris2"])
    t = _proses(c.post(DRAF))
    DBTaskResult.objects.filter(id=t.id_antrean).delete()  # e.g. removed in Administrasi
    baru = _proses(c.post(DRAF))
    t.refresh_from_db()
    assert baru.pk != t.pk and t.status == StatusProses.GAGAL
    _proses(c.post(ZIP))
    _proses(c.post(reverse("laporan:pdf_draf", args=[KODE, TAHUN, 2])))
    r = c.post(ZIP.replace("bukti.zip", "semester-2/draf.pdf"))  # joins the waiting one
    assert r.status_code == 302
    Proses.objects.filter(jenis=JenisProses.BUNDEL_BUKTI).update(status=StatusProses.BERJALAN,
                                                                mulai_pada=timezone.now())
    r = c.post(ZIP)  # a fourth at once is refused, with the reason
    assert r.status_code == 429 and "masih punya 3 proses" in r.content.decode()
    assert Proses.objects.filter(status__in=Proses.AKTIF).count() == 3


def test_polling_after_the_session_ended_goes_to_sign_in(rk_dinkes, users, antrean):
    t = _proses(_c(users["sekretaris2"]).post(DRAF))
    url = reverse("laporan:proses", args=[t.pk])
    r = Client().get(url, HTTP_HX_REQUEST="true")
    assert r.status_code == 204 and r["HX-Redirect"] == f"/masuk/?next={url}"
    assert Client().get(url).status_code == 302


def test_a_busy_queue_is_not_a_missing_worker(rk_dinkes, users, antrean):
    c = _c(users["sekretaris2"])
    t = _proses(c.post(DRAF))
    Proses.objects.filter(pk=t.pk).update(dibuat_pada=timezone.now() - timedelta(minutes=5))
    assert 'data-testid="menunggu-pekerja"' in _status(c, t)
    _proses(c.post(ZIP))  # another task, taken by a worker a moment ago
    DBTaskResult.objects.exclude(id=t.id_antrean).update(status="RUNNING",
                                                        started_at=timezone.now())
    box = _status(c, t)
    assert 'data-testid="menunggu-pekerja"' not in box and "proses ini berikutnya" in box
