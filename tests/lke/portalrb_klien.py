"""A client that behaves like PortalRB, and the 2026 data both PortalRB test modules use."""

import json
from decimal import Decimal
from types import SimpleNamespace

from bukti_dukung import services as bukti
from bukti_dukung.models import NilaiIsian
from lke.models import JawabanLke, Kategori, Pengusulan, SoalLke, TautanIsian
from rencana_aksi.models import BuktiDukung, RencanaAksi
from rencana_aksi.services import salin_rencana_kerja
from tests.bukti_dukung.conftest import berkas, pdf_bytes


class KlienPortalRB:
    """GET with a Bearer token, JSON only. A 5xx is retried up to three times: at once,
    after 60 s and after 120 s; a 429 is retried after its Retry-After. `tidur` is the
    sleep function (injected by the tests); the waits are kept in `jeda`."""

    JADWAL = (0, 60, 120)

    def __init__(self, client, token, tidur):
        self.client, self.token, self.tidur = client, token, tidur
        self.jeda, self.percobaan = [], 0

    def get(self, path, params=None):
        """(status, JSON body) of the last attempt."""
        sisa = list(self.JADWAL)
        while True:
            self.percobaan += 1
            resp = self.client.get(path, params or {}, headers={
                "authorization": f"Bearer {self.token}", "accept": "application/json"})
            assert resp["Content-Type"].split(";")[0] == "application/json", (path, resp.status_code)
            body = json.loads(resp.content)
            coba_lagi = resp.status_code >= 500 or resp.status_code == 429
            if not coba_lagi or not sisa:
                return resp.status_code, body
            jeda = sisa.pop(0)
            if resp.status_code == 429:
                jeda = int(resp["Retry-After"])
            self.jeda.append(jeda)
            self.tidur(jeda)


# 2026: answers the contract tests look for (soal_id → JawabanLke fields)
JAWABAN_2026 = {
    1: {"jawaban_unit": "Ya", "catatan_unit": "SK tim ada", "jawaban_tpi": "Tidak",
        "catatan_tpi": "SK belum ditandatangani"},
    2: {"jawaban_unit": "B"},
    14: {"jawaban_unit": "A"},                        # A-E
    102: {"jawaban_unit": "99"},                      # typed, ignored: the plan holds the count
    112: {"jawaban_tpi": "7", "catatan_tpi": "dua belum selesai"},   # the TPI's count
    125: {"jawaban_unit": "3,6"},                     # IPAK index
    126: {"jawaban_unit": "B"},                       # capaian kinerja A-E
    127: {"jawaban_unit": "3.2", "jawaban_tpi": "3,45"},   # IPKP index, TPI beside
}
# soal_id of a count row → the plan's numeric input (89 and 90 share one input)
ANGKA_2026 = {88: 4, 89: 5, 102: 8, 103: 1, 110: 10, 112: 9}


def _unggah(bd, users, nama, setujui=True):
    ra = RencanaAksi.objects.get(pk=bd.rencana_aksi_id)
    p = bukti.unggah_bukti(bukti_dukung=bd, user=users["anggota1"], bulan=ra.bulan_list()[0],
                           files=[berkas(nama, pdf_bytes(nama))]).pengajuan
    if setujui:
        bukti.setujui(pengajuan=p, versi=p.versi, user=users["sekretaris"])
    return p


def _bd_indikator(ind):
    return (BuktiDukung.objects.filter(rencana_aksi__indikator=ind,
                                       rencana_aksi__target_bulan__isnull=False)
            .distinct().order_by("rencana_aksi__urutan", "pk").first())


def siapkan_2026(rk_dinsos, users, kategori=Kategori.WBK):
    """Dinas Sosial proposed for 2026 with a plan copied from the seed, its answers
    (JAWABAN_2026), the counts in the plan's inputs (ANGKA_2026), one approved and one
    pending file for question 1, one approved file for the count rows of B.III.3."""
    dinsos = rk_dinsos.unit
    rk = salin_rencana_kerja(sumber=rk_dinsos, unit=dinsos, tahun=2026)
    usulan = Pengusulan.objects.create(unit=dinsos, tahun=2026, kategori=kategori,
                                       afirmasi=kategori == Kategori.WBK_AFIRMASI)
    soal = {s.soal_id: s for s in SoalLke.objects.filter(komponen__area__lke__tahun=2026)}
    for sid, kw in JAWABAN_2026.items():
        JawabanLke.objects.create(unit=dinsos, soal=soal[sid], **kw)
    isian = {t.soal.soal_id: t.isian for t in TautanIsian.objects.filter(rencana_kerja=rk)
             .select_related("soal", "isian")}
    for sid, n in ANGKA_2026.items():
        NilaiIsian.objects.update_or_create(isian=isian[sid], defaults={"nilai": Decimal(n)})
    bd = _bd_indikator(soal[1].tautan.get(
        indikator__komponen__area_rencana__rencana_kerja=rk).indikator)
    disetujui = _unggah(bd, users, "sk tim.pdf")
    menunggu = _unggah(BuktiDukung.objects.create(rencana_aksi=bd.rencana_aksi, nama="Notulen",
                                                  urutan=99),
                       users, "notulen.pdf", setujui=False)
    bd_angka = _bd_indikator(isian[102].indikator)
    angka = _unggah(bd_angka, users, "rekap disiplin.pdf")
    return SimpleNamespace(rk=rk, unit=dinsos, usulan=usulan, soal=soal, isian=isian,
                           disetujui=disetujui, menunggu=menunggu, angka=angka)
