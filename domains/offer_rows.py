"""An owner's offer tables (domains, a domain's lodgings and experiences) read as plain values.

Model instances of every column (a domain's history in two languages, a lodging's
descriptions) cost more CPU than the rows' markup: the tables read only what they show
(issue 14, docs/performance.md "Owner lists"). A row answers what the tables and their
former templates ask of an offer: its fields as attributes and `get_<field>_display()`."""
from django.db.models import Model


class OfferRow:
    """`values` (a dict from `.values()`) as attributes, with the model's choice labels."""

    def __init__(self, model: type[Model], values: dict):
        self.__dict__.update(values)
        self._model = model

    def _display(self, name: str) -> str:
        field = self._model._meta.get_field(name)
        value = self.__dict__[name]
        return str(dict(field.flatchoices).get(value, value))

    def get_status_display(self) -> str:
        return self._display("status")

    def get_kind_display(self) -> str:
        return self._display("kind")

    def get_category_display(self) -> str:
        return self._display("category")


def offer_rows(model: type[Model], page) -> None:
    """The page's `.values()` dicts as OfferRows, in place."""
    page.object_list = [OfferRow(model, values) for values in page.object_list]
