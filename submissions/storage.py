"""Where submitted photos are kept until staff decide: outside MEDIA_ROOT, never served directly.

Photos sent with a submission are not public (they may show people or a home). They live under
``settings.SUBMISSION_FILES_ROOT`` and staff view them through an admin view; only after a
draft is made do copies become Wagtail images on the (unpublished) page.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

DEFAULT_ROOT = Path(settings.BASE_DIR) / "private-media" / "submissions"


def files_root() -> Path:
    return Path(getattr(settings, "SUBMISSION_FILES_ROOT", "") or DEFAULT_ROOT)


@deconstructible
class SubmissionFileStorage(FileSystemStorage):
    """A file-system storage whose folder is read from settings on every use.

    (Read each time, not cached, so a test can point it at a temporary folder.)
    """

    @property
    def base_location(self):
        return str(files_root())

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        # No public URL: the files are private.
        return None

    def url(self, name):
        raise NotImplementedError("submission files have no public URL")
