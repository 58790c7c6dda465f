"""The endpoints PortalRB pulls (docs/portalrb.md): proposed units and a unit's LKE answers,
behind a Bearer token issued in the Admin; evidence as signed, expiring ZIP links. Errors
are JSON with a code only, never the reason."""

import functools
import re
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.http import JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.core import get_usage

from laporan.ekspor import nama_aman, zip_alir
from rencana_aksi.models import RencanaKerja

from . import skor as S
from .models import Aturan, Kategori, Pengusulan, SoalLke, TokenApi, hash_token
from .selectors import bukti_soal, lke_tahun, nilai_soal_unit, pohon, skor_rencana, tautan_rencana

GARAM_BUKTI = "lke.api.bukti"
GRUP_TOKEN, GRUP_GAGAL = "portalrb:token", "portalrb:gagal"


def _json(data, status=200, headers=None):
    resp = JsonResponse(data, status=status, headers=headers,
                        json_dumps_params={"ensure_ascii": False})
    resp["Cache-Control"] = "no-store"
    return resp


def galat(kode, status, headers=None):
    return _json({"error": kode}, status, headers)


def _dibatasi(usage):
    return galat("rate_limited", 429, {"Retry-After": str(max(1, usage["time_left"]))})


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


def _hanya_get(view):
    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET":
            return galat("method_not_allowed", 405, {"Allow": "GET"})
        return view(request, *args, **kwargs)

    return wrapper


def dengan_token(view):
    """GET only, a valid unrevoked token, within the limits of its IP and of the token."""

    @_hanya_get
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if usage := _gagal(request):
            return _dibatasi(usage)
        token = _token(request)
        if token is None:
            _gagal(request, increment=True)
            return galat("unauthorized", 401, {"WWW-Authenticate": "Bearer"})
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


def _tahun(request):
    """?tahun=YYYY, or this year (Asia/Jakarta); None when not a year."""
    teks = request.GET.get("tahun")
    if teks is None:
        return timezone.localdate().year
    return int(teks) if re.fullmatch(r"[12][0-9]{3}", teks) else None


def _daftar_unit(request, kategori):
    tahun = _tahun(request)
    if tahun is None:
        return galat("invalid_tahun", 400)
    rows = (Pengusulan.objects.filter(tahun=tahun, kategori__in=kategori)
            .select_related("unit").order_by("unit__nama", "unit_id"))
    return _json({"tahun": tahun, "units": [
        {"id": p.unit_id, "nama": p.unit.nama, "kategori": p.kategori, "afirmasi": p.afirmasi}
        for p in rows]})


@dengan_token
def unit_wbk(request):
    return _daftar_unit(request, [Kategori.WBK, Kategori.WBK_AFIRMASI])


@dengan_token
def unit_wbbm(request):
    return _daftar_unit(request, [Kategori.WBBM])


def _teks(jenis, teks):
    """A stored answer as sent: null when empty; numbers with a decimal point."""
    teks = (teks or "").strip()
    if not teks:
        return None
    if jenis.aturan != Aturan.PILIHAN and S.angka(teks) is not None:
        return teks.replace(",", ".")
    return teks


def _jawaban_unit(ns):
    if ns.dari_isian:  # the plan's numeric inputs decide, not the typed answer
        return f"{S.dua(ns.unit * S.SERATUS)}" if ns.unit is not None else None
    return _teks(ns.soal.jenis, ns.jawaban.jawaban_unit if ns.jawaban else "")


def tautan_bukti(request, unit_id, soal_pk):
    """An absolute, signed URL to the ZIP of a question's approved evidence."""
    # the token travels in the link: revoking the token also ends its links
    path = reverse("portalrb:bukti", args=[signing.dumps(
        {"u": unit_id, "s": soal_pk, "t": request.token_api.pk}, salt=GARAM_BUKTI)])
    dasar = settings.ZI_PORTALRB_URL_DASAR
    return dasar + path if dasar else request.build_absolute_uri(path)


