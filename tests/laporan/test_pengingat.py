"""Daily reminders: who gets what, never twice a day, and the opt-out."""

import io
import smtplib

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from organisasi.models import PreferensiPengguna
from progres.management.commands import kirim_pengingat


def _run():
    call_command("kirim_pengingat", tahun=2024, stdout=io.StringIO())


def test_members_and_sekretaris_get_their_reminders_once_a_day(rk_dinsos, users):
    _run()
    to = {m.to[0]: m for m in mail.outbox}
    # demo users have e-mail addresses; anggota3 has no assigned items in the dinkes plan
    assert set(to) == {"anggota1@contoh.go.id", "anggota2@contoh.go.id",
                       "sekretaris@contoh.go.id", "sekretaris2@contoh.go.id"}
    body = to["anggota1@contoh.go.id"].body
    assert "[TERLAMBAT] SK Tim Kerja ZI (02/2024)" in body  # anggota1 is PIC of Tim Kerja
    assert "Dinas Sosial Kabupaten Mojokerto" in body and "Tugas saya" in body
    assert "Terlambat:" in to["sekretaris@contoh.go.id"].body
    assert "Menunggu tinjauan Anda: 0" in to["sekretaris@contoh.go.id"].body
    n = len(mail.outbox)
    _run()  # the same day again: nothing new
    assert len(mail.outbox) == n


def test_opt_out_in_the_profile(rk_dinsos, users):
    c = Client()
    c.force_login(users["anggota1"])
    resp = c.post(reverse("organisasi:profil"), {"email": "satu@contoh.go.id"})
    assert resp.status_code == 302
    assert not PreferensiPengguna.objects.get(user=users["anggota1"]).terima_pengingat
    _run()
    assert all("satu@contoh.go.id" not in m.to for m in mail.outbox)
    resp = c.post(reverse("organisasi:profil"), {"email": "bukan-email"})
    assert resp.status_code == 400 and "Masukkan alamat email yang valid" in resp.content.decode()


def test_mail_server_refusing_loses_nothing(rk_dinsos, users, monkeypatch):
    """A mail the server refuses is not marked sent: the others go, the command says so,
    and the next run sends it."""
    asli = kirim_pengingat.send_mail

    def tolak_anggota1(subject, body, sender, to, **kw):
        if to == ["anggota1@contoh.go.id"]:
            raise smtplib.SMTPRecipientsRefused({to[0]: (550, b"mailbox full")})
        return asli(subject, body, sender, to, **kw)

    monkeypatch.setattr(kirim_pengingat, "send_mail", tolak_anggota1)
    with pytest.raises(CommandError, match="1 e-mail gagal dikirim"):
        _run()
    assert "anggota1@contoh.go.id" not in {m.to[0] for m in mail.outbox}
    assert "sekretaris@contoh.go.id" in {m.to[0] for m in mail.outbox}
    monkeypatch.setattr(kirim_pengingat, "send_mail", asli)
    mail.outbox.clear()
    _run()
    assert [m.to[0] for m in mail.outbox] == ["anggota1@contoh.go.id"]
