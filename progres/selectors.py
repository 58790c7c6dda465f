"""Figures of many plans at once, cached per plan version. Requirement states come from
the ledger (bukti_dukung.kebutuhan) only."""

from collections import defaultdict

from django.core.cache import cache
from django.utils import timezone

from bukti_dukung.kebutuhan import hitung_progres


def per_rencana(plans, nama, hitung, hari=None):
    """{plan pk: value} for many plans, each value cached under (nama, plan, its
    data_versi, day): only plans changed since are computed, all of them at once by
    `hitung(plan ids, hari)` -> {plan pk: value}. Every write that can move a figure
    bumps data_versi (rencana_aksi.models.tandai_baris); the timeout is only a safety net."""
    hari = hari or timezone.localdate()
    keys = {rk.pk: f"zi:{nama}:{rk.pk}:{rk.data_versi}:{hari.isoformat()}" for rk in plans}
    got = cache.get_many(list(keys.values()))
    out = {pk: got[key] for pk, key in keys.items() if key in got}
    missing = [pk for pk in keys if pk not in out]
    if missing:
        fresh = hitung(missing, hari)
        fresh = {pk: fresh.get(pk) for pk in missing}
        cache.set_many({keys[pk]: v for pk, v in fresh.items()}, timeout=3600)
        out.update(fresh)
    return out


def progres_per_rencana(plans, per=None, hari=None):
    """`hitung_progres(rk, per=per)` for each of `plans`: {plan pk: {key: Hitungan}},
    cached per plan version (see per_rencana)."""
    names = per if isinstance(per, tuple) else (per,) if per else ()

    def hitung(ids, hari):
        out = defaultdict(dict)
        for key, h in hitung_progres(per=("rencana_kerja", *names), lingkup={"__in": ids},
                                     hari=hari).items():
            key = key if names else (key, None)  # one name: hitung's key is not a tuple
            rest = key[1:] if len(names) > 1 else key[1]
            out[key[0]][rest] = h
        return {pk: out.get(pk, {}) for pk in ids}

    return per_rencana(plans, f"progres:{'.'.join(names)}", hitung, hari)
