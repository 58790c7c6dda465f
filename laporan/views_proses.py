"""Background tasks as the user sees them: queue one, watch its status (htmx polling),
download its file, try a failed one again."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import proses as layanan
from .akses import get_proses_for_user
from .models import JenisProses, LaporanTertanda, Proses, Semester, StatusProses

JENIS_BERKAS = {".pdf": "application/pdf", ".zip": "application/zip"}
TERBARU = 8  # tasks listed on the report pages


def proses_terbaru(rk, jenis=None, semester=None):
    """The plan's latest tasks (newest first), for the lists on the report pages."""
    qs = Proses.objects.filter(rencana_kerja=rk).select_related("dibuat_oleh")
    if jenis:
        qs = qs.filter(jenis=jenis, semester=semester)
    return list(qs[:TERBARU])


def siapkan(request, jenis, rk, semester=None):
    """POST: queue the file and go to its status page. GET: the files prepared lately and
    a button (a bookmarked link must not start work by itself)."""
    galat = None
    if request.method == "POST":
        try:
            t = layanan.antrekan(jenis=jenis, rk=rk, user=request.user, semester=semester)
        except ValidationError as exc:
            galat = exc.messages[0]
        else:
            return redirect("laporan:proses", pk=t.pk)
    return render(request, "laporan/siapkan.html", {
        "rk": rk, "jenis": JenisProses(jenis), "semester": semester, "galat": galat,
        "label_semester": Semester(semester).label if semester else "",
        "daftar_proses": proses_terbaru(rk, jenis, semester)}, status=429 if galat else 200)


def _konteks(request, t):
    ctx = {"proses": t, "keadaan": layanan.keadaan(t), "di_depan": layanan.di_depan(t),
           "bisa_diulang": layanan.bisa_diulang(t), "rk": t.rencana_kerja,
           "bisa_dibatalkan": layanan.bisa_dibatalkan(t, request.user)}
    if t.jenis == JenisProses.TANDATANGANI and t.status == StatusProses.SELESAI:
        ctx["tertanda"] = LaporanTertanda.objects.filter(pk=t.hasil.get("tertanda")).first()
    return ctx


def proses(request, pk):
    """The task's status; while it is queued or running, the status box polls itself."""
    hx = request.headers.get("HX-Request")
    if not request.user.is_authenticated:
        if hx:  # the session ended while polling: the whole page goes to the sign-in
            resp = HttpResponse(status=204)
            resp["HX-Redirect"] = f"{resolve_url(settings.LOGIN_URL)}?next={request.path}"
            return resp
        return redirect_to_login(request.get_full_path())
    t = get_proses_for_user(request, pk)
    if hx:
        return render(request, "laporan/_proses_status.html", _konteks(request, t))
    return render(request, "laporan/proses.html", _konteks(request, t))


@login_required
def unduh_proses(request, pk):
    t = get_proses_for_user(request, pk)
    if t.status != StatusProses.SELESAI or not t.berkas:
        raise Http404
    ext = t.berkas.name[t.berkas.name.rfind("."):]
    resp = FileResponse(t.berkas.open("rb"), as_attachment=True, filename=t.nama_berkas,
                        content_type=JENIS_BERKAS.get(ext, "application/octet-stream"))
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


@login_required
@require_POST
def ulangi_proses(request, pk):
    t = get_proses_for_user(request, pk)
    try:
        baru = layanan.ulangi(t, request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("laporan:proses", pk=t.pk)
    return redirect("laporan:proses", pk=baru.pk)


@login_required
@require_POST
def batalkan_proses(request, pk):
    t = get_proses_for_user(request, pk)
    try:
        layanan.batalkan(t, request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Proses dibatalkan."))
    return redirect("laporan:proses", pk=t.pk)
