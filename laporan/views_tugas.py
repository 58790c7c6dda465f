"""Background tasks as the user sees them: queue one, watch its status (htmx polling),
download its file, try a failed one again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zona_integritas import permissions

from . import tugas as layanan
from .models import JenisTugas, LaporanTertanda, StatusTugas, Tugas

JENIS_BERKAS = {".pdf": "application/pdf", ".zip": "application/zip"}
TERBARU = 8  # tasks listed on the report pages


def tugas_terbaru(rk, jenis=None, semester=None):
    """The plan's latest tasks (newest first), for the lists on the report pages."""
    qs = Tugas.objects.filter(rencana_kerja=rk).select_related("dibuat_oleh")
    if jenis:
        qs = qs.filter(jenis=jenis, semester=semester)
    return list(qs[:TERBARU])


def siapkan(request, jenis, rk, semester=None):
    """POST: queue the file and go to its status page. GET: the files prepared lately and
    a button (a bookmarked link must not start work by itself)."""
    if request.method == "POST":
        t = layanan.antrekan(jenis=jenis, rk=rk, user=request.user, semester=semester)
        return redirect("laporan:tugas", pk=t.pk)
    return render(request, "laporan/siapkan.html", {
        "rk": rk, "jenis": JenisTugas(jenis), "semester": semester,
        "daftar_tugas": tugas_terbaru(rk, jenis, semester)})


def _konteks(t):
    ctx = {"tugas": t, "keadaan": layanan.keadaan(t), "di_depan": layanan.di_depan(t),
           "bisa_diulang": layanan.bisa_diulang(t), "rk": t.rencana_kerja}
    if t.jenis == JenisTugas.TANDATANGANI and t.status == StatusTugas.SELESAI:
        ctx["tertanda"] = LaporanTertanda.objects.filter(pk=t.hasil.get("tertanda")).first()
    return ctx


@login_required
def tugas(request, pk):
    """The task's status; while it is queued or running, the status box polls itself."""
    t = permissions.get_tugas_for_user(request, pk)
    if request.headers.get("HX-Request"):
        return render(request, "laporan/_tugas_status.html", _konteks(t))
    return render(request, "laporan/tugas.html", _konteks(t))


@login_required
def unduh_tugas(request, pk):
    t = permissions.get_tugas_for_user(request, pk)
    if t.status != StatusTugas.SELESAI or not t.berkas:
        raise Http404
    ext = t.berkas.name[t.berkas.name.rfind("."):]
    resp = FileResponse(t.berkas.open("rb"), as_attachment=True, filename=t.nama_berkas,
                        content_type=JENIS_BERKAS.get(ext, "application/octet-stream"))
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


@login_required
@require_POST
def ulangi_tugas(request, pk):
    t = permissions.get_tugas_for_user(request, pk)
    try:
        baru = layanan.ulangi(t, request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("laporan:tugas", pk=t.pk)
    return redirect("laporan:tugas", pk=baru.pk)
