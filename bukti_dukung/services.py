"""Evidence workflows: upload (new round after a revision request), review, reopen,
soft delete. Each writes its audit trail through django-simple-history."""

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F, Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from organisasi.models import nama_pengguna
from rencana_aksi.models import RencanaKerja, berubah_di_akhir, tandai_baris
from umum.angka import desimal

from .angka import periksa
from .jenis_berkas import BerkasDitolak, periksa_jenis
from .models import Berkas, BerkasDibuka, NilaiIsian, Pengajuan, Status


class KonflikTinjauan(ValidationError):
    """Someone acted on the same item after this user loaded it."""


@dataclass
class HasilUnggah:
    pengajuan: Pengajuan | None = None
    diterima: list = field(default_factory=list)   # Berkas
    ditolak: list = field(default_factory=list)    # messages, one per refused file
    catatan: list = field(default_factory=list)    # notes on accepted files


def maks_ukuran():
    return settings.ZI_MAKS_UKURAN_MB * 1024 * 1024


def _sha256(f):
    """The file's SHA-256: computed while it streamed in (bukti_dukung.unggahan), else now."""
    if getattr(f, "sha256", None):
        return f.sha256
    h = hashlib.sha256()
    f.seek(0)
    for chunk in iter(lambda: f.read(1024 * 1024), b""):
        h.update(chunk)
    f.seek(0)
    return h.hexdigest()


def periksa_berkas(f):
    """Size and content checks of one uploaded file; raises BerkasDitolak."""
    if f.size == 0:
        raise BerkasDitolak(_("berkas kosong"))
    if f.size > maks_ukuran():
        raise BerkasDitolak(_("ukurannya %(mb)s MB, melebihi batas %(maks)s MB")
                            % {"mb": desimal(f.size / 1024 / 1024, 1),
                               "maks": settings.ZI_MAKS_UKURAN_MB})
    return periksa_jenis(f, f.name)


@transaction.atomic
def unggah_bukti(*, bukti_dukung, user, files, catatan="", bulan=None, tanggal_kejadian=None,
                 uraian_kejadian="", pengajuan_id=None):
    """Store uploaded files against a requirement: a target month of the action, or one
    occurrence of an event-driven target (a new one, or `pengajuan_id` for an existing one).
    Good files are kept, refused ones are reported by name with the reason; nothing uploaded
    before is touched. After a revision request the upload starts a new round (version); an
    approved item must be reopened by the Sekretaris first."""
    with berubah_di_akhir():  # the plan's version is bumped after the files are written
        return _unggah_bukti(bukti_dukung=bukti_dukung, user=user, files=files, catatan=catatan,
                             bulan=bulan, tanggal_kejadian=tanggal_kejadian,
                             uraian_kejadian=uraian_kejadian, pengajuan_id=pengajuan_id)


