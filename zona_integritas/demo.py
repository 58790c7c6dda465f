"""A lived-in demo year: the Dinas Sosial plan copied to the current year and worked
through its first half (uploads of small real PDFs and photos, approvals, revisions,
numeric inputs, LKE answers, a signed July report), so that every page shows real work.

Everything goes through the same services as the pages; only the dates are moved back
afterwards (uploads in their target month, reviews a few days later), so that the
dashboard, the timeline and the report as of a date read like a real year. Idempotent:
a year that already holds uploads is left alone."""

import io
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw

from bukti_dukung import services as bukti
from bukti_dukung.models import Berkas, NilaiIsian, Pengajuan
from evaluasi import services as ev
from evaluasi.models import PutaranEvaluasi
from laporan import services as laporan
from laporan.models import Laporan, Semester, StatusLaporan
from lke.models import JawabanLke, SoalLke
from lke.services import simpan_jawaban, tautkan_rencana
from organisasi.models import UnitKerja
from rencana_aksi.models import BuktiDukung, Indikator, Komponen, RencanaKerja
from rencana_aksi.services import salin_rencana_kerja

UNIT = "dinsos-mojokerto"
SUMBER = 2024
URL_SITUS = "http://127.0.0.1:8000"  # `make run`; printed in the signed report's QR code
NIP_KEPALA = "19700101 199001 1 001"
BULAN_SELESAI = 6      # January-June: nearly all uploaded and reviewed
BULAN_SEBAGIAN = 9     # July-September: some uploads, most still waiting for review
KOMENTAR_PERBAIKAN = ("Tanda tangan Kepala Dinas dan nomor surat belum ada; unggah ulang "
                      "dokumen yang sudah ditandatangani.")


def pdf_nyata(judul, baris):
    """A small, valid one-page PDF with its text (Helvetica) and a correct xref table."""
    def esc(t):
        t = t.encode("latin-1", "replace").decode("latin-1")
        return t.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    teks = [f"BT /F1 15 Tf 56 780 Td ({esc(judul[:80])}) Tj ET"]
    for i, b in enumerate(baris):
        teks.append(f"BT /F1 10 Tf 56 {750 - 16 * i} Td ({esc(b[:100])}) Tj ET")
    isi = "\n".join(teks).encode("latin-1")
    objek = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(isi) + isi + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    posisi = []
    for i, o in enumerate(objek, 1):
        posisi.append(out.tell())
        out.write(b"%d 0 obj\n" % i + o + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objek) + 1))
    for p in posisi:
        out.write(b"%010d 00000 n \n" % p)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objek) + 1, xref))
    return out.getvalue()


def foto(judul, nomor):
    """A small JPEG 'photo' of an activity: a coloured scene with its caption."""
    warna = [(46, 125, 50), (21, 101, 192), (239, 108, 0), (106, 27, 154)][nomor % 4]
    img = Image.new("RGB", (480, 320), (236, 239, 241))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 200, 480, 320], fill=(189, 189, 189))
    d.rectangle([40, 90, 200, 220], fill=warna)
    d.ellipse([260, 60, 340, 140], fill=(255, 213, 79))
    d.rectangle([0, 270, 480, 320], fill=(33, 33, 33))
    d.text((12, 282), judul[:70], fill=(255, 255, 255))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def _waktu(tahun, bulan, hari, jam=9):
    return timezone.make_aware(datetime.combine(
        datetime(tahun, bulan, 1).date() + timedelta(days=hari - 1), time(jam)))


def _mundurkan(pengajuan, diajukan, ditinjau=None):
    """Move an item's dates (and its audit entries) back to when they 'happened'."""
    Pengajuan.objects.filter(pk=pengajuan.pk).update(
        dibuat_pada=diajukan, diajukan_pada=diajukan,
        **({"ditinjau_pada": ditinjau} if ditinjau else {}))
    Berkas.objects.filter(pengajuan=pengajuan).update(diunggah_pada=diajukan)
    Berkas.history.filter(pengajuan_id=pengajuan.pk).update(history_date=diajukan)
    riwayat = list(Pengajuan.history.filter(id=pengajuan.pk).order_by("history_id"))
    for i, h in enumerate(riwayat):
        akhir = ditinjau and i == len(riwayat) - 1 and len(riwayat) > 1
        Pengajuan.history.filter(pk=h.pk).update(history_date=ditinjau if akhir else diajukan)


