"""Every URL pattern, walked as anonymous, as each role of the unit and as another unit's
Sekretaris, with the expected status for each: no view escapes the permission module.
A new URL pattern fails this test until it is added to the table below."""

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from bukti_dukung import services
from bukti_dukung.models import Berkas
from evaluasi.models import LheTertanda, TemplatCatatan
from laporan.models import JenisProses, Laporan, LaporanTertanda, Proses, StatusProses
from lke.models import SoalLke
from rencana_aksi.models import BuktiDukung, RencanaAksi
from tests.bukti_dukung.conftest import berkas, pdf_bytes
from tests.evaluasi.conftest import buat_putaran

ROLES = ["anon", "admin", "sekretaris", "anggota1", "kepaladinas", "tpi", "luar"]
# luar: the Sekretaris of another unit (Dinas Kesehatan)
LOGIN = 302  # anonymous: to the sign-in page


def _semua(names):
    """URL names of the app (not the Django admin, which has its own staff check)."""
    out = []

    def walk(pats, ns=None):
        for p in pats:
            if isinstance(p, URLResolver):
                if p.app_name == "admin":
                    continue
                walk(p.url_patterns, p.namespace or ns)
            elif isinstance(p, URLPattern) and p.name:
                out.append(f"{ns}:{p.name}" if ns else p.name)
    walk(get_resolver().url_patterns)
    return out


@pytest.fixture
def obj(rk_dinsos, users, settings, monkeypatch):
    """One of each object the URLs point at, all of Dinas Sosial."""
    monkeypatch.setattr("laporan.cetak.pdf_dari_html", lambda html: b"%PDF-1.4 uji")
    ra = RencanaAksi.objects.milik_unit(rk_dinsos.unit).get(
        teks="Pembentukan Tim Kerja ZI dalam unit kerja")
    bd = BuktiDukung.objects.filter(rencana_aksi=ra).first()
    p = services.unggah_bukti(bukti_dukung=bd, user=users["anggota1"], bulan=ra.bulan_list()[0],
                              files=[berkas("sk.pdf", pdf_bytes("sk"))]).pengajuan
    lap = Laporan.objects.create(rencana_kerja=rk_dinsos, semester=1)
    tt = LaporanTertanda(laporan=lap, nomor=1, sha256="a" * 64, ukuran=12, halaman=1,
                         kode_verifikasi="ZI-UJI1-UJI1", ditandatangani_oleh=users["kepaladinas"],
                         nama_penandatangan="Kepala", ditandatangani_pada=timezone.now())
    tt.berkas.save("uji.pdf", ContentFile(b"%PDF-1.4 uji"), save=False)
    tt.save()
    proses = Proses(jenis=JenisProses.BUNDEL_BUKTI, status=StatusProses.SELESAI, rencana_kerja=rk_dinsos,
                  dibuat_oleh=users["sekretaris"], nama_berkas="bukti.zip", ukuran=4)
    proses.berkas.save("bukti.zip", ContentFile(b"PK\x05\x06"), save=False)
    proses.save()
    putaran = buat_putaran(units=[rk_dinsos.unit], tpi=users["tpi"])  # the TPI evaluates Dinas Sosial
    lhe = LheTertanda(peserta=putaran.peserta.get(), nomor=1, sha256="b" * 64, ukuran=12,
                      halaman=1, kode_verifikasi="ZI-LHE1-UJI1", ditandatangani_oleh=users["tpi"],
                      nama_penandatangan="Ketua TPI", ditandatangani_pada=timezone.now())
    lhe.berkas.save("uji.pdf", ContentFile(b"%PDF-1.4 uji"), save=False)
    lhe.save()
    templat = TemplatCatatan.objects.create(judul="SK", teks="Perbarui SK.", pemilik=users["tpi"])
    return {"proses": proses.pk, "templat": templat.pk,
            "ra": ra.pk, "komponen": ra.indikator.komponen_id, "indikator": ra.indikator_id,
            "bd": bd.pk, "pengajuan": p.pk, "berkas": Berkas.objects.get(pengajuan=p).pk,
            "tertanda": tt.pk, "unit_id": rk_dinsos.unit_id, "anggota1": users["anggota1"].pk,
            "soal": SoalLke.objects.get(komponen__area__lke__tahun=2024, kode="A.I.1.a").pk}