def _unggah_bukti(*, bukti_dukung, user, files, catatan="", bulan=None, tanggal_kejadian=None,
                  uraian_kejadian="", pengajuan_id=None):
    ra = bukti_dukung.rencana_aksi
    baru = None  # the fields of a submission to create once a file is accepted
    if pengajuan_id is not None:
        pengajuan = Pengajuan.objects.select_for_update().filter(
            pk=pengajuan_id, bukti_dukung=bukti_dukung, tanggal_kejadian__isnull=False).first()
        if pengajuan is None:
            raise ValidationError(_("Kejadian ini tidak ditemukan pada bukti dukung ini."))
    elif bulan is not None:
        if bulan not in ra.bulan_list():
            raise ValidationError(_("%(bulan)s bukan bulan target rencana aksi ini.")
                                  % {"bulan": date_format(bulan, "F Y")})
        pengajuan = Pengajuan.objects.select_for_update().filter(
            bukti_dukung=bukti_dukung, bulan=bulan).first()
        baru = {"bukti_dukung": bukti_dukung, "bulan": bulan} if pengajuan is None else None
    elif tanggal_kejadian is not None:
        if not ra.per_kejadian:
            raise ValidationError(_("Rencana aksi ini tidak memiliki target per kejadian."))
        pengajuan = None
        baru = {"bukti_dukung": bukti_dukung, "tanggal_kejadian": tanggal_kejadian,
                "uraian_kejadian": uraian_kejadian.strip()[:200]}
    else:
        raise ValidationError(_("Pilih bulan target atau tanggal kejadian."))
    _cek_belum_disetujui(pengajuan)
    hasil = HasilUnggah(pengajuan=pengajuan)
    # Size and type first: a refused upload writes no row (and so no history) at all.
    lolos = []
    for f in files:
        try:
            lolos.append((f, periksa_berkas(f)))
        except BerkasDitolak as exc:
            hasil.ditolak.append(_("“%(nama)s” ditolak: %(alasan)s.")
                                 % {"nama": f.name, "alasan": exc})
    if not lolos:
        return hasil
    dibuat = False
    if pengajuan is None:
        pengajuan, dibuat = _buat_pengajuan(user=user, **baru)
        hasil.pengajuan = pengajuan
        _cek_belum_disetujui(pengajuan)  # another upload created it meanwhile
    putaran_baru = pengajuan.putaran + (1 if pengajuan.status == Status.PERLU_PERBAIKAN else 0)
    # The same content twice in one version is refused; a file of an earlier version may be
    # uploaded again to carry it into the new version (reported as such).
    known = {b.sha256: b for b in pengajuan.berkas.aktif().filter(putaran=putaran_baru)}
    earlier = {b.sha256: b for b in pengajuan.berkas.aktif().exclude(putaran=putaran_baru)}
    stored = []
    try:
        for f, jenis in lolos:
            digest = _sha256(f)
            if digest in known:
                lama = known[digest]
                hasil.ditolak.append(
                    _("“%(nama)s” tidak disimpan: isinya sama dengan “%(lama)s” yang diunggah "
                      "%(oleh)s pada %(pada)s.")
                    % {"nama": f.name, "lama": lama.nama_asli,
                       "oleh": nama_pengguna(lama.diunggah_oleh),
                       "pada": date_format(timezone.localtime(lama.diunggah_pada), "j F Y H:i")})
                continue
            if digest in earlier:
                hasil.catatan.append(
                    _("“%(nama)s” sama dengan “%(lama)s” dari versi %(v)s; disertakan lagi di "
                      "versi %(baru)s.") % {"nama": f.name, "lama": earlier[digest].nama_asli,
                                            "v": earlier[digest].putaran, "baru": putaran_baru})
            berkas = Berkas(pengajuan=pengajuan, putaran=putaran_baru, nama_asli=f.name[:255],
                            ekstensi=jenis.kind, mime=jenis.mime, ukuran=f.size, sha256=digest,
                            catatan=catatan.strip(), diunggah_oleh=user)
            f.seek(0)
            # a temporary upload is moved into local storage; others are streamed in chunks
            berkas.berkas.save("x", f if hasattr(f, "temporary_file_path") else File(f),
                               save=False)
            stored.append(berkas.berkas.name)
            berkas._history_user = user
            berkas.save()
            known[digest] = berkas
            hasil.diterima.append(berkas)
        if hasil.diterima and not dibuat:  # a new one was created submitted already
            Pengajuan.objects.filter(pk=pengajuan.pk).update(
                status=Status.DIAJUKAN, putaran=putaran_baru, diajukan_pada=timezone.now(),
                versi=F("versi") + 1)
            pengajuan.refresh_from_db()
            pengajuan._history_user = user
            pengajuan.save()  # audit: the new state, by this user
        if hasil.diterima:
            tandai_baris(pengajuan, unggahan=True)  # deferred to the end (berubah_di_akhir)
    except BaseException:
        # The transaction rolls back the rows; remove the files written for them too.
        storage = Berkas._meta.get_field("berkas").storage
        for name in stored:
            storage.delete(name)
        raise
    return hasil