@transaction.atomic
def isi_tahun_berjalan(stdout=None, tahun=None):
    """Create and fill the current year's demo plan; returns a short summary or None when
    it was there already."""
    User = get_user_model()  # noqa: N806
    tahun = tahun or timezone.localdate().year
    unit = UnitKerja.objects.get(kode=UNIT)
    rk = RencanaKerja.objects.filter(unit=unit, tahun=tahun).first()
    if rk is None:
        sumber = RencanaKerja.objects.get(unit=unit, tahun=SUMBER)
        rk = salin_rencana_kerja(sumber=sumber, unit=unit, tahun=tahun)
        tautkan_rencana(rk)  # to the LKE of its year
    if Pengajuan.objects.filter(
            bukti_dukung__rencana_aksi__indikator__komponen__area_rencana__rencana_kerja=rk
    ).exists():
        return None
    orang = {u.username: u for u in User.objects.filter(
        username__in=["sekretaris", "anggota1", "anggota2", "kepaladinas", "tpi"])}
    a1, a2, sek = orang["anggota1"], orang["anggota2"], orang["sekretaris"]

    # the PICs of the komponen, as in the 2024 plan's demo
    komponen = list(Komponen.objects.filter(area_rencana__rencana_kerja=rk).order_by(
        "area_rencana__bagian__kode", "area_rencana__area__urutan", "nomor"))
    for i, k in enumerate(komponen):
        if k.pic_id is None:
            k.pic = a1 if i % 2 == 0 else a2
            k.save(update_fields=["pic"])

    n = {"unggah": 0, "setuju": 0, "perbaikan": 0, "menunggu": 0}
    semua_bd = (BuktiDukung.objects.filter(
        rencana_aksi__indikator__komponen__area_rencana__rencana_kerja=rk)
        .select_related("rencana_aksi__indikator__komponen")
        .prefetch_related("rencana_aksi__target_bulan").order_by("pk"))
    for j, bd in enumerate(semua_bd):
        ra = bd.rencana_aksi
        pic = ra.indikator.komponen.pic or a1
        bulan = sorted(t.bulan for t in ra.target_bulan.all())
        if ra.per_kejadian and not bulan:  # one occurrence in March
            bulan_isi = [(None, datetime(tahun, 3, 12).date())]
        else:
            bulan_isi = [(b, None) for b in bulan if b.month <= BULAN_SEBAGIAN]
        for b, kejadian in bulan_isi:
            m = b.month if b else kejadian.month
            urut = j * 13 + m
            if m > BULAN_SELESAI and urut % 5 >= 2:
                continue  # July-September: two in five uploaded so far
            if m <= BULAN_SELESAI and urut % 17 == 0:
                continue  # a few of the first half never came
            judul = bd.nama.replace("/", "-")  # a file name, not a path
            if urut % 4 == 0:
                nama, isi = f"Foto {judul[:60]} {m:02d}-{tahun}.jpg", foto(bd.nama, urut)
                mime = "image/jpeg"
            else:
                nama = f"{judul[:70]} {m:02d}-{tahun}.pdf"
                isi = pdf_nyata(bd.nama, [
                    f"{unit.nama}", f"Rencana aksi: {ra.teks}",
                    f"Bulan: {m:02d}/{tahun}", "Dokumen contoh untuk demo aplikasi."])
                mime = "application/pdf"
            try:
                hasil = bukti.unggah_bukti(
                    bukti_dukung=bd, user=pic, bulan=b, tanggal_kejadian=kejadian,
                    uraian_kejadian="Pengaduan masyarakat melalui kanal WhatsApp" if kejadian else "",
                    files=[SimpleUploadedFile(nama, isi, content_type=mime)],
                    catatan="Diunggah oleh PIC")
            except ValidationError:
                continue
            if not hasil.diterima:
                continue
            n["unggah"] += 1
            p = hasil.diterima[0].pengajuan
            diajukan = _waktu(tahun, m, 5 + urut % 18, 9 + urut % 7)
            if m > BULAN_SELESAI and urut % 3:
                n["menunggu"] += 1
                _mundurkan(p, diajukan)
                continue
            p.refresh_from_db()
            ditinjau = diajukan + timedelta(days=2 + urut % 4)
            if urut % 11 == 3:
                bukti.minta_perbaikan(pengajuan=p, versi=p.versi, user=sek,
                                      komentar=KOMENTAR_PERBAIKAN)
                n["perbaikan"] += 1
            elif urut % 7 == 5 and m <= BULAN_SELESAI:
                n["menunggu"] += 1
                _mundurkan(p, diajukan)
                continue
            else:
                bukti.setujui(pengajuan=p, versi=p.versi, user=sek, komentar="Lengkap.")
                n["setuju"] += 1
            _mundurkan(p, diajukan, ditinjau)
    bukti.hitung_ulang_unggahan_terakhir(RencanaKerja.objects.filter(pk=rk.pk))  # back-dated

    _isian(rk, a1)
    jawaban = _jawaban_lke(rk, orang)
    tertanda = _laporan_juli(rk, sek, orang["kepaladinas"])
    dikembalikan = _putaran_evaluasi(rk, orang)
    ringkas = (f"Demo {tahun}: {n['unggah']} unggahan ({n['setuju']} disetujui, "
               f"{n['perbaikan']} perlu perbaikan, {n['menunggu']} menunggu), {jawaban} jawaban "
               f"LKE, laporan Juli {'ditandatangani' if tertanda else 'belum ditandatangani'}, "
               f"putaran evaluasi TPI dengan {dikembalikan} soal dikembalikan.")
    if stdout:
        stdout.write(ringkas)
    return ringkas


