"""Laptop development: DEBUG on, a fixed insecure key, every host allowed."""

from .base import *

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "django-insecure-dev-only-key-not-for-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "*")

# Development tooling (generate_listings, eval_search): never in base or production.
INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]

# Serve static files straight from the app folders; no collectstatic needed here.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Template edits do not change the content generation: no response cache while developing
# unless asked for (RESPONSE_CACHE_SECONDS=60 to try it; portal/response_cache.py).
RESPONSE_CACHE_SECONDS = int(os.environ.get("RESPONSE_CACHE_SECONDS", "0") or "0")
