"""The people of a unit outside the Django admin: list, invite by e-mail, roles,
deactivation; who may do it, and what hostile input gets."""

import re
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisasi.models import Keanggotaan, Peran
from tests.factories import KeanggotaanFactory

User = get_user_model()
KODE = "dinsos-mojokerto"
DAFTAR = reverse("organisasi:anggota", args=[KODE])
UNDANG = reverse("organisasi:undang", args=[KODE])


def ubah(user, kode=KODE):
    return reverse("organisasi:ubah_anggota", args=[kode, user.pk])


def nonaktifkan(user, kode=KODE):
    return reverse("organisasi:nonaktifkan", args=[kode, user.pk])


def peran(user, unit):
    return set(Keanggotaan.objects.filter(user=user, unit=unit).values_list("peran", flat=True))


def tautan(pesan):
    return urlparse(re.search(r"https?://\S+/atur-sandi/\S+/", pesan.body).group(0)).path


# --- the list ----------------------------------------------------------------------------

def test_daftar_anggota_dengan_peran_dan_status(client_as, users):
    users["anggota2"].set_unusable_password()
    users["anggota2"].save()
    r = client_as("sekretaris").get(DAFTAR)
    assert r.status_code == 200
    html = r.content.decode()
    for nama in ["Anggota Tim ZI Satu", "Kepala Dinas Sosial", "Tim Penilai Internal Inspektorat"]:
        assert nama in html
    assert "Anggota Tim ZI Dinkes" not in html  # another unit's member
    assert "Sekretaris Tim ZI" in html and "Belum mengatur kata sandi" in html
    # the Sekretaris neither deactivates themselves nor the Kepala Dinas (the Admin's)
    assert nonaktifkan(users["anggota1"]) in html
    assert nonaktifkan(users["sekretaris"]) not in html
    assert nonaktifkan(users["kepaladinas"]) not in html


def test_daftar_tidak_bertambah_kueri(client_as, dinsos, django_assert_max_num_queries):
    c = client_as("sekretaris")
    with CaptureQueriesContext(connection) as q:
        assert c.get(DAFTAR).status_code == 200
    for _ in range(8):
        KeanggotaanFactory(unit=dinsos, peran=Peran.ANGGOTA)
        KeanggotaanFactory(unit=dinsos, peran=Peran.SEKRETARIS)
    with django_assert_max_num_queries(len(q.captured_queries)):
        r = c.get(DAFTAR)
    assert r.content.decode().count('data-testid="anggota"') == 5 + 16


def test_menu_lainnya_memuat_anggota_tim(client_as):
    r = client_as("sekretaris").get(reverse("rencana_aksi:rencana", args=[KODE, 2024]))
    assert DAFTAR in r.content.decode()
    r = client_as("anggota1").get(reverse("rencana_aksi:rencana", args=[KODE, 2024]))
    assert DAFTAR not in r.content.decode()


# --- who may ----------------------------------------------------------------------------

@pytest.mark.parametrize("username, status", [
    ("sekretaris", 200), ("admin", 200), ("anggota1", 403), ("kepaladinas", 403), ("tpi", 403),
    ("sekretaris2", 404),  # another unit's Sekretaris: nothing leaks
])
def test_siapa_boleh_mengelola(client_as, users, username, status):
    c = client_as(username)
    for url in [DAFTAR, UNDANG, ubah(users["anggota1"]), nonaktifkan(users["anggota1"])]:
        assert c.get(url).status_code == status, url


def test_sekretaris_unit_lain_tidak_dapat_mengubah(client_as, users, dinsos):
    c = client_as("sekretaris2")
    assert c.post(ubah(users["anggota1"]), {"peran": ["sekretaris"]}).status_code == 404
    assert c.post(nonaktifkan(users["anggota1"])).status_code == 404
    assert c.post(UNDANG, {"nama": "X", "email": "x@contoh.go.id",
                           "peran": ["anggota"]}).status_code == 404
    assert peran(users["anggota1"], dinsos) == {"anggota"}
    assert not User.objects.filter(email="x@contoh.go.id").exists()


def test_anonim_diarahkan_masuk(client):
    r = client.get(DAFTAR)
    assert r.status_code == 302 and r["Location"].startswith("/masuk/")


