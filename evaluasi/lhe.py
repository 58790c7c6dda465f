"""The Laporan Hasil Evaluasi (LHE) of a unit in a round: what it shows (scores by area and
the criteria from lke's one scoring rule, the ketua TPI's notes, the questions sent back
and how they ended), its HTML and PDF (the semester report's print style), the ketua's
notes, and the sign-off through laporan's rule (laporan/tanda.py)."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from laporan import tanda, tte
from laporan.cetak import pdf_dari_html
from laporan.selectors import logo_data_uri
from laporan.services import kode_baru
from lke.pilihan import Predikat
from lke.selectors import lke_tahun, skor_rencana
from organisasi.models import nama_pengguna
from rencana_aksi.models import Area
from umum.qr import qr_data_uri

from . import selectors
from .models import MAKS_CATATAN_LHE, CatatanArea, LheTertanda


def area_lhe(skor):
    """The areas of change the LKE scores, in order (a note is written per area)."""
    return list(Area.objects.filter(kode__in=list(skor.per_area)).order_by("urutan"))


def isi_lhe(peserta, lke=None):
    """The LHE's content, in a fixed number of queries. Scores are lke's own
    (`skor_rencana`, the LKE page's and `rekap_evaluasi`'s `lke.skor.hitung`)."""
    lke = lke or lke_tahun(peserta.putaran.tahun)
    hasil = skor_rencana(selectors.rencana_peserta(peserta), lke) if lke else None
    skor = hasil[0] if hasil else None
    catatan = {c.area_id: c for c in CatatanArea.objects.filter(peserta=peserta)}
    areas = []
    if skor is not None:
        for a in area_lhe(skor):
            areas.append({"area": a, "skor": skor.per_area[a.kode],
                          "catatan": catatan.get(a.pk) or CatatanArea(peserta=peserta, area=a)})
    kembali = []
    for rows in selectors.pengembalian_peserta(peserta).values():
        akhir = rows[-1]
        kembali.append({"soal": akhir.soal, "ke": akhir.ke, "akhir": akhir,
                        "linimasa": selectors.linimasa(rows)})
    kembali.sort(key=lambda k: (k["soal"].komponen.area.urutan, k["soal"].komponen.nomor,
                                k["soal"].urutan))
    tpi = list(peserta.penugasan.all())
    return {
        "peserta": peserta, "putaran": peserta.putaran, "unit": peserta.unit, "lke": lke,
        "skor": skor, "areas": areas, "kembali": kembali,
        "hasil": [sa for sa in skor.areas if sa.area.bagian == "hasil"] if skor else [],
        "predikat": [(p, skor.predikat.get(p)) for p in (Predikat.WBK, Predikat.WBBM)]
        if skor else [],
        "tpi": tpi, "ketua": next((t.user for t in tpi if t.ketua), None),
        "logo": logo_data_uri(peserta.unit),
    }


def html_lhe(peserta, **extra):
    """The LHE's HTML. `extra`: the sign-off fields (penandatangan, nip,
    ditandatangani_pada, kode_verifikasi, url_verifikasi, sertifikat)."""
    ctx = isi_lhe(peserta)
    ctx["penandatangan"] = extra.pop("penandatangan", None) or (
        nama_pengguna(ctx["ketua"]) if ctx["ketua"] else "")
    ctx.update(extra)
    if ctx.get("url_verifikasi"):  # on the signature block and every page's footer
        ctx["qr_verifikasi"] = qr_data_uri(ctx["url_verifikasi"])
    return render_to_string("evaluasi/cetak/lhe.html", ctx)


def pdf_lhe(peserta, **extra):
    return pdf_dari_html(html_lhe(peserta, **extra))


@transaction.atomic
def simpan_catatan(*, peserta, isi, oleh):
    """Save the ketua's note and recommendation per area: `isi` {Area: (catatan,
    rekomendasi)}. Only changed rows are written (their history records each)."""
    ada = {c.area_id: c for c in CatatanArea.objects.filter(peserta=peserta)}
    for area, (catatan, rekomendasi) in isi.items():
        catatan, rekomendasi = catatan.strip(), rekomendasi.strip()
        if max(len(catatan), len(rekomendasi)) > MAKS_CATATAN_LHE:
            raise ValidationError(_("Catatan dan rekomendasi paling banyak %s karakter.")
                                  % MAKS_CATATAN_LHE)
        c = ada.get(area.pk) or CatatanArea(peserta=peserta, area=area)
        if c.pk is None and not (catatan or rekomendasi):
            continue
        if (c.catatan, c.rekomendasi) != (catatan, rekomendasi):
            c.catatan, c.rekomendasi, c.diubah_oleh = catatan, rekomendasi, oleh
            c._history_user = oleh
            c.save()


def sidik_draf(peserta):
    """A short fingerprint of the draft as it reads now (its HTML, without the sign-off):
    the confirmation step carries it, and signing refuses a draft changed meanwhile."""
    return hashlib.sha256(html_lhe(peserta).encode()).hexdigest()[:16]


def periksa_tandatangani(*, peserta, nip, sidik=None):
    """Can the LHE be signed now? The NIP as it will be printed. `sidik`: the draft's
    fingerprint the ketua confirmed (sidik_draf), which must still hold."""
    if sidik is not None and sidik != sidik_draf(peserta):
        raise ValidationError(_("LHE berubah sejak Anda membuka konfirmasi (catatan, jawaban "
                                "atau soal dikembalikan). Periksa lagi, lalu tandatangani."))
    if not peserta.diajukan:
        raise ValidationError(_("Unit belum mengajukan penilaian mandiri: belum ada yang "
                                "dievaluasi."))
    if lke_tahun(peserta.putaran.tahun) is None:
        raise ValidationError(_("LKE tahun %(t)s belum disiapkan.") % {"t": peserta.putaran.tahun})
    return tanda.periksa_penanda(nip)


def tandatangani(*, peserta, user, nip, url_verifikasi, sidik=None):
    """Render the LHE with the sign-off block and QR codes, sign it (PAdES), freeze the
    bytes with their SHA-256 and a verification code. Synchronous: the LHE is a few pages.
    `url_verifikasi(kode)`: the address printed on it."""
    nip = periksa_tandatangani(peserta=peserta, nip=nip, sidik=sidik)
    kode, now, nama = kode_baru(), timezone.now(), nama_pengguna(user)
    sertifikat = tte.sertifikat_aktif()
    tahun = peserta.putaran.tahun
    pdf = pdf_lhe(peserta, penandatangan=nama, nip=nip, ditandatangani_pada=now,
                  kode_verifikasi=kode, url_verifikasi=url_verifikasi(kode),
                  sertifikat=sertifikat)
    pdf = tte.tandatangani_pdf(
        pdf, nama=nama, lokasi=peserta.unit.nama,
        alasan=_("Laporan Hasil Evaluasi Zona Integritas %(t)s, kode verifikasi %(k)s")
        % {"t": tahun, "k": kode})
    with transaction.atomic():
        nomor = LheTertanda.objects.select_for_update().filter(peserta=peserta).count() + 1
        dok = LheTertanda(peserta=peserta, nomor=nomor)
        dok._history_user = user
        return tanda.bekukan(dok, pdf, user=user, nama=nama, nip=nip, saat=now, kode=kode,
                             sertifikat=sertifikat, nama_berkas="lhe.pdf")


def nama_berkas(peserta, akhiran):
    return f"lhe-{peserta.unit.kode}-{peserta.putaran.tahun}-{akhiran}.pdf"
