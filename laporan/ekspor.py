"""What leaves the unit besides the report: the plan with its status as XLSX, and the
bundle of approved evidence as a ZIP streamed file by file, with an index."""

from collections import defaultdict

from django.db.models import Count, Max, Q
from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook

from bukti_dukung import kebutuhan
from bukti_dukung.kebutuhan import Hitungan, hitung_progres
from bukti_dukung.models import Pengajuan
from organisasi.models import nama_pengguna
from rencana_aksi.selectors import pohon_rencana
from umum import xlsx
from umum.zip import jalur_unik, nama_aman, zip_alir

RK = "rencana_aksi__indikator__komponen__area_rencana__rencana_kerja"
KOLOM_STATUS = [("AREA", 28), ("NO", 5), ("KOMPONEN", 28), ("INDIKATOR", 45),
                ("RENCANA AKSI", 45), ("BUKTI DUKUNG", 40), ("TARGET WAKTU", 22), ("PIC", 18),
                ("STATUS", 18), ("DISETUJUI", 10), ("KEBUTUHAN", 10), ("TERLAMBAT", 10),
                ("JUMLAH BERKAS", 10), ("TERAKHIR DIPERBARUI", 18)]


def _lokal(dt):
    return timezone.localtime(dt).replace(tzinfo=None) if dt else None


def status_xlsx(rk):
    """The plan with its status: a sheet per bagian, a row per bukti dukung with the
    seed's columns plus status (by the one progress rule), file count and last update."""

    per_bd = hitung_progres(rk, per="bukti_dukung")
    info = {r["bukti_dukung_id"]: r for r in Pengajuan.objects.filter(**{f"bukti_dukung__{RK}": rk})
            .values("bukti_dukung_id").annotate(
                n=Count("berkas", filter=Q(berkas__dihapus_pada__isnull=True)),
                unggah=Max("berkas__diunggah_pada"), tinjau=Max("ditinjau_pada")).order_by()}
    per_bagian = defaultdict(list)
    for a in pohon_rencana(rk):
        for k in a.komponen.all():
            for ind in k.indikator.all():
                for ra in ind.rencana_aksi.all():
                    pic = nama_pengguna(ra.pic_efektif())
                    for bd in ra.bukti_dukung.all():
                        h = per_bd.get(bd.pk, Hitungan())
                        i = info.get(bd.pk, {})
                        terakhir = max([t for t in (i.get("unggah"), i.get("tinjau")) if t],
                                       default=None)
                        per_bagian[(a.bagian.kode, a.bagian.nama)].append([
                            f"{a.area.kode} {a.judul}", k.nomor, k.nama, ind.teks, ra.teks,
                            bd.nama, ra.target_waktu, pic, h.ringkas, h.disetujui,
                            h.total, h.terlambat, i.get("n", 0), _lokal(terakhir)])
    wb = Workbook()
    wb.remove(wb.active)
    for (kode, nama), rows in sorted(per_bagian.items()):
        ws = xlsx.lembar(wb, f"{kode} {nama}", KOLOM_STATUS, rows)
        for cell in ws["N"][1:]:
            cell.number_format = "yyyy-mm-dd hh:mm"
    return xlsx.simpan(wb)


# --- the evidence bundle ------------------------------------------------------------------

def berkas_disetujui(rk):
    """The files of the plan's approved requirements (the ledger's), in plan order."""
    return list(kebutuhan.berkas_disetujui(rk)
        .select_related("pengajuan__bukti_dukung", "pengajuan__ditinjau_oleh", "diunggah_oleh")
        .order_by("pengajuan__bulan", "pengajuan__tanggal_kejadian", "pk"))


