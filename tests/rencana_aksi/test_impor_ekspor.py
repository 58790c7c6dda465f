"""Plan files: import, export, round trips (JSON and XLSX), atomic failures."""

import io
import json

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from organisasi.models import UnitKerja
from rencana_aksi import services
from rencana_aksi.berkas_rencana import baca_berkas
from rencana_aksi.models import Komponen, RencanaAksi, RencanaKerja
from rencana_aksi.resources import baca_xlsx, ekspor_xlsx
from rencana_aksi.selectors import rencana_kerja_sebagai_data


def _without_unit(data):
    """The plan without what belongs to one unit (its name, year and PICs)."""
    data = json.loads(json.dumps(data))
    for b in data["bagian"]:
        for a in b["area"]:
            for k in a["komponen"]:
                k.pop("pic")
                for ind in k["indikator"]:
                    for ra in ind["rencana_aksi"]:
                        ra.pop("pic")
    return {k: v for k, v in data.items() if k not in ("unit", "tahun")}


def _export_cli(kode, tahun):
    out = io.StringIO()
    call_command("export_rencana_kerja", unit=kode, tahun=tahun, stdout=out)
    return json.loads(out.getvalue())


def test_export_shape(rk_dinsos):
    data = _export_cli("dinsos-mojokerto", 2024)
    assert data["unit"] == {"kode": "dinsos-mojokerto", "nama": "Dinas Sosial Kabupaten Mojokerto"}
    assert data["tahun"] == 2024
    assert [b["kode"] for b in data["bagian"]] == ["A", "B"]
    area = data["bagian"][0]["area"][0]
    assert set(area) >= {"kode", "nama", "komponen"}
    k = area["komponen"][0]
    assert set(k) == {"nomor", "nama", "indikator", "pic"}
    ind = k["indikator"][0]
    assert set(ind) == {"teks", "rencana_aksi", "isian"}
    ra = ind["rencana_aksi"][0]
    assert set(ra) == {"teks", "target_waktu", "bulan", "per_kejadian", "bukti_dukung", "pic"}
    assert ra["bulan"] == ["2024-02"] and ra["per_kejadian"] is False
    assert isinstance(data["pendahuluan"], str)
    assert len(data["mekanisme_penetapan_tim"]) == 7 and len(data["target_prioritas"]) == 15
    reform_v = data["bagian"][1]["area"][4]["komponen"][2]["indikator"][0]
    assert {"label": "Jumlah yang sudah melaporkan", "jenis": "jumlah"} in reform_v["isian"]


def test_json_round_trip(tmp_path, rk_dinsos):
    original = _export_cli("dinsos-mojokerto", 2024)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(original, ensure_ascii=False), encoding="utf-8")
    UnitKerja.objects.create(kode="uji", nama="Unit Uji")
    call_command("import_rencana_kerja", str(path), unit="uji", tahun=2024, stdout=io.StringIO())
    again = _export_cli("uji", 2024)
    assert _without_unit(again) == _without_unit(original)


def test_round_trip_keeps_hand_set_months(tmp_path, rk_dinsos):
    ra = (RencanaAksi.objects.milik_unit(rk_dinsos.unit)
          .filter(target_waktu="Sesuai surat edaran Pemda").order_by("pk").first())
    from datetime import date

    services.ubah_rencana_aksi(rencana_aksi=ra, versi=ra.versi, teks=ra.teks,
                               target_waktu=ra.target_waktu, pic=None,
                               bulan=[date(2024, 8, 1)])
    data = rencana_kerja_sebagai_data(rk_dinsos)
    unit = UnitKerja.objects.create(kode="uji", nama="Unit Uji")
    rk = services.import_rencana_kerja(data=json.loads(json.dumps(data)), unit=unit, tahun=2024)
    copy = (RencanaAksi.objects.milik_unit(unit)
            .filter(target_waktu="Sesuai surat edaran Pemda").order_by("pk").first())
    assert copy.bulan_manual and [str(t) for t in copy.target_bulan.all()] == ["2024-08"]
    assert _without_unit(rencana_kerja_sebagai_data(rk)) == _without_unit(data)


