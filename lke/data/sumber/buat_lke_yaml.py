"""One-off: build `lke/data/lke.yaml` from PortalRB's 2026 master list
(`lke/data/portalrb-2026.csv`) and the question texts of the earlier data file (the seed
plan's indikator, which are the LKE questions). The YAML is the maintained source; run
this again only to regenerate it from a new master list:

    .venv/bin/python lke/data/sumber/buat_lke_yaml.py OLD.yaml > lke/data/lke.yaml
"""

import csv
import sys
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent.parent
JENIS = {"YA_TIDAK": "ya_tidak", "ABC": "a_c", "ABCD": "a_d", "ABCDE": "a_e",
         "JUMLAH": "jumlah", "0-4": "survei"}
HASIL = [
    {"area": "I", "nama": "Birokrasi yang bersih dan akuntabel", "bobot": "22.5", "komponen": [
        (1, "Indeks Persepsi Anti Korupsi (IPAK)", "C.I.1"),
        (2, "Capaian kinerja lebih baik dari tahun sebelumnya", "C.I.2")]},
    {"area": "II", "nama": "Pelayanan publik yang prima", "bobot": "17.5", "komponen": [
        (1, "Indeks Persepsi Kualitas Pelayanan (IPKP)", "C.II.1")]},
]
# The numeric komponen rules of lke.md, by the count rows' soal_id.
RUMUS = {
    "B.I.1": [("Perubahan yang dibuat per agen perubahan", "rasio", [89], [88]),
              ("Perubahan yang terintegrasi dalam sistem manajemen", "rasio", [91], [90])],
    "B.III.3": [("Penurunan pelanggaran disiplin", "penurunan", [103], [102])],
    "B.IV.1": [("Sasaran kinerja yang tercapai 100% atau lebih", "rasio", [106], [105])],
    "B.V.2": [("Penanganan pengaduan masyarakat", "rasio", [112], [110])],
    "B.V.3": [("Penyampaian LHKPN", "rasio", [116], [113, 114, 115]),
              ("Penyampaian laporan harta kekayaan non-LHKPN", "rasio", [120],
               [117, 118, 119])],
    "B.VI.1": [("Perijinan/pelayanan yang dipermudah", "rasio", [123], [122])],
}


def _str(d):
    return f"{d}".rstrip("0").rstrip(".") if "." in f"{d}" else f"{d}"


def main(lama):
    old = yaml.safe_load(Path(lama).read_text(encoding="utf-8"))
    rows = list(csv.DictReader((DATA / "portalrb-2026.csv").open(encoding="utf-8")))
    teks = {}  # (bagian, area, nomor) -> (komponen name, [question texts])
    for b in old["bagian"]:
        for a in b["areas"]:
            for k in a["komponen"]:
                teks[(b["kode"], a.get("area"), k["nomor"])] = (
                    k["nama"], [s["teks"] for s in k["soal"]])
    by_kom = {}
    for r in rows:
        if r["macam"] == "hasil":
            continue
        b, area, nomor = r["kode"].split(".")[:3]
        by_kom.setdefault((b, area, int(nomor)), []).append(r)
    out = {"nama": old["nama"], "portalrb_sejak": 2026,
           "jenis_jawaban": [j for j in old["jenis_jawaban"]], "bagian": []}
    for bk, bagian in (("A", "pemenuhan"), ("B", "reform")):
        areas = []
        for a in next(x for x in old["bagian"] if x["kode"] == bk)["areas"]:
            komponen = []
            for k in a["komponen"]:
                key = (bk, a["area"], k["nomor"])
                nama, texts = teks[key]
                rs = by_kom[key]
                soal, n_angka = [], {}
                for r in rs:
                    ind = int(r["indikator_seed"]) if r["indikator_seed"] else None
                    s = {"soal_id": int(r["soal_id"]), "baris_excel": int(r["baris_excel"]),
                         "jenis": JENIS[r["jenis_jawaban"].upper()]}
                    if r["macam"] == "angka":
                        n_angka[r["kode"]] = n_angka.get(r["kode"], 0) + 1
                        s.update(kode=f"{r['kode']}.{n_angka[r['kode']]}", macam="angka",
                                 teks=r["label_angka"], isian_label=r["isian_seed"]
                                 or r["label_angka"], indikator_ke=ind)
                    else:
                        s.update(kode=r["kode"], teks=texts[ind - 1] if ind else "")
                        if ind:
                            s["indikator_ke"] = ind
                    soal.append(s)
                kode_kom = f"{bk}.{a['area']}.{k['nomor']}"
                kom = {"nomor": k["nomor"], "nama": nama,
                       "bobot": _str(rs[0]["bobot_komponen"]), "soal": soal}
                if kode_kom in RUMUS:
                    by_id = {s["soal_id"]: s["kode"] for s in soal}
                    kom["rumus"] = [{"nama": n, "jenis": j, "atas": [by_id[i] for i in at],
                                     "bawah": [by_id[i] for i in bw]}
                                    for n, j, at, bw in RUMUS[kode_kom]]
                komponen.append(kom)
            areas.append({"area": a["area"], "nama": a["nama"], "bobot": a["bobot"],
                          "komponen": komponen})
        out["bagian"].append({"kode": bk, "bagian": bagian, "areas": areas})
    hasil = {r["kode"]: r for r in rows if r["macam"] == "hasil"}
    out["bagian"].append({"kode": "C", "bagian": "hasil", "areas": [
        {"area": a["area"], "nama": a["nama"], "bobot": a["bobot"], "komponen": [
            {"nomor": n, "nama": nama, "bobot": _str(hasil[kode]["bobot_komponen"]), "soal": [{
                "kode": kode, "macam": "hasil", "soal_id": int(hasil[kode]["soal_id"]),
                "baris_excel": int(hasil[kode]["baris_excel"]),
                "jenis": JENIS[hasil[kode]["jenis_jawaban"].upper()],
                "teks": hasil[kode]["label_angka"]}]}
            for n, nama, kode in a["komponen"]]} for a in HASIL]})
    kriteria = []
    for kr in old["kriteria"]:
        kr = dict(kr)
        if kr.get("kode"):
            kr["kode"] = {"C.1": "C.I", "C.1.1": "C.I.1", "C.1.2": "C.I.2",
                          "C.2.1": "C.II.1"}[kr["kode"]]
        kriteria.append(kr)
    out["kriteria"] = kriteria
    head = (
        "# The LKE ZI master data, seeded by `python manage.py siapkan_lke --tahun YYYY`.\n"
        "# Generated by lke/data/sumber/buat_lke_yaml.py from PortalRB's 2026 master list\n"
        "# (portalrb-2026.csv: soal_id, kode, answer types, komponen weights, workbook rows)\n"
        "# and the seed plan's indikator texts (the questions' wording); thresholds and value\n"
        "# maps from ../shared/lke.md. Everything here is data: the Admin edits it per year.\n"
        "# soal_id are PortalRB's from `portalrb_sejak` on; earlier years carry none.\n")
    sys.stdout.write(head + yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=100))


if __name__ == "__main__":
    main(sys.argv[1])
