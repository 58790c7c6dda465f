"""The round's daily digest: a window opening, a window closing in two days, questions
sent back, questions fixed; one mail per user per day, each notice once, the profile's
opt-out respected."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from evaluasi import services
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
    assert kirim_harian(hari) == 1
    [m] = _kepada("sekretaris", users)  # the unit's step: its Sekretaris
    assert "Penilaian mandiri unit Dinas Sosial Kabupaten Mojokerto" in m.body
    assert "dibuka hari ini" in m.body and m.subject.endswith("1 pemberitahuan")
    assert not _kepada("tpi", users) and not _kepada("anggota1", users)
    assert kirim_harian(hari) == 0  # once
    # two days before its last day (the window lasts 10 days: day 0-9)
    mail.outbox.clear()
    assert kirim_harian(hari + timedelta(days=7)) == 1
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