def test_admin_mengelola_setiap_unit(client_as, users, dinkes):
    c = client_as("admin")
    assert c.get(reverse("organisasi:anggota", args=["dinkes-mojokerto"])).status_code == 200
    r = c.post(ubah(users["anggota3"], "dinkes-mojokerto"), {"peran": ["anggota", "kepala_dinas"]})
    assert r.status_code == 302
    assert peran(users["anggota3"], dinkes) == {"anggota", "kepala_dinas"}


# --- invite -------------------------------------------------------------------------------

def test_undang_sampai_masuk(client_as, client, users, dinsos):
    r = client_as("sekretaris").post(UNDANG, {"nama": "  Budi   Santoso ", "email": "Budi.S@Contoh.GO.ID",
                                              "peran": ["anggota"]})
    assert r.status_code == 302 and r["Location"] == DAFTAR
    budi = User.objects.get(email="Budi.S@contoh.go.id")
    assert (budi.username, budi.first_name, budi.last_name) == ("budi.s", "Budi", "Santoso")
    assert not budi.has_usable_password() and budi.is_active
    assert peran(budi, dinsos) == {"anggota"}
    h = Keanggotaan.history.get(user=budi)
    assert (h.history_type, h.history_user) == ("+", users["sekretaris"])
    assert "Undangan dikirim ke Budi.S@contoh.go.id." in client.get(DAFTAR).content.decode()

    [pesan] = mail.outbox
    assert pesan.to == ["Budi.S@contoh.go.id"] and dinsos.nama in pesan.subject
    assert "budi.s" in pesan.body and "Anggota Tim ZI" in pesan.body

    client.logout()
    r = client.get(tautan(pesan), follow=True)
    assert r.status_code == 200 and "Atur kata sandi" in r.content.decode()
    r = client.post(r.redirect_chain[-1][0], {"new_password1": "Rahasia-Mojokerto-77",
                                              "new_password2": "Rahasia-Mojokerto-77"})
    assert r.status_code == 302 and r["Location"] == reverse("password_reset_complete")
    # the link is spent once used
    assert "Tautan tidak berlaku" in client.get(tautan(pesan), follow=True).content.decode()

    r = client.post(reverse("login"), {"username": "budi.s", "password": "Rahasia-Mojokerto-77"},
                    follow=True)
    assert r.context["user"] == budi
    assert dinsos.nama in r.content.decode()
    assert client.get(reverse("rencana_aksi:rencana", args=[KODE, 2024])).status_code == 200


def test_nama_pengguna_unik(client_as, users):
    users["anggota1"].username = "rina"
    users["anggota1"].save()
    c = client_as("sekretaris")
    c.post(UNDANG, {"nama": "Rina", "email": "rina@dinsos.go.id", "peran": ["anggota"]})
    c.post(UNDANG, {"nama": "Rina Dua", "email": "rina@lain.go.id", "peran": ["anggota"]})
    assert User.objects.get(email="rina@dinsos.go.id").username == "rina2"
    assert User.objects.get(email="rina@lain.go.id").username == "rina3"


def test_undang_email_yang_sudah_ada(client_as, users, dinsos, dinkes):
    jumlah = User.objects.count()
    r = client_as("sekretaris").post(UNDANG, {"nama": "Siapa Saja", "email": "ANGGOTA3@contoh.go.id",
                                              "peran": ["anggota", "sekretaris"]})
    assert r.status_code == 302
    assert User.objects.count() == jumlah  # no duplicate account
    a3 = users["anggota3"]
    assert peran(a3, dinsos) == {"anggota", "sekretaris"}
    assert peran(a3, dinkes) == {"anggota"}
    a3.refresh_from_db()
    assert a3.first_name == "Anggota"  # the invitation's name does not rename anyone
    [pesan] = mail.outbox
    assert pesan.to == ["anggota3@contoh.go.id"]
    assert "atur-sandi" not in pesan.body and "/masuk/" in pesan.body


def test_undang_ulang_yang_belum_mengatur_sandi(client_as, dinsos):
    c = client_as("sekretaris")
    data = {"nama": "Budi", "email": "budi@contoh.go.id", "peran": ["anggota"]}
    c.post(UNDANG, data)
    c.post(UNDANG, data)
    assert User.objects.filter(email="budi@contoh.go.id").count() == 1
    assert Keanggotaan.objects.filter(user__email="budi@contoh.go.id").count() == 1
    assert len(mail.outbox) == 2 and all("atur-sandi" in m.body for m in mail.outbox)


