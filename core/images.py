"""Checking and re-encoding uploaded images, for profile photos and offer photos alike.

An upload is trusted for nothing: we check its weight before reading it, its pixel count
before decoding it (decompression bombs), its real format from its content, then decode
it and write a fresh file, which drops EXIF (GPS position, camera serial) and any payload
hidden after the image data."""
import warnings
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}


def open_checked_image(upload: UploadedFile) -> Image.Image:
    """Return the decoded image, or raise ValidationError with a message for the owner."""
    max_bytes = settings.IMAGE_UPLOAD_MAX_BYTES
    if upload.size and upload.size > max_bytes:
        raise ValidationError(
            _("L'image pèse %(size)s Mo ; le maximum est %(max)s Mo.")
            % {"size": round(upload.size / 1_048_576, 1), "max": max_bytes // 1_048_576},
            code="too_big",
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice it; a bomb is an error here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
        if image.format not in ALLOWED_FORMATS:
            raise ValidationError(_("Formats acceptés : JPEG, PNG ou WebP."), code="format")
        width, height = image.size
        if width * height > settings.IMAGE_UPLOAD_MAX_PIXELS:
            raise ValidationError(
                _("L'image mesure %(w)s × %(h)s pixels ; c'est trop grand.") % {"w": width, "h": height},
                code="too_many_pixels",
            )
        image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ValidationError(_("Cette image est trop grande en pixels."), code="too_many_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("Ce fichier n'est pas une image lisible (JPEG, PNG ou WebP)."), code="invalid"
        ) from None
    return image


def reencode(image: Image.Image, *, max_side: int, quality: int = 85) -> ContentFile:
    """A JPEG of at most max_side pixels on its longest side, upright, with no metadata."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.split()[-1])
        image = background
    elif image.mode != "RGB":
        image = image.convert("RGB")
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=quality, optimize=True, progressive=True)
    return ContentFile(buffer.getvalue())


def clean_uploaded_image(upload: UploadedFile, *, max_side: int, name: str) -> ContentFile:
    """Check an upload and return the re-encoded file, named `name` + '.jpg'."""
    content = reencode(open_checked_image(upload), max_side=max_side)
    content.name = f"{name}.jpg"
    return content
