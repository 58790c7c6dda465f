"""Long work off the request path: the draft PDF, the sign-off (render and freeze) and the
evidence ZIP. A request queues a Proses and returns at once; `manage.py db_worker` runs it
(django-tasks, database backend) and the user watches its status page."""

import logging
import tempfile
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task, task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from organisasi import permissions
from organisasi.models import nama_pengguna
from rencana_aksi.models import RencanaKerja

from . import services
from .cetak import pdf_laporan
from .ekspor import isi_bundel, zip_bundel
from .models import JenisProses, Laporan, Proses, StatusProses

logger = logging.getLogger(__name__)

# Past these, the status page says what is wrong instead of spinning forever.
TUNGGU_PEKERJA = timedelta(minutes=2)  # queued and never picked up: no worker is running
BATAS_BERJALAN = timedelta(minutes=30)  # running this long: the worker died under it
MAKS_AKTIF = 3  # tasks one user may have waiting or running at once
PENANDA_KODE = "KODE-VERIFIKASI"  # replaced by the code in the verification address
PESAN_GALAT = gettext_lazy("Terjadi kesalahan saat memproses proses ini. Coba lagi; bila terulang, "
                "hubungi Admin.")


PESAN_TERHENTI = gettext_lazy("Proses terhenti: pekerja latar berhenti sebelum selesai.")


def nama_berkas_laporan(rk, semester, akhiran):
    return f"laporan-zi-{rk.unit.kode}-{rk.tahun}-semester-{semester}-{akhiran}.pdf"


def proses_terhenti(sekarang=None):
    """Tasks whose worker died under them (running past BATAS_BERJALAN)."""
    sekarang = sekarang or timezone.now()
    return Proses.objects.filter(status=StatusProses.BERJALAN,
                                mulai_pada__lt=sekarang - BATAS_BERJALAN)


def akhiri_terhenti(sekarang=None):
    """Mark every stuck task failed, so its users can try again; the number marked."""
    return proses_terhenti(sekarang).update(status=StatusProses.GAGAL,
                                           selesai_pada=sekarang or timezone.now(),
                                           pesan=str(PESAN_TERHENTI))


def _pakai_antrean_db():
    return isinstance(task_backends[jalankan_proses.backend], DatabaseBackend)


def masih_berjalan(proses, sekarang=None):
    """Queued or running, and not stuck (a running task past BATAS_BERJALAN is dead)."""
    return proses.aktif and keadaan(proses, sekarang, cek_pekerja=False) != "terhenti"


def _antrean_hidup(proses):
    """Is the queue row of a waiting task still waiting? (It may have failed before the
    task was claimed, or been deleted in Administrasi.)"""
    if not _pakai_antrean_db():
        return True

    return DBTaskResult.objects.filter(id=proses.id_antrean, status="READY").exists()


def antrekan(*, jenis, rk, user, semester=None, parameter=None):
    """Queue a task and return it. A click while the same file is still waiting in the
    queue joins that task (it renders the data as of when it runs); a second sign-off of a
    report while one is pending returns the pending one."""

    sekarang = timezone.now()
    with transaction.atomic():
        # one request at a time per plan decides: a double click queues one task
        RencanaKerja.objects.select_for_update().filter(pk=rk.pk).first()
        sama = Proses.objects.filter(jenis=jenis, rencana_kerja=rk, semester=semester)
        if jenis == JenisProses.TANDATANGANI:
            ada = None
            for t in sama.filter(status__in=Proses.AKTIF):
                if masih_berjalan(t, sekarang):
                    ada = t
                else:  # stuck: given up, so the report can be signed again
                    _akhiri(t, str(PESAN_TERHENTI))
        else:
            ada = sama.filter(status=StatusProses.ANTRE).first()
        if ada is not None and ada.status == StatusProses.ANTRE and not _antrean_hidup(ada):
            _akhiri(ada, _("Proses ini tidak diproses oleh pekerja latar; disiapkan ulang."))
            ada = None
        if ada is not None:
            return ada
        aktif = [t for t in Proses.objects.filter(dibuat_oleh=user, status__in=Proses.AKTIF)
                 if masih_berjalan(t, sekarang)]
        if len(aktif) >= MAKS_AKTIF:
            raise ValidationError(_("Anda masih punya %(n)s proses yang sedang disiapkan. Tunggu "
                                    "sampai selesai, lalu coba lagi.") % {"n": len(aktif)})
        proses = Proses.objects.create(jenis=jenis, rencana_kerja=rk, semester=semester,
                                     dibuat_oleh=user, parameter=parameter or {})
        # same transaction: the queue row exists exactly when the Proses does
        hasil = jalankan_proses.enqueue(str(proses.pk))
        Proses.objects.filter(pk=proses.pk).update(id_antrean=str(hasil.id))
    proses.refresh_from_db()
    return proses


