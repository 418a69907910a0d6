"""`content_changed`: something a public offer page shows has changed without a model signal
(a queryset `update()`, a `bulk_create`, the photo worker writing the sizes, places taken
on a session). The offer pages' fragments listen (public/fragments.py) and drop what they
cached of it; saves and deletes of the models themselves are heard through post_save and
post_delete there, so only the writes that send no signal need to send this.

Keyword arguments, each optional: `domain_id`, `lodging_id`, `experience_id`, `owner_id`
(what changed belongs to them) and `home=True` (the home page's featured domains may show
it). Send it where the write happens, as `content_changed.send(sender=Model, domain_id=…)`."""
from django.dispatch import Signal

content_changed = Signal()


def offer_changed(offer, **extra) -> None:
    """A domain, lodging or experience (or one of their photos' offers) changed."""
    domain_id = getattr(offer, "domain_id", None)
    if domain_id is None:  # a domain itself
        content_changed.send(sender=type(offer), domain_id=offer.pk, home=True, **extra)
    else:
        key = "lodging_id" if offer._meta.model_name == "lodging" else "experience_id"
        content_changed.send(sender=type(offer), domain_id=domain_id, **{key: offer.pk}, **extra)


def photo_changed(photo) -> None:
    """A photo of a domain, lodging or experience: its offer's pages show it."""
    offer_field = next(f for f in photo._meta.fields if f.is_relation and f.many_to_one)
    offer = getattr(photo, offer_field.name)
    offer_changed(offer)