def test_malformed_file_changes_nothing_and_names_the_entry(tmp_path, rk_dinsos):
    text = (
        "bagian:\n"
        "- kode: A\n"
        "  area:\n"
        "  - kode: I\n"
        "    nama: MANAJEMEN PERUBAHAN\n"
        "    komponen:\n"
        "    - nomor: 1\n"
        "      nama: Tim Kerja\n"
        "      indikator:\n"
        "      - teks: Indikator yang benar\n"
        "        rencana_aksi:\n"
        "        - teks: Aksi yang benar\n"
        "          target_waktu: Maret 2024\n"
        "          bukti_dukung: [SK]\n"
        "      - teks: Indikator kedua\n"
        "        rencana_aksi:\n"
        "        - target_waktu: Maret 2024\n"
        "        isian:\n"
        "        - label: Jumlah\n"
        "          jenis: angka\n"
    )
    path = tmp_path / "rusak.yaml"
    path.write_text(text, encoding="utf-8")
    before = (RencanaKerja.objects.count(), Komponen.objects.count(), UnitKerja.objects.count())
    with pytest.raises(CommandError) as exc:
        call_command("import_rencana_kerja", str(path), unit="dinsos-mojokerto", tahun=2025)
    msg = str(exc.value)
    assert "bagian[0].area[0].komponen[0].indikator[1].rencana_aksi[0] (baris 17): 'teks' wajib diisi" in msg
    assert "indikator[1].isian[0] (baris 19): jenis isian 'angka' tidak dikenal" in msg
    assert (RencanaKerja.objects.count(), Komponen.objects.count(), UnitKerja.objects.count()) == before


def test_yaml_syntax_error_names_the_line():
    with pytest.raises(ValidationError) as exc:
        baca_berkas("bagian:\n  - kode: A\n   area: [\n")
    assert "baris" in exc.value.messages[0]


def test_existing_plan_is_not_overwritten_without_ganti(rk_dinsos):
    data = rencana_kerja_sebagai_data(rk_dinsos)
    n = Komponen.objects.count()
    with pytest.raises(ValidationError, match="sudah ada"):
        services.import_rencana_kerja(data=data, unit=rk_dinsos.unit, tahun=2024)
    assert Komponen.objects.count() == n


def test_failure_after_partial_write_rolls_back(rk_dinsos, monkeypatch):
    """Even a failure deep in the tree (after rows were written) leaves nothing behind."""
    data = rencana_kerja_sebagai_data(rk_dinsos)
    unit = UnitKerja.objects.create(kode="uji", nama="Unit Uji")
    original = services.BuktiDukung.objects.bulk_create
    calls = {"n": 0}

    def boom(objs, *a, **kw):
        calls["n"] += 1
        if calls["n"] > 50:
            raise ValidationError("gagal di tengah")
        return original(objs, *a, **kw)

    monkeypatch.setattr(services.BuktiDukung.objects, "bulk_create", boom)
    with pytest.raises(ValidationError):
        services.import_rencana_kerja(data=data, unit=unit, tahun=2024)
    assert not RencanaKerja.objects.filter(unit=unit).exists()
    assert not Komponen.objects.filter(area_rencana__rencana_kerja__unit=unit).exists()


def test_xlsx_round_trip(rk_dinsos):
    content = ekspor_xlsx(rk_dinsos)
    wb = openpyxl.load_workbook(io.BytesIO(content))
    ws = wb.active
    header = [c.value for c in ws[1]]
    assert header[:8] == ["BAGIAN", "AREA", "NO", "KOMPONEN", "INDIKATOR", "RENCANA AKSI",
                          "BUKTI DUKUNG", "TARGET WAKTU"]
    assert ws[2][6].value == "SK Tim Kerja ZI" and ws[2][7].value == "Februari 2024"
    data = baca_xlsx(content)
    unit = UnitKerja.objects.create(kode="uji", nama="Unit Uji")
    rk = services.import_rencana_kerja(data=data, unit=unit, tahun=2024)
    original = rencana_kerja_sebagai_data(rk_dinsos)
    again = rencana_kerja_sebagai_data(rk)
    assert _without_unit(again)["bagian"] == _without_unit(original)["bagian"]