def _cek_belum_disetujui(pengajuan):
    if pengajuan is not None and pengajuan.status == Status.DISETUJUI:
        raise ValidationError(_("Bukti ini sudah disetujui. Minta Sekretaris membukanya kembali "
                                "bila perlu diganti."))


def _buat_pengajuan(*, user, bukti_dukung, bulan=None, **fields):
    """(submission, created): a new one, submitted by `user` (one history record). Of a
    month: when a concurrent first upload of the same month created it meanwhile, that one
    (locked), not created."""
    p = Pengajuan(bukti_dukung=bukti_dukung, bulan=bulan, status=Status.DIAJUKAN,
                  diajukan_pada=timezone.now(), **fields)
    p._history_user = user
    if bulan is None:
        p.save()
        return p, True
    try:
        with transaction.atomic():  # a savepoint: the unique constraint may refuse it
            p.save()
    except IntegrityError:
        return Pengajuan.objects.select_for_update().get(bukti_dukung=bukti_dukung,
                                                         bulan=bulan), False
    return p, True


def _konflik(pengajuan):
    pengajuan.refresh_from_db()
    return KonflikTinjauan(
        _("“%(bd)s” sudah berubah setelah Anda membukanya (%(oleh)s; sekarang: %(status)s). "
          "Keputusan Anda tidak disimpan; periksa keadaan terbarunya.")
        % {"bd": pengajuan.bukti_dukung.nama,
           "oleh": _("ditinjau oleh %s") % nama_pengguna(pengajuan.ditinjau_oleh)
           if pengajuan.ditinjau_oleh else _("berkasnya diubah oleh anggota tim"),
           "status": pengajuan.get_status_display()})


def _cek_versi(pengajuan, versi):
    """The decision is about the state the reviewer saw, or it is a conflict."""
    if pengajuan.versi != versi:
        raise _konflik(pengajuan)


def _putuskan(pengajuan, versi, user, **fields):
    updated = Pengajuan.objects.filter(pk=pengajuan.pk, versi=versi).update(
        versi=F("versi") + 1, ditinjau_oleh=user, ditinjau_pada=timezone.now(), **fields)
    if not updated:
        raise _konflik(pengajuan)
    pengajuan.refresh_from_db()
    pengajuan._history_user = user
    pengajuan.save()  # audit
    tandai_baris(pengajuan)
    return pengajuan


@transaction.atomic
def setujui(*, pengajuan, versi, user, komentar=""):
    _cek_versi(pengajuan, versi)
    if pengajuan.status != Status.DIAJUKAN:
        raise KonflikTinjauan(_("Hanya bukti yang menunggu tinjauan yang dapat disetujui."))
    if not pengajuan.berkas.aktif().filter(putaran=pengajuan.putaran).exists():
        raise KonflikTinjauan(_("“%s” tidak memiliki berkas lagi (semua dihapus); tidak ada "
                                "yang dapat disetujui.") % pengajuan.bukti_dukung.nama)
    return _putuskan(pengajuan, versi, user, status=Status.DISETUJUI, komentar=komentar.strip())


@transaction.atomic
def minta_perbaikan(*, pengajuan, versi, user, komentar):
    if not komentar.strip():
        raise ValidationError(_("Tuliskan apa yang perlu diperbaiki."))
    _cek_versi(pengajuan, versi)
    if pengajuan.status != Status.DIAJUKAN:
        raise KonflikTinjauan(_("Hanya bukti yang menunggu tinjauan yang dapat dikembalikan."))
    return _putuskan(pengajuan, versi, user, status=Status.PERLU_PERBAIKAN,
                     komentar=komentar.strip())


@transaction.atomic
def buka_kembali(*, pengajuan, versi, user, alasan):
    if not alasan.strip():
        raise ValidationError(_("Tuliskan alasan membuka kembali."))
    _cek_versi(pengajuan, versi)
    if pengajuan.status != Status.DISETUJUI:
        raise KonflikTinjauan(_("Hanya bukti yang sudah disetujui yang dapat dibuka kembali."))
    return _putuskan(pengajuan, versi, user, status=Status.PERLU_PERBAIKAN,
                     komentar=_("Dibuka kembali: %s") % alasan.strip())