K = {"kode": "dinsos-mojokerto", "tahun": 2024}
S1 = {**K, "semester": 1}


def _s(default, **kw):
    """Expected status per role: `default` for the unit's roles unless given."""
    exp = {r: default for r in ROLES}
    exp.update({"anon": LOGIN, "luar": 404})
    exp.update(kw)
    return exp


# name: (kwargs, method, {role: status}). GET unless the view only takes POST; for POST views
# the request carries no form, so 400/409/302 mean "allowed, and the empty input refused or
# sent back", 403/404 "refused". The unit's settings and public page are the Sekretaris's.
TABEL = {
    # each role's home: the Admin to the regency overview, a member to Tugas saya
    "beranda": ({}, "get", _s(200, anon=LOGIN, admin=302, anggota1=302, luar=200)),
    "navigasi": ({}, "get", _s(200, luar=200)),
    "rencana_aksi:daftar": ({}, "get", _s(302, anon=LOGIN, admin=200, tpi=200, luar=302)),
    "login": ({}, "get", _s(200, anon=200, luar=200)),
    "logout": ({}, "post", _s(302, anon=302, luar=302)),
    "rencana_aksi:rencana": (K, "get", _s(200)),
    "rencana_aksi:pendahuluan": (K, "get", _s(200)),
    "rencana_aksi:pendahuluan_ubah": (K, "get", _s(403, admin=200, sekretaris=200)),
    "rencana_aksi:ekspor_xlsx": (K, "get", _s(200)),
    "rencana_aksi:ekspor_json": (K, "get", _s(200)),
    "rencana_aksi:impor": (K, "get", _s(403, admin=200, sekretaris=200)),
    "rencana_aksi:rencana_aksi_ubah": ({"pk": "ra"}, "get", _s(403, admin=200, sekretaris=200)),
    "rencana_aksi:salin": (K, "get", _s(403, admin=200, sekretaris=200)),
    "rencana_aksi:templat_xlsx": ({}, "get", _s(200, luar=200)),
    "rencana_aksi:komponen_ubah": ({"pk": "komponen"}, "get", _s(403, admin=200, sekretaris=200)),
    "rencana_aksi:indikator_tambah": ({"pk": "komponen"}, "get",
                                      _s(403, admin=200, sekretaris=200)),
    "rencana_aksi:rencana_aksi_hapus": ({"pk": "ra"}, "post", _s(403, admin=409, sekretaris=409)),
    "rencana_aksi:indikator_ubah": ({"pk": "indikator"}, "get", _s(403, admin=200, sekretaris=200)),
    "rencana_aksi:rencana_aksi_tambah": ({"pk": "indikator"}, "get",
                                         _s(403, admin=200, sekretaris=200)),
    "bukti_dukung:tugas_saya": ({}, "get", _s(200, luar=200)),
    "bukti_dukung:rencana_aksi": ({"pk": "ra"}, "get", _s(200)),
    "bukti_dukung:unggah": ({"pk": "bd"}, "post", _s(403, sekretaris=302, anggota1=302)),
    "bukti_dukung:unduh": ({"pk": "berkas"}, "get", _s(200)),
    "bukti_dukung:lihat": ({"pk": "berkas"}, "get", _s(200)),
    "bukti_dukung:hapus": ({"pk": "berkas"}, "post", _s(403, sekretaris=302, anggota1=302)),
    "bukti_dukung:antrean": ({"kode": "dinsos-mojokerto"}, "get", _s(403, sekretaris=200)),
    "bukti_dukung:setujui_terpilih": ({"kode": "dinsos-mojokerto"}, "post",
                                      _s(403, sekretaris=302)),
    "bukti_dukung:tinjau": ({"pk": "pengajuan"}, "post", _s(403, sekretaris=400)),
    "bukti_dukung:log": ({"kode": "dinsos-mojokerto"}, "get", _s(403, sekretaris=200, admin=200)),
    "bukti_dukung:log_csv": ({"kode": "dinsos-mojokerto"}, "get", _s(403, sekretaris=200, admin=200)),
    "bukti_dukung:pengaturan_unit": ({"kode": "dinsos-mojokerto"}, "post",
                                     _s(403, sekretaris=302)),
    "bukti_dukung:isian_simpan": ({"pk": "indikator"}, "post", _s(403, sekretaris=302, anggota1=302)),
    "progres:dasbor": (K, "get", _s(200, anggota1=403)),
    "progres:kebutuhan": (K, "get", _s(200, anggota1=403)),
    "progres:linimasa": (K, "get", _s(200, anggota1=403)),
    "progres:wilayah": ({"tahun": 2024}, "get", _s(403, admin=200, tpi=200, luar=403)),
    "progres:publik": (K, "get", _s(404, anon=404, luar=404)),
    "progres:atur_publik": ({"kode": "dinsos-mojokerto"}, "post", _s(403, sekretaris=302)),
    "organisasi:profil": ({}, "get", _s(200, luar=200)),
    # the unit's people: its Sekretaris and the Admin (tests/organisasi/test_anggota.py)
    "organisasi:anggota": ({"kode": "dinsos-mojokerto"}, "get", _s(403, admin=200, sekretaris=200)),
    "organisasi:undang": ({"kode": "dinsos-mojokerto"}, "get", _s(403, admin=200, sekretaris=200)),
    "organisasi:ubah_anggota": ({"kode": "dinsos-mojokerto", "user_id": "anggota1"}, "get",
                                _s(403, admin=200, sekretaris=200)),
    "organisasi:nonaktifkan": ({"kode": "dinsos-mojokerto", "user_id": "anggota1"}, "get",
                               _s(403, admin=200, sekretaris=200)),
    # the password reset (Django's views): open to everyone
    "password_reset": ({}, "get", _s(200, anon=200, luar=200)),
    "password_reset_done": ({}, "get", _s(200, anon=200, luar=200)),
    "password_reset_confirm": ({"uidb64": "MQ", "token": "rusak"}, "get",
                               _s(200, anon=200, luar=200)),
    "password_reset_complete": ({}, "get", _s(200, anon=200, luar=200)),
    "laporan:daftar_laporan": (K, "get", _s(200, anggota1=403)),
    "laporan:laporan_semester": (S1, "get", _s(200, anggota1=403)),
    "laporan:pratinjau_laporan": (S1, "get", _s(200, anggota1=403)),
    "laporan:pdf_draf": (S1, "get", _s(200, anggota1=403)),
    "laporan:atur_logo": (K, "post", _s(403, sekretaris=302)),
    "laporan:logo": (K, "get", _s(404)),  # no logo uploaded
    "laporan:status_xlsx": (K, "get", _s(200, anggota1=403)),
    "laporan:bundel_bukti": (K, "get", _s(200, anggota1=403)),
    "laporan:unduh_tertanda": ({"pk": "tertanda"}, "get", _s(200, anggota1=403)),
    "laporan:proses": ({"pk": "proses"}, "get", _s(200, anggota1=403)),
    "laporan:unduh_proses": ({"pk": "proses"}, "get", _s(200, anggota1=403)),
    # a finished task cannot be redone: refused with a message on its page
    "laporan:ulangi_proses": ({"pk": "proses"}, "post", _s(302, anggota1=403)),
    "laporan:batalkan_proses": ({"pk": "proses"}, "post", _s(302, anggota1=403)),
    "laporan:verifikasi": ({}, "get", _s(200, anon=200, luar=200)),
    "laporan:verifikasi_kode": ({"kode": "ZI-UJI1-UJI1"}, "get", _s(200, anon=200, luar=200)),
    "lke:lke": (K, "get", _s(200)),
    "lke:jawab": ({**K, "pk": "soal"}, "post", _s(403, sekretaris=400, anggota1=400, tpi=400)),
    "lke:tautan": (K, "get", _s(200)),
    "lke:xlsx": (K, "get", _s(200)),
    "lke:siapkan": (K, "post", _s(403, admin=302)),
    "lke:lembar_kerja_unduh": (K, "get", _s(200)),
    # the Sekretaris (unit columns) and the TPI (TPI columns); the Admin uses impor_lke
    "lke:lembar_kerja_impor": (K, "get", _s(403, sekretaris=200, tpi=200)),
    # PortalRB: a Bearer token, never a session (tests/lke/test_api.py covers tokens)
    "portalrb:unit_wbk": ({}, "get", {r: 401 for r in ROLES}),
    "portalrb:unit_wbbm": ({}, "get", {r: 401 for r in ROLES}),
    "portalrb:jawaban_unit": ({"unit_id": "unit_id"}, "get", {r: 401 for r in ROLES}),
    "portalrb:bukti": ({"nilai": "rusak"}, "get", {r: 404 for r in ROLES}),
    # the Admin's proposals to PortalRB with each unit's forecast
    "lke:pengusulan": ({}, "get", _s(403, admin=200, luar=403)),
    # the TPI evaluation round (tests/evaluasi/test_akses.py): the Admin runs it, the
    # assigned TPI and the unit's roles see the unit's place, its Sekretaris submits
    "evaluasi:beranda": ({}, "get", _s(200, admin=302, tpi=302, luar=200)),
    "evaluasi:saya": ({}, "get", _s(403, tpi=200, luar=403)),
    "evaluasi:daftar": ({}, "get", _s(403, admin=200, luar=403)),
    "evaluasi:buat": ({}, "get", _s(403, admin=200, luar=403)),
    "evaluasi:salin": ({}, "post", _s(403, admin=400, luar=403)),
    "evaluasi:putaran": ({"tahun": 2024}, "get", _s(403, admin=200, luar=403)),
    "evaluasi:ubah": ({"tahun": 2024}, "get", _s(403, admin=200, luar=403)),
    "evaluasi:rekap": ({"tahun": 2024}, "get", _s(403, admin=200, tpi=200, luar=403)),
    "evaluasi:rekap_xlsx": ({"tahun": 2024}, "get", _s(403, admin=200, tpi=200, luar=403)),
    "evaluasi:peserta": (K, "get", _s(200)),
    "evaluasi:penugasan": (K, "get", _s(403, admin=200)),
    "evaluasi:perpanjang": (K, "get", _s(403, admin=200)),
    "evaluasi:ajukan": (K, "get", _s(403, sekretaris=200)),
    "evaluasi:salinan": (K, "get", _s(200)),
    "evaluasi:banding": (K, "get", _s(200)),
    # the send-back loop (tests/evaluasi/test_pengembalian.py): the assigned TPI sends
    # back and re-checks; every role of the unit sees its list
    "evaluasi:kembalikan": (K, "get", _s(403, tpi=200)),
    "evaluasi:dikembalikan": (K, "get", _s(200)),
    "evaluasi:periksa_ulang": (K, "get", _s(403, admin=200, tpi=200)),
    # the LHE (tests/evaluasi/test_lhe.py): the ketua TPI writes and signs, the assigned TPI
    # and the Admin read the draft, the unit's Sekretaris and Kepala Dinas the signed PDF
    "evaluasi:lhe": (K, "get", _s(403, admin=200, tpi=200)),
    "evaluasi:lhe_pratinjau": (K, "get", _s(403, admin=200, tpi=200)),
    "evaluasi:lhe_draf": (K, "get", _s(403, admin=200, tpi=200)),
    "evaluasi:lhe_tandatangani": (K, "post", _s(403, tpi=400)),
    "evaluasi:lhe_unduh": ({**K, "nomor": 1}, "get",
                           _s(200, anggota1=403)),
    "evaluasi:templat": ({}, "get", _s(403, tpi=200, luar=403)),
    "evaluasi:hapus_templat": ({"pk": "templat"}, "post", _s(403, tpi=302, luar=403)),
}


def test_tabel_memuat_setiap_url():
    assert sorted(_semua(None)) == sorted(TABEL)


@pytest.mark.parametrize("role", ROLES)
def test_setiap_url_setiap_peran(role, obj, client, users, dinkes):
    user = {"luar": users["sekretaris2"]}.get(role) or users.get(role)
    if user:
        client.force_login(user)
    salah = []
    # signing out last: it ends the session the other requests use
    for name, (kw, method, exp) in sorted(TABEL.items(), key=lambda t: t[0] == "logout"):
        args = {k: obj.get(v, v) if isinstance(v, str) else v for k, v in kw.items()}
        url = reverse(name, kwargs=args)
        r = getattr(client, method)(url)
        if r.status_code != exp[role]:
            salah.append(f"{method.upper()} {url} ({name}): {r.status_code}, expected {exp[role]}")
        if role == "anon" and exp[role] == LOGIN and r.status_code == 302:
            assert r["Location"].startswith("/masuk/"), url
    assert salah == [], "\n".join(salah)
