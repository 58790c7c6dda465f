"""What the semester ZI report shows, from the plan, its evidence and the one progress
rule, as of the semester's last day. Used by the HTML preview, the PDF and the command."""

import base64
from collections import defaultdict
from datetime import date, datetime, time

from django.utils import timezone

from bukti_dukung.kebutuhan import Hitungan, daftar_kebutuhan, hitung_progres
from bukti_dukung.kebutuhan import linimasa as hitung_linimasa
from bukti_dukung.models import Berkas, Status
from bukti_dukung.selectors import angka_indikator
from lke.selectors import skor_rencana
from organisasi.models import Keanggotaan, Peran, PreferensiPengguna
from rencana_aksi.selectors import pohon_rencana

NAMA_SEMESTER = {1: "I", 2: "II"}
RK = "indikator__komponen__area_rencana__rencana_kerja"


def batas_semester(tahun, semester):
    """(last day, last target month) the report of `semester` covers."""
    return (date(tahun, 6, 30), date(tahun, 6, 1)) if semester == 1 else \
        (date(tahun, 12, 31), date(tahun, 12, 1))


def kunci_item(bukti_dukung_id, bulan):
    return f"{bukti_dukung_id}:{bulan:%Y-%m}"


def isi_laporan(rk, semester, laporan=None):
    """The report's content. A fixed number of queries whatever the plan's size."""
    hari, sampai = batas_semester(rk.tahun, semester)
    areas = pohon_rencana(rk)
    per = hitung_progres(rk, per=("komponen", "rencana_aksi"), sampai=sampai, hari=hari)
    per_komponen, per_ra = defaultdict(Hitungan), defaultdict(Hitungan)
    for (k, ra), h in per.items():
        per_komponen[k] += h
        per_ra[ra] += h
    ringkasan = []
    total = Hitungan()
    for a in areas:
        komponen = [(k, per_komponen.get(k.pk, Hitungan())) for k in a.komponen.all()]
        h = sum((x for _k, x in komponen), start=Hitungan())
        total += h
        ringkasan.append({"area": a, "hitungan": h, "komponen": komponen})

    # evidence of the plan uploaded by the last day: file, date, uploader, reviewer
    berkas = defaultdict(list)
    for b in (Berkas.objects.aktif()
              .filter(**{f"pengajuan__bukti_dukung__rencana_aksi__{RK}": rk},
                      diunggah_pada__date__lte=hari)
              .select_related("diunggah_oleh", "pengajuan__ditinjau_oleh",
                              "pengajuan__bukti_dukung")
              .order_by("pengajuan__bulan", "pengajuan__tanggal_kejadian", "diunggah_pada")):
        b.disetujui = (b.pengajuan.status == Status.DISETUJUI and b.putaran == b.pengajuan.putaran)
        berkas[b.pengajuan.bukti_dukung.rencana_aksi_id].append(b)

    catatan = (laporan.tindak_lanjut_item if laporan else {}) or {}
    terlambat = []
    for it in daftar_kebutuhan(rk, status="terlambat", hari=hari):
        kunci = kunci_item(it["bukti_dukung_id"], it["bulan"])
        terlambat.append(dict(it, kunci=kunci, tindak_lanjut=catatan.get(kunci, "")))
    months, rows = hitung_linimasa(rk, hari=hari)
    kepala = (Keanggotaan.objects.filter(unit=rk.unit, peran=Peran.KEPALA_DINAS)
              .select_related("user__preferensi").order_by("pk").first())
    return {
        "rk": rk, "unit": rk.unit, "semester": semester,
        "nama_semester": NAMA_SEMESTER[semester],
        "hari": hari, "sampai": sampai, "areas": areas, "ringkasan": ringkasan, "total": total,
        "per_ra": per_ra, "berkas": berkas, "angka": angka_indikator(rk), "terlambat": terlambat,
        "months": months, "linimasa": rows, "laporan": laporan,
        "kepala": kepala.user if kepala else None,
        "nip_kepala": nip_pengguna(kepala.user) if kepala else "",
        "logo": logo_data_uri(rk.unit),
        "lke": _skor_lke(rk, hari),
        # a draft before the semester's end shows the LKE as of today
        "lke_pada": min(hari, timezone.localdate()),
    }


def _skor_lke(rk, hari):
    """The LKE self-assessment as it stood at the end of the report's last day (answers
    and numeric inputs from their audit history), like every other figure of the report."""

    pada = timezone.make_aware(datetime.combine(hari, time.max))
    hasil = skor_rencana(rk, pada=pada)
    return hasil[0] if hasil else None


def logo_data_uri(unit):
    """The unit's logo inlined for WeasyPrint (no URL to fetch), or None."""

    if not unit.logo:
        return None
    try:
        with unit.logo.storage.open(unit.logo.name, "rb") as f:
            data = f.read()
    except OSError:
        return None
    mime = "image/png" if unit.logo.name.endswith(".png") else "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def nip_pengguna(user):
    try:
        return user.preferensi.nip
    except PreferensiPengguna.DoesNotExist:
        return ""
