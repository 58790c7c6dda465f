"""The official LKE workbook (KemenPANRB's Excel, PortalRB's fallback), both ways.

Sheet `Jawaban`, one row per question at its `baris_excel` (data from row 6): K the unit's
answer (choice letter, Ya/Tidak, or the count or index as a number), L the unit's note, M the
unit's evidence, N the TPI's answer, Q the TPI's note. `ekspor` writes it; `baca` reads an
uploaded workbook and checks every cell; `rencana` lists what an import would change (and
what it ignores, for lack of rights); `terapkan` saves all of it or nothing. Values come
from the scoring selectors; nothing is scored here."""

import hashlib
import io
import json
import zipfile
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from bukti_dukung import angka as angka_rencana
from bukti_dukung import services as bukti_services
from bukti_dukung.models import NilaiIsian
from organisasi import permissions
from rencana_aksi.models import Indikator, Isian
from rencana_aksi.services import KonflikVersi
from umum import xlsx
from umum.angka import bilangan
from umum.xlsx import BUNGKUS, HIJAU, JUDUL, TEBAL

from . import jendela, selectors, services
from . import skor as S
from .models import Aturan, JawabanLke, SoalLke

SHEET = "Jawaban"
BARIS_AWAL = 6                      # the first data row; titles in rows 1-4, headers in 5
MAKS_UKURAN = 5 * 1024 * 1024
MAKS_ISI = 50 * 1024 * 1024         # unpacked: a small file must not unzip into gigabytes
K, L, M, N, Q = 11, 12, 13, 14, 17  # column numbers
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"



# --- export ------------------------------------------------------------------------------

def _petunjuk(jenis):
    if jenis.aturan == Aturan.PILIHAN:
        return S.pilihan_teks(jenis)
    if jenis.aturan == Aturan.JUMLAH:
        return _("bilangan bulat")
    if jenis.aturan == Aturan.SURVEI:
        return _("indeks 0-%(s)s") % {"s": jenis.nilai.get("skala", 4)}
    return _("persentase 0-100")


def _alamat_lke(rk, request):
    """The absolute address of the unit's LKE page: from the request, else from
    ZI_PORTALRB_URL_DASAR (the command line); "" when neither is known."""
    if rk.pk is None:
        return ""
    path = reverse("lke:lke", args=[rk.unit.kode, rk.tahun])
    if request is not None:
        return request.build_absolute_uri(path)
    dasar = settings.ZI_PORTALRB_URL_DASAR
    return dasar.rstrip("/") + path if dasar else ""


def _bukti_sel(files, alamat, soal_pk):
    """Column M: the link to the question on the unit's LKE page (its approved evidence,
    behind sign-in), then the files' names; the signed links without sign-in are
    PortalRB's (`bukti_dukung_unit`)."""
    if not files:
        return None
    nama = "\n".join(b.nama_asli for b in files)
    return f"{alamat}#soal-{soal_pk}\n{nama}" if alamat else nama


