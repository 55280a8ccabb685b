from django import forms
from django.db import models


class ChoiceListField(models.JSONField):
    """A list of choice codes stored as JSON, edited as a group of checkboxes.

    Used where the list is shown but never filtered on in SQL (filtered vocabularies such as
    age groups are relations instead, so every database can count and filter them).
    """

    def __init__(self, *args, choices_enum=None, **kwargs):
        self.choices_enum = choices_enum
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["choices_enum"] = self.choices_enum
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=[(c, label) for c, label in self.choices_enum.choices if c],
            widget=forms.CheckboxSelectMultiple,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
        )