@transaction.atomic
def hapus_berkas(*, berkas, user, alasan):
    """Soft delete: the file stays on disk and in the history, hidden from the item."""
    if not alasan.strip():
        raise ValidationError(_("Tuliskan alasan menghapus berkas."))
    if berkas.dihapus_pada:
        raise ValidationError(_("Berkas ini sudah dihapus."))
    if berkas.pengajuan.status == Status.DISETUJUI:
        raise ValidationError(_("Berkas dari bukti yang sudah disetujui tidak dapat dihapus."))
    # A reviewer holding the item open must notice that its files changed.
    Pengajuan.objects.filter(pk=berkas.pengajuan_id).update(versi=F("versi") + 1)
    berkas.dihapus_pada = timezone.now()
    berkas.dihapus_oleh = user
    berkas.alasan_hapus = alasan.strip()
    berkas._history_user = user
    berkas.save()
    tandai_baris(berkas)
    return berkas


@transaction.atomic
def simpan_isian(*, indikator, user, nilai, versi):
    """Save an indikator's numbers at once. `nilai`/`versi`: {isian pk: value / version the
    user loaded (0: none yet)}. Impossible input raises ValidationError with
    {isian pk: message}; a number changed by someone else meanwhile is a conflict."""

    isian = list(indikator.isian.all())
    errors = periksa(isian, nilai)
    if errors:
        raise ValidationError({str(k): v for k, v in errors.items()})
    for s in isian:  # create the rows first, so that locking covers first fills too
        if s.pk in nilai:
            NilaiIsian.objects.get_or_create(isian=s, defaults={"versi": 0})
    existing = {n.isian_id: n for n in NilaiIsian.objects.select_for_update().filter(
        isian__in=isian)}
    for s in isian:
        if s.pk not in nilai:
            continue
        n = existing.get(s.pk)
        if n.versi != versi.get(s.pk, 0):
            raise KonflikTinjauan(
                _("“%(label)s” sudah diubah oleh %(oleh)s setelah Anda membukanya. Isian Anda "
                  "belum disimpan; periksa angka terbarunya lalu simpan lagi.")
                % {"label": s.label, "oleh": nama_pengguna(n.diisi_oleh) or _("pengguna lain")})
    for s in isian:
        if s.pk not in nilai:
            continue
        n = existing[s.pk]
        if n.versi and n.nilai == nilai[s.pk]:
            continue
        n.nilai, n.diisi_oleh, n.versi = nilai[s.pk], user, n.versi + 1
        n._history_user = user
        n.save()
    tandai_baris(indikator)


def catat_dibuka(*, berkas, user):
    """Record that `user` (a TPI member) opened `berkas`: once per user and file, with the
    first and last time and how often."""
    n = BerkasDibuka.objects.filter(berkas=berkas, user=user).update(
        kali=F("kali") + 1, terakhir_pada=timezone.now())
    if not n:
        try:
            with transaction.atomic():
                BerkasDibuka.objects.create(berkas=berkas, user=user)
        except IntegrityError:  # opened twice at the same moment
            BerkasDibuka.objects.filter(berkas=berkas, user=user).update(kali=F("kali") + 1)


def hitung_ulang_unggahan_terakhir(rencana=None):
    """Set each plan's `unggahan_terakhir` from its files (all plans, or the queryset
    `rencana`): for data written around the upload service (the demo's back-dated
    uploads, a restored backup, generated benchmark data). Uploads keep it themselves."""
    jalur = "pengajuan__bukti_dukung__rencana_aksi__indikator__komponen__area_rencana__rencana_kerja"
    terakhir = (Berkas.objects.filter(**{jalur: OuterRef("pk")}).order_by().values(jalur)
                .annotate(m=Max("diunggah_pada")).values("m"))
    (rencana if rencana is not None else RencanaKerja.objects.all()).update(
        unggahan_terakhir=Subquery(terakhir))
