"""Where a user works now (a unit and a year) and the navigation bar of their roles there.

The unit and year come from the page's URL, else from the last unit page visited (kept
in the session), else from the user's first unit and its latest plan. The bar itself is
built from the roles already loaded for the request (no query); its counts and the
unit/year menu come later in one small request (`views.navigasi`), so that no page pays
for them."""

from dataclasses import dataclass

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisasi import permissions
from organisasi.models import Peran, UnitKerja
from rencana_aksi.models import RencanaKerja

SESI = "zi_posisi"  # {"unit": pk, "kode", "nama", "tahun"}


@dataclass
class Posisi:
    unit: UnitKerja | None
    tahun: int


def _tahun_terbaru(unit=None, units=None):
    qs = RencanaKerja.objects.all()
    if unit is not None:
        qs = qs.filter(unit=unit)
    elif units is not None:
        qs = qs.filter(unit__in=units)
    return qs.aggregate(t=Max("tahun"))["t"] or timezone.localdate().year


def _unit_terbaru(units):
    """The unit (of `units`, in their order) whose plan is the most recent: a TPI of
    several units starts where the current work is."""
    units = list(units)
    if len(units) < 2:
        return units[0] if units else None
    terbaru = dict(RencanaKerja.objects.filter(unit__in=units).values("unit_id")
                   .annotate(t=Max("tahun")).values_list("unit_id", "t"))
    return max(units, key=lambda u: (terbaru.get(u.pk) or 0, -units.index(u)))


def posisi(request):
    """The user's current Posisi, remembered in the session."""
    user = request.user
    kw = request.resolver_match.kwargs if getattr(request, "resolver_match", None) else {}
    sesi = getattr(request, "session", None)  # absent when a middleware answered early
    simpan = (sesi.get(SESI) if sesi is not None else None) or {}
    admin = permissions.is_admin(user)
    kode = kw.get("kode") if isinstance(kw.get("kode"), str) else None
    kode = kode or simpan.get("kode")
    unit = None
    if kode:
        unit = next((u for u in permissions.unit_anggota(user) if u.kode == kode), None)
        if unit is None and admin:  # the Admin's units are not memberships
            if simpan.get("kode") == kode:
                unit = UnitKerja(pk=simpan["unit"], kode=kode, nama=simpan["nama"])
            else:
                unit = UnitKerja.objects.filter(kode=kode, is_active=True).first()
    if unit is None and not admin:
        unit = _unit_terbaru(permissions.unit_anggota(user))
    tahun = kw.get("tahun") if isinstance(kw.get("tahun"), int) else None
    if tahun is None and "tahun" in simpan and simpan.get("unit") == (unit.pk if unit else None):
        tahun = simpan["tahun"]  # the same unit as last time: its year
    if tahun is None or not 2000 <= tahun <= 2100:
        tahun = _tahun_terbaru(unit=unit) if unit else _tahun_terbaru(
            units=None if admin else permissions.units_for_user(user))
    baru = {"unit": unit.pk if unit else None, "kode": unit.kode if unit else None,
            "nama": unit.nama if unit else None, "tahun": tahun}
    if baru != simpan and sesi is not None:
        sesi[SESI] = baru
    return Posisi(unit, tahun)


@dataclass
class Butir:
    """One item of the bar: a label, a link, the id of its count badge (filled later)."""

    label: str
    url: str
    hitung: str = ""
    testid: str = ""


def bilah(request):
    """The navigation bar of the user's roles in the current unit and year: (posisi,
    main items, items under "Lainnya")."""
    user = request.user
    pos = posisi(request)
    u, t = pos.unit, pos.tahun
    utama, lain = [], []
    admin = permissions.is_admin(user)
    roles = permissions.peran_di_unit(user, u) if u else ({Peran.ADMIN} if admin else set())
    if u:
        kode = u.kode
        if Peran.ANGGOTA in roles or Peran.SEKRETARIS in roles:
            utama.append(Butir(_("Tugas saya"), reverse("bukti_dukung:tugas_saya")
                               + f"?unit={kode}&tahun={t}", "nav-tugas", "nav-tugas"))
        if permissions.can_review(user, u):
            utama.append(Butir(_("Tinjauan"), reverse("bukti_dukung:antrean",
                                                              args=[kode]),
                               "nav-antrean", "nav-antrean"))
        utama.append(Butir(_("Rencana kerja"), reverse("rencana_aksi:rencana", args=[kode, t]),
                           testid="nav-rencana"))
        if permissions.can_view_dashboard(user, u):
            utama.append(Butir(_("Dasbor"), reverse("progres:dasbor", args=[kode, t]),
                               testid="nav-dasbor"))
        if permissions.can_view_report(user, u):
            utama.append(Butir(_("Laporan"), reverse("laporan:daftar_laporan", args=[kode, t]),
                               "nav-laporan", "nav-laporan"))
        if permissions.can_view_lke(user, u):
            utama.append(Butir(_("LKE"), reverse("lke:lke", args=[kode, t]), testid="nav-lke"))
        if permissions.can_review(user, u):
            lain.append(Butir(_("Log perubahan"), reverse("bukti_dukung:log", args=[kode])))
            lain.append(Butir(_("Pengaturan unit"), reverse("bukti_dukung:pengaturan_unit",
                                                            args=[kode])))
        if permissions.can_manage_members(user, u):
            lain.append(Butir(_("Anggota tim"), reverse("organisasi:anggota", args=[kode])))
    if admin or Peran.TPI in roles or any(
            permissions.can_see_overview(user, x) for x in permissions.unit_anggota(user)):
        utama.append(Butir(_("Ikhtisar unit"), reverse("progres:wilayah", args=[t]),
                           testid="nav-wilayah"))
    # one "Evaluasi" item: the round for the Admin and the TPI; for the unit's Sekretaris
    # and members the questions sent back, with the count of those waiting for the unit
    if admin or (Peran.TPI in roles and not roles & {Peran.SEKRETARIS, Peran.ANGGOTA}):
        utama.append(Butir(_("Evaluasi"), reverse("evaluasi:beranda"), testid="nav-evaluasi"))
    elif u and roles & {Peran.SEKRETARIS, Peran.ANGGOTA}:
        utama.append(Butir(_("Evaluasi"), reverse("evaluasi:dikembalikan", args=[t, u.kode]),
                           "nav-kembali", "nav-evaluasi"))
    if admin:
        lain.append(Butir(_("Pengusulan"), reverse("lke:pengusulan")))
        lain.append(Butir(_("Administrasi"), reverse("admin:index")))
    lain.append(Butir(_("Verifikasi laporan"), reverse("laporan:verifikasi")))
    lain.append(Butir(_("Profil"), reverse("organisasi:profil")))
    return pos, utama, lain
