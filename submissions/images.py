"""Checking and cleaning an uploaded photo: size, real image, pixel count, EXIF stripped.

Two steps, because decoding is the expensive part (a 6300×6300 PNG is 131 KB on disk and 160 MB
decoded). ``check_upload`` reads only the header: format, file size, pixel count; it runs on
every post. ``clean_upload`` decodes and re-encodes; the form calls it only for a post that is
otherwise valid and let past the rate limit. No image is decoded to more than
``MAX_DECODED_PIXELS``: a JPEG is decoded at 1/2, 1/4 or 1/8 scale when large (Image.draft), a
larger PNG, WebP or GIF is refused.

Every photo is written out again as JPEG (or PNG when it has transparency). Re-encoding drops
everything but the pixels: EXIF (GPS position, camera serial number, date), comments, and
anything hidden after the image data. A file that only pretends to be an image (a renamed text
file), a decompression bomb (small file, huge declared size) or a file over the size limit is
refused with a Japanese message for the form.
"""

from __future__ import annotations

import io
import math
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
# Formats whose decoder can scale down while decoding (Image.draft).
DRAFT_FORMATS = {"JPEG", "MPO"}
# No image is decoded to more pixels than this (~90 MB as RGBA): a JPEG is decoded at a
# fraction of its size to stay under it; a larger PNG, WebP or GIF is refused (a 6300×6300 PNG
# is 131 KB on disk and 160 MB decoded).
MAX_DECODED_PIXELS = (2 * MAX_SIDE) ** 2
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


def check_upload(upload: UploadedFile) -> None:
    """Size, format and pixel count from the file's header, decoding nothing (cheap enough for
    any post); ValidationError with a message for the form."""
    _check_size(upload)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        _check_header(_open(upload))


def clean_upload(upload: UploadedFile) -> CleanPhoto:
    """The photo re-encoded without metadata, or ValidationError with a message for the form.

    Decodes the pixels: call it only for a post that will be stored (SubmissionForm.is_valid).
    """
    _check_size(upload)
    image = _decode(upload)
    return _reencode(image)


def _check_size(upload: UploadedFile) -> None:
    limit_mb = float(getattr(settings, "SUBMISSION_MAX_UPLOAD_MB", 5))
    if upload.size is not None and upload.size > max_upload_bytes():
        raise ValidationError(
            _("写真が大きすぎます。1枚%(mb)sMBまでにしてください（スマートフォンで縮小できます）。")
            % {"mb": f"{limit_mb:g}"},
            code="too_large",
        )


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


def _open(upload: UploadedFile) -> Image.Image:
    """The image with only its header read (Image.open decodes no pixels)."""
    upload.seek(0)
    try:
        return Image.open(io.BytesIO(upload.read()))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise _not_an_image() from None


def _check_header(image: Image.Image) -> None:
    if image.format not in ACCEPTED_FORMATS:
        raise _not_an_image()
    # The declared size, before any pixel is decoded (a bomb declares a huge one).
    if image.width * image.height > max_pixels():
        raise _too_many_pixels()
    if _decoded_pixels(image) > MAX_DECODED_PIXELS:
        raise _too_many_pixels()


def _draft_size(image: Image.Image) -> tuple[int, int] | None:
    """For JPEG, the size to ask the decoder for: it then decodes at 1/2, 1/4 or 1/8 scale, never
    below MAX_SIDE on the long side, so memory stays bounded whatever the header declares."""
    if image.format not in DRAFT_FORMATS:
        return None
    scale = MAX_SIDE / max(image.width, image.height)
    if scale >= 1:
        return None
    return max(1, math.ceil(image.width * scale)), max(1, math.ceil(image.height * scale))


def _decoded_pixels(image: Image.Image) -> int:
    size = _draft_size(image)
    if size is None:
        return image.width * image.height
    reduction = 1
    for factor in (8, 4, 2):  # the scales a JPEG decoder offers (Pillow's JpegImageFile.draft)
        if min(image.width // size[0], image.height // size[1]) >= factor:
            reduction = factor
            break
    return (image.width // reduction) * (image.height // reduction)


def _decode(upload: UploadedFile) -> Image.Image:
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that; treat it as the error.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = _open(upload)
        _check_header(image)
        size = _draft_size(image)
        try:
            if size is not None:
                image.draft(None, size)
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise _not_an_image() from None
    return image


def _reencode(image: Image.Image) -> CleanPhoto:
    if getattr(image, "n_frames", 1) > 1:
        image.seek(0)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = _converted(image, "RGBA" if has_alpha else "RGB")  # palette: before scaling
    # Scaled first, so turning and converting work on the small copy (memory).
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    # Turn the pixels the way the camera meant (the orientation tag is dropped with the EXIF).
    image = ImageOps.exif_transpose(image)
    image = _converted(image, "RGBA" if has_alpha else "RGB")
    image.info = {}
    out = io.BytesIO()
    if has_alpha:
        image.save(out, format="PNG", optimize=True)
        extension = "png"
    else:
        image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
        extension = "jpg"
    return CleanPhoto(out.getvalue(), extension, image.width, image.height)


def _converted(image: Image.Image, mode: str) -> Image.Image:
    if image.mode == mode:
        return image
    converted = image.convert(mode)
    converted.info = image.info
    return converted
