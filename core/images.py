"""Checking and re-encoding uploaded images, for profile photos and offer photos alike.

An upload is trusted for nothing: we check its weight before reading it, its pixel count
before decoding it (decompression bombs), its real format from its content, then decode
it and write a fresh file, which drops EXIF (GPS position, camera serial) and any payload
hidden after the image data.

Memory is the cost that matters: a decoded image takes 3 or 4 bytes a pixel whatever its
file weighs (a flat-colour PNG of 40 megapixels is 170 KB on disk and 160 MB decoded). So the
pixel cap (`IMAGE_UPLOAD_MAX_PIXELS`) follows what the site shows (1600 px at most,
domains/models.py PHOTO_SIZES), an image is decoded once for all its sizes, and a JPEG is
decoded straight at a reduced scale (`Image.draft`), which libjpeg does for free."""
import warnings
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
# Modes Pillow resizes well as they are; anything else (palette, 16-bit, CMYK…) is converted.
_RESIZABLE_MODES = {"RGB", "RGBA", "L", "LA"}


def _refused_as_unreadable() -> ValidationError:
    return ValidationError(_("Ce fichier n'est pas une image lisible (JPEG, PNG ou WebP)."), code="invalid")


def _open_unread(upload) -> Image.Image:
    """Open without decoding: weight, format and pixel count come from the header alone."""
    max_bytes = settings.IMAGE_UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if size and size > max_bytes:
        raise ValidationError(
            _("L'image pèse %(size)s Mo ; le maximum est %(max)s Mo.")
            % {"size": round(size / 1_048_576, 1), "max": max_bytes // 1_048_576},
            code="too_big",
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice it; a bomb is an error here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ValidationError(_("Cette image est trop grande en pixels."), code="too_many_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _refused_as_unreadable() from None
    if image.format not in ALLOWED_FORMATS:
        raise ValidationError(_("Formats acceptés : JPEG, PNG ou WebP."), code="format")
    width, height = image.size
    if width * height > settings.IMAGE_UPLOAD_MAX_PIXELS:
        raise ValidationError(
            _("L'image mesure %(w)s × %(h)s pixels ; c'est trop grand.") % {"w": width, "h": height},
            code="too_many_pixels",
        )
    return image


def check_uploaded_image(upload) -> None:
    """Raise ValidationError with a message for the owner unless the upload is an image we
    accept — cheaply, in the request: a JPEG is decoded at 1/8 scale, a PNG's chunks are
    checked without inflating them, a WebP is judged by its header (the worker that decodes
    it fully drops the photo if its data turns out broken, domains/photos.py)."""
    image = _open_unread(upload)
    try:
        if image.format == "JPEG":
            image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
            image.load()
        elif image.format == "PNG":
            image.verify()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _refused_as_unreadable() from None
    finally:
        upload.seek(0)


def open_checked_image(upload, *, max_side: int) -> Image.Image:
    """Check the upload and decode it once, upright and in RGB on white, at most max_side
    pixels on its longest side (a JPEG is decoded at the smallest scale that is still larger)."""
    image = _open_unread(upload)
    try:
        if image.format == "JPEG":
            image.draft("RGB", (max_side, max_side))
        image.load()
        if image.mode not in _RESIZABLE_MODES:
            image = image.convert("RGBA" if "transparency" in image.info or "A" in image.mode else "RGB")
        # In place: reduce() by whole factors first, then Lanczos — the full-size pixels are
        # freed here and every later step works on a small image.
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        ImageOps.exif_transpose(image, in_place=True)
    except ValidationError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ValidationError(_("Cette image est trop grande en pixels."), code="too_many_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _refused_as_unreadable() from None
    return _on_white(image)


def _on_white(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.split()[-1])
        return background
    return image if image.mode == "RGB" else image.convert("RGB")


def encode_jpeg(image: Image.Image, *, max_side: int, quality: int = 85) -> ContentFile:
    """A JPEG of at most max_side pixels on its longest side, with no metadata. `image` comes
    from open_checked_image (upright, RGB) and is left untouched."""
    if max(image.size) > max_side:
        image = image.copy()
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=quality, optimize=True, progressive=True)
    return ContentFile(buffer.getvalue())


def clean_uploaded_image(upload, *, max_side: int, name: str) -> ContentFile:
    """Check an upload and return the re-encoded file, named `name` + '.jpg'."""
    content = encode_jpeg(open_checked_image(upload, max_side=max_side), max_side=max_side)
    content.name = f"{name}.jpg"
    return content
