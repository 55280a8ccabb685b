"""Photos: decoded and re-encoded (EXIF/GPS gone), kept privately; a renamed non-image, a
decompression bomb, too many pixels and an oversized file are refused with a clear error."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from PIL import ExifTags, Image

from listings.models import ListingPage
from submissions.models import Submission, SubmissionPhoto

from .helpers import URL, jpeg_bytes, photo_upload, valid_post

pytestmark = pytest.mark.django_db


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that declares huge dimensions (a decompression bomb's shape)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def gps_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (35.0, 41.0, 22.2), 3: "E", 4: (139.0, 41.0, 30.0)}
    return jpeg_bytes(size=(120, 80), exif=exif)


def post_with(client, areas, **files):
    return client.post(URL, {**valid_post(areas), **files})


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            lambda: photo_upload("cat.jpg", b"this is not an image\n" * 20),
            "写真として読み込めません",
        ),
        (
            lambda: photo_upload("doc.png", b"%PDF-1.4\n%...", "image/png"),
            "写真として読み込めません",
        ),
        (lambda: photo_upload("bomb.png", png_header_only(100_000, 100_000)), "画素数が多すぎます"),
        (lambda: photo_upload("big.png", png_header_only(8_000, 6_000)), "画素数が多すぎます"),
    ],
    ids=["renamed-text", "renamed-pdf", "decompression-bomb", "too-many-pixels"],
)
def test_bad_images_are_refused_next_to_the_field(client, areas, upload, message):
    response = post_with(client, areas, photo_2=upload())
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html.split('id="id_photo_2_error">')[1].split("</p>")[0]
    assert 'href="#id_photo_2"' in html
    assert "写真は、送るときにもう一度選んでください" in html
    assert not Submission.objects.exists()
    assert not SubmissionPhoto.objects.exists()


def test_an_oversized_file_is_refused(client, areas, settings):
    settings.SUBMISSION_MAX_UPLOAD_MB = 1
    big = photo_upload("huge.jpg", b"\xff\xd8\xff" + b"0" * (1024 * 1024 + 10))
    response = post_with(client, areas, photo_1=big)
    html = response.content.decode()
    assert "1枚1MBまで" in html.split('id="id_photo_1_error">')[1].split("</p>")[0]
    assert not Submission.objects.exists()


def test_exif_and_gps_are_stripped_and_photos_stay_private(
    client, areas, django_capture_on_commit_callbacks
):
    original = gps_jpeg()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_with(
            client,
            areas,
            photo_1=photo_upload("IMG_0001 自宅.jpg", original),
            photo_1_caption="調理のようす",
            photo_3=photo_upload("logo.png", _transparent_png(), "image/png"),
        )
    assert response.status_code == 302
    submission = Submission.objects.get()
    first, second = submission.photos.order_by("pk")
    assert first.caption == "調理のようす"

    # Stored outside MEDIA_ROOT, under a random name, with no metadata.
    stored = Path(first.file.path)
    assert stored.is_relative_to(Path(settings.SUBMISSION_FILES_ROOT))
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT))
    assert "自宅" not in stored.name and "IMG_0001" not in stored.name
    with Image.open(stored) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert "exif" not in image.info
    assert b"SecretCam" not in stored.read_bytes()
    with Image.open(second.file.path) as image:
        assert image.format == "PNG" and image.mode == "RGBA"

    # The draft page shows them as Wagtail images (also without metadata).
    page = ListingPage.objects.get(pk=submission.page_id)
    photos = list(page.get_latest_revision_as_object().photos.all())
    assert [p.caption for p in photos] == ["調理のようす", ""]
    with photos[0].image.file.open("rb") as handle:
        data = handle.read()
    assert b"SecretCam" not in data
    assert not Image.open(io.BytesIO(data)).getexif()


def test_only_staff_can_see_submitted_photos(
    client, areas, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_with(client, areas, photo_1=photo_upload())
    photo = SubmissionPhoto.objects.get()
    url = f"/admin/submissions/photo/{photo.pk}/"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(moderator)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]


def test_deleting_a_submission_removes_its_files(
    client, areas, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_with(client, areas, photo_1=photo_upload())
    path = Path(SubmissionPhoto.objects.get().file.path)
    assert path.exists()
    Submission.objects.get().delete()
    assert not path.exists()


def _transparent_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (20, 20), (255, 0, 0, 128)).save(out, format="PNG")
    return out.getvalue()


def test_an_update_adds_photos_to_the_draft(client, areas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_with(client, areas, photo_1=photo_upload())
    update_url = response["Location"].split("?")[0] + "update/"
    data = valid_post(areas)
    for name in ("submitter_name", "submitter_email", "submitter_phone", "consent"):
        data.pop(name)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            update_url, {**data, "photo_1": photo_upload("second.jpg"), "photo_1_caption": "2枚目"}
        )
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.photos.count() == 2
    page = ListingPage.objects.get(pk=submission.page_id)
    captions = [p.caption for p in page.get_latest_revision_as_object().photos.all()]
    assert captions == ["", "2枚目"]
