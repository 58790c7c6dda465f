"""Whether a side of a unit's LKE (its own answers, or the TPI's) is open for writing now,
and what the apps above lke say on a question's row.
lke knows no rounds: the apps above it (evaluasi, the TPI's round and its windows)
register their rule at start-up. Without a rule, or outside a round, both sides are open.
The LKE page and the workbook import ask here; `services.simpan_jawaban` does not (the
demo and the tests write through it directly)."""

_ATURAN = []
_PENANDA = []


def daftarkan(aturan):
    """Register `aturan(unit, tahun, saat)` -> {"unit": message, "tpi": message}: a side
    with a message is closed, the message says why and when it opens."""
    if aturan not in _ATURAN:
        _ATURAN.append(aturan)
    return aturan


def tertutup(unit, tahun, saat=None):
    """{"unit": message or None, "tpi": message or None} for `unit`'s LKE of `tahun`."""
    out = {"unit": None, "tpi": None}
    for aturan in _ATURAN:
        for sisi, pesan in (aturan(unit, tahun, saat) or {}).items():
            out[sisi] = out[sisi] or pesan
    return out


def daftarkan_penanda(penanda_):
    """Register `penanda_(unit, tahun)` -> {soal pk: [Tanda]}: what an app above lke says
    on a question's row (the TPI sent it back, with its steps)."""
    if penanda_ not in _PENANDA:
        _PENANDA.append(penanda_)
    return penanda_


def penanda(unit, tahun):
    """{soal pk: [Tanda]} of every registered app for `unit`'s LKE of `tahun`."""
    out = {}
    for p in _PENANDA:
        for pk, tanda in (p(unit, tahun) or {}).items():
            out.setdefault(pk, []).extend(tanda)
    return out
