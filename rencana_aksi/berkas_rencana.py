"""Reading and checking plan files (YAML or the JSON of `export_rencana_kerja`).

A plan file is a tree of plain dicts and lists (see fixtures/README.md). `baca_berkas`
parses the text keeping line numbers, `periksa_rencana` checks the whole tree and raises
one `ValidationError` listing every wrong entry by path and line."""

import yaml
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .bulan import parse_bulan_iso
from .models import AreaRencana, Isian, Komponen, RencanaAksi
from .resources import BarisBerkas as _Dict
from .resources import baca_xlsx


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader, node):
    d = _Dict(loader.construct_pairs(node, deep=True))
    d.line = node.start_mark.line + 1
    return d


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def baca_berkas_rencana(nama, isi):
    """Any plan file a user brings (XLSX, YAML or JSON, by its name) as the plan tree."""
    if nama.lower().endswith(".xlsx"):
        return baca_xlsx(isi)
    try:
        text = isi.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("Berkas bukan teks UTF-8 (YAML/JSON) atau XLSX.")) from exc
    return baca_berkas(text)


def baca_berkas(text):
    """Parse YAML/JSON text into the plan dict; syntax errors name the line."""
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise ValidationError(
            _("Berkas tidak dapat dibaca sebagai YAML/JSON di baris %(baris)s, kolom %(kolom)s. "
              "Periksa tanda kutip, titik dua, tanda kurung dan indentasi di sekitar baris itu.")
            % {"baris": mark.line + 1, "kolom": mark.column + 1}
        ) from exc
    except yaml.YAMLError as exc:
        raise ValidationError(_("Berkas tidak dapat dibaca sebagai YAML/JSON.")) from exc
    if not isinstance(data, dict):
        raise ValidationError(_("Isi berkas bukan rencana kerja: harus diawali kunci seperti "
                                "'bagian:' (lihat contoh hasil Ekspor JSON)."))
    return data


class _Checker:
    def __init__(self, xlsx=False):
        self.errors = []
        self.xlsx = xlsx

    def err(self, path, node, message):
        line = getattr(node, "line", None)
        if self.xlsx and line:
            where = _("Baris %s") % line
        else:
            where = f"{path} (baris {line})" if line else path
        self.errors.append(f"{where}: {message}")

    def text(self, node, key, path, required=True, maks=None):
        value = node.get(key) if isinstance(node, dict) else None
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.err(path, node, _("'%s' wajib diisi") % key)
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.err(path, node, _("'%s' harus berupa teks") % key)
            return ""
        value = value.strip()
        if maks and len(value) > maks:
            self.err(path, node, _("'%(key)s' terlalu panjang (%(n)s karakter, maksimal %(maks)s)")
                     % {"key": key, "n": len(value), "maks": maks})
        return value

    def items(self, node, key, path, required=True):
        value = node.get(key) if isinstance(node, dict) else None
        if value is None:
            if required:
                self.err(path, node, _("daftar '%s' wajib ada") % key)
            return []
        if not isinstance(value, list):
            self.err(path, node, _("'%s' harus berupa daftar") % key)
            return []
        return value

    def dict_(self, node, path):
        if not isinstance(node, dict):
            self.err(path, node, _("harus berupa kumpulan 'kunci: nilai'"))
            return False
        return True

    def strings(self, node, key, path):
        out = []
        for i, s in enumerate(self.items(node, key, path, required=False)):
            if not isinstance(s, str) or not s.strip():
                self.err(f"{path}.{key}[{i}]", node, _("harus berupa teks yang tidak kosong"))
            else:
                out.append(s.strip())
        return out


def _maks(model, field):
    return model._meta.get_field(field).max_length


