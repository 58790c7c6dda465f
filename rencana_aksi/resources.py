"""The plan as a spreadsheet (django-import-export): one row per bukti dukung with the
seed's six columns plus BAGIAN / AREA, and rows for numeric sub-rows (ISIAN)."""

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.formats.base_formats import XLSX
from openpyxl import load_workbook

from umum import xlsx

from .selectors import rencana_kerja_sebagai_data


class BarisBerkas(dict):
    """A mapping that knows where it came from: `line` of a YAML file or row of a sheet."""

    line = None
    sumber = None

KOLOM = [
    ("bagian", "BAGIAN"),
    ("area", "AREA"),
    ("nomor", "NO"),
    ("komponen", "KOMPONEN"),
    ("indikator", "INDIKATOR"),
    ("rencana_aksi", "RENCANA AKSI"),
    ("bukti_dukung", "BUKTI DUKUNG"),
    ("target_waktu", "TARGET WAKTU"),
    ("isian", "ISIAN"),
    ("jenis_isian", "JENIS ISIAN"),
    ("bulan", "BULAN"),
    ("per_kejadian", "PER KEJADIAN"),
    ("pic_komponen", "PIC KOMPONEN"),
    ("pic_rencana_aksi", "PIC RENCANA AKSI"),
]
# Column widths (characters) of the exported sheet.
LEBAR = {"BAGIAN": 14, "AREA": 28, "NO": 5, "KOMPONEN": 28, "INDIKATOR": 45, "RENCANA AKSI": 45,
         "BUKTI DUKUNG": 40, "TARGET WAKTU": 22, "ISIAN": 30, "JENIS ISIAN": 12, "BULAN": 22,
         "PER KEJADIAN": 10, "PIC KOMPONEN": 16, "PIC RENCANA AKSI": 16}


class BarisRencana(dict):
    """One spreadsheet row; attribute access for import-export's Field."""

    __getattr__ = dict.get


class RencanaKerjaResource(resources.Resource):
    bagian = fields.Field(attribute="bagian", column_name="BAGIAN")
    area = fields.Field(attribute="area", column_name="AREA")
    nomor = fields.Field(attribute="nomor", column_name="NO",
                         widget=widgets.IntegerWidget(coerce_to_string=False))
    komponen = fields.Field(attribute="komponen", column_name="KOMPONEN")
    indikator = fields.Field(attribute="indikator", column_name="INDIKATOR")
    rencana_aksi = fields.Field(attribute="rencana_aksi", column_name="RENCANA AKSI")
    bukti_dukung = fields.Field(attribute="bukti_dukung", column_name="BUKTI DUKUNG")
    target_waktu = fields.Field(attribute="target_waktu", column_name="TARGET WAKTU")
    isian = fields.Field(attribute="isian", column_name="ISIAN")
    jenis_isian = fields.Field(attribute="jenis_isian", column_name="JENIS ISIAN")
    bulan = fields.Field(attribute="bulan", column_name="BULAN")
    per_kejadian = fields.Field(attribute="per_kejadian", column_name="PER KEJADIAN")
    pic_komponen = fields.Field(attribute="pic_komponen", column_name="PIC KOMPONEN")
    pic_rencana_aksi = fields.Field(attribute="pic_rencana_aksi", column_name="PIC RENCANA AKSI")

    class Meta:
        fields = [k for k, _ in KOLOM]
        export_order = fields


