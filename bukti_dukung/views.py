
import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organisasi import permissions
from organisasi.models import Peran, nama_pengguna
from rencana_aksi.akses import get_bukti_dukung_for_user, get_indikator_for_user, get_rencana_aksi_for_user
from rencana_aksi.models import Area, RencanaKerja

from . import services
from .akses import get_berkas_for_user, get_pengajuan_for_user
from .angka import hitung, periksa, rumus_indikator
from .forms import (
    AksiTinjauanForm,
    AntreanFilterForm,
    HapusBerkasForm,
    IsianNilaiForm,
    KeputusanForm,
    LogFilterForm,
    PengaturanUnitForm,
    PilihRencanaForm,
    PilihTerpilihForm,
    UnggahForm,
)
from .kebutuhan import perlu_tindakan
from .models import NilaiIsian
from .pratinjau import buat_pratinjau
from .selectors import (
    _sumber_log,
    antrean_tinjauan,
    hari_ini,
    isi_log,
    log_unit,
    perlu_perbaikan,
    riwayat_pengajuan,
    sel_rencana_aksi,
    tugas_untuk,
)


@login_required
def bukti_rencana_aksi(request, pk):
    """An action's evidence: each bukti dukung x target month (or occurrence) with its state,
    files by version, and an upload form; the indikator's numeric inputs."""
    ra = get_rencana_aksi_for_user(request, pk)
    return _halaman_bukti(request, ra)


def _halaman_bukti(request, ra, isian_isi=None, isian_galat=None, status=200):
    rk = ra.indikator.komponen.area_rencana.rencana_kerja
    isian, persen = _isian_indikator(ra.indikator, isian_isi)
    return render(request, "bukti_dukung/rencana_aksi.html", {
        "ra": ra, "rk": rk, "baris": sel_rencana_aksi(ra), "isian": isian, "persen": persen,
        "isian_galat": isian_galat or [],
        "bisa_unggah": permissions.can_upload_to(request.user, ra),
        "dibatasi": permissions.can_upload(request.user, rk.unit) and not
        permissions.can_upload_to(request.user, ra),
        "bisa_tinjau": permissions.can_review(request.user, rk.unit),
        "maks_mb": services.settings.ZI_MAKS_UKURAN_MB,
    }, status=status)


def _ke(request, url):
    """Redirect, or for the progress-bar upload (XHR) the URL to go to: the messages are
    kept for that page."""
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        return JsonResponse({"url": url})
    return redirect(url)


def _isian_indikator(ind, isi=None):
    """The indikator's numeric sub-rows with their saved values (or what the user typed,
    `isi`, when it was refused) and the derived percentages of the saved values."""

    isian = list(ind.isian.all())
    nilai = {n.isian_id: n for n in NilaiIsian.objects.filter(isian__in=isian)}
    dihitung = {s.pk for s in isian if s.jenis == "persentase"} if rumus_indikator(isian) else set()
    baris = []
    for s in isian:
        n = nilai.get(s.pk)
        if isi is not None and s.pk in isi:
            shown = isi[s.pk]
        else:
            shown = "" if n is None or n.nilai is None else format(n.nilai.normalize(), "f")
        baris.append({"isian": s, "nilai": n, "isi": shown, "dihitung": s.pk in dihitung})
    return baris, hitung(isian, {k: v.nilai for k, v in nilai.items()})


@login_required
@require_POST
def isian_simpan(request, pk):
    ind = get_indikator_for_user(request, pk)
    unit = ind.komponen.area_rencana.rencana_kerja.unit
    if not permissions.can_upload(request.user, unit):
        raise PermissionDenied
    if not any(permissions.can_upload_to(request.user, ra) for ra in ind.rencana_aksi.all()):
        messages.error(request, _("Sekretaris membatasi isian: Anda hanya dapat mengisi angka "
                                  "untuk rencana aksi yang menjadi tanggung jawab Anda."))
        return redirect("rencana_aksi:rencana", kode=unit.kode,
                        tahun=ind.komponen.area_rencana.rencana_kerja.tahun)
    form = IsianNilaiForm(request.POST, isian=list(ind.isian.all()))
    nilai, versi, isi, salah = form.baca()
    ra_pk = form.ra_pk()
    ra = ind.rencana_aksi.filter(pk=ra_pk).first() if ra_pk else None
    ra = ra or ind.rencana_aksi.first()
    url = reverse("bukti_dukung:rencana_aksi", args=[ra.pk])
    labels = {s.pk: s.label for s in ind.isian.all()}

    salah.update({k: v for k, v in periksa(list(ind.isian.all()), nilai).items() if k not in salah})
    if not salah:
        try:
            services.simpan_isian(indikator=ind, user=request.user, nilai=nilai, versi=versi)
        except services.KonflikTinjauan as exc:
            messages.error(request, exc.messages[0])
            return redirect(url + f"#isian-{ind.pk}")
        messages.success(request, _("Isian angka disimpan."))
        return redirect(url + f"#isian-{ind.pk}")
    galat = [_("“%(label)s”: “%(isi)s” %(pesan)s") % {"label": labels[k], "isi": isi.get(k, ""),
                                                       "pesan": m} for k, m in salah.items()]
    return _halaman_bukti(request, ra, isian_isi=isi, isian_galat=galat, status=400)


