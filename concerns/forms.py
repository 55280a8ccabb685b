from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import Concern


class ConcernForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("地域"),
        queryset=selectors.area_choices(),
        required=False,
        empty_label=_("わからない"),
        to_field_name="code",
        help_text=_("担当の地域福祉コーディネーターに届きます。わからなければ市の窓口へ届きます。"),
    )
    category = forms.ChoiceField(
        label=_("どんなことですか"), choices=Concern.Category.choices, widget=forms.RadioSelect
    )
    what = forms.CharField(
        label=_("気になっていること"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("氏名や番地など、人を特定できることは書かなくてかまいません。1000文字まで。"),
    )
    where_hint = forms.CharField(
        label=_("場所の目安（任意）"),
        max_length=200,
        required=False,
        help_text=_("例：みどり町1丁目の公園の近く"),
    )
    callback = forms.CharField(
        label=_("折り返しの連絡先（任意）"),
        max_length=200,
        required=False,
        help_text=_("折り返しを希望するときだけ、電話番号かメールアドレスを書いてください。"),
    )
    # Honeypot: hidden from people (CSS) and from screen readers' tab order; bots fill it.
    hp_check = forms.CharField(
        label=_("この欄は空のままにしてください（迷惑な投稿を防ぐための欄です）"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_hp_check(self):
        if self.cleaned_data.get("hp_check"):
            raise forms.ValidationError(_("この欄は空のままにしてください。"), code="honeypot")
        return ""
