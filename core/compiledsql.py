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
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from functools import cache

from django.db import connections
from django.db.models import QuerySet

__all__ = ["CompiledQuery", "PAGE_LIMIT", "PAGE_OFFSET", "page_parameters"]

# A page's sentinels: build with `queryset[PAGE_OFFSET:PAGE_OFFSET + PAGE_LIMIT]` and pass the
# call's limit and offset at their places; Django writes a slice into the SQL as literal numbers,
# which `page_parameters` turns back into parameters.
PAGE_LIMIT, PAGE_OFFSET = 987_651, 987_653_000  # numbers no list here limits or skips


def page_parameters(sql: str, params, connection) -> tuple[str, tuple]:
    """The SQL with the literal LIMIT/OFFSET of the page sentinels' slice made parameters (in
    place: they end the statement, or a subquery of it); unchanged when it has none."""
    literal = connection.ops.limit_offset_sql(PAGE_OFFSET, PAGE_OFFSET + PAGE_LIMIT)
    if literal not in sql:
        return sql, tuple(params)
    before, _literal, after = sql.partition(literal)
    count, params = before.count("%s"), tuple(params)
    return f"{before}LIMIT %s OFFSET %s{after}", (*params[:count], PAGE_LIMIT, PAGE_OFFSET, *params[count:])


def _cursor(connection):
    """A cursor of `connection`; on PostgreSQL with prepared statements on (settings'
    DB_PREPARED_STATEMENTS), one binding its parameters on the server, so that psycopg
    prepares the statement on its first run in a connection and PostgreSQL plans it once
    (Django's own cursors bind on the client and are never prepared)."""
    if connection.vendor != "postgresql" or connection.settings_dict["OPTIONS"].get("prepare_threshold") is None:
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor
    from django.db.backends.utils import CursorWrapper

    # What connection.cursor() does, around a server-binding cursor.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        cursor = ServerBindingCursor(connection.connection)
    if connection.queries_logged:
        return _logged_prepared_cursor_class()(cursor, connection)
    return CursorWrapper(cursor, connection)


@cache
def _logged_prepared_cursor_class():
    """Defined on first use: the PostgreSQL backend's module needs psycopg, which an SQLite-only
    run may not have."""
    from django.db.backends.postgresql.base import CursorDebugWrapper
    from django.db.backends.utils import CursorWrapper

    class LoggedPreparedCursor(CursorDebugWrapper):
        """Logs the SQL with its parameters written in (as Django's own cursors do): psycopg
        keeps no query text of a prepared statement's run for Django to read back."""

        def execute(self, sql, params=None):
            with self.debug_sql(self.db.ops.compose_sql(sql, params), params):
                return CursorWrapper.execute(self, sql, params)

    return LoggedPreparedCursor


def _constants_written_in(sql: str, places: list, connection) -> tuple[str, list]:
    """The constants as SQL literals: a prepared statement's generic plan (PostgreSQL's after five
    runs) then knows them, so that a partial index on `status = 'confirmed'` still serves it;
    as parameters they would be unknowns of that plan. Only the arguments stay parameters."""
    pieces, kept, places = re.split(r"(%%|%s)", sql), [], iter(places)
    for number, piece in enumerate(pieces):
        if piece == "%s":
            index, adapt = place = next(places)
            if index is None:
                pieces[number] = connection.ops.compose_sql("%s", [adapt]).replace("%", "%%")
            else:
                kept.append(place)
    return "".join(pieces), kept


class CompiledQuery:
    """`constants`: the parameters the query holds whatever its arguments (a status it filters
    on, the `1` the ORM writes inside EXISTS), named so that any other parameter that is no
    sentinel is still refused: a value derived from an argument (a day plus one) would
    otherwise be frozen at the sentinel's."""

    def __init__(self, build: Callable[..., QuerySet], *, sentinels: Sequence, constants: Sequence = (),
                 using: str = "default"):
        self.build, self.sentinels, self.constants, self.using = build, tuple(sentinels), tuple(constants), using
        self._compiled = None  # (vendor, sql, [(argument index or None, adapt or constant)], compiler, converters)

    def _compile(self, connection):
        queryset = self.build(*self.sentinels)
        compiler = queryset.query.get_compiler(using=self.using, connection=connection)
        sql, params = page_parameters(*compiler.as_sql(), connection)
        places = [self._place(param, connection) for param in params]
        if connection.vendor == "postgresql":
            sql, places = _constants_written_in(sql, places, connection)
        fields = [selected[0] for selected in compiler.select[0:compiler.col_count]]
        return connection.vendor, sql, places, compiler, compiler.get_converters(fields)

    def _place(self, param, connection):
        """Which argument a parameter of the compiled SQL is and how the backend adapted it,
        or (None, the constant)."""
        for index, sentinel in enumerate(self.sentinels):
            if param == sentinel and type(param) is type(sentinel):
                return index, None
            if isinstance(sentinel, datetime):
                if param == connection.ops.adapt_datetimefield_value(sentinel):
                    return index, connection.ops.adapt_datetimefield_value
                continue
            if isinstance(sentinel, date) and param == connection.ops.adapt_datefield_value(sentinel):
                return index, connection.ops.adapt_datefield_value
        if any(param == constant and isinstance(param, type(constant)) for constant in self.constants):
            return None, param
        raise ValueError(f"parameter {param!r} of the compiled query is none of its sentinels or constants")

    def __call__(self, *arguments) -> list[tuple]:
        connection = connections[self.using]
        compiled = self._compiled
        if compiled is None or compiled[0] != connection.vendor:
            compiled = self._compiled = self._compile(connection)
        _vendor, sql, places, compiler, converters = compiled
        params = [adapt if index is None else arguments[index] if adapt is None else adapt(arguments[index])
                  for index, adapt in places]
        with _cursor(connection) as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            return [tuple(row) for row in compiler.apply_converters(rows, converters)]
        return rows
