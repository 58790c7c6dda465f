"""Semester reports: list, draft (narrative, submit, return, sign), preview, downloads,
and the public verification page."""

import hashlib

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from bukti_dukung.kebutuhan import daftar_kebutuhan
from organisasi import permissions
from organisasi.models import nama_pengguna
from rencana_aksi.akses import get_rencana_kerja_for_user
from rencana_aksi.services import KonflikVersi
from rencana_aksi.views import XLSX_TYPE

from . import proses, services, tanda, tte
from .akses import get_laporan_for_user, get_laporan_tertanda_for_user
from .cetak import html_laporan
from .ekspor import status_xlsx as buat
from .forms import AksiLaporanForm, KodeVerifikasiForm, LogoForm
from .models import JenisProses, Laporan, LaporanTertanda, Proses, Semester, StatusLaporan, StatusProses
from .selectors import batas_semester, kunci_item, nip_pengguna
from .views_proses import proses_terbaru, siapkan

MAKS_VERIFIKASI = 50 * 1024 * 1024


class NaskahForm(forms.Form):
    versi = forms.IntegerField(widget=forms.HiddenInput)
    ringkasan = forms.CharField(label=gettext_lazy("Ringkasan"), required=False,
                                widget=forms.Textarea(attrs={"rows": 4}))
    kendala = forms.CharField(label=gettext_lazy("Kendala"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    tindak_lanjut = forms.CharField(label=gettext_lazy("Tindak lanjut"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}))


@login_required
def daftar(request, kode, tahun):
    """Both semesters of a plan with their state and every signed version."""
    rk = get_rencana_kerja_for_user(request, kode, tahun)
    if not permissions.can_view_report(request.user, rk.unit):
        raise PermissionDenied
    ada = {lap.semester: lap for lap in Laporan.objects.filter(rencana_kerja=rk)}
    tertanda = list(LaporanTertanda.objects.filter(laporan__rencana_kerja=rk)
                    .select_related("laporan").order_by("laporan__semester", "-nomor"))
    baris = []
    for s in Semester:
        lap = ada.get(s.value) or Laporan(rencana_kerja=rk, semester=s.value)
        baris.append({"laporan": lap, "label": s.label,
                      "tertanda": [t for t in tertanda if t.laporan.semester == s.value]})
    return render(request, "laporan/daftar_laporan.html", {
        "rk": rk, "baris": baris, "bisa_tulis": permissions.can_write_report(request.user, rk.unit),
        "daftar_proses": proses_terbaru(rk)})


@login_required
@require_http_methods(["GET", "POST"])
def laporan_semester(request, kode, tahun, semester):
    """The draft: the Sekretaris writes and submits, the Kepala Dinas returns or signs."""
    laporan = get_laporan_for_user(request, kode, tahun, semester)
    rk = laporan.rencana_kerja
    user = request.user
    bisa_tulis = permissions.can_write_report(user, rk.unit)
    bisa_tanda = permissions.can_sign_report(user, rk.unit)
    hari, _sampai = batas_semester(rk.tahun, laporan.semester)
    items = [dict(it, kunci=kunci_item(it["bukti_dukung_id"], it["bulan"]))
             for it in daftar_kebutuhan(rk, status="terlambat", hari=hari)]
    form = NaskahForm(initial={"versi": laporan.versi, "ringkasan": laporan.ringkasan,
                               "kendala": laporan.kendala,
                               "tindak_lanjut": laporan.tindak_lanjut})
    catatan_item = laporan.tindak_lanjut_item or {}
    status, galat, belum_tersimpan = 200, None, None
    if request.method == "POST":
        try:
            hasil = _jalankan(request, laporan, bisa_tulis, bisa_tanda, items)
        except KonflikVersi as exc:
            galat, status = exc.messages[0], 409
        except ValidationError as exc:
            galat, status = exc.messages[0], 400
        else:
            if hasil is not None:
                return hasil
        if laporan.pk:
            laporan.refresh_from_db()  # the saved state, shown beside the user's input
        if "ringkasan" in request.POST:  # keep what the user wrote; a second Simpan overwrites
            data = request.POST.copy()
            data["versi"] = laporan.versi
            form = NaskahForm(data)
            form.is_valid()
            isian = AksiLaporanForm(request.POST, kunci=[it["kunci"] for it in items])
            isian.is_valid()
            catatan_item = isian.tindak_lanjut_item()
            if laporan.status not in services.BISA_DIUBAH:  # submitted meanwhile: no form
                belum_tersimpan = {"ringkasan": data.get("ringkasan", ""),
                                   "kendala": data.get("kendala", ""),
                                   "tindak_lanjut": data.get("tindak_lanjut", ""),
                                   "item": [(it, catatan_item[it["kunci"]]) for it in items
                                            if catatan_item[it["kunci"]].strip()]}
            for it in items:  # the saved note beside the user's
                it["tersimpan"] = (laporan.tindak_lanjut_item or {}).get(it["kunci"], "")
    for it in items:
        it["catatan"] = catatan_item.get(it["kunci"], "")
    return render(request, "laporan/laporan_semester.html", {
        "rk": rk, "laporan": laporan, "form": form, "items": items, "hari": hari,
        "belum_tersimpan": belum_tersimpan,
        "bisa_tulis": bisa_tulis, "bisa_tanda": bisa_tanda, "galat": galat,
        "bisa_ubah": laporan.status in services.BISA_DIUBAH,
        "tertanda": laporan.tertanda.order_by("-nomor") if laporan.pk else [],
        "proses_tanda": _proses_tanda(laporan),
        "nip": nip_pengguna(user),
        "sertifikat": tte.sertifikat_aktif() if bisa_tanda else None,
    }, status=status)


def _proses_tanda(laporan):
    """The sign-off in progress, or the last one if it failed since the report last changed."""
    if not laporan.pk:
        return None
    t = (Proses.objects.filter(rencana_kerja=laporan.rencana_kerja, semester=laporan.semester,
                              jenis=JenisProses.TANDATANGANI).order_by("-dibuat_pada").first())
    if t is None:
        return None
    t.berjalan = proses.masih_berjalan(t)  # a stuck one no longer holds the report
    if t.berjalan or (not t.aktif and t.status == StatusProses.GAGAL and t.selesai_pada
                      and t.selesai_pada > laporan.diubah_pada):
        return t
    return None


def _jalankan(request, laporan, bisa_tulis, bisa_tanda, items):
    """Carry out one action of the draft page; a redirect when done."""
    user = request.user
    form = AksiLaporanForm(request.POST, kunci=[it["kunci"] for it in items])
    form.is_valid()
    d = form.cleaned_data
    if "versi" not in d:
        raise ValidationError(_("Formulir tidak lengkap; muat ulang halaman."))
    versi, aksi = d["versi"], d.get("aksi")
    if aksi in ("simpan", "ajukan") and not bisa_tulis:
        raise PermissionDenied
    if aksi in ("kembalikan", "tandatangani", "konfirmasi_tanda") and not bisa_tanda:
        raise PermissionDenied
    if aksi is None:
        raise ValidationError(_("Tindakan tidak dikenal."))
    if aksi in ("simpan", "ajukan") and "ringkasan" in form.data:  # the draft form: save first
        laporan = services.simpan_draf(
            laporan=laporan, versi=versi, user=user, ringkasan=d["ringkasan"],
            kendala=d["kendala"], tindak_lanjut=d["tindak_lanjut"],
            tindak_lanjut_item=form.tindak_lanjut_item())
        versi = laporan.versi
        messages.success(request, _("Draf laporan disimpan."))
    if aksi == "ajukan":
        services.ajukan(laporan=laporan, versi=versi, user=user)
        messages.success(request, _("Laporan diajukan ke Kepala Dinas."))
    elif aksi == "kembalikan":
        services.kembalikan(laporan=laporan, versi=versi, user=user, catatan=d["catatan"])
        messages.success(request, _("Laporan dikembalikan ke Sekretaris dengan catatan."))
    elif aksi == "tandatangani":  # step 1: checked, then confirmed with the password
        nip = services.periksa_tandatangani(laporan=laporan, versi=versi, nip=d["nip"])
        return _konfirmasi(request, laporan, versi, nip)
    elif aksi == "konfirmasi_tanda":  # step 2: rendered, signed and frozen by the worker
        nip = services.periksa_tandatangani(laporan=laporan, versi=versi, nip=d["nip"])
        galat = tanda.periksa_konfirmasi(request, setuju=d.get("setuju"),
                                         kata_sandi=d.get("kata_sandi"))
        if galat:
            return _konfirmasi(request, laporan, versi, nip, galat=galat)
        url = request.build_absolute_uri(reverse("laporan:verifikasi_kode",
                                                 args=[proses.PENANDA_KODE]))
        t = proses.antrekan(jenis=JenisProses.TANDATANGANI, rk=laporan.rencana_kerja, user=user,
                           semester=laporan.semester,
                           parameter={"versi": versi, "nip": nip, "url_verifikasi": url})
        return redirect("laporan:proses", pk=t.pk)
    rk = laporan.rencana_kerja
    return redirect("laporan:laporan_semester", kode=rk.unit.kode, tahun=rk.tahun,
                    semester=laporan.semester)


def _konfirmasi(request, laporan, versi, nip, galat=None):
    """The confirmation step before a sign-off: what will be signed, as whom, with which
    certificate; the password asked again."""
    rk = laporan.rencana_kerja
    args = [rk.unit.kode, rk.tahun, laporan.semester]
    halaman = reverse("laporan:laporan_semester", args=args)
    return render(request, "laporan/konfirmasi_tanda.html", {
        "rk": rk, "laporan": laporan, "nip": nip, "galat": galat,
        "dokumen": _("Laporan ZI %(s)s %(t)s, %(u)s (versi isian %(v)s)") % {
            "s": laporan.get_semester_display(), "t": rk.tahun, "u": rk.unit.nama, "v": versi},
        "penandatangan": nama_pengguna(request.user), "sertifikat": tte.sertifikat_aktif(),
        "aksi_url": halaman, "batal_url": halaman, "aksi": "konfirmasi_tanda",
        "pratinjau_url": reverse("laporan:pratinjau_laporan", args=args),
        "tersembunyi": [("versi", versi), ("nip", nip)],
        "pernyataan": _("Saya telah membaca laporan ini, menyetujui isinya, dan "
                        "menandatanganinya secara elektronik. Versi ini dibekukan dan tidak "
                        "berubah lagi."),
    }, status=400 if galat else 200)


@login_required
def pratinjau(request, kode, tahun, semester):
    """The draft as HTML, exactly what goes into the PDF."""
    laporan = get_laporan_for_user(request, kode, tahun, semester)
    return HttpResponse(html_laporan(laporan.rencana_kerja, laporan.semester, laporan))


@login_required
@require_http_methods(["GET", "POST"])
def pdf_draf(request, kode, tahun, semester):
    """POST queues the draft PDF (laporan.proses) and shows its status; GET lists the drafts
    prepared lately with a button to prepare a new one."""
    laporan = get_laporan_for_user(request, kode, tahun, semester)
    return siapkan(request, JenisProses.PDF_DRAF, laporan.rencana_kerja, laporan.semester)


@login_required
def unduh_tertanda(request, pk):
    lt = get_laporan_tertanda_for_user(request, pk)
    resp = FileResponse(lt.berkas.open("rb"), as_attachment=True,
                        filename=proses.nama_berkas_laporan(
                            lt.laporan.rencana_kerja, lt.laporan.semester,
                            f"v{lt.nomor}-ditandatangani"),
                        content_type="application/pdf")
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


@require_http_methods(["GET", "POST"])
def verifikasi(request, kode=None):
    """No login: is this PDF (uploaded) or this code a signed ZI report or LHE?"""
    cari = KodeVerifikasiForm(request.GET)
    kode = kode or (cari.cleaned_data["kode"] if cari.is_valid() else "")
    hasil, diperiksa, galat, status, ttd = None, False, None, 200, None
    if request.method == "POST":
        f = request.FILES.get("berkas")
        if f is None:
            galat, status = _("Pilih berkas PDF laporan yang akan diperiksa."), 400
        elif f.size == 0:
            galat, status = _("Berkas kosong; pilih berkas PDF laporan."), 400
        elif f.size > MAKS_VERIFIKASI:
            galat, status = _("Berkas terlalu besar untuk diperiksa (maks. 50 MB)."), 400
        else:
            data = b"".join(f.chunks())
            hasil, diperiksa = tanda.cari_tertanda(sha256=hashlib.sha256(data).hexdigest()), True
            ttd = tte.periksa_pdf(data)
            if hasil is None:
                status = 404
    elif kode:
        hasil, diperiksa = tanda.cari_tertanda(kode=kode), True
        if hasil is None:
            status = 404
        else:  # the stored file's own signature
            with hasil.berkas.open("rb") as stored:
                ttd = tte.periksa_pdf(stored.read())
    return render(request, "laporan/verifikasi.html", {
        "hasil": hasil, "diperiksa": diperiksa, "kode": kode, "galat": galat, "tanda": ttd,
        "lewat_berkas": request.method == "POST", "ditandatangani": StatusLaporan.DITANDATANGANI,
    }, status=status)


@login_required
@require_http_methods(["POST"])
def atur_logo(request, kode, tahun):
    """The Sekretaris uploads or removes the unit's logo (report cover)."""
    rk = get_rencana_kerja_for_user(request, kode, tahun)
    if not permissions.can_write_report(request.user, rk.unit):
        raise PermissionDenied
    try:
        logo = LogoForm(request.POST)
        if logo.is_valid() and logo.cleaned_data["hapus"]:
            services.hapus_logo(unit=rk.unit)
            messages.success(request, _("Logo dihapus."))
        elif "logo" in request.FILES:
            services.simpan_logo(unit=rk.unit, f=request.FILES["logo"])
            messages.success(request, _("Logo disimpan; tampil pada sampul laporan."))
        else:
            messages.error(request, _("Pilih berkas logo (PNG atau JPG)."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("laporan:daftar_laporan", kode=kode, tahun=tahun)


@login_required
def logo(request, kode, tahun):
    rk = get_rencana_kerja_for_user(request, kode, tahun)
    if not rk.unit.logo:
        raise Http404
    resp = FileResponse(rk.unit.logo.open("rb"),
                        content_type="image/png" if rk.unit.logo.name.endswith(".png")
                        else "image/jpeg")
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


@login_required
def status_xlsx(request, kode, tahun):
    """The plan with its status, for those who still live in Excel."""

    rk = get_rencana_kerja_for_user(request, kode, tahun)
    if not permissions.can_view_report(request.user, rk.unit):
        raise PermissionDenied
    resp = HttpResponse(buat(rk), content_type=XLSX_TYPE)
    resp["Content-Disposition"] = f'attachment; filename="status-zi-{rk.unit.kode}-{rk.tahun}.xlsx"'
    return resp


@login_required
@require_http_methods(["GET", "POST"])
def bundel_bukti(request, kode, tahun):
    """Every approved evidence file of the plan in one ZIP with an index, built by the
    background worker: POST queues it, GET lists the bundles prepared lately."""
    rk = get_rencana_kerja_for_user(request, kode, tahun)
    if not permissions.can_view_report(request.user, rk.unit):
        raise PermissionDenied
    return siapkan(request, JenisProses.BUNDEL_BUKTI, rk)
