from django.utils.functional import SimpleLazyObject


def site_notices(request):
    """The notices showing now, looked up (30-second cache) only when a template uses them."""

    def notices():
        from .selectors import active_notices

        return active_notices()

    return {"site_notices": SimpleLazyObject(notices)}
