from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ContactCard


class ContactCardViewSet(SnippetViewSet):
    model = ContactCard
    icon = "user"
    menu_label = _("問い合わせ先")
    list_display = ["name", "phone", "email"]
    search_fields = ["name"]


register_snippet(ContactCardViewSet)
