"""The demo's photos look like places, not flat two-tone blocks."""
from io import BytesIO

from PIL import Image, ImageChops, ImageStat

from domains.demo_pictures import SCENES, demo_picture


def picture(kind: str) -> Image.Image:
    return Image.open(BytesIO(demo_picture((150, 120, 100), f"Demo {kind}", kind=kind).read())).convert("RGB")


def test_each_kind_of_place_is_a_drawn_view_of_its_own():
    kinds = [*SCENES, "room"]
    pictures = {kind: picture(kind) for kind in kinds}
    for kind, image in pictures.items():
        small = image.resize((160, 100))
        assert len(small.getcolors(maxcolors=100_000)) > 150, kind  # a flat block has two colours
        assert image.size == (1600, 1000)
    for first, second in [("chateau", "moulin"), ("ferme", "abbaye"), ("manoir", "room")]:
        difference = ImageStat.Stat(ImageChops.difference(pictures[first], pictures[second])).mean
        assert sum(difference) > 30, (first, second)


def test_the_same_name_draws_the_same_picture():
    assert demo_picture((1, 2, 3), "Moulin", kind="moulin").read() == demo_picture((1, 2, 3), "Moulin",
                                                                                   kind="moulin").read()
