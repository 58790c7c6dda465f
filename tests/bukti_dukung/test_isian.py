"""Numeric inputs: derived percentages in one place, impossible input refused."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from bukti_dukung import services
from bukti_dukung.angka import hitung, periksa
from bukti_dukung.models import NilaiIsian
from rencana_aksi.models import Indikator


def _ind(rk, label):
    return Indikator.objects.filter(komponen__area_rencana__rencana_kerja=rk,
                                    isian__label=label).distinct().get()


def _ids(ind):
    return {s.label: s for s in ind.isian.all()}


@pytest.fixture
def pelanggaran(rk_dinsos):
    return _ind(rk_dinsos, "Jumlah pelanggaran tahun ini")


@pytest.fixture
def lhkpn(rk_dinsos):
    return _ind(rk_dinsos, "Pejabat yang diwajibkan menyampaikan LHKPN")


def test_penurunan_pelanggaran(pelanggaran):
    s = _ids(pelanggaran)
    isian = list(pelanggaran.isian.all())
    val = {s["Jumlah pelanggaran tahun sebelumnya"].pk: Decimal(8),
           s["Jumlah pelanggaran tahun ini"].pk: Decimal(6)}
    [h] = hitung(isian, val)
    assert h.rumus.nama == "Penurunan pelanggaran disiplin" and h.keterangan == "25,00 %"
    val[s["Jumlah pelanggaran tahun sebelumnya"].pk] = Decimal(0)
    assert hitung(isian, val)[0].keterangan == "tidak berlaku"
    assert hitung(isian, {})[0].keterangan == "belum diisi"


def test_persentase_lhkpn_and_impossible_input(lhkpn):
    s = _ids(lhkpn)
    isian = list(lhkpn.isian.all())
    harus, sudah = s["Jumlah yang harus melaporkan"].pk, s["Jumlah yang sudah melaporkan"].pk
    [h] = hitung(isian, {harus: Decimal(3), sudah: Decimal(2)})
    assert h.keterangan == "66,67 %"
    errors = periksa(isian, {harus: Decimal(3), sudah: Decimal(4)})
    assert errors == {sudah: "Tidak boleh lebih besar dari “Jumlah yang harus melaporkan” (3)."}
    assert periksa(isian, {harus: Decimal(-1)}) == {harus: "Tidak boleh negatif."}
    assert periksa(isian, {harus: Decimal("2.5")}) == {harus: "Jumlah harus bilangan bulat."}


def test_every_seed_rule_finds_its_rows(rk_dinsos):
    from bukti_dukung.angka import rumus_indikator

    found = set()
    for ind in Indikator.objects.filter(komponen__area_rencana__rencana_kerja=rk_dinsos,
                                        isian__isnull=False).distinct():
        found |= {r.nama for r, _a, _b in rumus_indikator(list(ind.isian.all()))}
    assert found == {"Persentase penyampaian laporan harta kekayaan",
                     "Penurunan pelanggaran disiplin", "Persentase penanganan pengaduan",
                     "Persentase perijinan/pelayanan yang dipermudah",
                     "Persentase perubahan yang terintegrasi",
                     "Perubahan yang dibuat per agen perubahan",
                     # the B.IV.1 counts added for the LKE (docs/catatan-seed.md)
                     "Persentase sasaran kinerja yang tercapai"}


def test_save_in_the_browser_with_errors_and_conflict(lhkpn, users):
    s = _ids(lhkpn)
    harus, sudah = s["Jumlah yang harus melaporkan"], s["Jumlah yang sudah melaporkan"]
    ra = lhkpn.rencana_aksi.first()
    url = reverse("bukti_dukung:isian_simpan", args=[lhkpn.pk])
    c = Client()
    c.force_login(users["anggota1"])
    resp = c.post(url, {"ra": ra.pk, f"nilai-{harus.pk}": "satu", f"nilai-{sudah.pk}": "1"},
                  follow=True)
    assert "“Jumlah yang harus melaporkan”: “satu” bukan angka" in resp.content.decode()
    assert not NilaiIsian.objects.exists()
    resp = c.post(url, {"ra": ra.pk, f"nilai-{harus.pk}": "1", f"nilai-{sudah.pk}": "2"},
                  follow=True)
    assert "Tidak boleh lebih besar dari" in resp.content.decode()
    assert not NilaiIsian.objects.exists()  # nothing half-saved
    resp = c.post(url, {"ra": ra.pk, f"nilai-{harus.pk}": "4", f"nilai-{sudah.pk}": "3"},
                  follow=True)
    body = resp.content.decode()
    assert "Isian angka disimpan." in body and "75,00 %" in body
    # a second member still holding version 0 of "harus" gets a conflict, nothing changes
    other = Client()
    other.force_login(users["anggota2"])
    resp = other.post(url, {"ra": ra.pk, f"nilai-{harus.pk}": "9", f"versi-{harus.pk}": "0"},
                      follow=True)
    assert "sudah diubah oleh Anggota Tim ZI Satu" in resp.content.decode()
    assert NilaiIsian.objects.get(isian=harus).nilai == 4
    last = NilaiIsian.objects.get(isian=harus).history.first()  # audited
    assert last.nilai == 4 and last.history_user == users["anggota1"]


def test_read_only_roles_and_other_units(lhkpn, users):
    s = _ids(lhkpn)
    harus = s["Jumlah yang harus melaporkan"]
    url = reverse("bukti_dukung:isian_simpan", args=[lhkpn.pk])
    for who, code in (("kepaladinas", 403), ("tpi", 403), ("sekretaris2", 404)):
        c = Client()
        c.force_login(users[who])
        assert c.post(url, {f"nilai-{harus.pk}": "1"}).status_code == code
    assert not NilaiIsian.objects.exists()


def test_service_refuses_negative(pelanggaran, users):
    s = _ids(pelanggaran)
    with pytest.raises(ValidationError):
        services.simpan_isian(indikator=pelanggaran, user=users["anggota1"],
                              nilai={s["Jumlah pelanggaran tahun ini"].pk: Decimal(-2)}, versi={})


def test_absurd_numbers_are_refused_not_crashing(lhkpn, users):
    s = _ids(lhkpn)
    harus = s["Jumlah yang harus melaporkan"]
    ra = lhkpn.rencana_aksi.first()
    c = Client()
    c.force_login(users["anggota1"])
    url = reverse("bukti_dukung:isian_simpan", args=[lhkpn.pk])
    for raw in ("1e20", "123456789012345", "NaN", "Infinity"):
        resp = c.post(url, {"ra": ra.pk, f"nilai-{harus.pk}": raw}, follow=True)
        assert resp.status_code == 400
        body = resp.content.decode()
        assert f"“Jumlah yang harus melaporkan”: “{raw}”" in body
        assert f'value="{raw}"' in body  # what the user typed stays in the form
    assert not NilaiIsian.objects.exclude(nilai__isnull=True).exists()


def test_restricted_member_cannot_fill_numbers_of_others(lhkpn, users):
    unit = lhkpn.komponen.area_rencana.rencana_kerja.unit
    unit.unggah_hanya_pic = True
    unit.save()
    harus = _ids(lhkpn)["Jumlah yang harus melaporkan"]
    c = Client()
    c.force_login(users["anggota2"])  # not the PIC of this komponen
    resp = c.post(reverse("bukti_dukung:isian_simpan", args=[lhkpn.pk]),
                  {f"nilai-{harus.pk}": "3"}, follow=True)
    assert "Sekretaris membatasi isian" in resp.content.decode()
    assert not NilaiIsian.objects.exists()


def test_rules_for_rows_a_plan_may_add(db):
    from rencana_aksi.models import Isian
    from tests.factories import IndikatorFactory

    ind = IndikatorFactory()
    total = Isian.objects.create(indikator=ind, urutan=1, label="Jumlah sasaran kinerja",
                                 jenis="jumlah")
    ok = Isian.objects.create(indikator=ind, urutan=2,
                              label="Jumlah sasaran kinerja yang tercapai 100%", jenis="jumlah")
    [h] = hitung([total, ok], {total.pk: Decimal(8), ok.pk: Decimal(6)})
    assert h.rumus.nama == "Persentase sasaran kinerja yang tercapai" and h.keterangan == "75,00 %"
    ind2 = IndikatorFactory()
    semua = Isian.objects.create(indikator=ind2, urutan=1, label="Jumlah pegawai",
                                 jenis="jumlah")
    gap = Isian.objects.create(indikator=ind2, urutan=2,
                               label="Jumlah pegawai dengan kesenjangan kompetensi", jenis="jumlah")
    [h] = hitung([semua, gap], {semua.pk: Decimal(40), gap.pk: Decimal(9)})
    assert h.rumus.nama == "Tingkat kesenjangan kompetensi" and h.keterangan == "22,50 %"


def test_all_errors_at_once_and_parts_within_their_whole(pelanggaran, users):
    s = _ids(pelanggaran)
    lalu, ini = s["Jumlah pelanggaran tahun sebelumnya"], s["Jumlah pelanggaran tahun ini"]
    sanksi = s["Jumlah pelanggaran yang telah diberikan sanksi/hukuman"]
    c = Client()
    c.force_login(users["anggota1"])
    url = reverse("bukti_dukung:isian_simpan", args=[pelanggaran.pk])
    resp = c.post(url, {f"nilai-{lalu.pk}": "-3", f"nilai-{ini.pk}": "abc",
                        f"nilai-{sanksi.pk}": "4"})
    body = resp.content.decode()
    assert resp.status_code == 400
    assert "“Jumlah pelanggaran tahun sebelumnya”: “-3” Tidak boleh negatif." in body
    assert "“Jumlah pelanggaran tahun ini”: “abc” bukan angka" in body
    resp = c.post(url, {f"nilai-{lalu.pk}": "5", f"nilai-{ini.pk}": "2", f"nilai-{sanksi.pk}": "9"})
    assert "Tidak boleh lebih besar dari “Jumlah pelanggaran tahun ini” (2)." in resp.content.decode()
    assert not NilaiIsian.objects.exclude(nilai__isnull=True).exists()
    resp = c.post(url, {f"nilai-{lalu.pk}": "5", f"nilai-{ini.pk}": "6", f"nilai-{sanksi.pk}": "6"},
                  follow=True)
    assert "Penurunan pelanggaran disiplin</strong>: -20,00 % (naik)" in resp.content.decode()
