"""Test run: fast password hashing, in-memory mail, media in a temporary folder."""

import tempfile

from .base import *

DEBUG = False
SECRET_KEY = "django-insecure-test-only-key"
ALLOWED_HOSTS = ["*"]

# Development tooling (generate_listings, eval_search): never in base or production.
INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="portal-test-media-"))
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests change data behind the signals' back (bulk writes, rolled-back transactions): the
# response cache is tested on its own (tests/portal/test_response_cache.py), off elsewhere.
RESPONSE_CACHE_SECONDS = 0

# Serve static files straight from the app folders; no collectstatic needed here.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
