from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lke.forms import tahun_dari
from lke.selectors import lke_tahun
from organisasi import permissions
from rencana_aksi.models import RencanaKerja

from . import akses, jendela, selectors, services
from .banding import banding as banding_unit
from .forms import (
    AjukanForm,
    HapusPerpanjanganForm,
    KembalikanForm,
    PenugasanForm,
    PerbaikiForm,
    PeriksaForm,
    PerpanjanganForm,
    PutaranForm,
    SalinPutaranForm,
)
from .models import Langkah, Pengembalian, PutaranEvaluasi, StatusPengembalian


def _data(request):
    """The POST data, or None for a GET (an empty POST is still a submitted form)."""
    return request.POST if request.method == "POST" else None


@login_required
def beranda(request):
    """Each role's way in: the Admin to the rounds, a TPI to its units, a unit's roles to
    their unit's rounds."""
    if permissions.is_admin(request.user):
        return redirect("evaluasi:daftar")
    if permissions.is_tpi(request.user):
        return redirect("evaluasi:saya")
    peserta = (akses.peserta_terlihat(request.user).select_related("putaran", "unit")
               .order_by("-putaran__tahun", "unit__nama"))
    return render(request, "evaluasi/beranda.html", {"peserta": peserta})


@login_required
def saya(request):
    """Evaluasi saya: the TPI's units in a round (the latest it is assigned in)."""
    if not permissions.is_tpi(request.user):
        raise PermissionDenied
    tahun_putaran = list(PutaranEvaluasi.objects.filter(
        peserta__penugasan__user=request.user).distinct().values_list("tahun", flat=True))
    tahun = tahun_dari(request.GET) if "tahun" in request.GET else (
        tahun_putaran[0] if tahun_putaran else None)
    putaran = PutaranEvaluasi.objects.filter(tahun=tahun).first() if tahun else None
    rows = []
    if putaran is not None:
        tugas = selectors.penugasan_saya(request.user, putaran)
        ids = [t.peserta_id for t in tugas]
        jumlah = defaultdict(int)  # (peserta, status) -> open send-backs
        for r in (Pengembalian.objects.filter(peserta_id__in=ids).terbuka()
                  .values("peserta_id", "status").annotate(n=Count("pk")).order_by()):
            jumlah[r["peserta_id"], r["status"]] = r["n"]
        berencana = set(RencanaKerja.objects.filter(
            tahun=putaran.tahun, unit__evaluasi__in=ids).values_list("unit_id", flat=True))
        for t in tugas:
            p = t.peserta
            rows.append({"penugasan": t, "peserta": p, "kini": jendela.langkah_kini(p),
                         "selesai": jendela.keadaan_langkah(p, Langkah.PEMERIKSAAN) == jendela.LEWAT,
                         "menunggu_unit": jumlah[p.pk, StatusPengembalian.DIKEMBALIKAN],
                         "periksa_ulang": jumlah[p.pk, StatusPengembalian.DIPERBAIKI],
                         "ada_rencana": p.unit_id in berencana})
    return render(request, "evaluasi/saya.html", {
        "putaran": putaran, "tahun": tahun, "rows": rows, "tahun_lain": tahun_putaran})


def _daftar(request, salin_form=None, status=200):
    putaran = PutaranEvaluasi.objects.annotate(
        n_peserta=Count("peserta", distinct=True),
        n_diajukan=Count("peserta", filter=Q(peserta__diajukan_pada__isnull=False),
                         distinct=True))
    return render(request, "evaluasi/daftar.html", {
        "putaran_list": putaran, "salin_form": salin_form or SalinPutaranForm()}, status=status)


@login_required
def daftar(request):
    akses.periksa_admin(request)
    return _daftar(request)


@login_required
@require_POST
def salin(request):
    """Copy the year before's round into the year given."""
    akses.periksa_admin(request)
    form = SalinPutaranForm(request.POST)
    if form.is_valid():
        try:
            baru = services.salin_putaran(tahun=form.cleaned_data["tahun"], oleh=request.user)
        except ValidationError as exc:
            form.add_error("tahun", exc)
        else:
            messages.success(request, _("Putaran %(t)s dibuat dari putaran tahun sebelumnya.")
                             % {"t": baru.tahun})
            return redirect("evaluasi:putaran", baru.tahun)
    return _daftar(request, form, status=400)


def _simpan_putaran(request, form):
    """Save the form and its units; None (and the form's error) when a unit cannot go."""
    try:
        with transaction.atomic():
            putaran = form.save()
            services.atur_peserta(putaran=putaran, units=form.cleaned_data["unit"])
    except ValidationError as exc:
        form.add_error("unit", exc)
        return None
    return putaran