@dengan_token
def jawaban_unit(request, unit_id):
    """The unit's answers to the questions that carry a PortalRB soal_id, in LKE order.
    404 unless the unit is proposed for the year and the year has an LKE. A proposed unit
    without a plan that year is answered from its typed answers only (no numeric inputs,
    no evidence)."""
    tahun = _tahun(request)
    if tahun is None:
        return galat("invalid_tahun", 400)
    usulan = Pengusulan.objects.filter(unit_id=int(unit_id), tahun=tahun).first()
    lke = lke_tahun(tahun) if usulan else None
    if lke is None:
        return galat("not_found", 404)
    rk = RencanaKerja.objects.filter(unit_id=usulan.unit_id, tahun=tahun).first()
    if rk:
        skor, _areas, tautan = skor_rencana(rk, lke)
        nilai = skor.soal()
    else:
        tautan = {}
        nilai = nilai_soal_unit(RencanaKerja(unit_id=usulan.unit_id, tahun=tahun), pohon(lke),
                                tautan).values()
    bukti = bukti_soal(tautan)
    answers = []
    for ns in nilai:
        s, j = ns.soal, ns.jawaban
        if not s.soal_id.strip():
            continue
        answers.append({
            "soal_id": s.soal_id.strip(),
            "jawaban_unit": _jawaban_unit(ns),
            "jawaban_tpi": _teks(s.jenis, j.jawaban_tpi if j else ""),
            "catatan_unit": (j.catatan_unit if j else "") or None,
            "bukti_dukung_unit": tautan_bukti(request, usulan.unit_id, s.pk) if bukti.get(s.pk)
            else None,
            "catatan_tpi": (j.catatan_tpi if j else "") or None,
        })
    return _json({"tahun": tahun, "answers": answers})


@_hanya_get
def unduh_bukti(request, nilai):
    """The ZIP of a question's approved evidence as of now. The signature is the permission
    (no login, no token); a bad, expired or stale link is a plain 404."""
    # not rate-limited: an HMAC cannot be guessed, and expired links are routine
    try:
        data = signing.loads(nilai, salt=GARAM_BUKTI,
                             max_age=timedelta(days=settings.ZI_PORTALRB_TAUTAN_HARI))
        unit_id, soal_pk, token_pk = int(data["u"]), int(data["s"]), int(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return galat("not_found", 404)
    if not TokenApi.objects.filter(pk=token_pk, dicabut_pada__isnull=True).exists():
        return galat("not_found", 404)
    soal = SoalLke.objects.select_related("komponen__area__lke").filter(pk=soal_pk).first()
    tahun = soal.komponen.area.lke.tahun if soal else None
    rk = RencanaKerja.objects.select_related("unit").filter(unit_id=unit_id, tahun=tahun).first()
    if rk is None or not Pengusulan.objects.filter(unit_id=unit_id, tahun=tahun).exists():
        return galat("not_found", 404)
    ind = tautan_rencana(rk, soal.komponen.area.lke).get(soal.pk, [])
    files = bukti_soal({soal.pk: ind}).get(soal.pk)
    if not files:
        return galat("not_found", 404)
    akar = nama_aman(f"bukti-{soal.soal_id.strip() or soal.kode}-{rk.unit.kode}-{tahun}", 80)
    resp = StreamingHttpResponse(zip_bukti(akar, files), content_type="application/zip")
    resp["Content-Disposition"] = content_disposition_header(True, f"{akar}.zip")
    resp["X-Content-Type-Options"] = "nosniff"
    resp["Cache-Control"] = "no-store"
    return resp


def zip_bukti(akar, files, potongan=1024 * 1024):
    """Yield a ZIP of `files` (Berkas from `bukti_soal`) in pieces; folders per rencana
    aksi, as in the evidence bundle."""
    dipakai, isi = set(), []
    for b in files:
        p = b.pengajuan
        ra = p.bukti_dukung.rencana_aksi
        when = f"{p.bulan:%Y-%m}" if p.bulan else f"{p.tanggal_kejadian:%Y-%m-%d}"
        base, dot, ext = nama_aman(b.nama_asli, 40).rpartition(".")
        stem = (base if dot else ext).strip(" .") or "berkas"
        d = f"{akar}/{ra.urutan:02d} {nama_aman(ra.teks, 40)}"
        path, n = f"{d}/{when} {stem}.{b.ekstensi}", 2
        while path.lower() in dipakai:
            path, n = f"{d}/{when} {stem} ({n}).{b.ekstensi}", n + 1
        dipakai.add(path.lower())
        isi.append((path, b))
    return zip_alir([], isi, potongan)


@_hanya_get
def tidak_ditemukan(request):
    return galat("not_found", 404)
