from django import forms
from django.utils.translation import gettext_lazy as _


class InquiryForm(forms.Form):
    name = forms.CharField(label=_("お名前"), max_length=100)
    contact = forms.CharField(
        label=_("連絡先"),
        max_length=200,
        help_text=_("電話番号かメールアドレス。コーディネーターから連絡します。"),
    )
    message = forms.CharField(
        label=_("聞きたいこと・伝えたいこと（任意）"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    hp_check = forms.CharField(
        label=_("この欄は空のままにしてください（迷惑な投稿を防ぐための欄です）"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_hp_check(self):
        if self.cleaned_data.get("hp_check"):
            raise forms.ValidationError(_("この欄は空のままにしてください。"), code="honeypot")
        return ""