@login_required
@require_POST
def unggah(request, pk):
    bd = get_bukti_dukung_for_user(request, pk, upload=True)
    url = reverse("bukti_dukung:rencana_aksi", args=[bd.rencana_aksi_id])
    # Refuse an oversized request before its body is parsed (10 files at the limit).
    if int(request.META.get("CONTENT_LENGTH") or 0) > 10 * services.maks_ukuran() + 65536:
        messages.error(request, _("Unggahan terlalu besar: paling banyak 10 berkas sekaligus, "
                                  "masing-masing %s MB.") % services.settings.ZI_MAKS_UKURAN_MB)
        return _ke(request, url)
    form = UnggahForm(request.POST, request.FILES)
    # files over the limit were skipped while streaming in; the others go on
    for nama in getattr(request, "zi_terlalu_besar", []):
        messages.error(request, _("“%(nama)s” ditolak: melebihi batas %(maks)s MB.") % {
            "nama": nama, "maks": services.settings.ZI_MAKS_UKURAN_MB})
    if getattr(request, "zi_terlalu_besar", None) and not request.FILES:
        return _ke(request, url)
    if not permissions.can_upload_to(request.user, bd.rencana_aksi):
        messages.error(request, _("Sekretaris membatasi unggahan: Anda hanya dapat mengunggah "
                                  "untuk rencana aksi yang menjadi tanggung jawab Anda."))
        return _ke(request, url)
    if not form.is_valid():
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, e)
        return _ke(request, url)
    cd = form.cleaned_data
    try:
        hasil = services.unggah_bukti(
            bukti_dukung=bd, user=request.user, files=cd["berkas"], catatan=cd["catatan"],
            bulan=cd["bulan"], pengajuan_id=cd["pengajuan"],
            tanggal_kejadian=None if cd["bulan"] or cd["pengajuan"] else cd["tanggal_kejadian"],
            uraian_kejadian=cd["uraian_kejadian"])
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
        return _ke(request, url)
    if hasil.diterima:
        messages.success(request, _("%(n)s berkas tersimpan untuk “%(bd)s” dan menunggu "
                                    "tinjauan.") % {"n": len(hasil.diterima), "bd": bd.nama})
    for m in hasil.catatan:
        messages.info(request, m)
    for m in hasil.ditolak:
        messages.error(request, m)
    return _ke(request, f"{url}#bd-{bd.pk}")


def _berkas_untuk_dibaca(request, pk):
    """The file if the user may read it; deleted files only for the reviewer. A TPI
    member's opening is recorded (what the evaluator looked at)."""
    b = get_berkas_for_user(request, pk)
    unit = b.pengajuan.bukti_dukung.rencana_aksi.indikator.komponen.area_rencana.rencana_kerja.unit
    if b.dihapus_pada and not permissions.can_review(request.user, unit):
        raise Http404
    if Peran.TPI in permissions.peran_di_unit(request.user, unit):
        services.catat_dibuka(berkas=b, user=request.user)
    return b


def _header_aman(resp):
    resp["X-Content-Type-Options"] = "nosniff"
    resp["Content-Security-Policy"] = "default-src 'none'; sandbox"
    resp["Cache-Control"] = "private, no-store"
    return resp


@login_required
def unduh(request, pk):
    b = _berkas_untuk_dibaca(request, pk)
    try:
        f = b.berkas.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return _header_aman(FileResponse(f, as_attachment=True, filename=b.nama_asli,
                                     content_type=b.mime))


@login_required
def lihat(request, pk):
    """Preview: a PNG of the first page (PDF) or of the image, shown inline."""
    b = _berkas_untuk_dibaca(request, pk)
    png = buat_pratinjau(b) if b.bisa_pratinjau else None
    if png is None:
        raise Http404
    return _header_aman(HttpResponse(png, content_type="image/png"))


