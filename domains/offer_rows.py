"""An owner's offer tables (domains, a domain's lodgings and experiences) read as plain values.

Model instances of every column (a domain's history in two languages, a lodging's
descriptions) cost more CPU than the rows' markup: the tables read only what they show
(issue 14, docs/performance.md "Owner lists"). A row answers what the tables and their
former templates ask of an offer: its fields as attributes and `get_<field>_display()`."""
from functools import lru_cache

from django.core.paginator import Paginator
from django.db.models import Model, OuterRef, Subquery
from django.utils.functional import cached_property

from core.compiledsql import PAGE_LIMIT, PAGE_OFFSET, CompiledQuery


@lru_cache(maxsize=64)
def _choices(model: type[Model], name: str) -> dict:
    return dict(model._meta.get_field(name).flatchoices)  # lazy labels: translated when shown


class OfferRow:
    """`values` (a dict from `.values()`) as attributes, with the model's choice labels."""

    def __init__(self, model: type[Model], values: dict):
        self.__dict__.update(values)
        self._model = model

    def _display(self, name: str) -> str:
        """Model.get_FOO_display(): the choice's label in the active language, else the value."""
        value = self.__dict__[name]
        return str(_choices(self._model, name).get(value, value))

    def get_status_display(self) -> str:
        return self._display("status")

    def get_kind_display(self) -> str:
        return self._display("kind")

    def get_category_display(self) -> str:
        return self._display("category")


def offer_rows(model: type[Model], page) -> None:
    """The page's `.values()` dicts as OfferRows, in place."""
    page.object_list = [OfferRow(model, values) for values in page.object_list]


class CompiledPages:
    """A list's count and its pages with SQL built once per process (core/compiledsql.py): the
    ORM's building of the count and of the page's query cost more than PostgreSQL's answer.

    `rows(*sentinels)` returns the list's ordered `values_list()` queryset; `count(*sentinels)`
    a `values_list()` of one row holding the count (or none when there is nothing); `constants`
    are the parameters both hold whatever their arguments. A page's LIMIT and OFFSET are
    arguments of one compiled query (core.compiledsql's page sentinels)."""

    def __init__(self, *, rows, count, sentinels: tuple, columns: tuple[str, ...], constants: tuple = ()):
        self.columns = columns
        self._count = CompiledQuery(count, sentinels=sentinels, constants=constants)
        self._page = CompiledQuery(lambda *arguments: rows(*arguments[:-2])[PAGE_OFFSET:PAGE_OFFSET + PAGE_LIMIT],
                                   sentinels=(*sentinels, PAGE_LIMIT, PAGE_OFFSET), constants=constants)

    def count(self, *arguments) -> int:
        rows = self._count(*arguments)
        return rows[0][0] if rows else 0

    def page(self, offset: int, limit: int, *arguments) -> list[dict]:
        return [dict(zip(self.columns, row, strict=True)) for row in self._page(*arguments, limit, offset)]


class CompiledPaginator(Paginator):
    """Django's paginator over CompiledPages: the same pages, numbers and errors."""

    def __init__(self, pages: CompiledPages, per_page: int, *arguments):
        super().__init__((), per_page)
        self.pages, self.arguments = pages, arguments

    @cached_property
    def count(self) -> int:
        return self.pages.count(*self.arguments)

    def page(self, number):
        number = self.validate_number(number)
        return self._get_page(self.pages.page((number - 1) * self.per_page, self.per_page, *self.arguments),
                              number, self)


def first_pending_revision(content_type_id, pending) -> Subquery:
    """domains.moderation.pending_revisions_of as a subquery (EXISTS writes a `SELECT 1` whose 1
    is a parameter): a pending revision's id, or None."""
    from .models import Revision

    return Subquery(Revision.objects.filter(content_type_id=content_type_id, object_id=OuterRef("pk"),
                                            status=pending).order_by().values("pk")[:1])


def own_domain(domain_id: int, owner_id: int) -> "OfferRow":
    """The owner's domain (pk, name) of a lodgings or experiences table, or a 404."""
    from django.http import Http404

    from .models import Domain

    rows = _OWN_DOMAIN(domain_id, owner_id)
    if not rows:
        raise Http404
    return OfferRow(Domain, dict(zip(("pk", "name"), rows[0], strict=True)))


def _own_domain(domain_id, owner_id):
    from .models import Domain

    return Domain.objects.filter(pk=domain_id, owner_id=owner_id).values_list("pk", "name")


_OWN_DOMAIN = CompiledQuery(_own_domain, sentinels=(-7_301_901, -7_301_902))
