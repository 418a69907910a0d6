"""Slugs of offers and labels: from their name, unique in their table."""
from django.db import models
from django.utils.text import slugify


def unique_slug(model: type[models.Model], text: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(text)[:160] or "offre"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
