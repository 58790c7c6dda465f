"""The one parser for `target_waktu` texts ("Februari – Maret 2024", "Juli, Desember 2024",
"Setiap bulan", "Mei 2024, setiap ada pertemuan", ...). Everything that needs target months
(import, plan page, progress, reports) calls `baca_target_waktu`."""

import re
from dataclasses import dataclass, field
from datetime import date

NAMA_BULAN = {
    1: "Januari", 2: "Februari", 3: "Maret", 4: "April", 5: "Mei", 6: "Juni",
    7: "Juli", 8: "Agustus", 9: "September", 10: "Oktober", 11: "November", 12: "Desember",
}
SINGKATAN_BULAN = {m: n[:3] for m, n in NAMA_BULAN.items()}
SINGKATAN_BULAN[8] = "Agu"
SINGKATAN_BULAN[12] = "Des"

_BULAN = {
    "januari": 1, "jan": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2,
    "maret": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10,
    "november": 11, "nov": 11, "nopember": 11, "nop": 11,
    "desember": 12, "des": 12,
}
_MONTH = r"(?P<{0}>[a-z]+)\.?(?:\s+(?P<{0}_th>\d{{4}}))?"
_SINGLE = re.compile(r"^" + _MONTH.format("a") + r"$")
_RANGE = re.compile(
    r"^" + _MONTH.format("a") + r"\s*(?:–|-|—|s\.?\s*/\s*d\.?|sampai(?:\s+dengan)?|hingga)\s*"
    + _MONTH.format("b") + r"$"
)
_TAHUN = re.compile(r"^(?:tahun\s+)?(?P<th>\d{4})$")
# "Setiap bulan", "Tiap bulan", "Bulanan", optionally with a year.
_SETIAP_BULAN = re.compile(r"^(?:setiap|tiap)\s+bulan(?:\s+(?P<th>\d{4}))?$|^bulanan$")
_SETIAP_TRIWULAN = re.compile(r"^(?:setiap|tiap)\s+triwulan(?:\s+(?P<th>\d{4}))?$|^triwulanan$")
# Event-driven: "setiap ada pertemuan", "Setiap ada undangan ...", "Setia pada pengadaan
# diklat" (sic, in the seed), "setiap kali ...".
_PER_KEJADIAN = re.compile(r"^(?:setiap|setia|tiap)\s+(?:ada|pada|kali|terdapat)\b")


TAHUN_MIN, TAHUN_MAX = 1900, 2100


def _tahun(text):
    """A written year, or ValueError outside the years a plan can have."""
    year = int(text)
    if not TAHUN_MIN <= year <= TAHUN_MAX:
        raise ValueError(text)
    return year


@dataclass
class HasilTarget:
    """Result of reading a target text. `bulan` is a sorted list of (year, month)."""

    bulan: list = field(default_factory=list)
    per_kejadian: bool = False
    terbaca: bool = True

    @property
    def bulan_date(self):
        return [date(y, m, 1) for y, m in self.bulan]

    @property
    def bulan_iso(self):
        return [f"{y:04d}-{m:02d}" for y, m in self.bulan]


def _normalise(text):
    text = (text or "").replace("\u00a0", " ").strip().lower()
    text = re.sub(r"\s+", " ", text)
    return text.rstrip(".;")


def _segmen(text):
    """Split on commas, semicolons, "dan" and "&" but not inside a range."""
    parts = re.split(r"\s*(?:,|;|&|\bdan\b)\s*", text)
    return [p.strip() for p in parts if p.strip()]


def baca_target_waktu(text, tahun):
    """Read a target text into months (of `tahun` unless the text names years) and an
    event-driven flag. Unreadable text gives `terbaca=False` and no months: the
    Sekretaris sets those by hand; nothing is guessed."""
    norm = _normalise(text)
    if not norm:
        return HasilTarget(terbaca=False)
    try:
        return _baca(norm, tahun)
    except ValueError:  # a year out of range
        return HasilTarget(terbaca=False)


