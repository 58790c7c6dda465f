"""Uploading evidence: types by content, size, duplicates, storage, versions."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from bukti_dukung import services
from bukti_dukung.models import Berkas, Pengajuan, Status

from .conftest import berkas, docx_bytes, pdf_bytes, png_bytes, zip_bytes

FEB = date(2024, 2, 1)


def test_good_pdf_is_stored_with_hash_outside_the_web_root(sk, users, media):
    import hashlib

    data = pdf_bytes()
    hasil = services.unggah_bukti(bukti_dukung=sk, user=users["anggota1"], bulan=FEB,
                                  files=[berkas("SK Tim ZI 2024.pdf", data)], catatan="SK asli")
    assert hasil.ditolak == []
    b = hasil.diterima[0]
    assert b.sha256 == hashlib.sha256(data).hexdigest() and b.ukuran == len(data)
    assert b.nama_asli == "SK Tim ZI 2024.pdf" and b.mime == "application/pdf"
    assert "SK Tim" not in b.berkas.name and b.berkas.name.endswith(".pdf")  # no user names
    assert media.baca(b.berkas.name) == data
    p = hasil.pengajuan
    assert p.status == Status.DIAJUKAN and p.putaran == 1 and p.diajukan_pada


@pytest.mark.parametrize("name,data,reason", [
    ("laporan.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "isinya bukan jenis yang diterima"),
    ("virus.exe", b"MZ\x90\x00\x03" + b"\x00" * 200, "isinya bukan jenis yang diterima"),
    ("foto.jpg", pdf_bytes(), "berakhiran .jpg tetapi isinya PDF"),
    ("kosong.pdf", b"", "berkas kosong"),
    ("catatan.txt", b"hanya teks biasa", "isinya bukan jenis yang diterima"),
    ("campur.zip", zip_bytes({"a.png": png_bytes(), "b.exe": b"MZ\x90\x00" + b"\x00" * 100}),
     "ZIP hanya boleh berisi foto JPG/PNG; “b.exe” bukan foto"),
])
def test_refused_files_are_named_with_the_reason(sk, users, name, data, reason):
    hasil = services.unggah_bukti(bukti_dukung=sk, user=users["anggota1"], bulan=FEB,
                                  files=[berkas(name, data)])
    assert hasil.diterima == []
    assert len(hasil.ditolak) == 1 and f"“{name}” ditolak" in hasil.ditolak[0]
    assert reason in hasil.ditolak[0]
    assert not Berkas.objects.exists()


@pytest.mark.parametrize("name,data,mime", [
    ("foto.png", png_bytes(), "image/png"),
    ("notulen.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument."
                                   "wordprocessingml.document"),
    ("dokumentasi.zip", zip_bytes({"kegiatan/1.png": png_bytes(), "kegiatan/2.png":
                                   png_bytes((1, 2, 3))}), "application/zip"),
])
def test_accepted_kinds(sk, users, name, data, mime):
    hasil = services.unggah_bukti(bukti_dukung=sk, user=users["anggota1"], bulan=FEB,
                                  files=[berkas(name, data)])
    assert [b.mime for b in hasil.diterima] == [mime]


def test_oversize_is_refused_and_good_files_in_the_same_batch_are_kept(sk, users, settings):
    settings.ZI_MAKS_UKURAN_MB = 1
    big = pdf_bytes() + b"0" * (1024 * 1024)
    hasil = services.unggah_bukti(bukti_dukung=sk, user=users["anggota1"], bulan=FEB,
                                  files=[berkas("besar.pdf", big), berkas("kecil.pdf", pdf_bytes())])
    assert [b.nama_asli for b in hasil.diterima] == ["kecil.pdf"]
    assert "“besar.pdf” ditolak: ukurannya 1,0 MB, melebihi batas 1 MB." in hasil.ditolak[0]


def test_same_file_twice_is_reported(sk, users):
    services.unggah_bukti(bukti_dukung=sk, user=users["anggota1"], bulan=FEB,
                          files=[berkas("sk.pdf", pdf_bytes())])
    hasil = services.unggah_bukti(bukti_dukung=sk, user=users["anggota2"], bulan=FEB,
                                  files=[berkas("sk-lagi.pdf", pdf_bytes())])
    assert hasil.diterima == []
    assert "isinya sama dengan “sk.pdf” yang diunggah Anggota Tim ZI Satu" in hasil.ditolak[0]
    assert Berkas.objects.count() == 1


def test_revision_then_new_version_keeps_the_old_one(sk, users):
    first = services.unggah_bukti(bukti_dukung=sk, user=users["anggota1"], bulan=FEB,
                                  files=[berkas("v1.pdf", pdf_bytes("v1"))]).pengajuan
    services.minta_perbaikan(pengajuan=first, versi=first.versi, user=users["sekretaris"],
                             komentar="Tanda tangan belum ada")
    hasil = services.unggah_bukti(bukti_dukung=sk, user=users["anggota1"], bulan=FEB,
                                  files=[berkas("v2.pdf", pdf_bytes("v2"))])
    p = hasil.pengajuan
    assert p.status == Status.DIAJUKAN and p.putaran == 2
    assert sorted((b.nama_asli, b.putaran) for b in p.berkas.all()) == [("v1.pdf", 1), ("v2.pdf", 2)]
    services.setujui(pengajuan=p, versi=p.versi, user=users["sekretaris"])
    p.refresh_from_db()
    assert p.status == Status.DISETUJUI
    with pytest.raises(ValidationError, match="sudah disetujui"):
        services.unggah_bukti(bukti_dukung=sk, user=users["anggota1"], bulan=FEB,
                              files=[berkas("v3.pdf", pdf_bytes("v3"))])
    services.buka_kembali(pengajuan=p, versi=p.versi, user=users["sekretaris"], alasan="Salah tahun")
    p.refresh_from_db()
    assert p.status == Status.PERLU_PERBAIKAN and p.komentar == "Dibuka kembali: Salah tahun"
    # every step is in the history, with who did it
    steps = [(h.status, h.history_user.username if h.history_user else None)
             for h in p.history.order_by("history_date")]
    assert ("perlu_perbaikan", "sekretaris") in steps and ("disetujui", "sekretaris") in steps


def test_review_conflict_and_required_comment(sk, users):
    p = services.unggah_bukti(bukti_dukung=sk, user=users["anggota1"], bulan=FEB,
                              files=[berkas("sk.pdf", pdf_bytes())]).pengajuan
    loaded = p.versi
    with pytest.raises(ValidationError, match="Tuliskan apa yang perlu diperbaiki"):
        services.minta_perbaikan(pengajuan=p, versi=loaded, user=users["sekretaris"], komentar=" ")
    services.setujui(pengajuan=p, versi=loaded, user=users["sekretaris"])
    other = Pengajuan.objects.get(pk=p.pk)
    other.status = Status.DIAJUKAN  # a second reviewer's stale view
    with pytest.raises(services.KonflikTinjauan, match="ditinjau oleh Sekretaris Tim ZI"):
        services.minta_perbaikan(pengajuan=other, versi=loaded, user=users["admin"],
                                 komentar="Kurang")
    p.refresh_from_db()
    assert p.status == Status.DISETUJUI  # the first decision stands


def test_event_driven_occurrences(rk_dinsos, users):
    from rencana_aksi.models import RencanaAksi

    ra = RencanaAksi.objects.milik_unit(rk_dinsos.unit).filter(per_kejadian=True,
                                                               bukti_dukung__isnull=False).first()
    bd = ra.bukti_dukung.first()
    for day in (3, 17):
        services.unggah_bukti(bukti_dukung=bd, user=users["anggota1"],
                              tanggal_kejadian=date(2024, 5, day), uraian_kejadian=f"Rapat {day}",
                              files=[berkas(f"r{day}.pdf", pdf_bytes(str(day)))])
    assert bd.pengajuan.filter(tanggal_kejadian__isnull=False).count() == 2
    hasil = services.unggah_bukti(bukti_dukung=bd, user=users["anggota1"],
                                  tanggal_kejadian=date(2024, 6, 1), uraian_kejadian="x",
                                  files=[berkas("x.exe", b"MZ" + b"\x00" * 100)])
    assert hasil.pengajuan is None  # nothing stored, no empty occurrence left behind
    assert bd.pengajuan.count() == 2


def test_soft_delete_keeps_the_file_and_the_reason(sk, users, media):
    b = services.unggah_bukti(bukti_dukung=sk, user=users["anggota1"], bulan=FEB,
                              files=[berkas("salah.pdf", pdf_bytes())]).diterima[0]
    with pytest.raises(ValidationError, match="alasan"):
        services.hapus_berkas(berkas=b, user=users["anggota1"], alasan="")
    services.hapus_berkas(berkas=b, user=users["anggota1"], alasan="Salah berkas")
    b.refresh_from_db()
    assert b.dihapus_pada and b.alasan_hapus == "Salah berkas"
    assert media.ada(b.berkas.name)
    assert not Berkas.objects.aktif().exists()


def test_plan_items_with_uploads_cannot_be_removed(sk, ra_feb, users, rk_dinsos):
    from rencana_aksi import services as rencana

    services.unggah_bukti(bukti_dukung=sk, user=users["anggota1"], bulan=FEB,
                          files=[berkas("sk.pdf", pdf_bytes())])
    ra_feb.refresh_from_db()
    with pytest.raises(ValidationError, match="sudah memiliki unggahan"):
        rencana.ubah_rencana_aksi(rencana_aksi=ra_feb, versi=ra_feb.versi, teks=ra_feb.teks,
                                  target_waktu=ra_feb.target_waktu, pic=None, bukti_dukung=[])
    ra_feb.refresh_from_db()
    assert ra_feb.versi == 1  # the failed edit changed nothing
    with pytest.raises(ValidationError, match="sudah memiliki bukti dukung yang diunggah"):
        rencana.hapus_rencana_aksi(rencana_aksi=ra_feb, versi=ra_feb.versi)
    from rencana_aksi.selectors import rencana_kerja_sebagai_data

    with pytest.raises(ValidationError, match="tidak dapat diganti"):
        rencana.import_rencana_kerja(data=rencana_kerja_sebagai_data(rk_dinsos),
                                     unit=rk_dinsos.unit, tahun=2024, ganti=True)
    sk.refresh_from_db()
    assert sk.pengajuan.count() == 1 and Berkas.objects.count() == 1
    # renaming the requirement keeps its uploads
    ra_feb.refresh_from_db()
    rencana.ubah_rencana_aksi(rencana_aksi=ra_feb, versi=ra_feb.versi, teks=ra_feb.teks,
                              target_waktu=ra_feb.target_waktu, pic=None,
                              bukti_dukung=[(sk.pk, "SK Tim Kerja ZI (ditandatangani)")])
    sk.refresh_from_db()
    assert sk.nama == "SK Tim Kerja ZI (ditandatangani)" and sk.pengajuan.count() == 1


def test_broken_or_tricky_zips_are_refused_and_leave_no_files(sk, users, media):
    import io
    import zipfile

    enc = io.BytesIO()
    with zipfile.ZipFile(enc, "w") as z:
        z.writestr("a.png", png_bytes())
    data = bytearray(enc.getvalue())
    # set the "encrypted" flag on the member (local header and central directory)
    for sig in (b"PK\x03\x04", b"PK\x01\x02"):
        i = data.find(sig)
        off = 6 if sig == b"PK\x03\x04" else 8
        data[i + off] |= 1
    sneaky = zip_bytes({"__MACOSX/evil.exe": b"MZ" + b"\0" * 100, ".x.html": b"<script>"})
    before = media.semua()
    hasil = services.unggah_bukti(bukti_dukung=sk, user=users["anggota1"], bulan=FEB, files=[
        berkas("ok.png", png_bytes()), berkas("kunci.zip", bytes(data)),
        berkas("licik.zip", sneaky), berkas("rusak.zip", b"PK\x03\x04" + b"\0" * 50)])
    assert [b.nama_asli for b in hasil.diterima] == ["ok.png"]
    reasons = "\n".join(hasil.ditolak)
    assert "“kunci.zip” ditolak" in reasons and "“licik.zip” ditolak" in reasons
    assert "“rusak.zip” ditolak" in reasons
    files = media.semua() - before
    assert len(files) == 1  # only ok.png


def test_files_are_removed_when_the_upload_fails_midway(sk, users, media, monkeypatch):
    calls = {"n": 0}
    original = services._sha256

    def boom(f):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk penuh")
        return original(f)

    monkeypatch.setattr(services, "_sha256", boom)
    before = media.semua()
    with pytest.raises(RuntimeError):
        services.unggah_bukti(bukti_dukung=sk, user=users["anggota1"], bulan=FEB, files=[
            berkas("a.pdf", pdf_bytes("a")), berkas("b.pdf", pdf_bytes("b"))])
    after = media.semua()
    assert after == before and not Berkas.objects.exists()


def test_month_must_be_a_target_month(sk, users):
    with pytest.raises(ValidationError, match="bukan bulan target"):
        services.unggah_bukti(bukti_dukung=sk, user=users["anggota1"], bulan=date(1999, 1, 1),
                              files=[berkas("a.pdf", pdf_bytes())])
    with pytest.raises(ValidationError, match="tidak memiliki target per kejadian"):
        services.unggah_bukti(bukti_dukung=sk, user=users["anggota1"],
                              tanggal_kejadian=date(2024, 2, 3), files=[berkas("a.pdf", pdf_bytes())])
    assert not Pengajuan.objects.exists()


def test_occurrence_gets_a_new_version_after_revision(rk_dinsos, users):
    from rencana_aksi.models import RencanaAksi

    ra = RencanaAksi.objects.milik_unit(rk_dinsos.unit).filter(per_kejadian=True,
                                                               bukti_dukung__isnull=False).first()
    bd = ra.bukti_dukung.first()
    p = services.unggah_bukti(bukti_dukung=bd, user=users["anggota1"],
                              tanggal_kejadian=date(2024, 5, 3), uraian_kejadian="Rapat",
                              files=[berkas("r1.pdf", pdf_bytes("1"))]).pengajuan
    services.minta_perbaikan(pengajuan=p, versi=p.versi, user=users["sekretaris"], komentar="x")
    again = services.unggah_bukti(bukti_dukung=bd, user=users["anggota1"], pengajuan_id=p.pk,
                                  files=[berkas("r2.pdf", pdf_bytes("2"))]).pengajuan
    assert again.pk == p.pk and again.putaran == 2 and again.status == Status.DIAJUKAN


def test_deleting_all_files_blocks_a_stale_approval(sk, users):
    hasil = services.unggah_bukti(bukti_dukung=sk, user=users["anggota1"], bulan=FEB,
                                  files=[berkas("a.pdf", pdf_bytes())])
    p, loaded = hasil.pengajuan, hasil.pengajuan.versi
    services.hapus_berkas(berkas=hasil.diterima[0], user=users["anggota1"], alasan="salah")
    p.refresh_from_db()
    with pytest.raises(services.KonflikTinjauan):
        services.setujui(pengajuan=p, versi=loaded, user=users["sekretaris"])
    with pytest.raises(services.KonflikTinjauan, match="tidak memiliki berkas lagi"):
        services.setujui(pengajuan=p, versi=p.versi, user=users["sekretaris"])
    with pytest.raises(ValidationError, match="sudah dihapus"):
        services.hapus_berkas(berkas=hasil.diterima[0], user=users["anggota1"], alasan="lagi")


def test_all_files_refused_leaves_no_submission(sk, users):
    hasil = services.unggah_bukti(bukti_dukung=sk, user=users["anggota1"], bulan=FEB,
                                  files=[berkas("aplikasi.pdf", b"MZ" + b"\0" * 100)])
    assert hasil.pengajuan is None and not Pengajuan.objects.exists()


def test_earlier_version_file_can_join_the_new_version(sk, users):
    p = services.unggah_bukti(bukti_dukung=sk, user=users["anggota1"], bulan=FEB, files=[
        berkas("sk.pdf", pdf_bytes("sk")), berkas("foto.png", png_bytes())]).pengajuan
    services.minta_perbaikan(pengajuan=p, versi=p.versi, user=users["sekretaris"], komentar="ttd")
    hasil = services.unggah_bukti(bukti_dukung=sk, user=users["anggota1"], bulan=FEB, files=[
        berkas("sk-ttd.pdf", pdf_bytes("sk-ttd")), berkas("foto.png", png_bytes())])
    assert [b.nama_asli for b in hasil.diterima] == ["sk-ttd.pdf", "foto.png"]
    assert "disertakan lagi di versi 2" in hasil.catatan[0]
    again = services.unggah_bukti(bukti_dukung=sk, user=users["anggota1"], bulan=FEB,
                                  files=[berkas("foto2.png", png_bytes())])
    assert again.diterima == [] and "isinya sama dengan “foto.png”" in again.ditolak[0]
