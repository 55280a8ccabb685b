"""Security headers the framework does not set itself (settings in portal/settings/base.py).

- ``ContentSecurityPolicyMiddleware``: django-csp's middleware, with the Wagtail admin's own
  policy for paths under ``/admin/`` (``CONTENT_SECURITY_POLICY_ADMIN``): Wagtail's editor
  still writes inline scripts and styles (panels, date widgets) that no nonce can reach.
  Public pages get the strict policy: scripts from this site only (or with this response's
  nonce, ``request.csp_nonce``), never 'unsafe-inline'.
- ``PermissionsPolicyMiddleware``: the ``Permissions-Policy`` header (``PERMISSIONS_POLICY``).
"""

from __future__ import annotations

from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        admin_policy = getattr(settings, "CONTENT_SECURITY_POLICY_ADMIN", None)
        if not report_only and admin_policy and request.path.startswith("/admin/"):
            parts.config = admin_policy["DIRECTIVES"]
        return parts


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in getattr(settings, "PERMISSIONS_POLICY", {}).items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