def ekspor(*, rk, lke, request=None):
    """The unit's LKE as the official workbook (XLSX bytes). `request`: for the page's
    absolute address in the title rows."""
    skor, _areas, tautan = selectors.skor_rencana(rk, lke)
    bukti = selectors.bukti_soal(rk, tautan)
    alamat = _alamat_lke(rk, request)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws["A1"] = _("Lembar Kerja Evaluasi Zona Integritas %(t)s") % {"t": lke.tahun}
    ws["A1"].font = JUDUL
    ws["A2"] = _("Unit kerja: %(u)s") % {"u": rk.unit.nama}
    if alamat:
        ws["A3"] = alamat
    ws["A4"] = _("Kolom K-M diisi unit, N dan Q diisi TPI. Jawaban: huruf pilihan, Ya/Tidak, "
                 "atau angka (jumlah, indeks survei). Baris angka yang tertaut ke isian rencana "
                 "kerja diambil dari isian itu.")
    for col, judul in [(1, _("Kode")), (2, "soal_id"), (3, _("Pertanyaan / uraian")),
                       (4, _("Jenis jawaban")), (K, _("Jawaban unit")), (L, _("Catatan unit")),
                       (M, _("Bukti dukung unit")), (N, _("Jawaban TPI")), (Q, _("Catatan TPI"))]:
        c = ws.cell(BARIS_AWAL - 1, col, judul)
        c.font, c.fill = TEBAL, HIJAU
    for ns in skor.soal():
        s, j = ns.soal, ns.jawaban
        if not s.baris_excel or s.baris_excel < BARIS_AWAL:
            continue
        nilai = {1: s.kode, 2: s.soal_id, 3: str(s.judul), 4: _petunjuk(s.jenis),
                 K: S.jawaban_keluar(ns, "unit"), L: j.catatan_unit if j else None,
                 M: _bukti_sel(bukti.get(s.pk, []), alamat, s.pk),
                 N: S.jawaban_keluar(ns, "tpi"), Q: j.catatan_tpi if j else None}
        for col, v in nilai.items():
            if v is None or v == "":
                continue
            c = xlsx.teks(ws.cell(s.baris_excel, col, v))
            if col in (3, L, M, Q):
                c.alignment = BUNGKUS
    xlsx.lebar(ws, {1: 16, 2: 8, 3: 70, 4: 14, K: 14, L: 40, M: 40, N: 14, Q: 40})
    ws.freeze_panes = ws.cell(BARIS_AWAL, 4)
    return xlsx.simpan(wb)


# --- reading ---------------------------------------------------------------------------

@dataclass
class Baris:
    """One question's cells as read (and checked) from a workbook; plain data, so that it
    can wait in the session between the preview and the save."""

    baris: int
    soal: int                 # SoalLke pk
    kode: str
    jawaban_unit: str = ""
    catatan_unit: str = ""
    jawaban_tpi: str = ""
    catatan_tpi: str = ""

    def sebagai_data(self):
        return asdict(self)


def _isi(berkas):
    """The bytes of an upload, a path or bytes, refused above MAKS_UKURAN."""
    if isinstance(berkas, bytes | bytearray):
        data = bytes(berkas)
    elif isinstance(berkas, str | Path):
        with open(berkas, "rb") as f:
            data = f.read(MAKS_UKURAN + 1)
    else:
        if hasattr(berkas, "seek"):
            berkas.seek(0)
        data = berkas.read(MAKS_UKURAN + 1)
    if len(data) > MAKS_UKURAN:
        raise ValidationError(_("Berkas terlalu besar (maksimal 5 MB)."))
    return data


