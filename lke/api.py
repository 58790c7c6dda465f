"""The endpoints PortalRB pulls (docs/portalrb.md): proposed units and a unit's LKE answers,
behind a Bearer token issued by the Admin; evidence as signed links to a page per question.
Every error is `{"error": true, "code": ..., "message": ...}` with a generic Indonesian
message: the reason is never given, and unexpected exceptions are logged, not shown."""

import functools
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django_ratelimit.core import get_usage

from rencana_aksi.models import RencanaKerja
from umum.zip import jalur_unik, nama_aman, zip_alir

from . import skor as S
from .forms import UnduhBuktiForm, tahun_dari
from .models import Kategori, Pengusulan, SoalLke, TokenApi, hash_token
from .selectors import bukti_soal, lke_tahun, skor_rencana, tautan_rencana

logger = logging.getLogger(__name__)

GARAM_BUKTI = "lke.api.bukti"
GRUP_TOKEN, GRUP_GAGAL = "portalrb:token", "portalrb:gagal"

# one code word per kind of error; FORBIDDEN is part of the contract but no request
# reaches it today (a valid token may read every proposed unit)
PESAN = {
    "UNAUTHORIZED": _("Token tidak valid atau tidak ada."),
    "FORBIDDEN": _("Akses ditolak."),
    "DATA_NOT_FOUND": _("Data tidak ditemukan."),
    "INVALID_REQUEST": _("Permintaan tidak valid."),
    "RATE_LIMITED": _("Terlalu banyak permintaan. Coba lagi nanti."),
    "SERVER_ERROR": _("Terjadi kesalahan pada server."),
}


def _json(data, status=200, headers=None):
    resp = JsonResponse(data, status=status, headers=headers,
                        json_dumps_params={"ensure_ascii": False})
    resp["Cache-Control"] = "no-store"
    return resp


def galat(kode, status, headers=None):
    return _json({"error": True, "code": kode, "message": str(PESAN[kode])}, status, headers)


def _dibatasi(usage):
    # django-ratelimit's window still counts at its last second: one more, so that a client
    # that waits exactly Retry-After lands in a fresh window
    return galat("RATE_LIMITED", 429, {"Retry-After": str(max(1, usage["time_left"] + 1))})


def _gagal(request, increment=False):
    """Failed sign-ins of the client's IP; the usage when over the limit."""
    usage = get_usage(request, group=GRUP_GAGAL, key="ip", rate=settings.ZI_PORTALRB_BATAS_GAGAL,
                      increment=increment)
    # checked before the token is looked up: the limit-th failure is the last one answered
    if usage and usage["count"] >= usage["limit"]:
        return usage
    return None


def _token(request):
    scheme, _sp, raw = request.headers.get("Authorization", "").partition(" ")
    raw = raw.strip()
    if scheme.lower() != "bearer" or not raw or len(raw) > 200:
        return None
    return TokenApi.objects.filter(hash=hash_token(raw), dicabut_pada__isnull=True).first()


