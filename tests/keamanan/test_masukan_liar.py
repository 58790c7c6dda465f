"""Hostile input to every URL pattern: unicode digits, 1e999, NaN, 5,000 characters, NUL,
script tags, traversal strings, several values for one field, and nothing at all, in the
query string and in a POST, as every role, another unit's Sekretaris and anonymous. No answer may
be a 500, and a refusal speaks Indonesian (never Django's bare English 400)."""

import pytest
from django.urls import reverse

from .test_setiap_url import TABEL, obj  # noqa: F401  (the objects the URLs point at)

NILAI = ["²", "١٢", "1e999", "NaN", "-1", "x" * 5000, "a\x00b", "<script>alert(1)</script>",
         "../../../etc/passwd", ["1", "2"]]
# every field name a view reads (forms and the rest), plus the form-level ones
KUNCI = ["aksi", "anggota", "area", "bulan", "catatan", "halaman", "halaman_publik", "hapus",
         "isian", "jawaban", "jenis", "keterangan_pencanangan", "kode", "next", "pengguna",
         "perlu_atur", "pic", "pilih", "q", "ra", "ringkasan", "sisi", "tahun",
         "tanggal_pencanangan", "unggah_hanya_pic", "unit", "urut", "versi", "indikator", "soal",
         "status", "semester", "nip", "teks", "target_waktu", "kategori", "afirmasi", "unduh",
         "kosongkan", "berkas", "nilai", "komentar", "keputusan", "tindak_lanjut", "kendala"]
LEWATI = {"logout"}  # ends the session the other requests use


def _data(v):
    return {k: v for k in KUNCI}


@pytest.mark.parametrize("role", ["sekretaris", "admin", "tpi", "anggota1", "kepaladinas", "luar",
                                  "anon"])
def test_tidak_ada_500_dan_pesan_indonesia(role, obj, client, users):  # noqa: F811
    user = {"luar": users["sekretaris2"], "anon": None}.get(role, users.get(role))
    if user:
        client.force_login(user)
    client.raise_request_exception = False
    salah = []
    for name, (kw, method, _exp) in sorted(TABEL.items()):
        if name in LEWATI:
            continue
        url = reverse(name, kwargs={k: obj.get(v, v) if isinstance(v, str) else v
                                    for k, v in kw.items()})
        for v in NILAI:
            for metode in {"get", method}:
                r = getattr(client, metode)(url, _data(v))
                if r.status_code >= 500:
                    salah.append(f"{metode.upper()} {url} ({name}) {str(v)[:20]!r}: {r.status_code}")
                elif r.status_code == 400 and b"<h1>Bad Request (400)</h1>" in r.content:
                    salah.append(f"{metode.upper()} {url} ({name}) {str(v)[:20]!r}: English 400")
    assert salah == [], "\n".join(salah[:40])


def test_setiap_view_membaca_lewat_form():
    """No view reads request.GET / request.POST by hand ("²".isdigit() is True): every
    value goes through a Django form (membership tests such as `"x" in request.POST`,
    which only choose the form, are fine)."""
    import re
    from pathlib import Path

    akar = Path(__file__).resolve().parents[2]
    pola = re.compile(r"request\.(GET|POST)(\.get\(|\.getlist\(|\[)")
    salah = [f"{p.relative_to(akar)}:{i}" for app in ("rencana_aksi", "bukti_dukung", "laporan",
                                                      "lke", "zona_integritas")
             for p in (akar / app).rglob("*.py") if "migrations" not in p.parts
             for i, baris in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
             if pola.search(baris)]
    assert salah == []
