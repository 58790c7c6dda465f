"""Whether a side of a unit's LKE (its own answers, or the TPI's) is open for writing now,
and what the apps above lke say on a question's row.
lke knows no rounds: the apps above it (evaluasi, the TPI's round and its windows)
register their rule at start-up. Without a rule, or outside a round, both sides are open.
The LKE page and the workbook import ask here; `services.simpan_jawaban` does not (the
demo and the tests write through it directly)."""

_ATURAN = []
_PENANDA = []


def daftarkan(aturan):
    """Register `aturan(unit, tahun, saat=None, user=None)` -> {"unit": message, "tpi":
    message, "kecuali": soal pks}: a side with a message is closed (for `user`, when given),
    the message says why and when it opens; the unit's side stays open on the questions
    in "kecuali" (e.g. those the TPI sent back)."""
    if aturan not in _ATURAN:
        _ATURAN.append(aturan)
    return aturan


def tertutup(unit, tahun, saat=None, user=None):
    """{"unit": message or None, "tpi": message or None, "kecuali": set of soal pks} for
    `unit`'s LKE of `tahun` (as `user` may write it, when given)."""
    out = {"unit": None, "tpi": None, "kecuali": set()}
    for aturan in _ATURAN:
        for sisi, pesan in (aturan(unit, tahun, saat=saat, user=user) or {}).items():
            if sisi == "kecuali":
                out["kecuali"] |= set(pesan)
            else:
                out[sisi] = out[sisi] or pesan
    return out


def pesan_tutup(tutup, sisi, soal_pk):
    """Why `sisi` of one question is closed (of `tertutup`'s answer), or None when open."""
    if sisi == "unit" and soal_pk in tutup["kecuali"]:
        return None
    return tutup[sisi]


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
