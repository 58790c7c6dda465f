"""How LKE rows find their place in a plan: pure matching rules over plain objects, used by
the linking service and by the migration that made the LKE official.

A komponen of the plan is the LKE komponen with the same part, area and number. In it:
- a choice question takes the indikator with the same text, else the indikator at its
  position (`indikator_ke`, the CSV's `indikator_seed`);
- a count row takes the numeric input whose label is its `isian_label`, in the indikator at
  its position first, else the only one of that label in the komponen."""

import re


def teks_dasar(s):
    return re.sub(r"[^a-z0-9]+", " ", (s or "").lower()).strip()


def pasangan_soal(soal, indikator, terpakai=()):
    """[(soal, indikator)] for choice questions. `soal`: objects with teks and
    indikator_ke; `indikator`: the plan komponen's indikator in plan order; `terpakai`: pks
    of indikator already linked. Each indikator is taken once."""
    bebas = [i for i in indikator if i.pk not in terpakai]
    out = []
    by_text = {}
    for i in bebas:
        by_text.setdefault(teks_dasar(i.teks), i)
    sisa = []
    for s in soal:
        i = by_text.get(teks_dasar(s.teks)) if s.teks else None
        if i is not None and i in bebas:
            out.append((s, i))
            bebas.remove(i)
        else:
            sisa.append(s)
    for s in sisa:
        k = getattr(s, "indikator_ke", None)
        if k and k <= len(indikator) and indikator[k - 1] in bebas:
            out.append((s, indikator[k - 1]))
            bebas.remove(indikator[k - 1])
    return out


def pasangan_isian(baris, indikator, isian):
    """[(count row, isian)]. `baris`: count rows (isian_label, indikator_ke); `indikator`:
    the plan komponen's indikator in plan order; `isian`: {indikator pk: [Isian]}."""
    out = []
    for b in baris:
        label = teks_dasar(b.isian_label)
        if not label:
            continue
        k = b.indikator_ke
        utama = indikator[k - 1] if k and k <= len(indikator) else None
        cocok = [s for s in isian.get(utama.pk, []) if teks_dasar(s.label) == label] if utama else []
        if not cocok:
            cocok = [s for i in indikator for s in isian.get(i.pk, [])
                     if teks_dasar(s.label) == label]
            if len(cocok) != 1:
                continue
        out.append((b, cocok[0]))
    return out