def baris_rencana(data):
    """Flatten the plan tree into spreadsheet rows."""
    rows = []
    for b in data["bagian"]:
        bagian = f"{b['kode']} {b['nama']}"
        for a in b["area"]:
            area = f"{a['kode']} {a['nama']}"
            for k in a["komponen"]:
                for ind in k["indikator"]:
                    base = {"bagian": bagian, "area": area, "nomor": k["nomor"],
                            "komponen": k["nama"], "indikator": ind["teks"],
                            "pic_komponen": k.get("pic") or ""}
                    for ra in ind["rencana_aksi"]:
                        for bd in ra["bukti_dukung"] or [""]:
                            rows.append(BarisRencana(
                                base, rencana_aksi=ra["teks"], bukti_dukung=bd,
                                target_waktu=ra["target_waktu"], bulan=", ".join(ra["bulan"]),
                                per_kejadian="ya" if ra["per_kejadian"] else "tidak",
                                pic_rencana_aksi=ra.get("pic") or "",
                            ))
                    for s in ind["isian"]:
                        for bd in s.get("bukti_dukung") or [""]:
                            rows.append(BarisRencana(
                                base, rencana_aksi=s.get("keterangan", ""), bukti_dukung=bd,
                                isian=s["label"], jenis_isian=s["jenis"],
                            ))
    return rows


def ekspor_xlsx(rk):
    dataset = RencanaKerjaResource().export(baris_rencana(rencana_kerja_sebagai_data(rk)))
    dataset.title = f"Rencana Kerja {rk.tahun}"[:31]
    return _rapikan(XLSX().export_data(dataset))


def templat_xlsx():
    """An empty plan sheet with two example rows, for units bringing their own plan."""
    contoh = {"bagian": [{"kode": "A", "nama": "PEMENUHAN", "area": [{
        "kode": "I", "nama": "MANAJEMEN PERUBAHAN", "komponen": [{
            "nomor": 1, "nama": "Tim Kerja", "pic": None, "indikator": [{
                "teks": "SK Tim Kerja ZI telah dibuat sesuai prosedur yang telah ditetapkan",
                "rencana_aksi": [{
                    "teks": "Pembentukan Tim Kerja ZI dalam unit kerja",
                    "target_waktu": "Februari 2024", "bulan": ["2024-02"],
                    "per_kejadian": False, "pic": None,
                    "bukti_dukung": ["SK Tim Kerja ZI", "Notulen rapat pembentukan tim"],
                }],
                "isian": [],
            }],
        }],
    }]}]}
    dataset = RencanaKerjaResource().export(baris_rencana(contoh))
    dataset.title = "Rencana Kerja"
    return _rapikan(XLSX().export_data(dataset))


def _rapikan(content):
    """Readable, safe sheet: column widths, wrapped text, bold frozen header, filters, and
    no cell that a spreadsheet would run as a formula."""
    wb = load_workbook(io.BytesIO(content))
    ws = wb.active
    xlsx.rapikan(ws, [LEBAR.get(cell.value, 15) for cell in ws[1]])
    return xlsx.simpan(wb)


