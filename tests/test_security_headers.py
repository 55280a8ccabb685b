"""Content-Security-Policy and Permissions-Policy headers: strict on public pages (no
'unsafe-inline' scripts), Wagtail's own needs in the admin."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, list[str]]:
    parts = [part.strip().split() for part in header.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


@pytest.mark.parametrize(
    "url", ["/", "/search/?q=食事", "/areas/", "/submit/", "/api/v1/listings/", "/healthz"]
)
def test_public_responses_carry_a_strict_policy(client, areas, url):
    response = client.get(url)
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert "https://cyberjapandata.gsi.go.jp" in policy["img-src"]  # the map tiles' host
    permissions = response["Permissions-Policy"]
    assert "geolocation=(self)" in permissions
    assert "camera=()" in permissions and "microphone=()" in permissions


def test_the_nonce_is_in_the_header_when_a_template_uses_it(rf):
    from django.http import HttpResponse

    from portal.security import ContentSecurityPolicyMiddleware

    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

    request = rf.get("/")
    response = ContentSecurityPolicyMiddleware(view)(request)
    nonce = response.content.decode().split('nonce="')[1].split('"')[0]
    assert f"'nonce-{nonce}'" in directives(response["Content-Security-Policy"])["script-src"]


def test_the_admin_gets_the_policy_wagtail_needs(client):
    user = get_user_model().objects.create_superuser("admin", "a@example.jp", "pw-for-tests-1")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/admin/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" in policy["script-src"]
    assert policy["frame-src"] == ["'self'"]  # the page preview
