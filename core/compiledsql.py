"""Queries whose shape never changes, built by the ORM once per process, then only run.

On the owner's pages the ORM's building of a query (as_sql: columns, joins, quoting) cost
three to four times what PostgreSQL spends answering it: ~1.2 ms of CPU for a one-row
lookup under load, against ~0.3 ms for the same SQL run directly (issue 14,
docs/performance.md "Owner lists"). A page of half a dozen such queries spent more on
building them than the minimal view spends on a whole page.

    OWNER_ALERTS = CompiledQuery(
        lambda owner_id: Alert.objects.filter(owner_id=owner_id).values_list("pk", "label")[:10],
        sentinels=(-7_301_401,))
    rows = OWNER_ALERTS(owner.pk)   # a list of tuples, with the fields' converters applied

`build` receives one sentinel per argument and returns a queryset of `values_list()` rows;
each sentinel must be a value found nowhere else in the query (a negative id, an
improbable date or datetime, an odd string), so that its places among the SQL's parameters
are known. A query whose SQL changes with its arguments (an `IN` list, optional filters)
is not one of these: keep the ORM there."""
from collections.abc import Callable, Sequence
from datetime import date, datetime

from django.db import connections
from django.db.models import QuerySet

__all__ = ["CompiledQuery"]


class CompiledQuery:
    def __init__(self, build: Callable[..., QuerySet], *, sentinels: Sequence, using: str = "default"):
        self.build, self.sentinels, self.using = build, tuple(sentinels), using
        self._compiled = None  # (vendor, sql, [(argument index, adapt)], compiler, converters)

    def _compile(self, connection):
        queryset = self.build(*self.sentinels)
        compiler = queryset.query.get_compiler(using=self.using, connection=connection)
        sql, params = compiler.as_sql()
        places = []
        for param in params:
            places.append(self._place(param, connection))
        fields = [selected[0] for selected in compiler.select[0:compiler.col_count]]
        return connection.vendor, sql, places, compiler, compiler.get_converters(fields)

    def _place(self, param, connection):
        """Which argument a parameter of the compiled SQL is, and how the backend adapted it."""
        for index, sentinel in enumerate(self.sentinels):
            if param == sentinel and type(param) is type(sentinel):
                return index, None
            if isinstance(sentinel, datetime):
                if param == connection.ops.adapt_datetimefield_value(sentinel):
                    return index, connection.ops.adapt_datetimefield_value
                continue
            if isinstance(sentinel, date) and param == connection.ops.adapt_datefield_value(sentinel):
                return index, connection.ops.adapt_datefield_value
        raise ValueError(f"parameter {param!r} of the compiled query is none of its sentinels")

    def __call__(self, *arguments) -> list[tuple]:
        connection = connections[self.using]
        compiled = self._compiled
        if compiled is None or compiled[0] != connection.vendor:
            compiled = self._compiled = self._compile(connection)
        _vendor, sql, places, compiler, converters = compiled
        params = [arguments[index] if adapt is None else adapt(arguments[index]) for index, adapt in places]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            return [tuple(row) for row in compiler.apply_converters(rows, converters)]
        return rows
