"""The dashboard panel of the verification loop."""

from __future__ import annotations

from wagtail.admin.ui.components import Component

from . import selectors


class VerificationPanel(Component):
    name = "verification"
    template_name = "staffdesk/verification_panel.html"
    order = 60

    def get_context_data(self, parent_context=None):
        return {"counts": selectors.verification_counts(), "months": selectors.stale_months()}
