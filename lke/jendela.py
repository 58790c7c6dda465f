"""Whether a side of a unit's LKE (its own answers, or the TPI's) is open for writing now.
lke knows no rounds: the apps above it (evaluasi, the TPI's round and its windows)
register their rule at start-up. Without a rule, or outside a round, both sides are open.
The LKE page and the workbook import ask here; `services.simpan_jawaban` does not (the
demo and the tests write through it directly)."""

_ATURAN = []


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
