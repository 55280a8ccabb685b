from django.conf import settings


def site_navigation(request):
    return {"site_name": settings.WAGTAIL_SITE_NAME}


def reading_aids(request):
    """Text size and furigana mode chosen with the header's reading-aids form (cookies)."""
    from pages.reading import ruby_on, text_size

    return {"text_size": text_size(request), "ruby_mode": ruby_on(request)}
