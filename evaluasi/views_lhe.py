"""The LHE pages: the ketua's editor (notes per area, snippets), the HTML and PDF drafts,
the two-step sign-off (laporan's rule), the signed PDF, and the TPI's snippets."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from laporan import tanda, tte
from laporan.proses import PENANDA_KODE
from laporan.selectors import nip_pengguna
from organisasi import permissions
from organisasi.models import nama_pengguna

from . import akses, lhe
from .forms import CatatanLheForm, TandaLheForm, TemplatCatatanForm
from .models import TemplatCatatan


def _pdf(data, nama):
    resp = HttpResponse(data, content_type="application/pdf")
    resp["Content-Disposition"] = f'inline; filename="{nama}"'
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


def _editor(request, ps, isi, form, ketua, galat=None, status=200, nip=None):
    return render(request, "evaluasi/lhe.html", {
        "peserta": ps, "isi": isi, "form": form, "ketua": ketua, "galat": galat,
        "baris": [{"a": a, "catatan": form[f"catatan-{a['area'].kode}"],
                   "rekomendasi": form[f"rekomendasi-{a['area'].kode}"],
                   "templat": form[f"templat-{a['area'].kode}"]} for a in isi["areas"]],
        "tertanda": list(ps.lhe_tertanda.order_by("-nomor")),
        "nip": (nip if nip is not None else nip_pengguna(request.user)) if ketua else "",
        "sertifikat": tte.sertifikat_aktif() if ketua else None,
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def editor(request, tahun, kode):
    """The LHE draft: the ketua TPI writes a note and a recommendation per area and inserts
    snippets; the other assigned TPI and the Admin read it."""
    ps = akses.get_peserta_for_lhe(request, tahun, kode)
    ketua = akses.ketua_tpi(request.user, ps)
    isi = lhe.isi_lhe(ps)
    areas = [a["area"] for a in isi["areas"]]
    templat = TemplatCatatan.objects.untuk(request.user)
    awal = {}
    for a in isi["areas"]:
        awal[f"catatan-{a['area'].kode}"] = a["catatan"].catatan
        awal[f"rekomendasi-{a['area'].kode}"] = a["catatan"].rekomendasi
    if request.method != "POST":
        return _editor(request, ps, isi, CatatanLheForm(initial=awal, areas=areas,
                                                        templat=templat), ketua)
    if not ketua:
        raise PermissionDenied
    form = CatatanLheForm(request.POST, areas=areas, templat=templat)
    if not form.is_valid():
        return _editor(request, ps, isi, form, ketua, status=400)
    if form.cleaned_data["sisipkan"]:  # shown again with the snippet, not saved yet
        form = CatatanLheForm(form.disisipkan(), areas=areas, templat=templat)
        form.is_valid()
        messages.info(request, _("Templat disisipkan. Periksa, lalu simpan."))
        return _editor(request, ps, isi, form, ketua)
    try:
        lhe.simpan_catatan(peserta=ps, isi=form.isi(), oleh=request.user)
    except ValidationError as exc:
        return _editor(request, ps, isi, form, ketua, galat=exc.messages[0], status=400)
    messages.success(request, _("Catatan LHE disimpan."))
    return redirect("evaluasi:lhe", tahun, kode)


@login_required
def pratinjau(request, tahun, kode):
    """The draft as HTML, exactly what goes into the PDF."""
    ps = akses.get_peserta_for_lhe(request, tahun, kode)
    return HttpResponse(lhe.html_lhe(ps))


@login_required
def draf_pdf(request, tahun, kode):
    """The draft PDF, marked DRAF (a few pages: rendered in the request)."""
    ps = akses.get_peserta_for_lhe(request, tahun, kode)
    return _pdf(lhe.pdf_lhe(ps), lhe.nama_berkas(ps, "draf"))


@login_required
@require_POST
def tandatangani(request, tahun, kode):
    """The ketua's sign-off in two steps, as the semester report's: the NIP (checked),
    then a confirmation with the password; then rendered, signed and frozen at once."""
    ps = akses.get_peserta_for_ketua(request, tahun, kode)
    form = TandaLheForm(request.POST)
    if not form.is_valid():
        pesan = form.errors.get("nip") or [_("Formulir tidak lengkap; muat ulang halaman.")]
        return _gagal(request, ps, pesan[0])
    d = form.cleaned_data
    try:
        nip = lhe.periksa_tandatangani(peserta=ps, nip=d["nip"])
    except ValidationError as exc:
        return _gagal(request, ps, exc.messages[0], d["nip"])
    if d["aksi"] == "tandatangani":
        return _konfirmasi(request, ps, nip, lhe.sidik_draf(ps))
    galat = tanda.periksa_konfirmasi(request, setuju=d["setuju"], kata_sandi=d["kata_sandi"])
    if galat:
        return _konfirmasi(request, ps, nip, d["sidik"], galat)
    url = request.build_absolute_uri(reverse("laporan:verifikasi_kode", args=[PENANDA_KODE]))
    try:
        dok = lhe.tandatangani(peserta=ps, user=request.user, nip=nip, sidik=d["sidik"],
                               url_verifikasi=lambda k: url.replace(PENANDA_KODE, k))
    except ValidationError as exc:
        return _gagal(request, ps, exc.messages[0], nip)
    messages.success(request, _("LHE ditandatangani (versi %(n)s), kode verifikasi %(k)s.")
                     % {"n": dok.nomor, "k": dok.kode_verifikasi})
    return redirect("evaluasi:lhe", tahun, kode)


def _gagal(request, ps, galat, nip=None):
    isi = lhe.isi_lhe(ps)
    areas = [a["area"] for a in isi["areas"]]
    awal = {f"{j}-{a['area'].kode}": getattr(a["catatan"], j)
            for a in isi["areas"] for j in ("catatan", "rekomendasi")}
    form = CatatanLheForm(initial=awal, areas=areas,
                          templat=TemplatCatatan.objects.untuk(request.user))
    return _editor(request, ps, isi, form, True, galat=galat, status=400, nip=nip)


def _konfirmasi(request, ps, nip, sidik, galat=None):
    args = [ps.putaran.tahun, ps.unit.kode]
    return render(request, "evaluasi/lhe_konfirmasi.html", {
        "peserta": ps, "nip": nip, "galat": galat,
        "dokumen": _("Laporan Hasil Evaluasi %(t)s, %(u)s") % {"t": ps.putaran.tahun,
                                                               "u": ps.unit.nama},
        "penandatangan": nama_pengguna(request.user), "sertifikat": tte.sertifikat_aktif(),
        "aksi_url": reverse("evaluasi:lhe_tandatangani", args=args),
        "batal_url": reverse("evaluasi:lhe", args=args),
        "pratinjau_url": reverse("evaluasi:lhe_pratinjau", args=args),
        "aksi": "konfirmasi_tanda", "tersembunyi": [("nip", nip), ("sidik", sidik)],
        "pernyataan": _("Saya telah membaca LHE ini, menyetujui isinya, dan menandatanganinya "
                        "secara elektronik sebagai ketua TPI. Versi ini dibekukan dan tidak "
                        "berubah lagi."),
    }, status=400 if galat else 200)


@login_required
def unduh(request, tahun, kode, nomor):
    """A signed LHE as stored: the TPI, the Admin, the unit's Sekretaris and Kepala Dinas."""
    dok = akses.get_lhe_tertanda_for_user(request, tahun, kode, nomor)
    resp = FileResponse(dok.berkas.open("rb"), as_attachment=True,
                        filename=lhe.nama_berkas(dok.peserta, f"v{dok.nomor}-ditandatangani"),
                        content_type="application/pdf")
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


def _periksa_tpi(request):
    if not permissions.is_tpi(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def templat(request):
    """The TPI's snippets: its own (to delete) and those shared; a new one."""
    _periksa_tpi(request)
    form = TemplatCatatanForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        form.instance.pemilik = request.user
        form.save()
        messages.success(request, _("Templat catatan disimpan."))
        return redirect("evaluasi:templat")
    return render(request, "evaluasi/templat.html", {
        "form": form, "templat": TemplatCatatan.objects.untuk(request.user)
        .select_related("pemilik")}, status=400 if form.errors else 200)


@login_required
@require_POST
def hapus_templat(request, pk):
    _periksa_tpi(request)
    t = get_object_or_404(TemplatCatatan, pk=pk, pemilik=request.user)
    t.delete()
    messages.success(request, _("Templat catatan dihapus."))
    return redirect("evaluasi:templat")
