"""Evidence pages: access per role and unit, messages, downloads, queue, review."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from bukti_dukung import services
from bukti_dukung.models import Berkas, Pengajuan, Status

from .conftest import berkas, pdf_bytes, png_bytes

FEB = date(2024, 2, 1)


def _client(users, name):
    c = Client()
    c.force_login(users[name])
    return c


def _upload(sk, users, name="sk.pdf", data=None, who="anggota1"):
    return services.unggah_bukti(bukti_dukung=sk, user=users[who], bulan=FEB,
                                 files=[berkas(name, data or pdf_bytes(name))])


def test_member_uploads_in_the_browser(sk, ra_feb, users):
    c = _client(users, "anggota1")
    page = c.get(reverse("bukti_dukung:rencana_aksi", args=[ra_feb.pk])).content.decode()
    assert "Februari 2024" in page and "Belum diunggah" in page
    resp = c.post(reverse("bukti_dukung:unggah", args=[sk.pk]), {
        "bulan": "2024-02", "catatan": "SK bertanda tangan",
        "berkas": [berkas("SK.pdf", pdf_bytes()), berkas("program.exe", b"MZ" + b"\0" * 64)]},
        follow=True)
    body = resp.content.decode()
    assert "1 berkas tersimpan untuk “SK Tim Kerja ZI” dan menunggu tinjauan." in body
    assert "“program.exe” ditolak: isinya bukan jenis yang diterima" in body
    assert "Menunggu tinjauan" in body and "SK.pdf" in body
    assert Berkas.objects.get().catatan == "SK bertanda tangan"


def test_progress_bar_upload_gets_the_url_as_json(sk, users):
    resp = _client(users, "anggota1").post(
        reverse("bukti_dukung:unggah", args=[sk.pk]),
        {"bulan": "2024-02", "berkas": [berkas("SK.pdf", pdf_bytes())]},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert resp.json()["url"].endswith(f"#bd-{sk.pk}")


def test_upload_without_file_or_month(sk, users):
    c = _client(users, "anggota1")
    resp = c.post(reverse("bukti_dukung:unggah", args=[sk.pk]), {"bulan": "2024-02"}, follow=True)
    assert "Pilih paling sedikit satu berkas." in resp.content.decode()
    resp = c.post(reverse("bukti_dukung:unggah", args=[sk.pk]),
                  {"bulan": "2024-13", "berkas": [berkas("a.pdf", pdf_bytes())]}, follow=True)
    assert "Bulan target tidak sah." in resp.content.decode()
    assert not Berkas.objects.exists()


@pytest.mark.parametrize("who,upload,download,review", [
    ("anggota1", 302, 200, 403),
    ("sekretaris", 302, 200, 200),
    ("kepaladinas", 403, 200, 403),
    ("tpi", 403, 200, 403),
    ("sekretaris2", 404, 404, 404),   # another unit: nothing is there
    ("anggota3", 404, 404, 404),
])
def test_access_matrix(sk, users, who, upload, download, review):
    b = _upload(sk, users).diterima[0]
    c = _client(users, who)
    resp = c.post(reverse("bukti_dukung:unggah", args=[sk.pk]),
                  {"bulan": "2024-02", "berkas": [berkas("lain.pdf", pdf_bytes("lain"))]})
    assert resp.status_code == upload
    assert c.get(reverse("bukti_dukung:unduh", args=[b.pk])).status_code == download
    assert c.get(reverse("bukti_dukung:tinjau", args=[b.pengajuan_id])).status_code == review
    assert c.get(reverse("bukti_dukung:antrean", args=["dinsos-mojokerto"])).status_code == review


def test_anonymous_is_sent_to_login(sk, users):
    b = _upload(sk, users).diterima[0]
    resp = Client().get(reverse("bukti_dukung:unduh", args=[b.pk]))
    assert resp.status_code == 302 and "/masuk/" in resp["Location"]


def test_download_and_preview_headers(sk, users):
    b = _upload(sk, users, name="SK Tim.pdf").diterima[0]
    c = _client(users, "kepaladinas")
    resp = c.get(reverse("bukti_dukung:unduh", args=[b.pk]))
    assert resp["Content-Disposition"].startswith("attachment;") and "SK Tim.pdf" in \
        resp["Content-Disposition"]
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert b"".join(resp.streaming_content) == pdf_bytes("SK Tim.pdf")
    resp = c.get(reverse("bukti_dukung:lihat", args=[b.pk]))
    assert resp["Content-Type"] == "image/png" and resp.content.startswith(b"\x89PNG")
    assert "sandbox" in resp["Content-Security-Policy"]
    from io import BytesIO

    from PIL import Image

    img = Image.open(BytesIO(resp.content))
    assert img.size[0] > 100  # the first page, rendered
    assert _client(users, "anggota3").get(reverse("bukti_dukung:lihat", args=[b.pk])).status_code == 404


def test_no_inline_preview_for_office_files(sk, users):
    from .conftest import docx_bytes

    data = docx_bytes()
    b = _upload(sk, users, name="notulen.docx", data=data).diterima[0]
    c = _client(users, "sekretaris")
    assert c.get(reverse("bukti_dukung:lihat", args=[b.pk])).status_code == 404
    resp = c.get(reverse("bukti_dukung:unduh", args=[b.pk]))
    assert b"".join(resp.streaming_content) == data


def test_review_in_the_browser_with_comment_and_conflict(sk, users):
    from organisasi.models import Peran
    from tests.factories import KeanggotaanFactory

    wakil = KeanggotaanFactory(unit=sk.rencana_aksi.indikator.komponen.area_rencana.rencana_kerja
                               .unit, peran=Peran.SEKRETARIS, user__username="wakil").user
    users["wakil"] = wakil
    p = _upload(sk, users).pengajuan
    url = reverse("bukti_dukung:tinjau", args=[p.pk])
    a, b = _client(users, "sekretaris"), _client(users, "wakil")
    resp = a.post(url, {"versi": p.versi, "aksi": "perbaikan", "komentar": ""})
    assert resp.status_code == 400 and "Tuliskan apa yang perlu diperbaiki." in resp.content.decode()
    assert a.post(url, {"versi": p.versi, "aksi": "perbaikan",
                        "komentar": "Lampirkan halaman tanda tangan"}).status_code == 302
    resp = b.post(url, {"versi": p.versi, "aksi": "setujui", "komentar": ""})
    assert resp.status_code == 409
    assert "ditinjau oleh Sekretaris Tim ZI Dinsos" in resp.content.decode()
    p.refresh_from_db()
    assert p.status == Status.PERLU_PERBAIKAN
    # the member sees the comment on "Tugas saya"
    tugas = _client(users, "anggota1").get(reverse("bukti_dukung:tugas_saya")).content.decode()
    assert "Lampirkan halaman tanda tangan" in tugas
    top = tugas[tugas.index('data-testid="perbaikan"'):tugas.index("</section>")]
    assert "Perlu perbaikan (1)" in top and "SK Tim Kerja ZI" in top  # brought to the top


def test_bulk_approve_checks_each_item(rk_dinsos, users):
    from rencana_aksi.models import BuktiDukung

    bds = list(BuktiDukung.objects.filter(
        rencana_aksi__indikator__komponen__area_rencana__rencana_kerja=rk_dinsos,
        rencana_aksi__target_bulan__bulan=FEB).distinct()[:3])
    ps = [services.unggah_bukti(bukti_dukung=bd, user=users["anggota1"], bulan=FEB,
                                files=[berkas(f"{i}.pdf", pdf_bytes(str(i)))]).pengajuan
          for i, bd in enumerate(bds)]
    stale = ps[2].versi
    services.minta_perbaikan(pengajuan=ps[2], versi=stale, user=users["sekretaris"],
                             komentar="Kurang")
    # another unit's item id is ignored
    other = Pengajuan.objects.create(bukti_dukung=BuktiDukung.objects.filter(
        rencana_aksi__indikator__komponen__area_rencana__rencana_kerja__unit__kode=
        "dinkes-mojokerto").first(), bulan=FEB)
    resp = _client(users, "sekretaris").post(
        reverse("bukti_dukung:setujui_terpilih", args=["dinsos-mojokerto"]),
        {"pilih": [f"{ps[0].pk}:{ps[0].versi}", f"{ps[1].pk}:{ps[1].versi}",
                   f"{ps[2].pk}:{stale}", f"{other.pk}:{other.versi}"]}, follow=True)
    body = resp.content.decode()
    assert "2 bukti disetujui." in body and "ditinjau oleh Sekretaris Tim ZI Dinsos" in body
    assert [Pengajuan.objects.get(pk=p.pk).status for p in ps] == [
        Status.DISETUJUI, Status.DISETUJUI, Status.PERLU_PERBAIKAN]
    assert Pengajuan.objects.get(pk=other.pk).status == Status.DIAJUKAN


def test_queue_oldest_first_with_filters_and_fixed_queries(rk_dinsos, users,
                                                          django_assert_max_num_queries):
    from rencana_aksi.models import BuktiDukung

    bds = list(BuktiDukung.objects.filter(
        rencana_aksi__indikator__komponen__area_rencana__rencana_kerja=rk_dinsos,
        rencana_aksi__target_bulan__bulan=FEB).distinct()[:4])
    for i, bd in enumerate(bds):
        services.unggah_bukti(bukti_dukung=bd, user=users["anggota1" if i % 2 else "anggota2"],
                              bulan=FEB, files=[berkas(f"{i}.png", png_bytes((i, i, i)))])
    c = _client(users, "sekretaris")
    url = reverse("bukti_dukung:antrean", args=["dinsos-mojokerto"])
    c.get(url)
    with django_assert_max_num_queries(14):
        body = c.get(url).content.decode()
    assert body.count('data-testid="antrean"') == 4
    assert body.index("0.png") < body.index("3.png")  # oldest first
    body = c.get(url, {"anggota": users["anggota1"].pk}).content.decode()
    assert body.count('data-testid="antrean"') == 2
    body = c.get(url, {"bulan": "2024-03"}).content.decode()
    assert 'data-testid="antrean-kosong"' in body


def test_tugas_saya_groups_by_month_with_fixed_queries(rk_dinsos, users,
                                                       django_assert_max_num_queries):
    c = _client(users, "anggota1")
    c.get(reverse("bukti_dukung:tugas_saya"))
    with django_assert_max_num_queries(14):
        body = c.get(reverse("bukti_dukung:tugas_saya")).content.decode()
    assert "Februari 2024" in body and "Pembentukan Tim Kerja ZI dalam unit kerja" in body
    assert "Terlambat" in body  # 2024 is over
    n = body.count('data-testid="tugas"')
    assert n > 0
    body3 = _client(users, "anggota3").get(reverse("bukti_dukung:tugas_saya")).content.decode()
    assert "Pembentukan Tim Kerja ZI" not in body3  # another unit's plan


def test_soft_delete_in_the_browser(sk, users):
    b = _upload(sk, users).diterima[0]
    url = reverse("bukti_dukung:hapus", args=[b.pk])
    assert _client(users, "anggota2").post(url, {"alasan": "x"}).status_code == 403  # not his
    resp = _client(users, "anggota1").post(url, {"alasan": "Salah unggah"}, follow=True)
    assert "“sk.pdf” dihapus." in resp.content.decode()
    b.refresh_from_db()
    assert b.dihapus_pada is not None
    assert _client(users, "anggota1").get(reverse("bukti_dukung:unduh", args=[b.pk])).status_code == 404
    resp = _client(users, "sekretaris").get(reverse("bukti_dukung:unduh", args=[b.pk]))
    assert b"".join(resp.streaming_content) == pdf_bytes("sk.pdf")  # the reviewer still can


def test_audit_log_lists_changes_with_filters_and_fixed_queries(sk, ra_feb, users,
                                                                 django_assert_max_num_queries):
    p = _upload(sk, users).pengajuan
    services.minta_perbaikan(pengajuan=p, versi=p.versi, user=users["sekretaris"],
                             komentar="Kurang stempel")
    c = _client(users, "sekretaris")
    url = reverse("bukti_dukung:log", args=["dinsos-mojokerto"])
    c.get(url)
    with django_assert_max_num_queries(20):
        body = c.get(url).content.decode()
    assert "Kurang stempel" in body and "sk.pdf" in body
    body = c.get(url, {"jenis": "berkas"}).content.decode()
    assert "sk.pdf" in body and "Kurang stempel" not in body
    body = c.get(url, {"pengguna": users["sekretaris"].pk}).content.decode()
    assert "Kurang stempel" in body and "sk.pdf" not in body
    # read-only roles and other units do not get the log
    assert _client(users, "anggota1").get(url).status_code == 403
    assert _client(users, "sekretaris2").get(url).status_code == 404
    # and the app has no way to change it: no URL accepts a write to history
    assert c.post(url, {"x": 1}).status_code == 405
    assert p.history.count() >= 2


def test_sekretaris_can_restrict_uploads_to_assigned_items(sk, ra_feb, users):
    from organisasi.models import UnitKerja

    unit = UnitKerja.objects.get(kode="dinsos-mojokerto")
    sek = _client(users, "sekretaris")
    sek.post(reverse("bukti_dukung:pengaturan_unit", args=[unit.kode]), {"unggah_hanya_pic": "1"})
    unit.refresh_from_db()
    assert unit.unggah_hanya_pic
    assert ra_feb.pic_efektif() == users["anggota1"]  # demo: komponen PIC
    url = reverse("bukti_dukung:unggah", args=[sk.pk])
    data = {"bulan": "2024-02", "berkas": [berkas("a.pdf", pdf_bytes("a"))]}
    resp = _client(users, "anggota2").post(url, data, follow=True)
    assert "Sekretaris membatasi unggahan" in resp.content.decode()
    assert not Berkas.objects.exists()
    assert _client(users, "anggota1").post(url, {"bulan": "2024-02", "berkas": [
        berkas("b.pdf", pdf_bytes("b"))]}).status_code == 302
    assert Berkas.objects.count() == 1
    assert _client(users, "anggota1").post(
        reverse("bukti_dukung:pengaturan_unit", args=[unit.kode]), {}).status_code == 403


def test_empty_file_is_named_and_the_others_kept(sk, users):
    resp = _client(users, "anggota1").post(reverse("bukti_dukung:unggah", args=[sk.pk]), {
        "bulan": "2024-02", "berkas": [berkas("kosong.pdf", b""), berkas("foto.png", png_bytes())]},
        follow=True)
    body = resp.content.decode()
    assert "“kosong.pdf” ditolak: berkas kosong." in body
    assert [b.nama_asli for b in Berkas.objects.all()] == ["foto.png"]


def test_reviewer_reaches_reopen_and_members_delete_from_the_page(sk, ra_feb, users):
    p = _upload(sk, users).pengajuan
    page = _client(users, "anggota1").get(reverse("bukti_dukung:rencana_aksi", args=[ra_feb.pk]))
    assert reverse("bukti_dukung:hapus", args=[p.berkas.get().pk]) in page.content.decode()
    services.setujui(pengajuan=p, versi=p.versi, user=users["sekretaris"])
    page = _client(users, "sekretaris").get(reverse("bukti_dukung:rencana_aksi", args=[ra_feb.pk]))
    body = page.content.decode()
    assert "Riwayat / buka kembali" in body and reverse("bukti_dukung:tinjau", args=[p.pk]) in body


@pytest.mark.parametrize("ukuran", [10_000, 3 * 1024 * 1024], ids=["memori", "berkas-sementara"])
def test_sidik_dihitung_saat_mengalir(sk, users, ukuran, monkeypatch):
    """The SHA-256 is computed while the body streams in (not by reading the file again),
    and a large upload's temporary file is moved into storage, not copied."""
    import hashlib
    from types import SimpleNamespace

    from django.core.files.storage import filesystem

    from bukti_dukung import services as layanan
    from tests.bukti_dukung.conftest import Penyimpanan

    isi = pdf_bytes("x" * ukuran)
    baca_lagi = []
    monkeypatch.setattr(layanan, "hashlib", SimpleNamespace(
        sha256=lambda *a: baca_lagi.append(1) or hashlib.sha256(*a)))
    dipindah = []
    asli = filesystem.file_move_safe
    monkeypatch.setattr(filesystem, "file_move_safe",
                        lambda *a, **k: dipindah.append(1) or asli(*a, **k))
    resp = _client(users, "anggota1").post(reverse("bukti_dukung:unggah", args=[sk.pk]), {
        "bulan": "2024-02", "berkas": berkas("besar.pdf", isi)})
    assert resp.status_code == 302
    b = Berkas.objects.get()
    assert b.sha256 == hashlib.sha256(isi).hexdigest() and b.ukuran == len(isi)
    assert Penyimpanan().baca(b.berkas.name) == isi
    assert baca_lagi == []  # the handler's hash was used
    if ukuran > 2 * 1024 * 1024 and Penyimpanan().st.__class__.__name__ == "FileSystemStorage":
        assert dipindah == [1]  # the temporary file was moved into storage, not copied
