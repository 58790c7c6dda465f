"""The round's daily digest: a window opening, a window closing in two days, questions
sent back, questions fixed; one mail per user per day, each notice once, the profile's
opt-out respected."""

import io
import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from evaluasi import pemberitahuan, services
from evaluasi.models import PenugasanTPI, PesertaEvaluasi
from evaluasi.pemberitahuan import kirim_harian
from lke.models import SoalLke
from organisasi.models import PreferensiPengguna

from .conftest import buat_putaran


def _kepada(nama, users):
    return [m for m in mail.outbox if m.to == [users[nama].email]]


@pytest.fixture
def hari():
    return timezone.localdate()


def test_jendela_dibuka_dan_hampir_ditutup(dinsos, users, hari):
    buat_putaran(units=[dinsos], tpi=users["tpi"], mulai=hari)  # self-assessment opens today
    assert kirim_harian(hari) == (1, 0)
    [m] = _kepada("sekretaris", users)  # the unit's step: its Sekretaris
    assert "Penilaian mandiri unit Dinas Sosial Kabupaten Mojokerto" in m.body
    assert "dibuka hari ini" in m.body and m.subject.endswith("1 pemberitahuan")
    assert not _kepada("tpi", users) and not _kepada("anggota1", users)
    assert kirim_harian(hari) == (0, 0)  # once
    # two days before its last day (the window lasts 10 days: day 0-9)
    mail.outbox.clear()
    assert kirim_harian(hari + timedelta(days=7)) == (1, 0)
    assert "ditutup 2 hari lagi" in _kepada("sekretaris", users)[0].body


def test_soal_dikembalikan_dan_diperbaiki_dalam_satu_ringkasan(dinsos, users, hari):
    # every step open today: submit, send back two, fix one
    p = buat_putaran(units=[dinsos], tpi=users["tpi"], mulai=hari - timedelta(days=1),
                     evaluasi_mulai=hari - timedelta(days=1), perbaikan_mulai=hari - timedelta(days=1),
                     pemeriksaan_mulai=hari - timedelta(days=1))
    for lg in ("mandiri", "evaluasi", "perbaikan", "pemeriksaan"):
        setattr(p, f"{lg}_selesai", hari + timedelta(days=20))
    p.save()
    ps = p.peserta.get()
    services.ajukan_penilaian(peserta=ps, user=users["sekretaris"])
    soal = list(SoalLke.objects.filter(komponen__area__lke__tahun=2024,
                                       kode__in=["A.I.1.a", "A.I.2.a"]).order_by("kode"))
    kembali = [services.kembalikan_soal(peserta=ps, soal=s, alasan=f"Alasan {s.kode}",
                                        oleh=users["tpi"]) for s in soal]
    services.tandai_diperbaiki(pengembalian=kembali[0], catatan="Sudah diunggah ulang",
                               oleh=users["sekretaris"])
    PreferensiPengguna.objects.update_or_create(user=users["anggota2"],
                                                defaults={"terima_pengingat": False})
    kirim_harian(hari)
    # the unit: one mail with both send-backs (the member who opted out gets none)
    [m] = _kepada("anggota1", users)
    assert "Soal A.I.1.a dikembalikan TPI" in m.body and "Alasan A.I.2.a" in m.body
    assert not _kepada("anggota2", users)
    # the TPI: the fixed question
    [t] = _kepada("tpi", users)
    assert "Soal A.I.1.a sudah diperbaiki" in t.body and "Sudah diunggah ulang" in t.body
    assert "A.I.2.a" not in t.body
    mail.outbox.clear()
    kirim_harian(hari)
    kirim_harian(hari + timedelta(days=1))  # the next day: nothing told twice
    assert not [m for m in mail.outbox if "dikembalikan TPI" in m.body
                or "sudah diperbaiki" in m.body]


def test_perintah_dan_tanpa_penerima(dinsos, dinkes, users, hari):
    p = buat_putaran(units=[dinsos], mulai=hari)
    PesertaEvaluasi.objects.create(putaran=p, unit=dinkes)
    assert not PenugasanTPI.objects.exists()
    call_command("kirim_pemberitahuan_evaluasi", stdout=open("/dev/null", "w"))
    penerima = sorted(m.to[0] for m in mail.outbox)
    assert penerima == sorted([users["sekretaris"].email, users["sekretaris2"].email])


def test_kueri_tidak_tumbuh_dengan_peserta(dinsos, dinkes, users, hari):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from evaluasi.pemberitahuan import kumpulkan

    p = buat_putaran(units=[dinsos], tpi=users["tpi"], mulai=hari)
    with CaptureQueriesContext(connection) as satu:
        kumpulkan(hari)
    ps = PesertaEvaluasi.objects.create(putaran=p, unit=dinkes)
    PenugasanTPI.objects.create(peserta=ps, user=users["tpi"], ketua=True)
    with CaptureQueriesContext(connection) as dua:
        assert len(kumpulkan(hari)) == 2  # both units' Sekretaris
    assert len(dua) == len(satu)


def test_surat_ditolak_dicoba_lagi(dinsos, users, hari, monkeypatch):
    """A digest the mail server refuses stays unsent: the command fails in words and the
    next run sends it."""
    buat_putaran(units=[dinsos], tpi=users["tpi"], mulai=hari)

    def tolak(*a, **kw):
        raise smtplib.SMTPServerDisconnected("server pergi")

    monkeypatch.setattr(pemberitahuan, "send_mail", tolak)
    assert kirim_harian(hari) == (0, 1)
    with pytest.raises(CommandError, match="1 e-mail gagal dikirim"):
        call_command("kirim_pemberitahuan_evaluasi", stdout=io.StringIO())
    monkeypatch.undo()
    assert kirim_harian(hari) == (1, 0)
    assert "dibuka hari ini" in _kepada("sekretaris", users)[0].body


def test_diajukan_saat_evaluasi_sudah_terbuka(dinsos, users, hari):
    """A unit that submits after the TPI's window opened: the TPI is told that day."""
    p = buat_putaran(units=[dinsos], tpi=users["tpi"], mulai=hari - timedelta(days=12),
                     mandiri_selesai=hari + timedelta(days=5))  # both windows open today
    ps = p.peserta.get()
    kirim_harian(hari)
    assert not _kepada("tpi", users)  # nothing to evaluate yet
    services.ajukan_penilaian(peserta=ps, user=users["sekretaris"])
    kirim_harian(hari)
    [m] = _kepada("tpi", users)
    assert "Dinas Sosial Kabupaten Mojokerto mengajukan penilaian mandiri" in m.body
    assert "Evaluasi TPI terbuka sampai" in m.body
    mail.outbox.clear()
    kirim_harian(hari + timedelta(days=1))
    assert not _kepada("tpi", users)  # once
