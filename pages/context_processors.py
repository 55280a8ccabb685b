from django.conf import settings


def site_navigation(request):
    return {"site_name": settings.WAGTAIL_SITE_NAME}