def _isian(rk, user):
    """Numbers for the indikator that ask for them: a whole, then smaller parts."""
    for ind in Indikator.objects.filter(komponen__area_rencana__rencana_kerja=rk,
                                        isian__isnull=False).distinct().prefetch_related("isian"):
        isian = sorted(ind.isian.all(), key=lambda s: s.urutan)
        nilai = {s.pk: Decimal(max(1, 24 - 5 * i)) for i, s in enumerate(isian)}
        try:
            bukti.simpan_isian(indikator=ind, user=user, nilai=nilai, versi={})
        except ValidationError:
            continue


def _jawaban_lke(rk, orang):
    """The unit's answers to the choice questions of the first areas; a few TPI answers."""
    soal = list(SoalLke.objects.filter(komponen__area__lke__tahun=rk.tahun)
                .select_related("jenis", "komponen__area").order_by("pk"))
    if not soal or JawabanLke.objects.filter(unit=rk.unit, soal__in=soal).exists():
        return 0
    n = 0
    for i, s in enumerate(soal):
        pilihan = list(s.jenis.nilai) if s.jenis.aturan == "pilihan" else None
        if not pilihan or i % 5 == 4:
            continue
        jawab = pilihan[0] if i % 3 else pilihan[min(1, len(pilihan) - 1)]
        try:
            simpan_jawaban(user=orang["sekretaris"], unit=rk.unit, soal=s, sisi="unit",
                           jawaban=jawab, catatan="Lihat bukti dukung pada rencana kerja.",
                           versi=0)
            n += 1
            if i % 9 == 0:
                simpan_jawaban(user=orang["tpi"], unit=rk.unit, soal=s, sisi="tpi",
                               jawaban=pilihan[-1], catatan="Bukti belum lengkap.", versi=0)
        except ValidationError:
            continue
    return n


def _laporan_juli(rk, sek, kepala):
    """The July (semester I) report written, submitted and signed."""
    lap, _baru = Laporan.objects.get_or_create(rencana_kerja=rk, semester=Semester.SATU)
    if lap.status == StatusLaporan.DITANDATANGANI:
        return True
    try:
        lap = laporan.simpan_draf(
            laporan=lap, versi=lap.versi, user=sek,
            ringkasan="Semester I berjalan sesuai rencana: sebagian besar bukti dukung Januari-Juni "
                      "telah diunggah dan disetujui.",
            kendala="Beberapa dokumen menunggu tanda tangan pimpinan.",
            tindak_lanjut="PIC melengkapi bukti yang diminta perbaikan pada Juli.",
            tindak_lanjut_item={})
        lap = laporan.ajukan(laporan=lap, versi=lap.versi, user=sek)
        laporan.tandatangani(
            laporan=lap, versi=lap.versi, user=kepala, nip=NIP_KEPALA,
            url_verifikasi=lambda k: URL_SITUS + reverse("laporan:verifikasi_kode", args=[k]))
    except ValidationError:
        return False
    return True


