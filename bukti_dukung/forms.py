import re
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from organisasi.models import UnitKerja
from rencana_aksi.forms import AnggotaField, AreaField, BulanField


class BanyakBerkasInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class BanyakBerkasField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", BanyakBerkasInput(attrs={"multiple": True}))
        # Empty files are refused by the upload service, by name, keeping the others.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if not data:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class UnggahForm(forms.Form):
    berkas = BanyakBerkasField(label=_("Berkas"), required=True, error_messages={
        "required": _("Pilih paling sedikit satu berkas."),
        "empty": _("Berkas yang dipilih kosong."),
    })
    catatan = forms.CharField(label=_("Catatan"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 2}))
    bulan = BulanField(required=False, widget=forms.HiddenInput,
                       error_messages={"invalid": _("Bulan target tidak sah.")})
    tanggal_kejadian = forms.DateField(label=_("Tanggal kejadian"), required=False,
                                       widget=forms.DateInput(attrs={"type": "date"}))
    uraian_kejadian = forms.CharField(label=_("Uraian singkat kejadian"), required=False,
                                      max_length=200)
    pengajuan = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cd = super().clean()
        if "bulan" not in cd or cd["bulan"] or cd.get("pengajuan"):
            return cd  # a bad month (its error), a month, or a new round of an occurrence
        if not cd.get("tanggal_kejadian"):
            self.add_error("tanggal_kejadian", _("Isi tanggal kejadian."))
        if not cd.get("uraian_kejadian"):
            self.add_error("uraian_kejadian", _("Isi uraian singkat kejadian."))
        return cd


class KeputusanForm(forms.Form):
    versi = forms.IntegerField(widget=forms.HiddenInput)
    komentar = forms.CharField(label=_("Komentar"), required=False, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 3}))


class HapusBerkasForm(forms.Form):
    alasan = forms.CharField(label=_("Alasan menghapus"), max_length=500)


class AntreanFilterForm(forms.Form):
    """The review queue's filters (GET): an unknown area or month is ignored with a message."""

    area = AreaField(required=False)
    bulan = BulanField(required=False)
    anggota = AnggotaField()

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["anggota"].unit = unit

    def filter(self):
        """(area, bulan, anggota) that hold, and the messages of those ignored."""
        self.is_valid()
        d = self.cleaned_data
        return (d.get("area"), d.get("bulan"), d.get("anggota"),
                [m for errs in self.errors.values() for m in errs])


class LogFilterForm(forms.Form):
    """The audit log's filters and page (GET); a value that does not hold is no filter
    (and no page number is the first page)."""

    jenis = forms.CharField(required=False, max_length=40)
    pengguna = AnggotaField()
    sejak = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    sampai = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    halaman = forms.IntegerField(required=False, min_value=1, max_value=10**6)

    def __init__(self, *args, unit, jenis_pilihan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pengguna"].unit = unit
        self.jenis_pilihan = dict(jenis_pilihan)

    def filter(self):
        self.is_valid()
        d = self.cleaned_data
        jenis = d.get("jenis")
        return {"jenis": jenis if jenis in self.jenis_pilihan else None,
                "pengguna": d.get("pengguna"), "sejak": d.get("sejak"), "sampai": d.get("sampai"),
                "halaman": d.get("halaman") or 1}

    @staticmethod
    def url(f):
        """The query string of the filters that hold, for the pager and the CSV link."""
        return urlencode({k: v for k, v in {
            "jenis": f["jenis"], "pengguna": f["pengguna"].pk if f["pengguna"] else None,
            "sejak": f["sejak"] and f"{f['sejak']:%Y-%m-%d}",
            "sampai": f["sampai"] and f"{f['sampai']:%Y-%m-%d}"}.items() if v})


class PilihRencanaForm(forms.Form):
    """Tugas saya: which of the user's plans (unit code and year) to show."""

    unit = forms.CharField(required=False, max_length=50)
    tahun = forms.IntegerField(required=False, min_value=2000, max_value=2100)


class PengaturanUnitForm(forms.ModelForm):
    class Meta:
        model = UnitKerja
        fields = ["unggah_hanya_pic"]


class PasanganField(forms.Field):
    """Values "<pk>:<version>" (several of one name) as [(pk, version)]; malformed ones are
    dropped."""

    widget = forms.MultipleHiddenInput

    def clean(self, value):
        return [tuple(map(int, v.split(":"))) for v in (value or [])
                if isinstance(v, str) and re.fullmatch(r"[0-9]{1,18}:[0-9]{1,9}", v)]


class PilihTerpilihForm(forms.Form):
    """Bulk approval: the ticked items with the versions loaded."""

    pilih = PasanganField(required=False)

    def pasangan(self):
        return self.cleaned_data["pilih"] if self.is_valid() else []


class IsianNilaiForm(forms.Form):
    """An indikator's numeric inputs as posted: `nilai-<pk>` (a number with a decimal comma
    or point, empty for none) and `versi-<pk>` (the version loaded) per input, and `ra`, the
    rencana aksi page to return to. Percentage rows that are computed are not posted."""

    ra = forms.CharField(required=False)

    def __init__(self, *args, isian, **kwargs):
        super().__init__(*args, **kwargs)
        self.isian = [s for s in isian
                      if not (s.jenis == "persentase" and f"nilai-{s.pk}" not in self.data)]
        for s in self.isian:
            self.fields[f"nilai-{s.pk}"] = forms.CharField(required=False, max_length=40)
            self.fields[f"versi-{s.pk}"] = forms.IntegerField(required=False, min_value=0,
                                                             max_value=2**31 - 1)

    def baca(self):
        """({pk: Decimal|None}, {pk: version}, {pk: typed}, {pk: message})."""
        self.is_valid()
        angka = forms.DecimalField(max_digits=12, decimal_places=2, required=False)
        nilai, versi, isi, salah = {}, {}, {}, {}
        for s in self.isian:
            raw = (self.data.get(f"nilai-{s.pk}") or "").strip()[:40]
            isi[s.pk] = raw
            text = raw.replace(",", ".")
            try:
                if text and not re.fullmatch(r"-?\d+(\.\d+)?", text):
                    raise forms.ValidationError(_("bukan angka"))
                nilai[s.pk] = angka.clean(text)
            except forms.ValidationError as exc:
                salah[s.pk] = exc.messages[0]
            versi[s.pk] = self.cleaned_data.get(f"versi-{s.pk}") or 0
        return nilai, versi, isi, salah

    def ra_pk(self):
        v = self.cleaned_data.get("ra") or ""
        return int(v) if v.isascii() and v.isdigit() and len(v) < 18 else None


class AksiTinjauanForm(forms.Form):
    aksi = forms.ChoiceField(choices=[("setujui", "setujui"), ("perbaikan", "perbaikan"),
                                      ("buka", "buka")], required=False)