def isi_bundel(rk):
    """[(path in the ZIP, Berkas, requirement labels)] for every approved file; folders
    follow the plan: bagian / area / komponen / indikator / rencana aksi."""
    files = defaultdict(list)
    for b in berkas_disetujui(rk):
        files[b.pengajuan.bukti_dukung.rencana_aksi_id].append(b)
    # names are cut so that a path stays within PANJANG_MAKS: Windows refuses paths over
    # 260 characters, and the folder the ZIP is extracted into counts too (INDEKS has them whole)
    out, dipakai = [], set()
    for a in pohon_rencana(rk):
        d_area = f"{a.bagian.kode} {nama_aman(a.bagian.nama, 12)}/{a.bagian.kode}.{a.area.kode} " \
                 f"{nama_aman(a.area.nama, 20)}"
        for k in a.komponen.all():
            d_k = f"{d_area}/{k.nomor:02d} {nama_aman(k.nama, 18)}"
            for i, ind in enumerate(k.indikator.all(), start=1):
                d_ind = f"{d_k}/{i:02d} {nama_aman(ind.teks, 18)}"
                for j, ra in enumerate(ind.rencana_aksi.all(), start=1):
                    d_ra = f"{d_ind}/{j:02d} {nama_aman(ra.teks, 18)}"
                    for b in files.get(ra.pk, []):
                        p = b.pengajuan
                        when = p.waktu_label
                        path = jalur_unik(d_ra, b.nama_asli, b.ekstensi, when, dipakai)
                        out.append((path, b, {
                            "bagian": f"{a.bagian.kode} {a.bagian.nama}",
                            "area": f"{a.area.kode} {a.area.nama}", "komponen": f"{k.nomor}. {k.nama}",
                            "indikator": ind.teks, "rencana_aksi": ra.teks,
                            "bukti_dukung": p.bukti_dukung.nama, "waktu": when}))
    return out


KOLOM_INDEKS = [("BERKAS DALAM ZIP", 60), ("BAGIAN", 14), ("AREA", 24), ("KOMPONEN", 28),
                ("INDIKATOR", 40), ("RENCANA AKSI", 40), ("BUKTI DUKUNG", 36), ("BULAN / TANGGAL", 12),
                ("NAMA ASLI", 30), ("UKURAN (BITA)", 12), ("SHA-256", 30), ("DIUNGGAH OLEH", 18),
                ("DIUNGGAH PADA", 18), ("DISETUJUI OLEH", 18), ("DISETUJUI PADA", 18)]


def indeks_xlsx(rk, isi):
    wb = Workbook()
    wb.remove(wb.active)
    rows = [[path, r["bagian"], r["area"], r["komponen"], r["indikator"], r["rencana_aksi"],
             r["bukti_dukung"], r["waktu"], b.nama_asli, b.ukuran, b.sha256,
             nama_pengguna(b.diunggah_oleh), _lokal(b.diunggah_pada),
             nama_pengguna(b.pengajuan.ditinjau_oleh), _lokal(b.pengajuan.ditinjau_pada)]
            for path, b, r in isi]
    xlsx.lembar(wb, f"Indeks bukti {rk.tahun}", KOLOM_INDEKS, rows)
    return xlsx.simpan(wb)


def indeks_html(rk, isi):
    return render_to_string("laporan/indeks_bukti.html", {
        "rk": rk, "isi": isi, "dibuat": timezone.now()})


PANJANG_MAKS = 200  # asserted by the tests; the longest plan names reach about 190


def akar_bundel(rk):
    return nama_aman(f"bukti-zi-{rk.unit.kode}-{rk.tahun}", 32)


def zip_bundel(rk, potongan=1024 * 1024, isi=None):
    """The evidence bundle of a plan: INDEKS.html and INDEKS.xlsx, then every approved file
    in the plan's folders (`isi`: isi_bundel(rk), when the caller has it)."""
    isi = isi_bundel(rk) if isi is None else isi
    akar = akar_bundel(rk)
    yield from zip_alir([(f"{akar}/INDEKS.html", indeks_html(rk, isi)),
                         (f"{akar}/INDEKS.xlsx", indeks_xlsx(rk, isi))],
                        [(f"{akar}/{path}", b) for path, b, _r in isi], potongan)
