"""Sign-in: the attempts left before the lockout (as django-axes counts them), and a
lockout page that speaks Indonesian."""

import pytest
from django.urls import reverse

MASUK = reverse("login")


def gagal(client, n, username="anggota1"):
    for _ in range(n):
        r = client.post(MASUK, {"username": username, "password": "salah-sekali"})
    return r


@pytest.mark.parametrize("n, sisa", [(1, 4), (3, 2), (4, 1)])
def test_sisa_percobaan(client, users, n, sisa):
    r = gagal(client, n)
    assert r.status_code == 200
    assert (f"Nama pengguna atau kata sandi salah. Sisa {sisa} percobaan sebelum akun "
            f"dikunci selama 15 menit.") in r.content.decode()


def test_nama_tak_dikenal_juga_dihitung(client, db):
    r = gagal(client, 2, username="tidak-ada")
    assert "Sisa 3 percobaan" in r.content.decode()


def test_hitungan_per_nama_pengguna(client, users):
    gagal(client, 3, username="anggota2")
    assert "Sisa 4 percobaan" in gagal(client, 1).content.decode()


def test_berhasil_mengatur_ulang_hitungan(client, users):
    gagal(client, 3)
    assert client.post(MASUK, {"username": "anggota1", "password": "demo12345"}).status_code == 302
    client.logout()
    assert "Sisa 4 percobaan" in gagal(client, 1).content.decode()


def test_halaman_terkunci_berbahasa_indonesia(client, users):
    r = gagal(client, 5)
    assert r.status_code == 429
    html = r.content.decode()
    assert "Terlalu banyak percobaan masuk" in html and "Coba lagi setelah 15 menit" in html
    assert "Keamanan masuk › Upaya akses" in html
    for inggris in ["Access", "attempt", "locked", "Account", "try again"]:
        assert inggris not in html
    # locked: even the right password waits
    r = client.post(MASUK, {"username": "anggota1", "password": "demo12345"})
    assert r.status_code == 429


def test_halaman_masuk_menautkan_lupa_sandi(client, db):
    html = client.get(MASUK).content.decode()
    assert "Lupa kata sandi?" in html and reverse("password_reset") in html