def _buka(data):
    """(workbook, sheet Jawaban) of an XLSX, or one clear message why not."""
    if data[:4] == b"\xd0\xcf\x11\xe0":  # OLE2: a password-protected workbook or an old .xls
        raise ValidationError(_(
            "Berkas terkunci kata sandi atau berformat Excel lama (.xls). Buka di Excel, hapus "
            "kata sandinya, simpan sebagai .xlsx, lalu unggah lagi."))
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValidationError(_(
            "Berkas bukan lembar kerja XLSX. Unduh lembar kerja resmi LKE, isi, simpan sebagai "
            ".xlsx, lalu unggah lagi."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            besar = sum(i.file_size for i in z.infolist()) > MAKS_ISI
        if besar:
            raise ValidationError(_("Isi berkas terlalu besar setelah dibuka (maksimal 50 MB). "
                                    "Hapus sheet lain yang tidak perlu lalu unggah lagi."))
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ValidationError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a broken or foreign file
        raise ValidationError(_(
            "Berkas XLSX rusak atau bukan lembar kerja Excel. Simpan ulang dari Excel/"
            "LibreOffice sebagai .xlsx lalu unggah lagi.")) from exc
    nama = next((n for n in wb.sheetnames if n.strip().casefold() == SHEET.casefold()), None)
    if nama is None:
        ada = ", ".join(wb.sheetnames)
        wb.close()
        raise ValidationError(_(
            "Sheet “Jawaban” tidak ditemukan (sheet yang ada: %(ada)s). Gunakan lembar kerja "
            "resmi LKE: jawaban di sheet “Jawaban”, kolom K-Q.") % {"ada": ada})
    return wb, wb[nama]


def _teks_sel(v):
    """A cell as the text it stands for: 3.0 → "3", 3.6 → "3.6"."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        # a formula's float noise (3.6000000000000005) is its two-decimal value
        if abs(v - round(v, 2)) < 1e-9:
            v = round(v, 2)
        if v.is_integer():
            return str(int(v))
        return format(Decimal(repr(v)), "f")
    return str(v).replace("\r\n", "\n").strip()


def _sel_galat(baris, kolom, teks, pesan):
    return _("Baris %(b)s kolom %(k)s: '%(v)s' %(p)s") % {
        "b": baris, "k": kolom, "v": teks if len(teks) <= 40 else teks[:40] + "…", "p": pesan}


def _jawaban(jenis, v, baris, kolom, galat):
    teks = _teks_sel(v)
    if not teks:
        return ""
    if jenis.aturan == Aturan.PILIHAN:  # "ya", "a" as typed by hand: the type's own spelling
        teks = next((p for p in jenis.nilai if p.casefold() == teks.casefold()), teks)
    if S.nilai_jawaban(jenis, teks) is None:
        galat.append(_sel_galat(baris, kolom, teks, S.pesan_jawaban(jenis)))
        return ""
    return teks


def _catatan(v, baris, kolom, galat):
    teks = _teks_sel(v)
    if len(teks) > services.MAKS_CATATAN:
        galat.append(_("Baris %(b)s kolom %(k)s: catatan %(n)s karakter, paling banyak 4.000.")
                     % {"b": baris, "k": kolom, "n": f"{len(teks):,}".replace(",", ".")})
        return ""
    return teks


def baca(berkas, lke):
    """The cells K, L, N, Q of every question row of the workbook (an upload, a path or
    bytes) as [Baris], checked against each question's answer type (M, the evidence, is
    not read: evidence goes through the plan). Raises ValidationError with every bad cell,
    "Baris 37 kolom K: 'F' bukan pilihan A-D", or one message for an unreadable file."""
    data = _isi(berkas)
    wb, ws = _buka(data)
    soal = {s.baris_excel: s for s in SoalLke.objects.filter(
        komponen__area__lke=lke, baris_excel__gte=BARIS_AWAL).select_related("jenis")}
    sel = {}
    try:
        if soal:
            # only the rows of the questions: the rest of the sheet is never read
            for r, row in enumerate(ws.iter_rows(min_row=BARIS_AWAL, max_row=max(soal), max_col=Q,
                                                 values_only=True), start=BARIS_AWAL):
                if r in soal:
                    sel[r] = row
    except Exception as exc:  # a broken sheet part shows only while its rows are read
        raise ValidationError(_("Sheet “Jawaban” rusak dan tidak dapat dibaca. Simpan ulang "
                                "dari Excel/LibreOffice sebagai .xlsx lalu unggah lagi.")) from exc
    finally:
        wb.close()
    galat, out = [], []
    for r in sorted(soal):
        s, row = soal[r], sel.get(r, ())

        def isi(col, row=row):
            return row[col - 1] if len(row) >= col else None

        out.append(Baris(
            baris=r, soal=s.pk, kode=s.kode,
            jawaban_unit=_jawaban(s.jenis, isi(K), r, "K", galat),
            catatan_unit=_catatan(isi(L), r, "L", galat),
            jawaban_tpi=_jawaban(s.jenis, isi(N), r, "N", galat),
            catatan_tpi=_catatan(isi(Q), r, "Q", galat)))
    if galat:
        raise ValidationError(galat)
    return out


# --- what would change -----------------------------------------------------------------

MEDAN = {"jawaban_unit": "K", "catatan_unit": "L", "isian": "K", "jawaban_tpi": "N",
         "catatan_tpi": "Q"}


@dataclass
class Perubahan:
    """One field of one row that the import changes (`alasan` empty) or leaves alone
    because the user may not change it (`alasan`: why)."""

    baris: int
    soal: int                 # SoalLke pk
    kode: str
    medan: str                # jawaban_unit, catatan_unit, isian, jawaban_tpi, catatan_tpi
    lama: str
    baru: str
    versi: int = 0            # that side's version (or the NilaiIsian's) when read
    isian: int | None = None  # Isian pk of a linked count row
    label_isian: str = ""
    alasan: str = ""

    @property
    def kolom(self):
        return MEDAN[self.medan]

    @property
    def sisi(self):
        return "tpi" if self.medan.endswith("_tpi") else "unit"

    @property
    def nama_medan(self):
        if self.medan == "isian":
            return _("Isian angka rencana “%(l)s”") % {"l": self.label_isian}
        return {"jawaban_unit": _("Jawaban unit"), "catatan_unit": _("Catatan unit"),
                "jawaban_tpi": _("Jawaban TPI"), "catatan_tpi": _("Catatan TPI")}[self.medan]

    @property
    def diabaikan(self):
        return bool(self.alasan)

    def uraian(self):
        """One line, for the command's output."""
        teks = _("Baris %(b)s %(kode)s kolom %(k)s, %(m)s: '%(lama)s' → '%(baru)s'") % {
            "b": self.baris, "kode": self.kode, "k": self.kolom, "m": self.nama_medan,
            "lama": self.lama, "baru": self.baru}
        return f"{teks} ({_('diabaikan')}: {self.alasan})" if self.alasan else teks


def _sama(jenis, lama, baru):
    lama, baru = (lama or "").strip(), (baru or "").strip()
    if lama == baru:
        return True
    if jenis.aturan == Aturan.PILIHAN or not lama or not baru:
        return False
    baca_angka = S.cacah if jenis.aturan == Aturan.JUMLAH else S.angka
    a, b = baca_angka(lama), baca_angka(baru)
    return a is not None and a == b


def _pesan_kecil(pesan):
    """"Tidak boleh lebih … (3)." → "tidak boleh lebih … (3)", to follow a cell's value."""
    pesan = str(pesan).rstrip(".")
    return pesan[:1].lower() + pesan[1:]


def rencana(*, rk, lke, baris, user, semua_kolom=False, kosongkan=False):
    """[Perubahan]: what importing `baris` (from `baca`) into the unit of `rk` would change,
    in row order, per field: the unit's answers and notes where `user` may answer the row
    (`permissions.can_answer_lke`), the TPI's where they may assess (`can_assess_lke`), and
    for linked count rows the plan's numeric input. Fields the user may not change but whose
    cell differs come with `alasan`. `semua_kolom`: both sides (the command line, run by an
    Admin at the server). Raises ValidationError for impossible counts (a part above its
    whole, two rows of one input with different counts), each naming its row. An empty cell
    changes nothing (a workbook filled by the unit has no TPI columns), unless `kosongkan`:
    then it empties what is saved."""
    skor, _areas, tautan = selectors.skor_rencana(rk, lke)
    per_soal = {ns.soal.pk: ns for ns in skor.soal()}
    pic = selectors.pic_per_soal(tautan)
    unit = rk.unit
    bisa_tpi = semua_kolom or permissions.can_assess_lke(user, unit)
    tertaut = {ns.isian.pk for ns in per_soal.values() if ns.dari_isian}
    nilai_isian = {n.isian_id: n for n in NilaiIsian.objects.filter(isian_id__in=tertaut)}
    tolak_unit = _("Anda tidak berhak mengubah jawaban unit untuk soal ini.")
    tolak_tpi = _("Hanya TPI unit ini yang mengisi jawaban TPI.")
    tutup = jendela.tertutup(unit, lke.tahun, user=user)  # the TPI round's windows, if any
    out, galat = [], []
    isian_baru = {}          # {Isian pk: (Baris, Decimal or None)}: one count per input
    for b in sorted(baris, key=lambda x: x.baris):
        ns = per_soal.get(b.soal)
        if ns is None:
            continue
        s, j = ns.soal, ns.jawaban
        bisa_unit = semua_kolom or permissions.can_answer_lke(user, unit, pic.get(s.pk))
        # a side the round's windows close for this row: shown as ignored, with the reason
        tutup_unit = bisa_unit and jendela.pesan_tutup(tutup, "unit", s.pk)
        tutup_tpi = bisa_tpi and jendela.pesan_tutup(tutup, "tpi", s.pk)
        versi = {"unit": j.versi_unit if j else 0, "tpi": j.versi_tpi if j else 0}
        simpan = {"jawaban_unit": j.jawaban_unit if j else "",
                  "catatan_unit": j.catatan_unit if j else "",
                  "jawaban_tpi": j.jawaban_tpi if j else "",
                  "catatan_tpi": j.catatan_tpi if j else ""}

        def tambah(medan, lama, baru, boleh, alasan, v=None, b=b, s=s, versi=versi, **kw):
            if v is None:
                v = versi["tpi" if medan.endswith("_tpi") else "unit"]
            out.append(Perubahan(b.baris, s.pk, s.kode, medan, lama, baru, versi=v,
                                 alasan="" if boleh else alasan, **kw))

        def isi(teks):
            return kosongkan or teks != ""

        if ns.dari_isian and not isi(b.jawaban_unit):
            pass
        elif ns.dari_isian:
            i, baru = ns.isian, S.cacah(b.jawaban_unit)
            if i.pk in isian_baru:
                b0, v0 = isian_baru[i.pk]
                if v0 != baru:
                    galat.append(_sel_galat(b.baris, "K", b.jawaban_unit, _(
                        "berbeda dengan baris %(b)s ('%(v)s'), padahal keduanya isian rencana "
                        "“%(l)s”") % {"b": b0.baris, "v": b0.jawaban_unit, "l": i.label}))
            else:
                isian_baru[i.pk] = (b, baru)
                n = nilai_isian.get(i.pk)
                lama = n.nilai if n else None
                if lama != baru:
                    tambah("isian", bilangan(lama) if lama is not None else "", b.jawaban_unit,
                           bisa_unit, tolak_unit, v=n.versi if n else 0, isian=i.pk,
                           label_isian=i.label)
        elif isi(b.jawaban_unit) and not _sama(s.jenis, simpan["jawaban_unit"], b.jawaban_unit):
            tambah("jawaban_unit", simpan["jawaban_unit"], b.jawaban_unit,
                   bisa_unit and not tutup_unit, tutup_unit or tolak_unit)
        if isi(b.catatan_unit) and _baris_baru(simpan["catatan_unit"]) != b.catatan_unit:
            tambah("catatan_unit", simpan["catatan_unit"], b.catatan_unit,
                   bisa_unit and not tutup_unit, tutup_unit or tolak_unit)
        if isi(b.jawaban_tpi) and not _sama(s.jenis, simpan["jawaban_tpi"], b.jawaban_tpi):
            tambah("jawaban_tpi", simpan["jawaban_tpi"], b.jawaban_tpi,
                   bisa_tpi and not tutup_tpi, tutup_tpi or tolak_tpi)
        if isi(b.catatan_tpi) and _baris_baru(simpan["catatan_tpi"]) != b.catatan_tpi:
            tambah("catatan_tpi", simpan["catatan_tpi"], b.catatan_tpi,
                   bisa_tpi and not tutup_tpi, tutup_tpi or tolak_tpi)
    galat += _periksa_isian(
        {p.isian: S.cacah(p.baru) for p in out if p.medan == "isian" and not p.alasan},
        {pk: b for pk, (b, _v) in isian_baru.items()})
    if galat:
        raise ValidationError(galat)
    return out


def _baris_baru(teks):
    """A saved note as a cell holds it: LF line ends (the browser sends CRLF), no edge spaces."""
    return teks.replace("\r\n", "\n").strip()


def _periksa_isian(baru, baris):
    """Messages for counts the plan refuses (`bukti_dukung.angka.periksa` over each
    indikator's inputs, new counts over the current ones); only errors the import causes."""
    if not baru:
        return []
    isian = list(Isian.objects.filter(indikator__isian__pk__in=list(baru)).distinct()
                 .order_by("indikator_id", "urutan"))
    sekarang = {n.isian_id: n.nilai for n in NilaiIsian.objects.filter(isian__in=isian)}
    per_ind = {}
    for i in isian:
        per_ind.setdefault(i.indikator_id, []).append(i)
    galat = []
    for daftar in per_ind.values():
        sebelum = {i.pk: sekarang.get(i.pk) for i in daftar}
        sesudah = {**sebelum, **{i.pk: baru[i.pk] for i in daftar if i.pk in baru}}
        lama = angka_rencana.periksa(daftar, sebelum)
        for pk, pesan in angka_rencana.periksa(daftar, sesudah).items():
            if lama.get(pk) == pesan:
                continue  # not the import's doing
            if pk in baris:
                galat.append(_sel_galat(baris[pk].baris, "K", baris[pk].jawaban_unit,
                                        _pesan_kecil(pesan)))
            else:
                label = next(i.label for i in daftar if i.pk == pk)
                galat.append(_("Isian rencana “%(l)s”: %(p)s") % {"l": label, "p": pesan})
    return galat


def sidik(perubahan):
    """A fingerprint of a preview: its changes and the versions they were read at. Saving
    compares it with a fresh `rencana`, so an edit made in between refuses the import."""
    data = [[p.soal, p.medan, p.lama, p.baru, p.versi, p.isian, p.alasan] for p in perubahan]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()


# --- saving ----------------------------------------------------------------------------

def _konflik(p):
    return KonflikVersi(_(
        "Baris %(b)s (%(k)s) sudah diubah pengguna lain setelah pratinjau. Impor dibatalkan; "
        "tidak ada yang disimpan. Periksa lagi perubahannya lalu simpan.") % {
        "b": p.baris, "k": p.kode})


@transaction.atomic
def terapkan(*, rk, lke, perubahan, user):
    """Save the changes of `rencana` that are not ignored, all or nothing: answers and notes
    through `services.simpan_jawaban` at the versions `rencana` read, counts through the
    plan's `simpan_isian`. A row changed since raises KonflikVersi; a refused value
    ValidationError naming its row. Returns how many fields changed."""
    pakai = [p for p in perubahan if not p.alasan]
    unit = rk.unit
    sisi = {}
    for p in pakai:
        if p.medan != "isian":
            sisi.setdefault((p.soal, p.sisi), []).append(p)
    tutup = jendela.tertutup(unit, lke.tahun, user=user)  # the TPI round's windows, if any
    for (soal_pk, s), ps in sorted(sisi.items(), key=lambda kv: kv[1][0].baris):
        if pesan := jendela.pesan_tutup(tutup, s, soal_pk):
            raise ValidationError(_("Baris %(b)s (%(k)s): %(p)s") % {
                "b": ps[0].baris, "k": ps[0].kode, "p": pesan})
    soal = {s.pk: s for s in SoalLke.objects.filter(
        pk__in={k[0] for k in sisi}, komponen__area__lke=lke).select_related("jenis")}
    ada = {j.soal_id: j for j in JawabanLke.objects.filter(unit=unit, soal_id__in=list(soal))}
    for (soal_pk, s), ps in sisi.items():
        j = ada.get(soal_pk)
        nilai = {"jawaban": getattr(j, f"jawaban_{s}") if j else "",
                 "catatan": getattr(j, f"catatan_{s}") if j else ""}
        for p in ps:
            nilai[p.medan.split("_")[0]] = p.baru
        try:
            services.simpan_jawaban(user=user, unit=unit, soal=soal[soal_pk], sisi=s,
                                    jawaban=nilai["jawaban"], catatan=nilai["catatan"],
                                    versi=ps[0].versi)
        except KonflikVersi:
            raise _konflik(ps[0]) from None
        except ValidationError as exc:
            raise ValidationError(_("Baris %(b)s (%(k)s): %(p)s") % {
                "b": ps[0].baris, "k": ps[0].kode, "p": exc.messages[0]}) from None
    angka = {p.isian: p for p in pakai if p.medan == "isian"}
    for ind in Indikator.objects.filter(isian__pk__in=list(angka)).distinct().prefetch_related(
            "isian"):
        ps = [angka[i.pk] for i in ind.isian.all() if i.pk in angka]
        try:
            bukti_services.simpan_isian(
                indikator=ind, user=user, nilai={p.isian: S.cacah(p.baru) for p in ps},
                versi={p.isian: p.versi for p in ps})
        except bukti_services.KonflikTinjauan:
            raise _konflik(ps[0]) from None
        except ValidationError as exc:
            per_isian = getattr(exc, "message_dict", {})
            raise ValidationError([
                _sel_galat(p.baris, "K", p.baru, _pesan_kecil(per_isian[str(p.isian)][0]))
                for p in ps if str(p.isian) in per_isian] or exc.messages) from None
    return len(pakai)