def api_json(view):
    """GET only (else 405 INVALID_REQUEST); an unexpected exception is logged and answered
    with a generic 500 SERVER_ERROR."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET":
            return galat("INVALID_REQUEST", 405, {"Allow": "GET"})
        try:
            return view(request, *args, **kwargs)
        except Exception:
            logger.exception("PortalRB API gagal: %s", request.path)
            return galat("SERVER_ERROR", 500)

    return wrapper


def dengan_token(view):
    """A valid unrevoked token, within the limits of its IP and of the token."""

    @api_json
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if usage := _gagal(request):
            return _dibatasi(usage)
        token = _token(request)
        if token is None:
            _gagal(request, increment=True)
            return galat("UNAUTHORIZED", 401, {"WWW-Authenticate": "Bearer"})
        usage = get_usage(request, group=GRUP_TOKEN, key=lambda _g, _r: str(token.pk),
                          rate=settings.ZI_PORTALRB_BATAS_TOKEN, increment=True)
        if usage and usage["should_limit"]:
            return _dibatasi(usage)
        now = timezone.now()
        if token.terakhir_dipakai is None or now - token.terakhir_dipakai >= timedelta(minutes=1):
            TokenApi.objects.filter(pk=token.pk).update(terakhir_dipakai=now)
        request.token_api = token
        return view(request, *args, **kwargs)

    return wrapper


def _daftar_unit(request, kategori):
    tahun = tahun_dari(request.GET)
    if tahun is None:
        return galat("INVALID_REQUEST", 422)
    rows = (Pengusulan.objects.filter(tahun=tahun, kategori__in=kategori)
            .select_related("unit").order_by("unit__nama", "unit_id"))
    return _json({"tahun": tahun, "units": [
        {"id": str(p.unit_id), "nama": p.unit.nama, "kategori": p.kategori, "afirmasi": p.afirmasi}
        for p in rows]})


@dengan_token
def unit_wbk(request):
    return _daftar_unit(request, [Kategori.WBK, Kategori.WBK_AFIRMASI])


@dengan_token
def unit_wbbm(request):
    return _daftar_unit(request, [Kategori.WBBM])


def _mikrodetik():
    return int(time.time() * 1_000_000)


def tautan_bukti(request, unit_id, soal_pk):
    """An absolute, signed URL of a question's evidence page. It carries the token (revoking
    the token ends it) and its issue time (for the token's lifetime and revocation)."""
    path = reverse("portalrb:bukti", args=[signing.dumps(
        {"u": unit_id, "s": soal_pk, "t": request.token_api.pk, "w": _mikrodetik()},
        salt=GARAM_BUKTI)])
    dasar = settings.ZI_PORTALRB_URL_DASAR
    return dasar + path if dasar else request.build_absolute_uri(path)


@dengan_token
def jawaban_unit(request, unit_id):
    """One entry per row with a PortalRB soal_id, in LKE order. 404 unless the unit is
    proposed for the year and the year has an LKE. A proposed unit without a plan that
    year is answered from its typed answers only (no numeric inputs, no evidence)."""
    tahun = tahun_dari(request.GET)
    if tahun is None:
        return galat("INVALID_REQUEST", 422)
    usulan = (Pengusulan.objects.select_related("unit")
              .filter(unit_id=int(unit_id), tahun=tahun).first())
    lke = lke_tahun(tahun) if usulan else None
    if lke is None:
        return galat("DATA_NOT_FOUND", 404)
    rk = (RencanaKerja.objects.filter(unit_id=usulan.unit_id, tahun=tahun).first()
          or RencanaKerja(unit=usulan.unit, tahun=tahun))
    skor, _areas, tautan = skor_rencana(rk, lke)
    bukti = bukti_soal(rk, tautan)
    answers = []
    for ns in skor.soal():
        s, j = ns.soal, ns.jawaban
        if s.soal_id is None:
            continue
        answers.append({
            "soal_id": s.soal_id,
            "jawaban_unit": S.jawaban_keluar(ns, "unit"),
            "jawaban_tpi": S.jawaban_keluar(ns, "tpi"),
            "catatan_unit": (j.catatan_unit if j else "") or None,
            "bukti_dukung_unit": (tautan_bukti(request, usulan.unit_id, s.pk)
                                  if bukti.get(s.pk) else None),
            "catatan_tpi": (j.catatan_tpi if j else "") or None,
        })
    return _json({"unit_id": str(usulan.unit_id), "nama_unit": usulan.unit.nama, "tahun": tahun,
                  "answers": answers})


def buka_tautan(nilai):
    """(unit_id, SoalLke) of a valid evidence link, else None: a good signature, a token
    not revoked, issued within the token's `tautan_hari` and not before its `tautan_sejak`."""
    try:
        data = signing.loads(nilai, salt=GARAM_BUKTI)
        unit_id, soal_pk, token_pk, pada = (int(data["u"]), int(data["s"]), int(data["t"]),
                                            int(data["w"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    token = TokenApi.objects.filter(pk=token_pk, dicabut_pada__isnull=True).first()
    if token is None or _mikrodetik() - pada > token.tautan_hari * 86_400_000_000:
        return None
    if token.tautan_sejak and pada < token.tautan_sejak.timestamp() * 1_000_000:
        return None
    soal = (SoalLke.objects.select_related("komponen__area__lke", "jenis")
            .filter(pk=soal_pk).first())
    return (unit_id, soal) if soal else None


def _tidak_ada(request):
    resp = render(request, "lke/bukti_portalrb.html", {"ada": False}, status=404)
    resp["Cache-Control"] = "no-store"
    return resp


@require_safe
def bukti(request, nilai):
    """A question's approved evidence as of now: a page naming the unit, year and question
    with the files, and their ZIP with `?unduh=1`. No login and no token: the signature is
    the permission. A bad, expired or revoked link, or a unit no longer proposed, is a
    plain 404 page that does not say which."""
    # not rate-limited: an HMAC cannot be guessed, and expired links are routine
    dibuka = buka_tautan(nilai)
    if dibuka is None:
        return _tidak_ada(request)
    unit_id, soal = dibuka
    tahun = soal.komponen.area.lke.tahun
    rk = RencanaKerja.objects.select_related("unit").filter(unit_id=unit_id, tahun=tahun).first()
    if rk is None or not Pengusulan.objects.filter(unit_id=unit_id, tahun=tahun).exists():
        return _tidak_ada(request)
    ind = tautan_rencana(rk, soal.komponen.area.lke).get(soal.pk, [])
    files = bukti_soal(rk, {soal.pk: ind}).get(soal.pk, [])
    form = UnduhBuktiForm(request.GET)
    if form.is_valid() and form.cleaned_data["unduh"]:
        if not files:
            return _tidak_ada(request)
        akar = nama_aman(f"bukti-{soal.soal_id or soal.kode}-{rk.unit.kode}-{tahun}", 80)
        resp = StreamingHttpResponse(zip_bukti(akar, files), content_type="application/zip")
        resp["Content-Disposition"] = content_disposition_header(True, f"{akar}.zip")
        resp["X-Content-Type-Options"] = "nosniff"
    else:
        resp = render(request, "lke/bukti_portalrb.html", {
            "ada": True, "unit": rk.unit, "tahun": tahun, "soal": soal, "files": files,
            "unduh": f"{request.path}?unduh=1"})
        resp["X-Robots-Tag"] = "noindex, nofollow"
    resp["Cache-Control"] = "no-store"
    resp["Referrer-Policy"] = "no-referrer"  # the link is the permission: never pass it on
    return resp


def zip_bukti(akar, files, potongan=1024 * 1024):
    """Yield a ZIP of `files` (Berkas from `bukti_soal`) in pieces; folders per rencana
    aksi, as in the evidence bundle."""
    dipakai, isi = set(), []
    for b in files:
        ra = b.pengajuan.bukti_dukung.rencana_aksi
        d = f"{akar}/{ra.urutan:02d} {nama_aman(ra.teks, 40)}"
        isi.append((jalur_unik(d, b.nama_asli, b.ekstensi, b.pengajuan.waktu_label, dipakai, 40), b))
    return zip_alir([], isi, potongan)


@api_json
def tidak_ditemukan(request):
    return galat("DATA_NOT_FOUND", 404)