def _sheet(rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["BAGIAN", "AREA", "NO", "KOMPONEN", "INDIKATOR", "RENCANA AKSI", "BUKTI DUKUNG",
               "TARGET WAKTU"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_bad_rows_are_listed_and_nothing_imported(db):
    content = _sheet([
        ["A PEMENUHAN", "I MANAJEMEN PERUBAHAN", 1, "Tim Kerja", "Ind", "Aksi", "SK", "Maret 2024"],
        ["A PEMENUHAN", "I MANAJEMEN PERUBAHAN", "satu", "Tim Kerja", "Ind", "Aksi", "SK", "Maret"],
        ["A PEMENUHAN", "", 2, "Dokumen", "", "Aksi", "SK", "Maret 2024"],
    ])
    with pytest.raises(ValidationError) as exc:
        baca_xlsx(content)
    msgs = exc.value.messages
    assert msgs[0].startswith("Baris 3: NO harus bilangan bulat 1-999")
    assert msgs[1].startswith("Baris 4: AREA harus berisi kode dan nama") and "INDIKATOR kosong" in msgs[1]


def test_xlsx_unknown_area_is_refused_by_the_checker(db):
    content = _sheet([["A PEMENUHAN", "VII AREA BARU", 1, "K", "Ind", "Aksi", "SK", "Maret 2024"]])
    data = baca_xlsx(content)
    unit = UnitKerja.objects.create(kode="uji", nama="Unit Uji")
    with pytest.raises(ValidationError, match="kode area 'VII' tidak dikenal"):
        services.import_rencana_kerja(data=data, unit=unit, tahun=2024)
    assert not RencanaKerja.objects.filter(unit=unit).exists()


def test_xlsx_not_a_spreadsheet(db):
    with pytest.raises(ValidationError, match="bukan spreadsheet XLSX"):
        baca_xlsx(b"MZ\x90\x00 this is not a workbook")


def test_xlsx_missing_columns(db):
    wb = openpyxl.Workbook()
    wb.active.append(["BAGIAN", "AREA", "KOMPONEN"])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(ValidationError, match="Kolom wajib tidak ditemukan.*NO.*INDIKATOR"):
        baca_xlsx(buf.getvalue())


def test_copy_plan_to_another_unit_and_year(rk_dinsos, users):
    k = Komponen.objects.filter(area_rencana__rencana_kerja=rk_dinsos, pic__isnull=False).first()
    assert k is not None
    unit = UnitKerja.objects.create(kode="uji", nama="Unit Uji")
    rk = services.salin_rencana_kerja(sumber=rk_dinsos, unit=unit, tahun=2025)
    qs = RencanaAksi.objects.milik_unit(unit)
    assert qs.count() == RencanaAksi.objects.milik_unit(rk_dinsos.unit).count()
    ra = qs.get(teks="Pembentukan Tim Kerja ZI dalam unit kerja")
    assert ra.target_waktu == "Februari 2025"
    assert [str(t) for t in ra.target_bulan.all()] == ["2025-02"]
    ra = qs.filter(target_waktu="November – Desember 2024, Januari 2025").first()
    assert [str(t) for t in ra.target_bulan.all()] == ["2024-11", "2024-12", "2025-01"]
    # the plan's own year moves in texts too; other years (laws) stay
    assert qs.filter(teks="Menentukan rencana aksi tahun 2025").exists()
    assert "Nomor 90 Tahun 2021" in rk.pendahuluan
    assert not Komponen.objects.filter(area_rencana__rencana_kerja=rk, pic__isnull=False).exists()
    assert rk.target_prioritas == rk_dinsos.target_prioritas


def test_copy_command(rk_dinsos):
    call_command("salin_rencana_kerja", dari_unit="dinsos-mojokerto", dari_tahun=2024,
                 ke_unit="dinsos-mojokerto", ke_tahun=2025, stdout=io.StringIO())
    assert RencanaKerja.objects.filter(unit=rk_dinsos.unit, tahun=2025).exists()


def _hand_work(rk, users):
    """What a Sekretaris does by hand: PICs and months set for an unreadable target."""

    k = Komponen.objects.filter(area_rencana__rencana_kerja=rk).order_by("pk")[3]
    services.ubah_komponen(komponen=k, versi=k.versi, nama=k.nama, pic=users["anggota2"])
    ra = (RencanaAksi.objects.milik_unit(rk.unit).filter(target_waktu="Sesuai surat edaran Pemda")
          .order_by("pk").first())
    services.ubah_rencana_aksi(rencana_aksi=ra, versi=ra.versi, teks=ra.teks,
                               target_waktu=ra.target_waktu, pic=users["anggota1"],
                               bulan=None, per_kejadian=True)
    return rencana_kerja_sebagai_data(rk)


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_reimport_into_the_same_unit_keeps_pics_and_hand_set_months(rk_dinsos, users, fmt):
    before = _hand_work(rk_dinsos, users)
    if fmt == "json":
        data = json.loads(json.dumps(before))
    else:
        data = baca_xlsx(ekspor_xlsx(rk_dinsos))
        data.update({k: before[k] for k in ("pendahuluan", "mekanisme_penetapan_tim",
                                              "target_prioritas")})
    rk = services.import_rencana_kerja(data=data, unit=rk_dinsos.unit, tahun=2024, ganti=True)
    assert rk.peringatan == []
    after = rencana_kerja_sebagai_data(rk)
    assert after == before
    ra = (RencanaAksi.objects.milik_unit(rk.unit).filter(target_waktu="Sesuai surat edaran Pemda")
          .order_by("pk").first())
    assert ra.per_kejadian and ra.bulan_manual and not ra.perlu_atur_bulan


def test_import_warns_about_pics_who_are_not_members(rk_dinsos, users):
    data = _hand_work(rk_dinsos, users)
    unit = UnitKerja.objects.create(kode="uji", nama="Unit Uji")
    rk = services.import_rencana_kerja(data=data, unit=unit, tahun=2024)
    assert any("anggota1" in w for w in rk.peringatan)
    assert not Komponen.objects.filter(area_rencana__rencana_kerja=rk, pic__isnull=False).exists()


def test_template_sheet_imports(db):
    from rencana_aksi.resources import templat_xlsx

    data = baca_xlsx(templat_xlsx())
    unit = UnitKerja.objects.create(kode="uji", nama="Unit Uji")
    rk = services.import_rencana_kerja(data=data, unit=unit, tahun=2024)
    ra = RencanaAksi.objects.get(indikator__komponen__area_rencana__rencana_kerja=rk)
    assert list(ra.bukti_dukung.values_list("nama", flat=True)) == [
        "SK Tim Kerja ZI", "Notulen rapat pembentukan tim"]


def test_xlsx_keeps_actions_with_the_same_wording_apart(db):
    row = ["A PEMENUHAN", "I MANAJEMEN PERUBAHAN", 1, "Tim Kerja", "Ind"]
    content = _sheet([
        row + ["Rapat koordinasi", "Notulen", "Maret 2024"],
        row + ["Rapat koordinasi", "Daftar hadir", "Maret 2024"],  # same action, 2nd evidence
        row + ["Sosialisasi", "Foto", "April 2024"],
        row + ["Rapat koordinasi", "Notulen", "Juni 2024"],  # the same words again: a new action
    ])
    data = baca_xlsx(content)
    ras = data["bagian"][0]["area"][0]["komponen"][0]["indikator"][0]["rencana_aksi"]
    assert [(r["teks"], r["target_waktu"], r["bukti_dukung"]) for r in ras] == [
        ("Rapat koordinasi", "Maret 2024", ["Notulen", "Daftar hadir"]),
        ("Sosialisasi", "April 2024", ["Foto"]),
        ("Rapat koordinasi", "Juni 2024", ["Notulen"]),
    ]


def test_xlsx_checker_errors_name_the_row(db):
    wb = openpyxl.Workbook()
    wb.active.append(["BAGIAN", "AREA", "NO", "KOMPONEN", "INDIKATOR", "RENCANA AKSI",
                      "BUKTI DUKUNG", "TARGET WAKTU", "ISIAN", "JENIS ISIAN", "BULAN"])
    wb.active.append(["A PEMENUHAN", "I MANAJEMEN PERUBAHAN", 1, "K", "Ind", "Aksi", "SK",
                      "Maret 2024", "", "", "2024-13"])
    wb.active.append(["A PEMENUHAN", "IX AREA BARU", 1, "K", "Ind", "Aksi", "SK", "Maret 2024"])
    wb.active.append(["A PEMENUHAN", "I MANAJEMEN PERUBAHAN", 1, "K", "Ind", "", "", "", "Jumlah",
                      "angka"])
    buf = io.BytesIO()
    wb.save(buf)
    data = baca_xlsx(buf.getvalue())
    unit = UnitKerja.objects.create(kode="uji", nama="Unit Uji")
    with pytest.raises(ValidationError) as exc:
        services.import_rencana_kerja(data=data, unit=unit, tahun=2024)
    msgs = exc.value.messages
    assert "Baris 2: bulan '2024-13' tidak sah (format YYYY-MM)" in msgs
    assert any(m.startswith("Baris 3: kode area 'IX' tidak dikenal") for m in msgs)
    assert any(m.startswith("Baris 4: jenis isian 'angka' tidak dikenal") for m in msgs)
    assert not RencanaKerja.objects.filter(unit=unit).exists()


def test_failed_import_does_not_leave_a_new_unit_behind(tmp_path, db):
    path = tmp_path / "rusak.yaml"
    path.write_text("unit: {kode: unit-baru, nama: Unit Baru}\nbagian:\n- kode: Z\n  area: []\n",
                    encoding="utf-8")
    with pytest.raises(CommandError, match="kode bagian 'Z' tidak dikenal"):
        call_command("import_rencana_kerja", str(path), unit="unit-baru", tahun=2024)
    assert not UnitKerja.objects.filter(kode="unit-baru").exists()


def test_too_long_texts_and_numbers_are_named_not_crashing(rk_dinsos):
    data = rencana_kerja_sebagai_data(rk_dinsos)
    k = data["bagian"][0]["area"][0]["komponen"][0]
    k["nama"] = "x" * 301
    k["indikator"][0]["rencana_aksi"][0]["target_waktu"] = "y" * 301
    data["bagian"][0]["area"][0]["komponen"][1]["nomor"] = 40000
    unit = UnitKerja.objects.create(kode="uji", nama="Unit Uji")
    with pytest.raises(ValidationError) as exc:
        services.import_rencana_kerja(data=data, unit=unit, tahun=2024)
    msgs = "\n".join(exc.value.messages)
    assert "komponen[0]: 'nama' terlalu panjang (301 karakter, maksimal 300)" in msgs
    assert "rencana_aksi[0]: 'target_waktu' terlalu panjang" in msgs
    assert "komponen[1]: 'nomor' komponen harus bilangan bulat 1-999" in msgs


@pytest.mark.parametrize("tahun", [1999, 2101, 99999])
def test_year_out_of_range_is_refused(rk_dinsos, tahun):
    data = rencana_kerja_sebagai_data(rk_dinsos)
    with pytest.raises(ValidationError, match="di luar rentang"):
        services.import_rencana_kerja(data=data, unit=rk_dinsos.unit, tahun=tahun)


def test_absurd_years_in_target_text_are_flagged_not_crashing():
    from rencana_aksi.bulan import baca_target_waktu

    for text in ("Januari 0000", "Maret 9999", "Setiap bulan 0001", "Mei 1900 – Juni 2500"):
        hasil = baca_target_waktu(text, 2024)
        assert hasil.terbaca is False and hasil.bulan == []


def test_xlsx_export_never_writes_formulas(rk_dinsos):
    ra = RencanaAksi.objects.milik_unit(rk_dinsos.unit).order_by("pk").first()
    ra.teks = '=HYPERLINK("https://evil.example","klik")'
    ra.save()
    ws = openpyxl.load_workbook(io.BytesIO(ekspor_xlsx(rk_dinsos))).active
    cells = [c for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(c.value == ra.teks for c in cells)  # kept as text, unchanged
    assert isinstance(ws["C2"].value, int)  # numbers stay numbers
