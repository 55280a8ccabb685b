"""Staff-desk fixtures: jobs run in the request (after its commit), a staff user with the
import/export permissions through a group, and one without."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission


@pytest.fixture(autouse=True)
def inline_jobs(settings):
    settings.IMPORT_JOBS_RUNNER = "inline"
    return settings


def _staff(django_user_model, username: str, codenames: list[str]):
    user = django_user_model.objects.create_user(username=username, password="pw")
    group = Group.objects.create(name=f"group-{username}")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="staffdesk", codename__in=codenames),
    )
    user.groups.add(group)
    return user


@pytest.fixture
def importer(db, django_user_model):
    return _staff(django_user_model, "importer", ["import_listings", "export_listings"])


@pytest.fixture
def chaser(db, django_user_model):
    return _staff(django_user_model, "chaser", ["chase_verification"])


@pytest.fixture
def searcher(db, django_user_model):
    user = _staff(django_user_model, "searcher", ["review_searches"])
    return user


@pytest.fixture
def planner(db, django_user_model):
    return _staff(django_user_model, "planner", ["view_coverage"])


@pytest.fixture
def editor(db, django_user_model):
    return _staff(django_user_model, "editor", [])
