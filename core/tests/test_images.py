"""Uploads as an attacker sends them: tiny files that decode into huge images. Each upload is
measured in a fresh interpreter, as a worker would run it: its peak memory (VmHWM over
what the interpreter held before) and CPU time. Before core/images.py decoded once, a 170 KB PNG of 40 MP cost 611 MB and 3 s."""
import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image

from core.images import check_uploaded_image, clean_uploaded_image

MEASURE = r"""
import json, os, sys, time
os.environ["DJANGO_SETTINGS_MODULE"] = "almaheritage.settings.test"
import django
django.setup()
from django.core.exceptions import ValidationError
from core.images import check_uploaded_image, encode_jpeg, open_checked_image
from domains.models import PHOTO_SIZES

def status_kib(field):
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field + ":"))

# VmHWM, this process's peak resident memory, restarts at exec (ru_maxrss would keep the
# parent's); "5" resets it to what is resident now.
with open("/proc/self/clear_refs", "w") as clear_refs:
    clear_refs.write("5")
baseline = status_kib("VmRSS")
start = time.process_time()  # CPU time: other processes on the machine do not count
with open(sys.argv[1], "rb") as upload:
    try:
        check_uploaded_image(upload)  # the request
        image = open_checked_image(upload, max_side=max(PHOTO_SIZES.values()))  # the worker
        sizes = [encode_jpeg(image, max_side=side) for side in PHOTO_SIZES.values()]
        outcome = "processed"
    except ValidationError as error:
        outcome = error.code
print(json.dumps({"outcome": outcome, "seconds": time.process_time() - start,
                  "grown_mb": (status_kib("VmHWM") - baseline) / 1024}))
"""


def flat_png(path: Path, width: int, height: int) -> Path:
    """A flat-colour RGB PNG written row by row, so the test itself never holds the pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    compressor, row, parts = zlib.compressobj(9), b"\x00" + b"\x8a\x5c\x3e" * width, []
    for _ in range(height):
        parts.append(compressor.compress(row))
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"".join(parts))
                     + chunk(b"IEND", b""))
    return path


def measure(path: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True,
                          cwd=settings.BASE_DIR, timeout=60, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_40_megapixel_png_of_a_few_kilobytes_is_refused_at_once(tmp_path):
    bomb = flat_png(tmp_path / "bomb.png", 7800, 5100)  # 39.8 MP
    assert bomb.stat().st_size < 400_000
    result = measure(bomb)
    assert result["outcome"] == "too_many_pixels"
    assert result["seconds"] < 1 and result["grown_mb"] < 30


def test_the_largest_png_allowed_is_resized_to_every_size_within_bounds(tmp_path):
    width, height = 6000, 4000  # 24 MP, just under IMAGE_UPLOAD_MAX_PIXELS
    assert width * height <= settings.IMAGE_UPLOAD_MAX_PIXELS
    result = measure(flat_png(tmp_path / "large.png", width, height))
    assert result["outcome"] == "processed"
    assert result["seconds"] < 3 and result["grown_mb"] < 200


def test_a_large_jpeg_is_decoded_at_a_reduced_scale(tmp_path):
    path = tmp_path / "large.jpg"
    Image.new("RGB", (6000, 4000), (138, 92, 62)).save(path, "JPEG")
    result = measure(path)
    # 24 MP decoded whole is 72 MB (and ~110 MB with its resize); at 1/2 scale, 18 MB.
    assert result["outcome"] == "processed"
    assert result["seconds"] < 2 and result["grown_mb"] < 60


def test_a_truncated_jpeg_is_refused_in_the_request(tmp_path):
    path = tmp_path / "cut.jpg"
    Image.new("RGB", (800, 600), (10, 20, 30)).save(path, "JPEG")
    with open(path, "rb") as whole, pytest.raises(ValidationError):
        check_uploaded_image(_Cut(whole.read()[:300]))


def test_a_png_with_a_broken_chunk_is_refused_in_the_request(tmp_path):
    data = bytearray(flat_png(tmp_path / "ok.png", 400, 300).read_bytes())
    data[60] ^= 0xFF  # inside IDAT: its CRC no longer matches
    with pytest.raises(ValidationError):
        check_uploaded_image(_Cut(bytes(data)))


def test_the_profile_photo_is_still_one_small_jpeg(tmp_path):
    content = clean_uploaded_image(_Cut(flat_png(tmp_path / "p.png", 3000, 2000).read_bytes()),
                                   max_side=800, name="photo")
    stored = Image.open(content)
    assert (content.name, stored.format, stored.size) == ("photo.jpg", "JPEG", (800, 533))


class _Cut:
    """The little of an UploadedFile that core.images reads."""

    def __init__(self, data: bytes):
        from io import BytesIO

        self._buffer, self.size = BytesIO(data), len(data)

    def seek(self, *args):
        return self._buffer.seek(*args)

    def read(self, *args):
        return self._buffer.read(*args)

    def tell(self):
        return self._buffer.tell()