def periksa_rencana(data, kode_bagian, kode_area):
    """Check and normalise a parsed plan. Returns a clean tree of plain dicts/lists;
    raises ValidationError with every problem found (path and line of each)."""
    c = _Checker(xlsx=getattr(data, "sumber", None) == "xlsx")
    clean = {
        "pendahuluan": c.text(data, "pendahuluan", "pendahuluan", required=False),
        "mekanisme_penetapan_tim": c.strings(data, "mekanisme_penetapan_tim", "rencana"),
        "target_prioritas": c.strings(data, "target_prioritas", "rencana"),
        "bagian": [],
    }
    unit = data.get("unit")
    if unit is not None:
        if c.dict_(unit, "unit"):
            clean["unit"] = {"kode": c.text(unit, "kode", "unit", required=False),
                             "nama": c.text(unit, "nama", "unit", required=False)}
    if data.get("tahun") is not None:
        try:
            clean["tahun"] = int(data["tahun"])
        except (TypeError, ValueError):
            c.err("tahun", data, _("tahun harus berupa angka"))

    seen_bagian = set()
    bagian_list = c.items(data, "bagian", "rencana")
    if isinstance(data.get("bagian"), list) and not bagian_list:
        c.err("bagian", data, _("rencana kerja tidak memiliki bagian"))
    for bi, b in enumerate(bagian_list):
        bp = f"bagian[{bi}]"
        if not c.dict_(b, bp):
            continue
        kode = c.text(b, "kode", bp).upper()
        if kode and kode not in kode_bagian:
            c.err(bp, b, _("kode bagian '%(kode)s' tidak dikenal (pilihan: %(pilihan)s)")
                  % {"kode": kode, "pilihan": ", ".join(sorted(kode_bagian))})
        if kode in seen_bagian:
            c.err(bp, b, _("bagian '%s' muncul dua kali") % kode)
        seen_bagian.add(kode)
        cb = {"kode": kode, "nama": c.text(b, "nama", bp, required=False), "area": []}
        seen_area = set()
        for ai, a in enumerate(c.items(b, "area", bp)):
            ap = f"{bp}.area[{ai}]"
            if not c.dict_(a, ap):
                continue
            akode = c.text(a, "kode", ap).upper()
            if akode and akode not in kode_area:
                c.err(ap, a, _("kode area '%(kode)s' tidak dikenal (pilihan: %(pilihan)s)")
                      % {"kode": akode, "pilihan": ", ".join(kode_area)})
            if akode in seen_area:
                c.err(ap, a, _("area '%s' muncul dua kali dalam bagian ini") % akode)
            seen_area.add(akode)
            ca = {"kode": akode, "nama": c.text(a, "nama", ap, maks=_maks(AreaRencana, "judul")),
                  "komponen": []}
            nomor_seen = set()
            for ki, k in enumerate(c.items(a, "komponen", ap)):
                kp = f"{ap}.komponen[{ki}]"
                if not c.dict_(k, kp):
                    continue
                try:
                    if isinstance(k.get("nomor"), bool):
                        raise ValueError
                    nomor = int(str(k.get("nomor")).strip())
                    if not 1 <= nomor <= 999:
                        raise ValueError
                except (TypeError, ValueError):
                    c.err(kp, k, _("'nomor' komponen harus bilangan bulat 1-999"))
                    nomor = None
                if nomor is not None and nomor in nomor_seen:
                    c.err(kp, k, _("nomor komponen %s dipakai dua kali") % nomor)
                nomor_seen.add(nomor)
                ck = {"nomor": nomor, "nama": c.text(k, "nama", kp, maks=_maks(Komponen, "nama")),
                      "indikator": [],
                      "pic": c.text(k, "pic", kp, required=False) or None}
                for ii, ind in enumerate(c.items(k, "indikator", kp)):
                    ip = f"{kp}.indikator[{ii}]"
                    if not c.dict_(ind, ip):
                        continue
                    ci = {"teks": c.text(ind, "teks", ip), "rencana_aksi": [], "isian": []}
                    for ri, ra in enumerate(c.items(ind, "rencana_aksi", ip)):
                        rp = f"{ip}.rencana_aksi[{ri}]"
                        if not c.dict_(ra, rp):
                            continue
                        ci["rencana_aksi"].append({
                            "teks": c.text(ra, "teks", rp),
                            "target_waktu": c.text(ra, "target_waktu", rp, required=False,
                                                   maks=_maks(RencanaAksi, "target_waktu")),
                            "bukti_dukung": c.strings(ra, "bukti_dukung", rp),
                            "bulan": _bulan_opsional(c, ra, rp),
                            "per_kejadian": ra.get("per_kejadian") if isinstance(
                                ra.get("per_kejadian"), bool) else None,
                            "pic": c.text(ra, "pic", rp, required=False) or None,
                        })
                    for si, s in enumerate(c.items(ind, "isian", ip, required=False)):
                        sp = f"{ip}.isian[{si}]"
                        if not c.dict_(s, sp):
                            continue
                        jenis = c.text(s, "jenis", sp)
                        if jenis and jenis not in Isian.Jenis.values:
                            c.err(sp, s, _("jenis isian '%(jenis)s' tidak dikenal (pilihan: "
                                           "%(pilihan)s)")
                                  % {"jenis": jenis, "pilihan": ", ".join(Isian.Jenis.values)})
                        ci["isian"].append({
                            "label": c.text(s, "label", sp, maks=_maks(Isian, "label")),
                            "jenis": jenis,
                            "keterangan": c.text(s, "keterangan", sp, required=False),
                            "bukti_dukung": c.strings(s, "bukti_dukung", sp),
                        })
                    if not ci["rencana_aksi"] and not ci["isian"]:
                        c.err(ip, ind, _("indikator tidak memiliki rencana aksi maupun isian"))
                    ck["indikator"].append(ci)
                ca["komponen"].append(ck)
            cb["area"].append(ca)
        clean["bagian"].append(cb)

    if c.errors:
        raise ValidationError(c.errors)
    return clean


def _bulan_opsional(c, ra, path):
    """Months given explicitly (export of hand-set months); None when absent."""

    value = ra.get("bulan")
    if value is None:
        return None
    if not isinstance(value, list):
        c.err(path, ra, _("'bulan' harus berupa daftar 'YYYY-MM'"))
        return None
    out = []
    for v in value:
        try:
            out.append(parse_bulan_iso(str(v)))
        except ValueError:
            c.err(path, ra, _("bulan '%s' tidak sah (format YYYY-MM)") % v)
    return out
