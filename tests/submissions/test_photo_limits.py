"""Photos cannot be used to make the server work (issue 12, item 6): a 6300×6300 PNG is 131 KB
on disk and 160 MB decoded. Nothing is decoded unless the rest of the form is valid and the
rate limit let the post in; the pixel count is read from the header; a JPEG is decoded at a
fraction of its size; posts carrying photos count against the rate limit even when invalid.

Decoding is observed through Pillow's own counter of decoded images (``Image.core.get_stats``)
and memory through the peak resident size of a separate process.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from PIL import Image

from submissions.models import Submission, SubmissionPhoto

from .helpers import URL, jpeg_bytes, photo_upload, valid_post

pytestmark = pytest.mark.django_db

SIDE = 6300


@pytest.fixture(scope="module")
def huge_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (SIDE, SIDE), (200, 120, 40)).save(out, format="PNG", compress_level=9)
    return out.getvalue()  # ~131 KB


@pytest.fixture(scope="module")
def huge_jpeg() -> bytes:
    return jpeg_bytes(size=(SIDE, SIDE))  # ~620 KB


def decoded_images() -> int:
    return Image.core.get_stats()["new_count"]


@pytest.mark.parametrize("kind", ["huge-png", "ordinary-jpeg"])
def test_nothing_is_decoded_for_a_form_with_errors(client, areas, huge_png, kind):
    content = huge_png if kind == "huge-png" else jpeg_bytes(size=(800, 600))
    name = "big.png" if kind == "huge-png" else "photo.jpg"
    uploads = {f"photo_{n}": photo_upload(name, content) for n in (1, 2, 3)}
    before = decoded_images()
    response = client.post(URL, {**valid_post(areas, title=""), **uploads})
    assert response.status_code == 200
    assert 'id="id_title_error"' in response.content.decode()
    assert decoded_images() == before
    assert not Submission.objects.exists()


def test_a_huge_png_is_refused_from_its_header(client, areas, huge_png):
    before = decoded_images()
    response = client.post(URL, {**valid_post(areas), "photo_1": photo_upload("big.png", huge_png)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "画素数が多すぎます" in html.split('id="id_photo_1_error">')[1].split("</p>")[0]
    assert decoded_images() == before
    assert not SubmissionPhoto.objects.exists()


def test_a_huge_jpeg_is_decoded_at_a_fraction_and_kept(
    client, areas, huge_jpeg, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL, {**valid_post(areas), "photo_1": photo_upload("big.jpg", huge_jpeg)}
        )
    assert response.status_code == 302
    photo = SubmissionPhoto.objects.get()
    assert (photo.width, photo.height) == (2400, 2400)


def test_posts_with_photos_count_against_the_rate_limit_even_with_errors(client, areas, settings):
    settings.SUBMISSION_RATE_LIMIT = "1/h"
    with_photo = {**valid_post(areas, title=""), "photo_1": photo_upload()}
    assert client.post(URL, with_photo).status_code == 200
    refused = client.post(URL, {**valid_post(areas), "photo_1": photo_upload()})
    assert refused.status_code == 429
    assert not Submission.objects.exists()


PEAK_SCRIPT = """
import io, json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
import django
django.setup()
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from submissions import images
files = json.loads(sys.stdin.readline())
contents = [(name, open(path, "rb").read()) for name, path in files]
def high_water_kb():
    # VmHWM, not ru_maxrss: after fork + exec, ru_maxrss still counts the parent's peak.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
before = high_water_kb()
results = []
for name, content in contents:
    try:
        results.append(images.clean_upload(SimpleUploadedFile(name, content)).width)
    except ValidationError as error:
        results.append(error.code)
peak = high_water_kb() - before
print(json.dumps({"results": results, "peak_mb": peak / 1024}))
"""


def test_cleaning_six_huge_photos_stays_within_bounded_memory(huge_png, huge_jpeg, tmp_path):
    """Three 6300×6300 PNGs and three JPEGs, one after another, in a fresh process: the
    PNGs are refused from their header, the JPEGs decoded at half size. Before: ~450 MB."""
    (tmp_path / "big.png").write_bytes(huge_png)
    (tmp_path / "big.jpg").write_bytes(huge_jpeg)
    files = [("big.png", str(tmp_path / "big.png"))] * 3 + [
        ("big.jpg", str(tmp_path / "big.jpg"))
    ] * 3
    done = subprocess.run(
        [sys.executable, "-c", PEAK_SCRIPT],
        input=json.dumps(files) + "\n",
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"\nsix 6300×6300 photos: {report}")
    assert report["results"] == ["too_many_pixels"] * 3 + [2400] * 3
    assert report["peak_mb"] < 200
