"""Login throttling for the Wagtail admin (django-axes): a lockout per username and address,
a Japanese page saying so, and staff who can unlock it from the admin."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
ATTACKER = "203.0.113.5"
OFFICE = "198.51.100.7"


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user(
        "tanaka", "tanaka@example.jp", "correct-horse-battery", is_staff=True, is_superuser=True
    )


def login(client: Client, password: str, address: str, username: str = "tanaka"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_failures_lock_that_username_from_that_address(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "wrong", ATTACKER).status_code == 200  # the form again
    locked = login(client, "wrong", ATTACKER)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "しばらくログインできません" in page
    assert f"ログインに{settings.AXES_FAILURE_LIMIT}回続けて失敗した" in page
    # Locked means locked: even the right password is refused from there.
    assert login(client, "correct-horse-battery", ATTACKER).status_code == 429
    # The same user from another address, and another user from the attacker's, are not.
    assert login(Client(), "correct-horse-battery", OFFICE).status_code == 302
    get_user_model().objects.create_user("suzuki", password="another-good-password", is_staff=True)
    assert login(Client(), "another-good-password", ATTACKER, "suzuki").status_code == 302


def test_a_success_before_the_limit_resets_the_count(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "wrong", ATTACKER)
    assert login(client, "correct-horse-battery", ATTACKER).status_code == 302
    assert login(Client(), "wrong", ATTACKER).status_code == 200


def test_staff_unlock_from_the_admin(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(Client(), "wrong", ATTACKER)
    assert login(Client(), "correct-horse-battery", ATTACKER).status_code == 429

    admin = Client()
    assert login(admin, "correct-horse-battery", OFFICE).status_code == 302
    listing = admin.get("/admin/login-lockouts/")
    assert listing.status_code == 200
    assert ATTACKER in listing.content.decode()
    attempt = AccessAttempt.objects.get(username="tanaka", ip_address=ATTACKER)
    done = admin.post(f"/admin/login-lockouts/{attempt.pk}/unlock/", follow=True)
    assert "ログインの制限を解除しました" in done.content.decode()
    assert login(Client(), "correct-horse-battery", ATTACKER).status_code == 302


def test_editors_without_the_permission_cannot_unlock(staff):
    editor = get_user_model().objects.create_user(
        "sato", password="editor-password-1", is_staff=True
    )
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client()
    client.force_login(editor)
    assert client.get("/admin/login-lockouts/").status_code in (302, 403)
