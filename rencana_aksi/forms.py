import json
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from organisasi import permissions
from organisasi.models import nama_pengguna

from .bulan import NAMA_BULAN, parse_bulan_iso
from .models import Area, Indikator, Isian, Komponen, RencanaAksi, RencanaKerja

EKSTENSI_IMPOR = (".xlsx", ".yaml", ".yml", ".json")
MAKS_UKURAN_IMPOR = 5 * 1024 * 1024


class PenggunaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return nama_pengguna(obj)


class VersiMixin(forms.Form):
    """The version the user loaded, sent back to detect concurrent edits."""

    versi = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["versi"] = self.instance.versi


class RencanaAksiForm(VersiMixin, forms.ModelForm):
    """Months follow the target text. Ticking other month boxes (or the per-kejadian flag)
    sets them by hand; changing only the text reads it again; "ikuti_teks" goes back to
    the text. "Changed" is measured against what the user loaded (hidden `awal`), not the
    database, so saving again after a conflict does not mistake old ticks for new ones."""

    bulan = forms.MultipleChoiceField(
        label=_("Bulan target"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("Terisi dari teks target waktu. Ubah centangnya untuk mengatur bulan secara "
                    "manual; ubah teksnya saja untuk membaca ulang."),
    )
    ikuti_teks = forms.BooleanField(
        label=_("Baca ulang bulan dari teks target waktu"),
        required=False,
        help_text=_("Bulan target saat ini diatur manual. Centang untuk kembali mengikuti teks."),
    )
    awal = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = RencanaAksi
        fields = ["teks", "target_waktu", "pic", "per_kejadian"]
        widgets = {"teks": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"pic": PenggunaChoiceField}

    def __init__(self, *args, tahun, anggota, **kwargs):
        super().__init__(*args, **kwargs)
        ra = self.instance
        # The years around the plan's (targets cross years: "November – Desember 2023,
        # Januari 2024") and any year the action already has, in order.
        years = sorted({tahun - 1, tahun, tahun + 1} | {d.year for d in ra.bulan_list()})
        self.fields["bulan"].choices = [
            (f"{y}-{m:02d}", f"{NAMA_BULAN[m]} {y}") for y in years for m in range(1, 13)
        ]
        if not ra.target_terbaca:
            self.fields["bulan"].help_text = _("Teks target waktu tidak terbaca: centang bulan "
                                               "targetnya, atau tandai per kejadian.")
        self.fields["pic"].queryset = anggota
        self.fields["pic"].label = _("Penanggung jawab (PIC)")
        self.fields["pic"].empty_label = _("(ikuti PIC komponen)")
        self.initial["bulan"] = [d.strftime("%Y-%m") for d in ra.bulan_list()]
        self.initial["awal"] = json.dumps({
            "bulan": self.initial["bulan"], "kejadian": ra.per_kejadian,
            "manual": ra.bulan_manual, "target": ra.target_waktu,
        })
        if not ra.bulan_manual:
            del self.fields["ikuti_teks"]

    def clean_bulan(self):
        return [parse_bulan_iso(v) for v in self.cleaned_data["bulan"]]

    def clean_awal(self):
        try:
            awal = json.loads(self.cleaned_data["awal"])
            return {"bulan": set(awal["bulan"]), "kejadian": bool(awal["kejadian"]),
                    "manual": bool(awal["manual"]), "target": str(awal["target"])}
        except (ValueError, KeyError, TypeError):
            return json.loads(self.initial["awal"]) | {"bulan": set(self.initial["bulan"])}

    def target_manual(self):
        """(bulan, per_kejadian) set by hand, or (None, None) to read the target text."""
        cd = self.cleaned_data
        if cd.get("ikuti_teks"):
            return None, None
        awal = cd["awal"]
        bulan, kejadian = cd.get("bulan", []), cd.get("per_kejadian", False)
        boxes_changed = ({d.strftime("%Y-%m") for d in bulan} != awal["bulan"]
                         or kejadian != awal["kejadian"])
        if boxes_changed:
            return bulan, kejadian
        if cd.get("target_waktu", "") != awal["target"]:
            return None, None
        return (bulan, kejadian) if awal["manual"] else (None, None)

    def clean(self):
        cd = super().clean()
        if "bulan" in cd and "awal" in cd:
            bulan, per_kejadian = self.target_manual()
            if bulan is not None and not bulan and not per_kejadian:
                self.add_error("bulan", _("Pilih paling sedikit satu bulan, atau tandai per "
                                          "kejadian."))
        return cd


class KomponenForm(VersiMixin, forms.ModelForm):
    class Meta:
        model = Komponen
        fields = ["nama", "pic"]
        field_classes = {"pic": PenggunaChoiceField}

    def __init__(self, *args, anggota, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pic"].queryset = anggota
        self.fields["pic"].empty_label = _("(belum ditetapkan)")


class ImporRencanaForm(forms.Form):
    tahun = forms.IntegerField(label=_("Tahun rencana kerja"), min_value=2000, max_value=2100)
    berkas = forms.FileField(
        label=_("Berkas rencana kerja"),
        help_text=_("XLSX (satu baris per bukti dukung, kolom seperti templat) atau YAML/JSON "
                    "hasil ekspor. Maksimal 5 MB."),
    )
    ganti = forms.BooleanField(
        label=_("Ganti rencana kerja yang sudah ada untuk tahun ini"), required=False
    )
    field_order = ["tahun", "berkas", "ganti"]

    def clean_berkas(self):
        f = self.cleaned_data["berkas"]
        name = f.name.lower()
        if not name.endswith(EKSTENSI_IMPOR):
            raise forms.ValidationError(
                _("Berkas '%(nama)s' bukan XLSX, YAML atau JSON.") % {"nama": f.name}
            )
        if f.size > MAKS_UKURAN_IMPOR:
            raise forms.ValidationError(
                _("Berkas '%(nama)s' terlalu besar (maksimal 5 MB).") % {"nama": f.name}
            )
        return f


class BuktiDukungBarisForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    nama = forms.CharField(label=_("Bukti dukung"), required=False,
                           widget=forms.TextInput(attrs={"class": "form-control"}))


BuktiDukungFormSet = forms.formset_factory(BuktiDukungBarisForm, extra=2, can_delete=True)


def bukti_dukung_diinginkan(formset, existing_ids):
    """The wanted evidence list [(id or None, nama)] from a valid formset; unknown ids are
    treated as new rows (never another action's evidence)."""
    wanted = []
    for f in formset.forms:
        cd = f.cleaned_data
        if not cd or cd.get("DELETE") or not (cd.get("nama") or "").strip():
            continue
        pk = cd.get("id") if cd.get("id") in existing_ids else None
        wanted.append((pk, " ".join(cd["nama"].split())))
    return wanted


class IsianBarisForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    label = forms.CharField(label=_("Isian angka"), required=False, max_length=300,
                            widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))
    jenis = forms.ChoiceField(label=_("Jenis"), choices=Isian.Jenis.choices,
                              widget=forms.Select(attrs={"class": "form-select form-select-sm"}))


IsianFormSet = forms.formset_factory(IsianBarisForm, extra=2, can_delete=True)


def isian_diinginkan(formset, existing_ids):
    """[(id or None, label, jenis)] from a valid formset; blank and deleted rows dropped."""
    out = []
    for f in formset.forms:
        cd = f.cleaned_data
        if not cd or cd.get("DELETE") or not (cd.get("label") or "").strip():
            continue
        pk = cd.get("id") if cd.get("id") in existing_ids else None
        out.append((pk, " ".join(cd["label"].split()), cd["jenis"]))
    return out


class IndikatorForm(VersiMixin, forms.ModelForm):
    class Meta:
        model = Indikator
        fields = ["teks"]
        widgets = {"teks": forms.Textarea(attrs={"rows": 3})}


class TambahIndikatorForm(forms.ModelForm):
    class Meta:
        model = Indikator
        fields = ["teks"]
        widgets = {"teks": forms.Textarea(attrs={"rows": 3})}


class TambahRencanaAksiForm(forms.ModelForm):
    bukti_dukung = forms.CharField(
        label=_("Bukti dukung"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Satu bukti dukung per baris."),
    )

    class Meta:
        model = RencanaAksi
        fields = ["teks", "target_waktu", "pic"]
        widgets = {"teks": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"pic": PenggunaChoiceField}

    def __init__(self, *args, anggota, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pic"].queryset = anggota
        self.fields["pic"].label = _("Penanggung jawab (PIC)")
        self.fields["pic"].empty_label = _("(ikuti PIC komponen)")

    def clean_bukti_dukung(self):
        return [" ".join(line.split()) for line in self.cleaned_data["bukti_dukung"].splitlines()
                if line.strip()]


class SalinRencanaForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit tujuan"), queryset=None, empty_label=None)
    tahun = forms.IntegerField(label=_("Tahun tujuan"), min_value=2000, max_value=2100)
    ganti = forms.BooleanField(
        label=_("Ganti rencana kerja unit dan tahun tujuan bila sudah ada"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class DaftarBarisField(forms.CharField):
    """A list of strings edited as one line per item."""

    widget = forms.Textarea(attrs={"rows": 8})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [" ".join(v.split()) for v in (value or "").splitlines() if v.strip()]


class PendahuluanForm(VersiMixin, forms.ModelForm):
    """Browsers send CRLF line ends: stored with plain LF so paragraphs stay paragraphs."""

    mekanisme_penetapan_tim = DaftarBarisField(
        label=_("Lampiran 1. Mekanisme penetapan Tim Zona Integritas"), required=False,
        help_text=_("Satu langkah per baris, tanpa nomor."))
    target_prioritas = DaftarBarisField(
        label=_("Dokumen Program Kerja: target prioritas"), required=False,
        help_text=_("Satu target per baris, tanpa nomor."))

    class Meta:
        model = RencanaKerja
        fields = ["pendahuluan", "mekanisme_penetapan_tim", "target_prioritas"]
        widgets = {"pendahuluan": forms.Textarea(attrs={"rows": 18})}
        help_texts = {"pendahuluan": _("Paragraf dipisahkan oleh satu baris kosong. Baris pendek "
                                       "seperti “1.1 Latar Belakang” tampil sebagai judul.")}

    def clean_pendahuluan(self):
        text = self.cleaned_data["pendahuluan"].replace("\r\n", "\n").replace("\r", "\n")
        return re.sub(r"\n[ \t]*\n\s*", "\n\n", text).strip()


class AnggotaField(forms.CharField):
    """A member of the unit's team by id; anything else is no member (None)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, required=False, **kwargs)
        self.unit = None

    def clean(self, value):
        v = super().clean(value)
        if not (v and v.isascii() and v.isdigit() and len(v) < 18) or self.unit is None:
            return None
        return permissions.anggota_tim(self.unit).filter(pk=int(v)).first()


class BulanField(forms.CharField):
    """A month written YYYY-MM, read by the one month parser (rencana_aksi.bulan):
    date(Y, M, 1), or None when empty."""

    default_error_messages = {"invalid": _("Filter bulan '%(v)s' tidak dikenal dan diabaikan.")}

    def to_python(self, value):
        v = super().to_python(value)
        if not v:
            return None
        try:
            return parse_bulan_iso(v)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid",
                                        params={"v": v[:40]}) from None


SEMUA_AREA = "semua"  # the plan page's area filter: every area on one page


class AreaField(forms.CharField):
    """The kode of one of the six areas (I-VI), SEMUA_AREA, or None when empty."""

    default_error_messages = {"invalid": _("Filter area '%(v)s' tidak dikenal dan diabaikan.")}

    def clean(self, value):
        v = super().clean(value)  # NUL and other refused characters first: then the database
        if v == SEMUA_AREA:
            return v
        if v and not Area.objects.filter(kode=v).exists():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid",
                                        params={"v": v[:40]})
        return v or None


class FilterRencanaForm(forms.Form):
    """The plan page's filters (GET). A bad value is not an error page: the view ignores it
    and shows the field's message above the tree."""

    area = AreaField(required=False)
    bulan = BulanField(required=False)
    pic = AnggotaField()
    q = forms.CharField(required=False)
    perlu_atur = forms.CharField(required=False)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pic"].unit = unit

    def clean_pic(self):
        pic = self.cleaned_data["pic"]
        if pic is None and self.data.get("pic"):
            raise forms.ValidationError(_("Penanggung jawab yang dipilih bukan anggota tim unit ini."))
        return pic

    def clean_q(self):
        return self.cleaned_data["q"][:100] or None

    def clean_perlu_atur(self):
        return self.cleaned_data["perlu_atur"] == "1"

    def filter(self):
        """(filters, warnings): every valid filter, and a message for each ignored one."""
        self.is_valid()
        d = self.cleaned_data
        f = {"area": d.get("area"), "bulan": d.get("bulan"), "pic": d.get("pic"),
             "cari": d.get("q"), "perlu_atur": d.get("perlu_atur", False)}
        return f, [m for errs in self.errors.values() for m in errs]


class KembaliForm(forms.Form):
    """`next`: the plan page (with its filters) an edit page returns to; checked by the view."""

    next = forms.CharField(required=False, max_length=2000)


class HapusForm(forms.Form):
    versi = forms.IntegerField(min_value=0, max_value=2**31 - 1)