def test_sekretaris_tidak_mengangkat_kepala_dinas(client_as, users, dinsos):
    r = client_as("sekretaris").post(UNDANG, {"nama": "Bos", "email": "bos@contoh.go.id",
                                              "peran": ["kepala_dinas"]})
    assert r.status_code == 400
    assert not User.objects.filter(email="bos@contoh.go.id").exists() and not mail.outbox


def test_email_gagal_tidak_mengubah_apa_pun(client_as, monkeypatch):
    def gagal(*a, **kw):
        raise OSError("SMTP tidak terjangkau")
    monkeypatch.setattr("organisasi.services.send_mail", gagal)
    r = client_as("sekretaris").post(UNDANG, {"nama": "Budi", "email": "budi@contoh.go.id",
                                              "peran": ["anggota"]})
    assert r.status_code == 400 and "gagal dikirim" in r.content.decode()
    assert not User.objects.filter(email="budi@contoh.go.id").exists()


# --- roles --------------------------------------------------------------------------------

def test_atur_peran(client_as, users, dinsos):
    c = client_as("sekretaris")
    r = c.post(ubah(users["anggota1"]), {"peran": ["anggota", "sekretaris"]})
    assert r.status_code == 302
    assert peran(users["anggota1"], dinsos) == {"anggota", "sekretaris"}
    assert "Peran Anggota Tim ZI Satu disimpan." in c.get(DAFTAR).content.decode()
    r = c.post(ubah(users["anggota1"]), {"peran": ["sekretaris"]})
    assert peran(users["anggota1"], dinsos) == {"sekretaris"}
    riwayat = list(Keanggotaan.history.filter(user=users["anggota1"], unit=dinsos)
                   .values_list("peran", "history_type", "history_user__username"))
    assert ("anggota", "-", "sekretaris") in riwayat and ("sekretaris", "+", "sekretaris") in riwayat


def test_sekretaris_tidak_melepas_perannya_sendiri(client_as, users, dinsos):
    r = client_as("sekretaris").post(ubah(users["sekretaris"]), {"peran": ["anggota"]})
    assert r.status_code == 400
    assert "tidak dapat melepas peran Sekretaris Anda sendiri" in r.content.decode()
    assert peran(users["sekretaris"], dinsos) == {"sekretaris"}


def test_peran_admin_tetap_saat_sekretaris_mengatur(client_as, users, dinsos):
    """The TPI's role is the Admin's: the Sekretaris's form leaves it alone."""
    r = client_as("sekretaris").post(ubah(users["tpi"]), {"peran": ["anggota"]})
    assert r.status_code == 302
    assert peran(users["tpi"], dinsos) == {"tpi", "anggota"}
    r = client_as("sekretaris").post(ubah(users["tpi"]), {"peran": []})
    assert peran(users["tpi"], dinsos) == {"tpi"}


def test_peran_kosong_ditolak(client_as, users, dinsos):
    r = client_as("sekretaris").post(ubah(users["anggota1"]), {})
    assert r.status_code == 400 and "Untuk mengeluarkan anggota" in r.content.decode()
    assert peran(users["anggota1"], dinsos) == {"anggota"}


# --- deactivate ---------------------------------------------------------------------------

def test_nonaktifkan(client_as, client, users, dinsos):
    c = client_as("sekretaris")
    r = c.get(nonaktifkan(users["anggota1"]))
    assert r.status_code == 200 and "Ya, nonaktifkan" in r.content.decode()
    assert peran(users["anggota1"], dinsos) == {"anggota"}  # nothing before the confirmation
    r = c.post(nonaktifkan(users["anggota1"]))
    assert r.status_code == 302
    assert peran(users["anggota1"], dinsos) == set()
    h = Keanggotaan.history.filter(user=users["anggota1"]).latest()
    assert (h.history_type, h.history_user) == ("-", users["sekretaris"])
    a1 = User.objects.get(pk=users["anggota1"].pk)
    assert not a1.is_active  # no role anywhere: no sign-in
    assert "tidak lagi menjadi anggota" in c.get(DAFTAR).content.decode()

    client.logout()
    r = client.post(reverse("login"), {"username": "anggota1", "password": "demo12345"})
    assert r.status_code == 200 and r.context["user"].is_anonymous
    client.force_login(a1)  # a session from before: gone
    assert client.get(reverse("rencana_aksi:rencana", args=[KODE, 2024])).status_code == 302


