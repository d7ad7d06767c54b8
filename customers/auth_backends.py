"""Django's ModelBackend, with the per-request user lookup made cheaper.

Every request loads its user by primary key from the session. The ORM rebuilds
and compiles that query each time, which costs several times the query itself.
Here the SELECT is built once per database and each row goes through the same
field conversions the ORM applies (`from_db` with the backend's converters).
Nothing is cached: each request still reads the user's current row, so a
deactivated user or a changed password takes effect at once.
"""

from dataclasses import dataclass
from functools import cache

from django.contrib.auth import backends, get_user_model
from django.core.exceptions import ValidationError
from django.db import connections, router


@dataclass(frozen=True)
class _UserQuery:
    alias: str
    sql: str
    attnames: list[str]
    converters: list[tuple]  # (column index, converter, column expression)

    def fetch(self, pk):
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [pk])
            row = cursor.fetchone()
        if row is None:
            return None
        values = list(row)
        for index, convert, column in self.converters:
            values[index] = convert(values[index], column, connection)
        return get_user_model().from_db(self.alias, self.attnames, values)


@cache
def _user_query(alias: str) -> _UserQuery:
    model, connection = get_user_model(), connections[alias]
    quote, table = connection.ops.quote_name, model._meta.db_table
    fields = model._meta.concrete_fields
    columns = [field.get_col(table) for field in fields]
    converters = [
        (index, convert, column)
        for index, column in enumerate(columns)
        for convert in connection.ops.get_db_converters(column)
        + column.get_db_converters(connection)
    ]
    select = ", ".join(quote(field.column) for field in fields)
    where = quote(model._meta.pk.column)
    sql = f"SELECT {select} FROM {quote(table)} WHERE {where} = %s"  # noqa: S608 - model names
    return _UserQuery(alias, sql, [field.attname for field in fields], converters)


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = _user_query(router.db_for_read(model)).fetch(pk)
        return user if user is not None and self.user_can_authenticate(user) else None