def _putaran_evaluasi(rk, orang):
    """The TPI's round of the year with both demo units and the demo TPI as ketua, its
    windows around today: the unit submitted, the TPI sent three questions back, the unit
    has fixed one and is in its revision window now."""
    if PutaranEvaluasi.objects.filter(tahun=rk.tahun).exists():
        return 0
    hari = timezone.localdate()
    d = [hari + timedelta(days=x) for x in (-60, -31, -30, -8, -7, 7, 8, 21)]
    putaran = PutaranEvaluasi.objects.create(
        tahun=rk.tahun, nama=f"Evaluasi Zona Integritas {rk.tahun}",
        mandiri_mulai=d[0], mandiri_selesai=d[1], evaluasi_mulai=d[2], evaluasi_selesai=d[3],
        perbaikan_mulai=d[4], perbaikan_selesai=d[5], pemeriksaan_mulai=d[6],
        pemeriksaan_selesai=d[7],
        dibuat_oleh=get_user_model().objects.filter(is_superuser=True).order_by("pk").first())
    units = list(UnitKerja.objects.filter(
        kode__in=["dinsos-mojokerto", "dinkes-mojokerto"]).order_by("nama"))
    for u in units:  # every unit of the round has its plan of the year (its LKE opens)
        if not RencanaKerja.objects.filter(unit=u, tahun=rk.tahun).exists():
            sumber = RencanaKerja.objects.filter(unit=u).order_by("-tahun").first()
            if sumber is not None:
                tautkan_rencana(salin_rencana_kerja(sumber=sumber, unit=u, tahun=rk.tahun))
    ev.atur_peserta(putaran=putaran, units=units)
    tpi = orang["tpi"]
    for peserta in putaran.peserta.all():
        ev.atur_penugasan(peserta=peserta, tpi=[tpi], ketua=tpi)
    peserta = putaran.peserta.get(unit=rk.unit)
    # the answers were given in the windows: the unit's in its self-assessment, the TPI's
    # in its evaluation (the frozen copy keeps who answered and when)
    jawaban = JawabanLke.objects.filter(unit=rk.unit, soal__komponen__area__lke__tahun=rk.tahun)
    jawaban.exclude(diisi_pada=None).update(diisi_pada=_pada(d[0] + timedelta(days=5)))
    jawaban.exclude(dinilai_pada=None).update(dinilai_pada=_pada(d[2] + timedelta(days=2)))
    NilaiIsian.objects.filter(isian__indikator__komponen__area_rencana__rencana_kerja=rk).update(
        diisi_pada=_pada(d[0] + timedelta(days=4)))
    ev.ajukan_penilaian(peserta=peserta, user=orang["sekretaris"],
                        saat=_pada(d[1] - timedelta(days=2)))
    soal = list(SoalLke.objects.filter(komponen__area__lke__tahun=rk.tahun,
                                       jenis__aturan="pilihan").order_by("pk")[:24:8])
    alasan = ["SK tim belum ditandatangani Kepala Dinas; unggah yang sudah ditandatangani.",
              "Bukti sosialisasi hanya foto; lengkapi notulen dan daftar hadir.",
              "Jawaban tidak sesuai bukti: dokumen evaluasi belum ada."]
    kembali = [ev.kembalikan_soal(peserta=peserta, soal=s, alasan=a, oleh=tpi,
                                  saat=_pada(d[2] + timedelta(days=3 + i)))
               for i, (s, a) in enumerate(zip(soal, alasan, strict=False))]
    if kembali:
        ev.tandai_diperbaiki(pengembalian=kembali[0], oleh=orang["sekretaris"],
                             catatan="SK yang sudah ditandatangani telah diunggah.",
                             saat=_pada(d[4]))
    return len(kembali)


def _pada(hari, jam=10):
    return timezone.make_aware(datetime.combine(hari, time(jam)))