def test_nonaktifkan_tetap_anggota_unit_lain(client_as, users, dinsos):
    a3 = users["anggota3"]
    client_as("admin").post(UNDANG, {"nama": "A3", "email": a3.email, "peran": ["anggota"]})
    client_as("sekretaris").post(nonaktifkan(a3))
    a3.refresh_from_db()
    assert a3.is_active and peran(a3, dinsos) == set()
    c = client_as("anggota3")
    assert c.get(reverse("rencana_aksi:rencana", args=[KODE, 2024])).status_code == 404
    assert c.get(reverse("rencana_aksi:rencana", args=["dinkes-mojokerto", 2024])).status_code == 200


def test_undang_lagi_mengaktifkan_kembali(client_as, users, dinsos):
    client_as("sekretaris").post(nonaktifkan(users["anggota1"]))
    client_as("sekretaris").post(UNDANG, {"nama": "A1", "email": "anggota1@contoh.go.id",
                                          "peran": ["anggota"]})
    a1 = User.objects.get(pk=users["anggota1"].pk)
    assert a1.is_active and peran(a1, dinsos) == {"anggota"}


@pytest.mark.parametrize("target", ["sekretaris", "kepaladinas"])
def test_sekretaris_tidak_menonaktifkan(client_as, users, dinsos, target):
    """Not themselves, nor a holder of a role only the Admin gives."""
    r = client_as("sekretaris").post(nonaktifkan(users[target]))
    assert r.status_code == 400
    assert peran(users[target], dinsos)


def test_admin_menonaktifkan_kepala_dinas(client_as, users, dinsos):
    assert client_as("admin").post(nonaktifkan(users["kepaladinas"])).status_code == 302
    assert peran(users["kepaladinas"], dinsos) == set()


# --- hostile input ------------------------------------------------------------------------

@pytest.mark.parametrize("data", [
    {"nama": "Budi", "email": "bukan-email", "peran": ["anggota"]},
    {"nama": "Budi", "email": "budi@contoh.go.id\x00", "peran": ["anggota"]},
    {"nama": "Bu\x00di", "email": "budi@contoh.go.id", "peran": ["anggota"]},
    {"nama": "   ", "email": "budi@contoh.go.id", "peran": ["anggota"]},
    {"nama": "Budi", "email": "budi@contoh.go.id", "peran": ["superuser"]},
    {"nama": "Budi", "email": "budi@contoh.go.id", "peran": ["admin"]},
    {"nama": "Budi", "email": "budi@contoh.go.id"},
    {"nama": "B" * 300, "email": "budi@contoh.go.id", "peran": ["anggota"]},
    {"nama": "Budi", "email": "a" * 300 + "@contoh.go.id", "peran": ["anggota"]},
])
def test_undang_masukan_liar(client_as, data):
    r = client_as("sekretaris").post(UNDANG, data)
    assert r.status_code == 400
    assert "invalid-feedback" in r.content.decode() or "alert" in r.content.decode()
    assert not User.objects.filter(email__icontains="budi@").exists() and not mail.outbox


@pytest.mark.parametrize("nilai", [["admin"], ["kepala_dinas"], ["x\x00"], ["anggota", "raja"]])
def test_atur_peran_masukan_liar(client_as, users, dinsos, nilai):
    r = client_as("sekretaris").post(ubah(users["anggota1"]), {"peran": nilai})
    assert r.status_code == 400
    assert peran(users["anggota1"], dinsos) == {"anggota"}


def test_anggota_unit_lain_lewat_url_unit_sendiri(client_as, users, dinkes):
    """Another unit's member through the Sekretaris's own unit: 404, nothing changes."""
    c = client_as("sekretaris")
    a3 = users["anggota3"]
    assert c.get(ubah(a3)).status_code == 404
    assert c.post(ubah(a3), {"peran": ["sekretaris"]}).status_code == 404
    assert c.post(nonaktifkan(a3)).status_code == 404
    assert c.get(f"/unit/{KODE}/anggota/99999999/").status_code == 404
    assert peran(a3, dinkes) == {"anggota"}