def _sel(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def baca_xlsx(content):
    """Read an uploaded XLSX back into the plan tree. Komponen are matched by bagian, area
    and NO; consecutive rows with the same indikator (and rencana aksi, or isian) belong to
    one item, so two actions with the same wording stay two actions. Every node remembers
    its first row, so the checker reports problems as "Baris N"."""
    try:
        dataset = XLSX().create_dataset(content)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ValidationError(
            _("Berkas bukan spreadsheet XLSX yang sah atau rusak. Simpan ulang dari Excel/"
              "LibreOffice sebagai .xlsx lalu unggah lagi.")
        ) from exc
    headers = [_sel(h).upper() for h in (dataset.headers or [])]
    wanted = {col: key for key, col in KOLOM}
    missing = [col for col in ("BAGIAN", "AREA", "NO", "KOMPONEN", "INDIKATOR", "RENCANA AKSI",
                               "BUKTI DUKUNG", "TARGET WAKTU") if col not in headers]
    if missing:
        raise ValidationError(
            _("Kolom wajib tidak ditemukan pada baris judul: %s.") % ", ".join(missing)
        )
    index = {wanted[h]: i for i, h in enumerate(headers) if h in wanted}
    errors = []
    root = _node(None, bagian=[])
    root.sumber = "xlsx"
    bagian, area, komponen = {}, {}, {}
    prev = None  # (indikator node, "ra"/"isian", text) of the previous row
    for n, raw in enumerate(dataset, start=2):
        row = {key: _sel(raw[i]) if i < len(raw) else "" for key, i in index.items()}
        if not any(row.values()):
            continue
        problems = []
        bkode, _sp, bnama = row["bagian"].partition(" ")
        akode, _sp, anama = row["area"].partition(" ")
        if not bkode:
            problems.append(_("BAGIAN kosong"))
        if not akode or not anama:
            problems.append(_("AREA harus berisi kode dan nama, mis. 'I MANAJEMEN PERUBAHAN'"))
        try:
            nomor = int(row["nomor"])
            if not 1 <= nomor <= 999:
                raise ValueError
        except ValueError:
            problems.append(_("NO harus bilangan bulat 1-999 (isi: '%s')") % row["nomor"])
            nomor = None
        for key, label in (("komponen", "KOMPONEN"), ("indikator", "INDIKATOR")):
            if not row[key]:
                problems.append(_("%s kosong") % label)
        isian = row.get("isian", "")
        if not isian and not row["rencana_aksi"]:
            problems.append(_("RENCANA AKSI kosong"))
        if row.get("per_kejadian", "").lower() not in ("", "ya", "tidak"):
            problems.append(_("PER KEJADIAN harus 'ya', 'tidak' atau kosong"))
        if problems:
            errors.append(_("Baris %(n)s: %(p)s") % {"n": n, "p": "; ".join(problems)})
            continue
        bk, ak = bkode.upper(), akode.upper()
        if bk not in bagian:
            bagian[bk] = _node(n, kode=bk, nama=bnama, area=[])
            root["bagian"].append(bagian[bk])
        if (bk, ak) not in area:
            area[bk, ak] = _node(n, kode=ak, nama=anama, komponen=[])
            bagian[bk]["area"].append(area[bk, ak])
        if (bk, ak, nomor) not in komponen:
            komponen[bk, ak, nomor] = _node(n, nomor=nomor, nama=row["komponen"], indikator=[],
                                           pic=row.get("pic_komponen") or None)
            area[bk, ak]["komponen"].append(komponen[bk, ak, nomor])
        k = komponen[bk, ak, nomor]
        if k["nama"] != row["komponen"]:
            errors.append(_("Baris %(n)s: komponen nomor %(no)s bernama lain di baris %(baris)s")
                          % {"n": n, "no": nomor, "baris": k.line})
            continue
        ind = k["indikator"][-1] if k["indikator"] else None
        if ind is None or ind["teks"] != row["indikator"] or (prev and prev[0] is not ind):
            ind = _node(n, teks=row["indikator"], rencana_aksi=[], isian=[])
            k["indikator"].append(ind)
        if isian:
            if prev == (ind, "isian", isian):
                item = ind["isian"][-1]
            else:
                item = _node(n, label=isian, jenis=row.get("jenis_isian", ""),
                             keterangan=row["rencana_aksi"], bukti_dukung=[])
                ind["isian"].append(item)
            prev = (ind, "isian", isian)
        else:
            if prev == (ind, "ra", row["rencana_aksi"]):
                item = ind["rencana_aksi"][-1]
            else:
                bulan = None
                if row.get("bulan"):
                    bulan = [v.strip() for v in row["bulan"].split(",") if v.strip()]
                item = _node(n, teks=row["rencana_aksi"], target_waktu=row["target_waktu"],
                             bukti_dukung=[], bulan=bulan,
                             per_kejadian={"ya": True, "tidak": False}.get(
                                 row.get("per_kejadian", "").lower()),
                             pic=row.get("pic_rencana_aksi") or None)
                ind["rencana_aksi"].append(item)
            prev = (ind, "ra", row["rencana_aksi"])
        if row["bukti_dukung"]:
            item["bukti_dukung"].append(row["bukti_dukung"])
    if errors:
        raise ValidationError(errors)
    if not root["bagian"]:
        raise ValidationError(_("Spreadsheet tidak berisi satu baris rencana pun."))
    return root


def _node(line, **values):
    node = BarisBerkas(values)
    node.line = line
    return node
