"""Forgotten password: Django's reset views, in Indonesian, with our e-mail."""

import re
from urllib.parse import urlparse

from django.core import mail
from django.urls import reverse

LUPA = reverse("password_reset")


def tautan(pesan):
    return urlparse(re.search(r"https?://\S+/atur-sandi/\S+/", pesan.body).group(0)).path


def test_lupa_sandi_sampai_masuk(client, users):
    r = client.get(LUPA)
    assert r.status_code == 200 and "Lupa kata sandi" in r.content.decode()
    r = client.post(LUPA, {"email": "ANGGOTA1@contoh.go.id"})
    assert r.status_code == 302 and r["Location"] == reverse("password_reset_done")
    assert "Periksa e-mail Anda" in client.get(r["Location"]).content.decode()
    [pesan] = mail.outbox
    assert pesan.to == ["anggota1@contoh.go.id"]
    assert pesan.subject == "Atur ulang kata sandi Zona Integritas"
    assert "anggota1" in pesan.body and "Yth. Anggota Tim ZI Satu" in pesan.body

    r = client.get(tautan(pesan), follow=True)
    html = r.content.decode()
    assert "Atur kata sandi" in html and "Kata sandi baru" in html
    r = client.post(r.redirect_chain[-1][0], {"new_password1": "Sandi-Baru-Mojokerto-9",
                                              "new_password2": "Sandi-Baru-Mojokerto-9"}, follow=True)
    assert "Kata sandi tersimpan" in r.content.decode()
    assert client.post(reverse("login"), {"username": "anggota1",
                                          "password": "Sandi-Baru-Mojokerto-9"}).status_code == 302


def test_sandi_lemah_ditolak_dalam_bahasa_indonesia(client, users):
    client.post(LUPA, {"email": "anggota1@contoh.go.id"})
    r = client.get(tautan(mail.outbox[0]), follow=True)
    r = client.post(r.redirect_chain[-1][0], {"new_password1": "12345678", "new_password2": "12345678"})
    assert r.status_code == 200
    assert "terlalu umum" in r.content.decode()


def test_alamat_tak_dikenal_tanpa_email(client, db):
    r = client.post(LUPA, {"email": "siapa@entah.go.id"})
    assert r.status_code == 302 and mail.outbox == []  # the same answer: nothing leaks


def test_akun_nonaktif_tanpa_email(client, users):
    users["anggota1"].is_active = False
    users["anggota1"].save()
    client.post(LUPA, {"email": "anggota1@contoh.go.id"})
    assert mail.outbox == []


def test_undangan_yang_hilang_dapat_diminta_ulang(client, users):
    """An invited member who never set a password gets the link through this form too."""
    users["anggota1"].set_unusable_password()
    users["anggota1"].save()
    client.post(LUPA, {"email": "anggota1@contoh.go.id"})
    assert len(mail.outbox) == 1


def test_tautan_rusak(client, db):
    r = client.get(reverse("password_reset_confirm", args=["MQ", "rusak-rusak"]))
    assert r.status_code == 200 and "Tautan tidak berlaku" in r.content.decode()


def test_masukan_liar(client, db):
    for email in ["bukan-email", "a@b.go.id\x00", "a" * 300 + "@contoh.go.id"]:
        r = client.post(LUPA, {"email": email})
        assert r.status_code == 200 and "invalid-feedback" in r.content.decode()
    assert mail.outbox == []


def test_dibatasi_per_alamat(client, db):
    for _ in range(10):
        assert client.post(LUPA, {"email": "siapa@entah.go.id"}).status_code == 302
    assert client.post(LUPA, {"email": "siapa@entah.go.id"}).status_code == 403
