"""Checking and cleaning an uploaded photo: size, real image, pixel count, EXIF stripped.

Every photo is decoded with Pillow and written out again as JPEG (or PNG when it has
transparency). Re-encoding drops everything but the pixels: EXIF (GPS position, camera serial
number, date), comments, and anything hidden after the image data. A file that only pretends to
be an image (a renamed text file), a decompression bomb (small file, huge declared size) or a
file over the size limit is refused with a Japanese message for the form.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF"}
# Longest side kept; larger photos are scaled down (a phone photo is ~4000px).
MAX_SIDE = 2400
JPEG_QUALITY = 85


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    extension: str  # "jpg" or "png"
    width: int
    height: int


def max_upload_bytes() -> int:
    return int(float(getattr(settings, "SUBMISSION_MAX_UPLOAD_MB", 5)) * 1024 * 1024)


def max_pixels() -> int:
    return int(getattr(settings, "SUBMISSION_MAX_IMAGE_PIXELS", 40_000_000))


def clean_upload(upload: UploadedFile) -> CleanPhoto:
    """The photo re-encoded without metadata, or ValidationError with a message for the form."""
    limit_mb = float(getattr(settings, "SUBMISSION_MAX_UPLOAD_MB", 5))
    if upload.size is not None and upload.size > max_upload_bytes():
        raise ValidationError(
            _("写真が大きすぎます。1枚%(mb)sMBまでにしてください（スマートフォンで縮小できます）。")
            % {"mb": f"{limit_mb:g}"},
            code="too_large",
        )
    image = _decode(upload)
    return _reencode(image)


def _not_an_image() -> ValidationError:
    return ValidationError(
        _(
            "写真として読み込めませんでした。JPEG・PNG形式の写真を選んでください"
            "（iPhoneのHEIC形式は使えません）。"
        ),
        code="not_image",
    )


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _("写真の画素数が多すぎます。小さくしてから送ってください。"), code="too_many_pixels"
    )


def _decode(upload: UploadedFile) -> Image.Image:
    upload.seek(0)
    data = upload.read()
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that; treat it as the error.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED_FORMATS:
                raise _not_an_image()
            # Check the declared size before decoding the pixels (a bomb declares a huge one).
            if image.width * image.height > max_pixels():
                raise _too_many_pixels()
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except ValidationError:
            raise
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise _not_an_image() from None
    return image


def _reencode(image: Image.Image) -> CleanPhoto:
    # Turn the pixels the way the camera meant (the orientation tag is dropped with the EXIF).
    image = ImageOps.exif_transpose(image)
    if getattr(image, "n_frames", 1) > 1:
        image.seek(0)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    image.info = {}
    out = io.BytesIO()
    if has_alpha:
        image.save(out, format="PNG", optimize=True)
        extension = "png"
    else:
        image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
        extension = "jpg"
    return CleanPhoto(out.getvalue(), extension, image.width, image.height)