def _akhiri(proses, pesan, dari=Proses.AKTIF):
    """Mark a queued or stuck task failed (if it still is): its worker, should it come
    back, finds it taken and does nothing."""
    return Proses.objects.filter(pk=proses.pk, status__in=dari).update(
        status=StatusProses.GAGAL, selesai_pada=timezone.now(), pesan=pesan)


def keadaan(proses, sekarang=None, cek_pekerja=True):
    """What the status page says beyond the status: "menunggu_pekerja" when a task has
    waited a while and no worker has started or finished anything meanwhile (a busy queue
    is not a missing worker), "terhenti" when a running one outlived BATAS_BERJALAN."""
    sekarang = sekarang or timezone.now()
    if proses.status == StatusProses.ANTRE and sekarang - proses.dibuat_pada > TUNGGU_PEKERJA:
        if cek_pekerja and not _pekerja_aktif(sekarang - TUNGGU_PEKERJA):
            return "menunggu_pekerja"
    if proses.status == StatusProses.BERJALAN and proses.mulai_pada and \
            sekarang - proses.mulai_pada > BATAS_BERJALAN:
        return "terhenti"
    return ""


def _pekerja_aktif(sejak):
    if not _pakai_antrean_db():
        return True

    return DBTaskResult.objects.filter(Q(started_at__gte=sejak) | Q(finished_at__gte=sejak)
                                       | Q(status="RUNNING")).exists()


def bisa_diulang(proses):
    """A failed or stuck draft PDF or ZIP can be queued again; a failed sign-off is redone
    from the report page (its version and NIP may have changed)."""
    return proses.jenis != JenisProses.TANDATANGANI and (
        proses.status == StatusProses.GAGAL or keadaan(proses, cek_pekerja=False) == "terhenti")


def bisa_dibatalkan(proses, user):
    """A task still waiting can be cancelled by whoever asked for it or the Admin (a queued
    sign-off keeps the report from being returned or edited)."""

    return proses.status == StatusProses.ANTRE and (
        proses.dibuat_oleh_id == user.pk or permissions.is_admin(user))


def batalkan(proses, user):
    if proses.status == StatusProses.ANTRE and not bisa_dibatalkan(proses, user):
        raise PermissionDenied
    if not _akhiri(proses, _("Dibatalkan oleh %s.") % nama_pengguna(user),
                   dari=[StatusProses.ANTRE]):
        raise ValidationError(_("Proses ini sudah diproses dan tidak dapat dibatalkan."))


def ulangi(proses, user):
    if not bisa_diulang(proses):
        raise ValidationError(_("Proses ini tidak dapat diulang."))
    if proses.status == StatusProses.BERJALAN:  # stuck: let it go, the worker is gone
        _akhiri(proses, _("Proses terhenti dan diulang."), dari=[StatusProses.BERJALAN])
    return antrekan(jenis=proses.jenis, rk=proses.rencana_kerja, user=user,
                    semester=proses.semester, parameter=proses.parameter)


def di_depan(proses):
    """How many queued tasks are ahead of this one."""
    if proses.status != StatusProses.ANTRE:
        return 0
    return Proses.objects.filter(status=StatusProses.ANTRE, dibuat_pada__lt=proses.dibuat_pada).count()


# --- the worker side ----------------------------------------------------------------------