def _baca(norm, tahun):
    # Pending segments without a year take the next year that is written ("Juli, Desember
    # 2024"); each pending item is (start_month, end_month or None).
    months = set()
    pending = []
    per_kejadian = False
    last_year = None

    def flush(year):
        for a, b in pending:
            months.update(_expand(a, None, b, year))
        pending.clear()

    for seg in _segmen(norm):
        if _PER_KEJADIAN.match(seg):
            per_kejadian = True
            continue
        m = _SETIAP_BULAN.match(seg)
        if m:
            th = _tahun(m.group("th") or tahun)
            months.update((th, b) for b in range(1, 13))
            continue
        m = _SETIAP_TRIWULAN.match(seg)
        if m:
            th = _tahun(m.group("th") or tahun)
            months.update((th, b) for b in (3, 6, 9, 12))
            continue
        m = _TAHUN.match(seg)
        if m and pending:
            last_year = _tahun(m.group("th"))
            flush(last_year)
            continue
        m = _RANGE.match(seg)
        if m and m.group("a") in _BULAN and m.group("b") in _BULAN:
            a, b = _BULAN[m.group("a")], _BULAN[m.group("b")]
            ya, yb = m.group("a_th"), m.group("b_th")
            if yb:
                last_year = _tahun(yb)
                flush(last_year)
                months.update(_expand(a, _tahun(ya) if ya else None, b, last_year))
            elif ya:
                # "November 2023 – Februari" is not a shape we know how to close: refuse.
                return HasilTarget(terbaca=False)
            else:
                pending.append((a, b))
            continue
        m = _SINGLE.match(seg)
        if m and m.group("a") in _BULAN:
            a = _BULAN[m.group("a")]
            if m.group("a_th"):
                last_year = _tahun(m.group("a_th"))
                flush(last_year)
                months.add((last_year, a))
            else:
                pending.append((a, None))
            continue
        return HasilTarget(terbaca=False)

    if pending:
        flush(last_year or tahun)
    if not months and not per_kejadian:
        return HasilTarget(terbaca=False)
    return HasilTarget(bulan=sorted(months), per_kejadian=per_kejadian)


def _expand(a, ya, b, yb):
    """Months from a (year ya) to b (year yb) inclusive. Without ya the start takes
    yb, or the year before when the range wraps (November – Februari 2024)."""
    if b is None:
        return [(yb, a)]
    if ya is None:
        ya = yb if a <= b else yb - 1
    out = []
    y, m = ya, a
    while (y, m) <= (yb, b) and len(out) < 36:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def label_bulan(d, singkat=True):
    """'Feb 2024' / 'Februari 2024' for a month date."""
    nama = SINGKATAN_BULAN[d.month] if singkat else NAMA_BULAN[d.month]
    return f"{nama} {d.year}"


def parse_bulan_iso(value):
    """'2024-03' -> date(2024, 3, 1); raises ValueError on anything else."""
    m = re.fullmatch(r"(\d{4})-(\d{2})", (value or "").strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(value)
    return date(_tahun(m.group(1)), int(m.group(2)), 1)


def rentang_bulan(dates):
    """Compact chip labels for sorted month dates: runs of three or more consecutive
    months become one range ('Jan–Des 2024', 'Nov 2023–Jan 2024')."""
    runs = []
    for d in sorted(dates):
        if runs and (d.year * 12 + d.month) - (runs[-1][-1].year * 12 + runs[-1][-1].month) == 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    labels = []
    for run in runs:
        if len(run) < 3:
            labels += [label_bulan(d) for d in run]
        elif run[0].year == run[-1].year:
            labels.append(f"{SINGKATAN_BULAN[run[0].month]}–{label_bulan(run[-1])}")
        else:
            labels.append(f"{label_bulan(run[0])}–{label_bulan(run[-1])}")
    return labels
