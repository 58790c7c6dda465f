"""Long work off the request path: the draft PDF, the sign-off (render and freeze) and the
evidence ZIP. A request queues a Tugas and returns at once; `manage.py db_worker` runs it
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
from .models import JenisTugas, Laporan, StatusTugas, Tugas

logger = logging.getLogger(__name__)

# Past these, the status page says what is wrong instead of spinning forever.
TUNGGU_PEKERJA = timedelta(minutes=2)  # queued and never picked up: no worker is running
BATAS_BERJALAN = timedelta(minutes=30)  # running this long: the worker died under it
MAKS_AKTIF = 3  # tasks one user may have waiting or running at once
PENANDA_KODE = "KODE-VERIFIKASI"  # replaced by the code in the verification address
PESAN_GALAT = gettext_lazy("Terjadi kesalahan saat memproses tugas ini. Coba lagi; bila terulang, "
                "hubungi Admin.")


PESAN_TERHENTI = gettext_lazy("Tugas terhenti: pekerja latar berhenti sebelum selesai.")


def nama_berkas_laporan(rk, semester, akhiran):
    return f"laporan-zi-{rk.unit.kode}-{rk.tahun}-semester-{semester}-{akhiran}.pdf"


def tugas_terhenti(sekarang=None):
    """Tasks whose worker died under them (running past BATAS_BERJALAN)."""
    sekarang = sekarang or timezone.now()
    return Tugas.objects.filter(status=StatusTugas.BERJALAN,
                                mulai_pada__lt=sekarang - BATAS_BERJALAN)


def akhiri_terhenti(sekarang=None):
    """Mark every stuck task failed, so its users can try again; the number marked."""
    return tugas_terhenti(sekarang).update(status=StatusTugas.GAGAL,
                                           selesai_pada=sekarang or timezone.now(),
                                           pesan=str(PESAN_TERHENTI))


def _pakai_antrean_db():
    return isinstance(task_backends[jalankan_tugas.backend], DatabaseBackend)


def masih_berjalan(tugas, sekarang=None):
    """Queued or running, and not stuck (a running task past BATAS_BERJALAN is dead)."""
    return tugas.aktif and keadaan(tugas, sekarang, cek_pekerja=False) != "terhenti"


def _antrean_hidup(tugas):
    """Is the queue row of a waiting task still waiting? (It may have failed before the
    task was claimed, or been deleted in Administrasi.)"""
    if not _pakai_antrean_db():
        return True

    return DBTaskResult.objects.filter(id=tugas.id_antrean, status="READY").exists()


def antrekan(*, jenis, rk, user, semester=None, parameter=None):
    """Queue a task and return it. A click while the same file is still waiting in the
    queue joins that task (it renders the data as of when it runs); a second sign-off of a
    report while one is pending returns the pending one."""

    sekarang = timezone.now()
    with transaction.atomic():
        # one request at a time per plan decides: a double click queues one task
        RencanaKerja.objects.select_for_update().filter(pk=rk.pk).first()
        sama = Tugas.objects.filter(jenis=jenis, rencana_kerja=rk, semester=semester)
        if jenis == JenisTugas.TANDATANGANI:
            ada = None
            for t in sama.filter(status__in=Tugas.AKTIF):
                if masih_berjalan(t, sekarang):
                    ada = t
                else:  # stuck: given up, so the report can be signed again
                    _akhiri(t, str(PESAN_TERHENTI))
        else:
            ada = sama.filter(status=StatusTugas.ANTRE).first()
        if ada is not None and ada.status == StatusTugas.ANTRE and not _antrean_hidup(ada):
            _akhiri(ada, _("Tugas ini tidak diproses oleh pekerja latar; disiapkan ulang."))
            ada = None
        if ada is not None:
            return ada
        aktif = [t for t in Tugas.objects.filter(dibuat_oleh=user, status__in=Tugas.AKTIF)
                 if masih_berjalan(t, sekarang)]
        if len(aktif) >= MAKS_AKTIF:
            raise ValidationError(_("Anda masih punya %(n)s tugas yang sedang disiapkan. Tunggu "
                                    "sampai selesai, lalu coba lagi.") % {"n": len(aktif)})
        tugas = Tugas.objects.create(jenis=jenis, rencana_kerja=rk, semester=semester,
                                     dibuat_oleh=user, parameter=parameter or {})
        # same transaction: the queue row exists exactly when the Tugas does
        hasil = jalankan_tugas.enqueue(str(tugas.pk))
        Tugas.objects.filter(pk=tugas.pk).update(id_antrean=str(hasil.id))
    tugas.refresh_from_db()
    return tugas


def _akhiri(tugas, pesan, dari=Tugas.AKTIF):
    """Mark a queued or stuck task failed (if it still is): its worker, should it come
    back, finds it taken and does nothing."""
    return Tugas.objects.filter(pk=tugas.pk, status__in=dari).update(
        status=StatusTugas.GAGAL, selesai_pada=timezone.now(), pesan=pesan)


def keadaan(tugas, sekarang=None, cek_pekerja=True):
    """What the status page says beyond the status: "menunggu_pekerja" when a task has
    waited a while and no worker has started or finished anything meanwhile (a busy queue
    is not a missing worker), "terhenti" when a running one outlived BATAS_BERJALAN."""
    sekarang = sekarang or timezone.now()
    if tugas.status == StatusTugas.ANTRE and sekarang - tugas.dibuat_pada > TUNGGU_PEKERJA:
        if cek_pekerja and not _pekerja_aktif(sekarang - TUNGGU_PEKERJA):
            return "menunggu_pekerja"
    if tugas.status == StatusTugas.BERJALAN and tugas.mulai_pada and \
            sekarang - tugas.mulai_pada > BATAS_BERJALAN:
        return "terhenti"
    return ""


def _pekerja_aktif(sejak):
    if not _pakai_antrean_db():
        return True

    return DBTaskResult.objects.filter(Q(started_at__gte=sejak) | Q(finished_at__gte=sejak)
                                       | Q(status="RUNNING")).exists()


def bisa_diulang(tugas):
    """A failed or stuck draft PDF or ZIP can be queued again; a failed sign-off is redone
    from the report page (its version and NIP may have changed)."""
    return tugas.jenis != JenisTugas.TANDATANGANI and (
        tugas.status == StatusTugas.GAGAL or keadaan(tugas, cek_pekerja=False) == "terhenti")


def bisa_dibatalkan(tugas, user):
    """A task still waiting can be cancelled by whoever asked for it or the Admin (a queued
    sign-off keeps the report from being returned or edited)."""

    return tugas.status == StatusTugas.ANTRE and (
        tugas.dibuat_oleh_id == user.pk or permissions.is_admin(user))


def batalkan(tugas, user):
    if tugas.status == StatusTugas.ANTRE and not bisa_dibatalkan(tugas, user):
        raise PermissionDenied
    if not _akhiri(tugas, _("Dibatalkan oleh %s.") % nama_pengguna(user),
                   dari=[StatusTugas.ANTRE]):
        raise ValidationError(_("Tugas ini sudah diproses dan tidak dapat dibatalkan."))


def ulangi(tugas, user):
    if not bisa_diulang(tugas):
        raise ValidationError(_("Tugas ini tidak dapat diulang."))
    if tugas.status == StatusTugas.BERJALAN:  # stuck: let it go, the worker is gone
        _akhiri(tugas, _("Tugas terhenti dan diulang."), dari=[StatusTugas.BERJALAN])
    return antrekan(jenis=tugas.jenis, rk=tugas.rencana_kerja, user=user,
                    semester=tugas.semester, parameter=tugas.parameter)


def di_depan(tugas):
    """How many queued tasks are ahead of this one."""
    if tugas.status != StatusTugas.ANTRE:
        return 0
    return Tugas.objects.filter(status=StatusTugas.ANTRE, dibuat_pada__lt=tugas.dibuat_pada).count()


# --- the worker side ----------------------------------------------------------------------

@task()
def jalankan_tugas(tugas_id):
    """Run one Tugas. Claimed with a conditional update, so a task is never run twice."""
    if not Tugas.objects.filter(pk=tugas_id, status=StatusTugas.ANTRE).update(
            status=StatusTugas.BERJALAN, mulai_pada=timezone.now()):
        return "dilewati"  # cancelled, redone, or taken already
    tugas = Tugas.objects.select_related("rencana_kerja__unit", "dibuat_oleh").get(pk=tugas_id)
    try:
        KERJA[tugas.jenis](tugas)
        _selesai(tugas, StatusTugas.SELESAI)
    except ValidationError as exc:  # the user's problem (a conflict, a changed report): said
        _selesai(tugas, StatusTugas.GAGAL, pesan=exc.messages[0])
        return "gagal"
    except BaseException as exc:  # errors, and a worker told to stop in the middle
        if isinstance(exc, Exception):
            logger.exception("Tugas %s (%s) gagal", tugas.pk, tugas.jenis)
        _selesai(tugas, StatusTugas.GAGAL, pesan=str(PESAN_GALAT))
        raise  # kept with its traceback in the queue's result for the Admin
    return "selesai"


def _selesai(tugas, status, pesan=""):
    """Record the outcome, unless the task was given up meanwhile (stuck and redone): then
    its file goes, since no row will point at it."""
    simpan = status == StatusTugas.SELESAI
    nama = tugas.berkas.name
    tercatat = False
    try:
        tercatat = Tugas.objects.filter(pk=tugas.pk, status=StatusTugas.BERJALAN).update(
            status=status, pesan=pesan, selesai_pada=timezone.now(), hasil=tugas.hasil,
            berkas=nama if simpan else "", nama_berkas=tugas.nama_berkas, ukuran=tugas.ukuran)
    finally:
        if nama and not (simpan and tercatat):
            tugas.berkas.storage.delete(nama)
            tugas.berkas.name = ""


def _simpan(tugas, content, nama):
    tugas.berkas.save(nama, content, save=False)
    tugas.nama_berkas, tugas.ukuran = nama, tugas.berkas.size


def _laporan(tugas):
    rk = tugas.rencana_kerja
    lap = Laporan.objects.filter(rencana_kerja=rk, semester=tugas.semester).first()
    lap = lap or Laporan(rencana_kerja=rk, semester=tugas.semester)
    lap.rencana_kerja = rk
    return lap


def _pdf_draf(tugas):
    lap = _laporan(tugas)
    pdf = pdf_laporan(tugas.rencana_kerja, tugas.semester, lap)
    _simpan(tugas, ContentFile(pdf), nama_berkas_laporan(tugas.rencana_kerja, tugas.semester,
                                                         "draf"))


def _tandatangani(tugas):
    user = tugas.dibuat_oleh
    # checked again: the role may have been taken away while the task waited
    if user is None or not user.is_active or not permissions.can_sign_report(
            user, tugas.rencana_kerja.unit):
        raise ValidationError(_("Penanda tangan tidak lagi berwenang menandatangani laporan "
                                "unit ini."))
    lap = _laporan(tugas)
    if lap.pk is None:
        raise ValidationError(_("Laporan ini belum pernah diajukan."))
    p = tugas.parameter
    lt = services.tandatangani(
        laporan=lap, versi=p["versi"], user=tugas.dibuat_oleh, nip=p.get("nip", ""),
        url_verifikasi=lambda kode: p["url_verifikasi"].replace(PENANDA_KODE, kode))
    tugas.hasil = {"tertanda": lt.pk, "nomor": lt.nomor, "kode": lt.kode_verifikasi}


def _bundel_bukti(tugas):
    rk = tugas.rencana_kerja
    isi = isi_bundel(rk)
    # spooled to a temporary file, never held whole in memory
    with tempfile.TemporaryFile(prefix="zi-bundel-") as tmp:
        for potongan in zip_bundel(rk, isi=isi):
            tmp.write(potongan)
        tmp.seek(0)
        _simpan(tugas, File(tmp), f"bukti-zi-{rk.unit.kode}-{rk.tahun}.zip")
    tugas.hasil = {"jumlah_berkas": len(isi)}


KERJA = {
    JenisTugas.PDF_DRAF: _pdf_draf,
    JenisTugas.TANDATANGANI: _tandatangani,
    JenisTugas.BUNDEL_BUKTI: _bundel_bukti,
}