@login_required
@require_POST
def hapus(request, pk):
    b = get_berkas_for_user(request, pk, upload=True)
    if b.diunggah_oleh_id != request.user.pk and not permissions.can_review(
            request.user, b.pengajuan.bukti_dukung.rencana_aksi.indikator.komponen
            .area_rencana.rencana_kerja.unit):
        raise PermissionDenied
    form = HapusBerkasForm(request.POST)
    url = reverse("bukti_dukung:rencana_aksi", args=[b.pengajuan.bukti_dukung.rencana_aksi_id])
    if not form.is_valid():
        messages.error(request, _("Tuliskan alasan menghapus berkas."))
        return redirect(url)
    try:
        services.hapus_berkas(berkas=b, user=request.user, alasan=form.cleaned_data["alasan"])
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("“%s” dihapus.") % b.nama_asli)
    return redirect(url)


@login_required
def tugas_saya(request):
    """The user's assigned actions of the latest plan of their unit(s), by target month."""
    plans = list(RencanaKerja.objects.filter(
        unit__in=permissions.units_for_user(request.user)).select_related("unit")
        .order_by("unit__nama", "-tahun"))
    pilih = PilihRencanaForm(request.GET)
    pilih.is_valid()
    kode, tahun = pilih.cleaned_data.get("unit"), pilih.cleaned_data.get("tahun")
    rk = next((p for p in plans if p.unit.kode == kode and p.tahun == tahun),
              plans[0] if plans else None)
    groups = tugas_untuk(request.user, rk) if rk else []
    return render(request, "bukti_dukung/tugas_saya.html", {
        "rk": rk, "plans": plans, "groups": groups, "perbaikan": perlu_perbaikan(groups),
        "tindakan": perlu_tindakan(rk, request.user) if rk else None,
        "bulan_ini": hari_ini().replace(day=1),
    })


def _unit_pengajuan(p):
    return p.bukti_dukung.rencana_aksi.indikator.komponen.area_rencana.rencana_kerja.unit


@login_required
def antrean(request, kode):
    """The review queue of a unit (Sekretaris), oldest first, filterable."""
    unit = permissions.get_unit_for_user(request, kode)
    if not permissions.can_review(request.user, unit):
        raise PermissionDenied
    area, bulan, anggota, peringatan = AntreanFilterForm(request.GET, unit=unit).filter()
    for m in peringatan:
        messages.warning(request, m)
    anggota_qs = permissions.anggota_tim(unit)
    items = list(antrean_tinjauan(unit, area=area, anggota=anggota, bulan=bulan))
    return render(request, "bukti_dukung/antrean.html", {
        "unit": unit, "items": items, "areas": Area.objects.all(), "anggota_pilihan": anggota_qs,
        "f": {"area": area, "bulan": bulan, "anggota": anggota},
    })


@login_required
def tinjau(request, pk):
    """One item: its files (preview), history, and the decision."""
    p = get_pengajuan_for_user(request, pk, review=True)
    form = KeputusanForm(request.POST or None, initial={"versi": p.versi})
    status = 200
    if request.method == "POST":
        pilihan = AksiTinjauanForm(request.POST)
        aksi = pilihan.cleaned_data.get("aksi") if pilihan.is_valid() else None
        status = 400
        if form.is_valid():
            cd = form.cleaned_data
            fn = {"setujui": services.setujui, "perbaikan": services.minta_perbaikan,
                  "buka": services.buka_kembali}.get(aksi)
            if fn is None:
                form.add_error(None, _("Pilih keputusan."))
            else:
                kw = {"alasan": cd["komentar"]} if aksi == "buka" else {"komentar": cd["komentar"]}
                try:
                    fn(pengajuan=p, versi=cd["versi"], user=request.user, **kw)
                except services.KonflikTinjauan as exc:
                    form.add_error(None, exc.messages[0])
                    status = 409
                except ValidationError as exc:
                    form.add_error("komentar", exc.messages[0])
                else:
                    pesan = {"setujui": _("“%s” disetujui."),
                             "perbaikan": _("Perbaikan “%s” diminta; anggota melihat komentar Anda."),
                             "buka": _("“%s” dibuka kembali untuk diperbaiki.")}[aksi]
                    messages.success(request, pesan % p.bukti_dukung.nama)
                    unit = _unit_pengajuan(p)
                    return redirect("bukti_dukung:antrean", kode=unit.kode)
    berkas = list(p.berkas.select_related("diunggah_oleh").order_by("-putaran", "diunggah_pada"))
    riwayat_p = riwayat_pengajuan(p)
    return render(request, "bukti_dukung/tinjau.html", {
        "p": p, "form": form, "berkas": berkas, "riwayat": riwayat_p,
        "rk": p.bukti_dukung.rencana_aksi.indikator.komponen.area_rencana.rencana_kerja,
    }, status=status)