@task()
def jalankan_proses(proses_id):
    """Run one Proses. Claimed with a conditional update, so a task is never run twice."""
    if not Proses.objects.filter(pk=proses_id, status=StatusProses.ANTRE).update(
            status=StatusProses.BERJALAN, mulai_pada=timezone.now()):
        return "dilewati"  # cancelled, redone, or taken already
    proses = Proses.objects.select_related("rencana_kerja__unit", "dibuat_oleh").get(pk=proses_id)
    try:
        KERJA[proses.jenis](proses)
        _selesai(proses, StatusProses.SELESAI)
    except ValidationError as exc:  # the user's problem (a conflict, a changed report): said
        _selesai(proses, StatusProses.GAGAL, pesan=exc.messages[0])
        return "gagal"
    except BaseException as exc:  # errors, and a worker told to stop in the middle
        if isinstance(exc, Exception):
            logger.exception("Proses %s (%s) gagal", proses.pk, proses.jenis)
        _selesai(proses, StatusProses.GAGAL, pesan=str(PESAN_GALAT))
        raise  # kept with its traceback in the queue's result for the Admin
    return "selesai"


def _selesai(proses, status, pesan=""):
    """Record the outcome, unless the task was given up meanwhile (stuck and redone): then
    its file goes, since no row will point at it."""
    simpan = status == StatusProses.SELESAI
    nama = proses.berkas.name
    tercatat = False
    try:
        tercatat = Proses.objects.filter(pk=proses.pk, status=StatusProses.BERJALAN).update(
            status=status, pesan=pesan, selesai_pada=timezone.now(), hasil=proses.hasil,
            berkas=nama if simpan else "", nama_berkas=proses.nama_berkas, ukuran=proses.ukuran)
    finally:
        if nama and not (simpan and tercatat):
            proses.berkas.storage.delete(nama)
            proses.berkas.name = ""


def _simpan(proses, content, nama):
    proses.berkas.save(nama, content, save=False)
    proses.nama_berkas, proses.ukuran = nama, proses.berkas.size


def _laporan(proses):
    rk = proses.rencana_kerja
    lap = Laporan.objects.filter(rencana_kerja=rk, semester=proses.semester).first()
    lap = lap or Laporan(rencana_kerja=rk, semester=proses.semester)
    lap.rencana_kerja = rk
    return lap


def _pdf_draf(proses):
    lap = _laporan(proses)
    pdf = pdf_laporan(proses.rencana_kerja, proses.semester, lap)
    _simpan(proses, ContentFile(pdf), nama_berkas_laporan(proses.rencana_kerja, proses.semester,
                                                         "draf"))


def _tandatangani(proses):
    user = proses.dibuat_oleh
    # checked again: the role may have been taken away while the task waited
    if user is None or not user.is_active or not permissions.can_sign_report(
            user, proses.rencana_kerja.unit):
        raise ValidationError(_("Penanda tangan tidak lagi berwenang menandatangani laporan "
                                "unit ini."))
    lap = _laporan(proses)
    if lap.pk is None:
        raise ValidationError(_("Laporan ini belum pernah diajukan."))
    p = proses.parameter
    lt = services.tandatangani(
        laporan=lap, versi=p["versi"], user=proses.dibuat_oleh, nip=p.get("nip", ""),
        url_verifikasi=lambda kode: p["url_verifikasi"].replace(PENANDA_KODE, kode))
    proses.hasil = {"tertanda": lt.pk, "nomor": lt.nomor, "kode": lt.kode_verifikasi}


def _bundel_bukti(proses):
    rk = proses.rencana_kerja
    isi = isi_bundel(rk)
    # spooled to a temporary file, never held whole in memory
    with tempfile.TemporaryFile(prefix="zi-bundel-") as tmp:
        for potongan in zip_bundel(rk, isi=isi):
            tmp.write(potongan)
        tmp.seek(0)
        _simpan(proses, File(tmp), f"bukti-zi-{rk.unit.kode}-{rk.tahun}.zip")
    proses.hasil = {"jumlah_berkas": len(isi)}


KERJA = {
    JenisProses.PDF_DRAF: _pdf_draf,
    JenisProses.TANDATANGANI: _tandatangani,
    JenisProses.BUNDEL_BUKTI: _bundel_bukti,
}
