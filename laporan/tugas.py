"""Long work off the request path: the draft PDF, the sign-off (render and freeze) and the
evidence ZIP. A request queues a Tugas and returns at once; `manage.py db_worker` runs it
(django-tasks, database backend) and the user watches its status page."""

import logging
import tempfile
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from .models import JenisTugas, Laporan, StatusTugas, Tugas

logger = logging.getLogger(__name__)

# Past these, the status page says what is wrong instead of spinning forever.
TUNGGU_PEKERJA = timedelta(minutes=2)  # queued and never picked up: no worker is running
BATAS_BERJALAN = timedelta(minutes=30)  # running this long: the worker died under it
PENANDA_KODE = "KODE-VERIFIKASI"  # replaced by the code in the verification address
PESAN_GALAT = gettext_lazy("Terjadi kesalahan saat memproses tugas ini. Coba lagi; bila terulang, "
                "hubungi Admin.")


def nama_berkas_laporan(rk, semester, akhiran):
    return f"laporan-zi-{rk.unit.kode}-{rk.tahun}-semester-{semester}-{akhiran}.pdf"


def antrekan(*, jenis, rk, user, semester=None, parameter=None):
    """Queue a task and return it. A click while the same file is still waiting in the
    queue joins that task (it renders the data as of when it runs); a second sign-off of a
    report while one is pending returns the pending one."""
    with transaction.atomic():
        sama = Tugas.objects.filter(jenis=jenis, rencana_kerja=rk, semester=semester)
        if jenis == JenisTugas.TANDATANGANI:
            ada = sama.filter(status__in=Tugas.AKTIF).first()
        else:
            ada = sama.filter(status=StatusTugas.ANTRE).first()
        if ada is not None:
            return ada
        tugas = Tugas.objects.create(jenis=jenis, rencana_kerja=rk, semester=semester,
                                     dibuat_oleh=user, parameter=parameter or {})
        # same transaction: the queue row exists exactly when the Tugas does
        hasil = jalankan_tugas.enqueue(str(tugas.pk))
        Tugas.objects.filter(pk=tugas.pk).update(id_antrean=str(hasil.id))
    tugas.refresh_from_db()
    return tugas


def keadaan(tugas, sekarang=None):
    """What the status page says beyond the status: "menunggu_pekerja" when no worker has
    taken a queued task for a while, "terhenti" when a running one outlived BATAS_BERJALAN."""
    sekarang = sekarang or timezone.now()
    if tugas.status == StatusTugas.ANTRE and sekarang - tugas.dibuat_pada > TUNGGU_PEKERJA:
        return "menunggu_pekerja"
    if tugas.status == StatusTugas.BERJALAN and tugas.mulai_pada and \
            sekarang - tugas.mulai_pada > BATAS_BERJALAN:
        return "terhenti"
    return ""


def bisa_diulang(tugas):
    """A failed or stuck draft PDF or ZIP can be queued again; a failed sign-off is redone
    from the report page (its version and NIP may have changed)."""
    return tugas.jenis != JenisTugas.TANDATANGANI and (
        tugas.status == StatusTugas.GAGAL or keadaan(tugas) == "terhenti")


def ulangi(tugas, user):
    if not bisa_diulang(tugas):
        raise ValidationError(_("Tugas ini tidak dapat diulang."))
    if tugas.status == StatusTugas.BERJALAN:  # stuck: let it go, the worker is gone
        Tugas.objects.filter(pk=tugas.pk, status=StatusTugas.BERJALAN).update(
            status=StatusTugas.GAGAL, selesai_pada=timezone.now(),
            pesan=_("Tugas terhenti dan diulang."))
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
        return "dilewati"
    tugas = Tugas.objects.select_related("rencana_kerja__unit", "dibuat_oleh").get(pk=tugas_id)
    try:
        KERJA[tugas.jenis](tugas)
    except ValidationError as exc:  # the user's problem (a conflict, a changed report): said
        _selesai(tugas, StatusTugas.GAGAL, pesan=exc.messages[0])
        return "gagal"
    except Exception:
        logger.exception("Tugas %s (%s) gagal", tugas.pk, tugas.jenis)
        _selesai(tugas, StatusTugas.GAGAL, pesan=str(PESAN_GALAT))
        raise  # kept with its traceback in the queue's result for the Admin
    _selesai(tugas, StatusTugas.SELESAI)
    return "selesai"


def _selesai(tugas, status, pesan=""):
    nama_lama = tugas.berkas.name if status == StatusTugas.GAGAL else ""
    try:
        Tugas.objects.filter(pk=tugas.pk).update(
            status=status, pesan=pesan, selesai_pada=timezone.now(), hasil=tugas.hasil,
            berkas=tugas.berkas.name if status == StatusTugas.SELESAI else "",
            nama_berkas=tugas.nama_berkas, ukuran=tugas.ukuran)
    except BaseException:
        nama_lama = tugas.berkas.name  # not recorded: nothing may point at the file
        raise
    finally:
        if nama_lama:
            tugas.berkas.storage.delete(nama_lama)


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
    from .cetak import pdf_laporan

    lap = _laporan(tugas)
    pdf = pdf_laporan(tugas.rencana_kerja, tugas.semester, lap)
    _simpan(tugas, ContentFile(pdf), nama_berkas_laporan(tugas.rencana_kerja, tugas.semester,
                                                         "draf"))


def _tandatangani(tugas):
    from . import services

    if tugas.dibuat_oleh is None:
        raise ValidationError(_("Akun penandatangan sudah dihapus."))
    lap = _laporan(tugas)
    if lap.pk is None:
        raise ValidationError(_("Laporan ini belum pernah diajukan."))
    p = tugas.parameter
    lt = services.tandatangani(
        laporan=lap, versi=p["versi"], user=tugas.dibuat_oleh, nip=p.get("nip", ""),
        url_verifikasi=lambda kode: p["url_verifikasi"].replace(PENANDA_KODE, kode))
    tugas.hasil = {"tertanda": lt.pk, "nomor": lt.nomor, "kode": lt.kode_verifikasi}


def _bundel_bukti(tugas):
    from .ekspor import isi_bundel, zip_bundel

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