@login_required
@require_http_methods(["GET", "POST"])
def buat(request):
    akses.periksa_admin(request)
    form = PutaranForm(_data(request), initial={"tahun": tahun_dari({})})
    if request.method == "POST" and form.is_valid():
        form.instance.dibuat_oleh = request.user
        putaran = _simpan_putaran(request, form)
        if putaran:
            messages.success(request, _("Putaran evaluasi %(t)s dibuat.") % {"t": putaran.tahun})
            return redirect("evaluasi:putaran", putaran.tahun)
    return render(request, "evaluasi/putaran_form.html", {"form": form, "putaran": None},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def ubah(request, tahun):
    putaran = akses.get_putaran_for_admin(request, tahun)
    form = PutaranForm(_data(request), instance=putaran)
    if request.method == "POST" and form.is_valid() and _simpan_putaran(request, form):
        messages.success(request, _("Putaran evaluasi %(t)s disimpan.") % {"t": tahun})
        return redirect("evaluasi:putaran", tahun)
    if request.method == "POST":
        putaran.refresh_from_db()
    return render(request, "evaluasi/putaran_form.html", {"form": form, "putaran": putaran},
                  status=400 if form.errors else 200)


@login_required
def putaran(request, tahun):
    """The round: its windows and every unit with its TPI, submission and steps."""
    p = akses.get_putaran_for_admin(request, tahun)
    rows = [{"peserta": x, "jadwal": jendela.jadwal(x)} for x in selectors.peserta_putaran(p)]
    return render(request, "evaluasi/putaran.html", {
        "putaran": p, "rows": rows, "langkah": Langkah.choices,
        "jendela": [(lg.label, *p.jendela(lg)) for lg in Langkah]})


@login_required
def peserta(request, tahun, kode):
    ps = akses.get_peserta_for_user(request, tahun, kode)
    user = request.user
    return render(request, "evaluasi/peserta.html", {
        "peserta": ps, "jadwal": jendela.jadwal(ps), "admin": permissions.is_admin(user),
        "boleh_ajukan": permissions.can_submit_self_assessment(user, ps.unit),
        "mandiri_terbuka": jendela.langkah_terbuka(ps, Langkah.MANDIRI),
        "tpi": akses.tpi_ditugaskan(user, ps),
        "dikembalikan": selectors.jumlah_dikembalikan_terbuka(ps),
        "ada_rencana": selectors.rencana_peserta(ps).pk is not None,
        "lhe_tertanda": list(ps.lhe_tertanda.order_by("-nomor"))
        if akses.boleh_baca_lhe(user, ps) else None})


@login_required
@require_http_methods(["GET", "POST"])
def penugasan(request, tahun, kode):
    ps = akses.get_peserta_for_admin(request, tahun, kode)
    awal = {"tpi": [t.user for t in ps.penugasan.all()],
            "ketua": next((t.user for t in ps.penugasan.all() if t.ketua), None)}
    form = PenugasanForm(_data(request), initial=awal)
    if request.method == "POST" and form.is_valid():
        try:
            services.atur_penugasan(peserta=ps, tpi=list(form.cleaned_data["tpi"]),
                                    ketua=form.cleaned_data["ketua"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("TPI %(u)s disimpan.") % {"u": ps.unit.nama})
            return redirect("evaluasi:putaran", tahun)
    return render(request, "evaluasi/penugasan.html", {"peserta": ps, "form": form},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def perpanjang(request, tahun, kode):
    ps = akses.get_peserta_for_admin(request, tahun, kode)
    if "hapus" in request.POST:
        return _hapus_perpanjangan(request, ps)
    form = PerpanjanganForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.perpanjang(peserta=ps, oleh=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("selesai", exc)
        else:
            messages.success(request, _("Jendela %(u)s diperpanjang.") % {"u": ps.unit.nama})
            return redirect("evaluasi:peserta", tahun, kode)
    return _halaman_perpanjang(request, ps, form)


def _halaman_perpanjang(request, ps, form, galat_hapus="", hapus=(None, "")):
    """The page; a refused removal says its error in its own step's row (or above, for a
    step that is not there) and keeps the reason typed."""
    riwayat = (ps.perpanjangan.model.history.filter(peserta_id=ps.pk)
               .select_related("history_user").order_by("-history_date"))
    perpanjangan = list(ps.perpanjangan.order_by("langkah"))
    for p in perpanjangan:
        p.galat, p.alasan_ketik = ((galat_hapus, hapus[1]) if p.langkah == hapus[0]
                                   else ("", ""))
    galat_hapus_atas = "" if any(p.galat for p in perpanjangan) else galat_hapus
    return render(request, "evaluasi/perpanjang.html", {
        "peserta": ps, "form": form, "jadwal": jendela.jadwal(ps), "riwayat": riwayat,
        "perpanjangan": perpanjangan, "galat_hapus": galat_hapus_atas},
        status=400 if form.errors or galat_hapus else 200)


def _hapus_perpanjangan(request, ps):
    form = HapusPerpanjanganForm(request.POST)
    if form.is_valid():
        try:
            services.hapus_perpanjangan(peserta=ps, langkah=form.cleaned_data["hapus"],
                                        alasan=form.cleaned_data["alasan"], oleh=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Perpanjangan %(u)s dihapus: jendelanya kembali seperti "
                                        "putaran.") % {"u": ps.unit.nama})
            return redirect("evaluasi:perpanjang", ps.putaran.tahun, ps.unit.kode)
    galat = " ".join(m for e in form.errors.values() for m in e)
    return _halaman_perpanjang(request, ps, PerpanjanganForm(), galat_hapus=galat,
                               hapus=(form.cleaned_data.get("hapus"),
                                      request.POST.get("alasan", "")[:1000]))


@login_required
@require_http_methods(["GET", "POST"])
def ajukan(request, tahun, kode):
    """The Sekretaris checks what is still unanswered, then submits (confirmed)."""
    ps = akses.get_peserta_for_user(request, tahun, kode)
    if not permissions.can_submit_self_assessment(request.user, ps.unit):
        raise PermissionDenied
    form = AjukanForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.ajukan_penilaian(peserta=ps, user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Penilaian mandiri %(u)s diajukan ke TPI.")
                             % {"u": ps.unit.nama})
            return redirect("evaluasi:peserta", tahun, kode)
    lke = lke_tahun(tahun)
    belum = selectors.belum_dijawab(*selectors.nilai_unit(ps, lke)) if lke else []
    return render(request, "evaluasi/ajukan.html", {
        "peserta": ps, "form": form, "lke": lke, "belum": belum,
        "terbuka": jendela.langkah_terbuka(ps, Langkah.MANDIRI)},
        status=400 if form.errors else 200)


@login_required
def salinan(request, tahun, kode):
    """The frozen copy of the unit's answers, as the TPI reads them."""
    ps = akses.get_peserta_for_user(request, tahun, kode)
    kembali = {k: rows[-1] for k, rows in selectors.pengembalian_peserta(ps).items()}
    baris = list(selectors.jawaban_untuk_tpi(ps).values())
    for s in baris:
        s.kembali = kembali.get(s.soal_id)
    return render(request, "evaluasi/salinan.html", {
        "peserta": ps, "baris": baris,
        "boleh_kembalikan": akses.tpi_ditugaskan(request.user, ps)
        and jendela.langkah_terbuka(ps, Langkah.EVALUASI)})


@login_required
def banding(request, tahun, kode):
    """Side by side: per komponen and question, the unit's value, the value that counts and
    the difference, with the approved files the TPI reads."""
    ps = akses.get_peserta_for_user(request, tahun, kode)
    hasil = banding_unit(ps)
    if hasil is None:
        raise Http404(_("LKE tahun %(t)s belum disiapkan.") % {"t": tahun})
    areas, skor = hasil
    return render(request, "evaluasi/banding.html", {
        "peserta": ps, "areas": areas, "skor": skor, "selisih_total": skor.total - skor.total_unit})


def _galat(form):
    return " ".join(m for ms in form.errors.values() for m in ms)


@login_required
@require_http_methods(["GET", "POST"])
def kembalikan(request, tahun, kode):
    """The assigned TPI sends a question back to the unit with a reason (`?soal=` picks
    it); the page shows its frozen answer and its timeline."""
    ps = akses.get_peserta_for_tpi(request, tahun, kode)
    lke = lke_tahun(tahun)
    if lke is None:
        raise Http404(_("LKE tahun %(t)s belum disiapkan.") % {"t": tahun})
    if request.method == "POST":
        form = KembalikanForm(request.POST, lke=lke)
        if form.is_valid():
            try:
                services.kembalikan_soal(peserta=ps, soal=form.cleaned_data["soal"],
                                         alasan=form.cleaned_data["alasan"], oleh=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Soal %(k)s dikembalikan ke unit.")
                                 % {"k": form.cleaned_data["soal"].kode})
                return redirect("evaluasi:salinan", tahun, kode)
        soal = form.cleaned_data.get("soal")
    else:
        pilih = KembalikanForm(request.GET, lke=lke)
        pilih.is_valid()
        soal = pilih.cleaned_data.get("soal")
        form = KembalikanForm(lke=lke, initial={"soal": soal})
    return render(request, "evaluasi/kembalikan.html", {
        "peserta": ps, "form": form, "soal": soal,
        "salinan": selectors.jawaban_untuk_tpi(ps).get(soal.pk) if soal else None,
        "linimasa": selectors.linimasa(
            selectors.pengembalian_peserta(ps, soal).get(soal.pk, [])) if soal else [],
        "terbuka": jendela.langkah_terbuka(ps, Langkah.EVALUASI)},
        status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def dikembalikan(request, tahun, kode):
    """Soal dikembalikan: the unit's open send-backs, those waiting for it first; its
    Sekretaris and members mark each fixed in the revision window."""
    ps = akses.get_peserta_or_none(request, tahun, kode)
    if ps is None:
        if request.method == "POST":
            raise Http404
        return render(request, "evaluasi/dikembalikan.html", {"peserta": None, "tahun": tahun})
    boleh = akses.boleh_perbaiki(request.user, ps)
    pic = akses.pic_soal(ps) if boleh else {}
    form, status = None, 400  # a refused form: 400, or 403 for a question not the user's
    if request.method == "POST":
        if not boleh:
            raise PermissionDenied
        form = PerbaikiForm(request.POST, peserta=ps)
        if form.is_valid() and not akses.boleh_perbaiki_soal(
                request.user, ps, form.cleaned_data["butir"].soal_id, pic):
            form.add_error(None, _("Hanya Sekretaris atau PIC soal ini yang dapat menandainya "
                                   "sudah diperbaiki (yang dapat mengubah jawabannya di LKE)."))
            status = 403
        elif form.is_valid():
            try:
                p = services.tandai_diperbaiki(pengembalian=form.cleaned_data["butir"],
                                               catatan=form.cleaned_data["catatan"],
                                               oleh=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Soal %(k)s ditandai sudah diperbaiki.")
                                 % {"k": p.soal.kode})
                return redirect("evaluasi:dikembalikan", tahun, kode)
    butir = selectors.soal_dikembalikan(ps)
    for p in butir:
        p.boleh = boleh and akses.boleh_perbaiki_soal(request.user, ps, p.soal_id, pic)
    return render(request, "evaluasi/dikembalikan.html", {
        "peserta": ps, "tahun": tahun, "butir": butir,
        "boleh": boleh, "galat": _galat(form) if form else "",
        "terbuka": jendela.bisa_diperbaiki(ps),
        "menunggu": StatusPengembalian.DIKEMBALIKAN},
        status=status if form and form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def periksa_ulang(request, tahun, kode):
    """The assigned TPI's re-check list: the questions the unit marked fixed, each closed
    or sent back again in the final-check window (the Admin may look)."""
    ps = akses.get_peserta_for_user(request, tahun, kode)
    tpi = akses.tpi_ditugaskan(request.user, ps)
    if not (tpi or permissions.is_admin(request.user)):
        raise PermissionDenied
    form = None
    if request.method == "POST":
        if not tpi:
            raise PermissionDenied
        form = PeriksaForm(request.POST, peserta=ps)
        if form.is_valid():
            d = form.cleaned_data
            try:
                if d["aksi"] == PeriksaForm.TUTUP:
                    p = services.tutup_pengembalian(pengembalian=d["butir"], oleh=request.user)
                    pesan = _("Soal %(k)s ditutup.")
                else:
                    p = services.kembalikan_lagi(pengembalian=d["butir"], alasan=d["alasan"],
                                                 oleh=request.user)
                    pesan = _("Soal %(k)s dikembalikan lagi ke unit.")
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, pesan % {"k": p.soal.kode})
                return redirect("evaluasi:periksa_ulang", tahun, kode)
    return render(request, "evaluasi/periksa_ulang.html", {
        "peserta": ps, "butir": selectors.soal_dikembalikan(ps, StatusPengembalian.DIPERBAIKI),
        "boleh": tpi, "galat": _galat(form) if form else "",
        "terbuka": jendela.langkah_terbuka(ps, Langkah.PEMERIKSAAN)},
        status=400 if form and form.errors else 200)