@login_required
@require_POST
def setujui_terpilih(request, kode):
    """Bulk approve the selected items, each with the same checks as one by one."""
    unit = permissions.get_unit_for_user(request, kode)
    if not permissions.can_review(request.user, unit):
        raise PermissionDenied
    ok, gagal = 0, []
    pilih = PilihTerpilihForm(request.POST).pasangan()
    if not pilih:
        messages.warning(request, _("Belum ada bukti yang dipilih."))
    for pk, versi in pilih:
        p = (services.Pengajuan.objects.milik_unit(unit).select_related("bukti_dukung")
             .filter(pk=pk).first())
        if p is None:
            continue  # not this unit's: ignored, nothing leaks
        try:
            services.setujui(pengajuan=p, versi=versi, user=request.user)
            ok += 1
        except ValidationError as exc:
            gagal.append(exc.messages[0])
    if ok:
        messages.success(request, _("%s bukti disetujui.") % ok)
    for m in gagal:
        messages.error(request, m)
    return redirect("bukti_dukung:antrean", kode=unit.kode)


LOG_PER_HALAMAN = 50


def _log_saringan(request, kode):
    """The unit (for its reviewer or the Admin), the log's kinds and its filters."""
    unit = permissions.get_unit_for_user(request, kode)
    if not permissions.can_review(request.user, unit) and not permissions.is_admin(request.user):
        raise PermissionDenied
    jenis_pilihan = [(s.key, s.nama) for s in _sumber_log()]
    f = LogFilterForm(request.GET, unit=unit, jenis_pilihan=jenis_pilihan).filter()
    return unit, jenis_pilihan, f


def _log_kunci(unit, f):
    return log_unit(unit, jenis=f["jenis"], user=f["pengguna"], sejak=f["sejak"],
                    sampai=f["sampai"])


@login_required
@require_GET
def log(request, kode):
    """The unit's audit log (read only; nobody edits or deletes it in the app), paged."""
    unit, jenis_pilihan, f = _log_saringan(request, kode)
    halaman = Paginator(_log_kunci(unit, f), LOG_PER_HALAMAN).get_page(f["halaman"])
    return render(request, "bukti_dukung/log.html", {
        "unit": unit, "entries": isi_log(halaman.object_list), "halaman": halaman,
        "jenis_pilihan": jenis_pilihan, "pengguna_pilihan": permissions.anggota_tim(unit),
        "nomor_halaman": halaman.paginator.get_elided_page_range(halaman.number, on_ends=1),
        "f": f, "saringan_url": LogFilterForm.url(f),
    })


def _sel_csv(v):
    """A cell as text: one starting like a formula gets a leading apostrophe, so that a
    spreadsheet never runs it."""
    v = str(v)
    return "'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") else v


@login_required
@require_GET
def log_csv(request, kode):
    """The whole filtered log as CSV (times in Asia/Jakarta), for the same readers."""
    unit, _jenis, f = _log_saringan(request, kode)
    kunci = list(_log_kunci(unit, f))
    resp = HttpResponse(content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="log-{unit.kode}.csv"'
    resp.write("\ufeff")  # Excel reads the file as UTF-8
    w = csv.writer(resp)
    w.writerow(["waktu", "pengguna", "jenis", "objek", "aksi", "perubahan"])
    for i in range(0, len(kunci), 500):
        for e in isi_log(kunci[i:i + 500]):
            w.writerow([_sel_csv(v) for v in (
                f"{timezone.localtime(e['date']):%Y-%m-%d %H:%M:%S}",
                nama_pengguna(e["user"]) or _("sistem"), capfirst(str(e["objek"])),
                e["label"], e["aksi"], "; ".join(str(p) for p in e["perubahan"]))])
    return resp


@login_required
@require_http_methods(["GET", "POST"])
def pengaturan_unit(request, kode):
    """The unit's settings page (its Sekretaris): members upload only to their own assigned
    actions."""
    unit = permissions.get_unit_for_user(request, kode)
    if not permissions.can_review(request.user, unit):
        raise PermissionDenied
    form = PengaturanUnitForm(request.POST if request.method == "POST" else None, instance=unit)
    if form.is_bound and form.is_valid():
        unit = form.save(commit=False)
        unit.save(update_fields=form.Meta.fields)
        messages.success(request, _("Pengaturan unit disimpan."))
        return redirect("bukti_dukung:pengaturan_unit", kode=unit.kode)
    return render(request, "bukti_dukung/pengaturan_unit.html", {"unit": unit, "form": form},
                  status=400 if form.is_bound else 200)
