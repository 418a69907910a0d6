"""Demo photos drawn, not downloaded: a painted view of each kind of place (château, mill,
abbey or priory, farm, manor, house) and of a room, so the demo looks like a catalogue of
places rather than coloured blocks. Deterministic for a given name; Pillow only."""
import math
import random
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 1600, 1000
HORIZON = 640

Colour = tuple[int, int, int]


def _mix(a: Colour, b: Colour, t: float) -> Colour:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _shade(colour: Colour, amount: int) -> Colour:
    return tuple(max(0, min(255, c + amount)) for c in colour)


def _sky(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    top, bottom = rng.choice([((95, 140, 200), (225, 215, 190)), ((120, 160, 210), (245, 225, 200)),
                              ((70, 100, 160), (240, 190, 140))])
    for y in range(HORIZON):
        draw.line([(0, y), (WIDTH, y)], fill=_mix(top, bottom, y / HORIZON))
    for _ in range(rng.randint(2, 5)):  # clouds
        x, y, size = rng.randint(0, WIDTH), rng.randint(40, 300), rng.randint(60, 140)
        for dx in range(0, size * 3, size // 2):
            draw.ellipse([x + dx, y - size // 2, x + dx + size, y + size // 3], fill=(248, 246, 240))


def _land(draw: ImageDraw.ImageDraw, rng: random.Random, grass: Colour) -> None:
    far = _mix(grass, (150, 170, 190), 0.5)
    points = [(0, HORIZON)] + [(x, HORIZON - rng.randint(20, 90)) for x in range(0, WIDTH + 200, 200)] + [(WIDTH, HORIZON)]
    draw.polygon(points + [(WIDTH, HEIGHT), (0, HEIGHT)], fill=far)
    draw.rectangle([0, HORIZON, WIDTH, HEIGHT], fill=grass)
    for y in range(HORIZON, HEIGHT, 6):  # mown stripes
        draw.line([(0, y), (WIDTH, y)], fill=_shade(grass, 8 if (y // 6) % 2 else -6))


def _tree(draw: ImageDraw.ImageDraw, x: int, base: int, height: int, colour: Colour) -> None:
    draw.rectangle([x - 8, base - height // 3, x + 8, base], fill=(90, 64, 40))
    for i, radius in enumerate((height // 3, height // 4, height // 5)):
        cy = base - height // 3 - i * radius
        draw.ellipse([x - radius, cy - radius, x + radius, cy + radius], fill=_shade(colour, -10 * i))


def _windows(draw: ImageDraw.ImageDraw, left: int, right: int, top: int, bottom: int, rows: int, columns: int,
             arched: bool = False) -> None:
    width, height = (right - left) / columns, (bottom - top) / rows
    for row in range(rows):
        for column in range(columns):
            x0, y0 = left + column * width + width * 0.3, top + row * height + height * 0.2
            x1, y1 = x0 + width * 0.4, y0 + height * 0.55
            draw.rectangle([x0, y0 + (width * 0.2 if arched else 0), x1, y1], fill=(55, 60, 70))
            if arched:
                draw.pieslice([x0, y0, x1, y0 + width * 0.4], 180, 360, fill=(55, 60, 70))


def _roof(draw, left: int, right: int, top: int, height: int, colour: Colour) -> None:
    draw.polygon([(left - 20, top), (right + 20, top), ((left + right) // 2, top - height)], fill=colour)


def _chateau(draw, rng, stone: Colour) -> None:
    left, right, top = 450, 1150, 330
    draw.rectangle([left, top, right, HORIZON + 40], fill=stone)
    _windows(draw, left, right, top + 30, HORIZON, 3, 7)
    _roof(draw, left, right, top, 110, (70, 75, 90))
    for tower in (left - 90, right - 10):  # round towers with pepper-pot roofs
        draw.rectangle([tower, top - 60, tower + 100, HORIZON + 40], fill=_shade(stone, -15))
        draw.polygon([(tower - 15, top - 60), (tower + 115, top - 60), (tower + 50, top - 230)], fill=(60, 65, 85))
        _windows(draw, tower, tower + 100, top - 30, HORIZON, 3, 1, arched=True)
    for x in range(left, right, 40):  # crenellations over the gate
        draw.rectangle([x, top - 18, x + 22, top], fill=_shade(stone, -8))
    draw.pieslice([760, HORIZON - 90, 840, HORIZON + 70], 180, 360, fill=(60, 45, 35))
    draw.rectangle([0, HORIZON + 40, WIDTH, HORIZON + 70], fill=(90, 130, 160))  # moat


def _moulin(draw, rng, stone: Colour) -> None:
    draw.rectangle([0, HORIZON + 60, WIDTH, HEIGHT], fill=(80, 120, 150))  # the river
    for y in range(HORIZON + 70, HEIGHT, 24):
        draw.line([(rng.randint(0, 400), y), (rng.randint(900, WIDTH), y)], fill=(150, 190, 210), width=3)
    left, right, top = 520, 1080, 340
    draw.rectangle([left, top, right, HORIZON + 60], fill=stone)
    _roof(draw, left, right, top, 150, (120, 60, 45))
    _windows(draw, left, right, top + 20, HORIZON + 40, 3, 5)
    cx, cy, radius = right + 60, HORIZON + 40, 150  # the wheel, half in the water
    draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], outline=(80, 55, 35), width=18)
    for spoke in range(8):
        angle = spoke * math.pi / 4
        draw.line([(cx, cy), (cx + radius * math.cos(angle), cy + radius * math.sin(angle))], fill=(80, 55, 35), width=10)


def _abbaye(draw, rng, stone: Colour) -> None:
    left, right, top = 380, 1050, 380
    draw.rectangle([left, top, right, HORIZON + 40], fill=stone)  # the nave
    _roof(draw, left, right, top, 120, (110, 80, 70))
    _windows(draw, left, right, top + 40, HORIZON, 2, 6, arched=True)
    tower = 1050  # the bell tower
    draw.rectangle([tower, 180, tower + 160, HORIZON + 40], fill=_shade(stone, -12))
    draw.polygon([(tower - 10, 180), (tower + 170, 180), (tower + 80, 20)], fill=(90, 85, 95))
    _windows(draw, tower, tower + 160, 220, 420, 2, 2, arched=True)
    draw.ellipse([640, top + 10, 780, top + 150], fill=(70, 60, 90), outline=_shade(stone, -40), width=8)  # rose


def _ferme(draw, rng, stone: Colour) -> None:
    left, right, top = 420, 1180, 400
    draw.rectangle([left, top, right, HORIZON + 40], fill=(235, 225, 205))
    for x in range(left, right, 70):  # half-timbering
        draw.line([(x, top), (x, HORIZON + 40)], fill=(95, 65, 45), width=12)
        draw.line([(x, top), (x + 70, HORIZON + 40)], fill=(95, 65, 45), width=8)
    draw.line([(left, top + 110), (right, top + 110)], fill=(95, 65, 45), width=12)
    _roof(draw, left, right, top, 210, (150, 120, 80))  # thatch
    _windows(draw, left, right, top + 120, HORIZON + 30, 1, 6)
    for x in range(80, 380, 90):  # the orchard
        _tree(draw, x, HORIZON + 120, 200, (80, 130, 60))


def _manoir(draw, rng, stone: Colour) -> None:
    left, right, top = 460, 1140, 360
    draw.rectangle([left, top, right, HORIZON + 40], fill=stone)
    _roof(draw, left, right, top, 170, (60, 65, 80))
    for x in (560, 1020):  # chimneys
        draw.rectangle([x, top - 170, x + 40, top - 40], fill=_shade(stone, -20))
    _windows(draw, left, right, top + 20, HORIZON + 20, 3, 6)
    draw.rectangle([780, HORIZON - 90, 820, HORIZON + 40], fill=(70, 50, 40))


def _maison(draw, rng, stone: Colour) -> None:
    left, right, top = 500, 1100, 320
    draw.rectangle([left, top, right, HORIZON + 40], fill=_shade(stone, 30))
    draw.polygon([(left - 10, top), (right + 10, top), (right - 60, top - 120), (left + 60, top - 120)],
                 fill=(75, 80, 95))  # mansard roof
    _windows(draw, left, right, top + 20, HORIZON + 20, 3, 5)
    for x in (left - 260, right + 140):  # a garden à la française
        draw.polygon([(x, HORIZON + 130), (x + 60, HORIZON - 90), (x + 120, HORIZON + 130)], fill=(50, 95, 55))


SCENES = {"chateau": _chateau, "moulin": _moulin, "abbaye": _abbaye, "prieure": _abbaye, "ferme": _ferme,
          "manoir": _manoir, "maison_de_maitre": _maison}


def _room(image: Image.Image, rng: random.Random, colour: Colour) -> None:
    """Inside a room: a wall, a window on the park, a bed, beams."""
    draw = ImageDraw.Draw(image)
    wall = _mix(colour, (240, 230, 210), 0.6)
    draw.rectangle([0, 0, WIDTH, HEIGHT], fill=wall)
    draw.rectangle([0, 760, WIDTH, HEIGHT], fill=(140, 100, 70))  # parquet
    for x in range(0, WIDTH, 120):
        draw.line([(x, 760), (x - 200, HEIGHT)], fill=(120, 85, 60), width=4)
    for x in range(0, WIDTH, 260):  # beams
        draw.rectangle([x, 0, x + 50, 60], fill=(100, 70, 45))
    draw.rectangle([1000, 180, 1360, 620], fill=(150, 190, 225))  # window on the park
    draw.rectangle([1000, 470, 1360, 620], fill=(90, 140, 80))
    draw.line([(1180, 180), (1180, 620)], fill=(245, 240, 230), width=14)
    draw.line([(1000, 400), (1360, 400)], fill=(245, 240, 230), width=14)
    draw.rectangle([990, 170, 1370, 630], outline=(245, 240, 230), width=16)
    draw.rectangle([200, 560, 860, 820], fill=(245, 243, 238))  # the bed
    draw.rectangle([200, 640, 860, 820], fill=_shade(colour, 40))
    draw.rectangle([180, 380, 220, 840], fill=(100, 70, 45))
    draw.rectangle([180, 380, 880, 440], fill=(100, 70, 45))
    for x in (260, 540):
        draw.rounded_rectangle([x, 580, x + 240, 650], radius=30, fill=(255, 253, 248))


def demo_picture(colour: Colour, text: str, *, kind: str = "") -> SimpleUploadedFile:
    """A painted view of a place of `kind` (a room when `kind` is "room"), tinted by `colour`."""
    rng = random.Random(text)
    image = Image.new("RGB", (WIDTH, HEIGHT))
    if kind == "room":
        _room(image, rng, colour)
    else:
        draw = ImageDraw.Draw(image)
        _sky(draw, rng)
        _land(draw, rng, _mix(colour, (95, 140, 70), 0.7))
        for x in (rng.randint(60, 300), rng.randint(1300, 1540)):
            _tree(draw, x, HORIZON + 60, rng.randint(220, 320), _mix(colour, (60, 110, 50), 0.8))
        SCENES.get(kind, _manoir)(draw, rng, _mix(colour, (205, 195, 175), 0.55))
    # A painter's softness, so it reads as a picture (a box blur: a tenth of a Gaussian's cost).
    image = image.filter(ImageFilter.BoxBlur(1))
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return SimpleUploadedFile(f"{text[:20]}.jpg", buffer.getvalue(), content_type="image/jpeg")
