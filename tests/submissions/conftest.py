"""Shared fixtures for the submission tests: private files in a temp folder, a clean rate-limit
cache, a moderator, and a valid form post to start from."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache


@pytest.fixture(autouse=True)
def submission_settings(settings, tmp_path):
    settings.SUBMISSION_FILES_ROOT = tmp_path / "private-submissions"
    settings.SUBMISSION_RATE_LIMIT = "1000/h"
    settings.SUBMISSION_PUBLIC_BASE_URL = "http://testserver"
    settings.SUBMISSION_NOTIFY_EMAILS = []
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()
    yield settings
    cache.clear()


@pytest.fixture
def moderator(db, django_user_model):
    user = django_user_model.objects.create_user(
        username="moderator", password="pw", email="moderator@example.jp", first_name="確認係"
    )
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client
