"""Writing many rows of one model at once, inside the caller's transaction (issue 15: an import of
100,000 rows).

``create`` and ``update`` do what Django's ``bulk_create`` and ``bulk_update`` do for these rows, and
nothing more (no signals, no history: the caller copies history rows with ``history.copy_rows``). On
PostgreSQL they skip what made those the larger part of an import's time: building one SQL parameter
per value (``bulk_create``) and one ``CASE WHEN`` expression per value (``bulk_update``). New rows
take their ids from the table's sequence first and go in by ``COPY … FROM STDIN``; changed rows are
written by one ``UPDATE … FROM (VALUES …)`` per batch. On SQLite (``make run``) Django's own are used.
"""

import io
import json
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import Field, UniqueConstraint
from django.db.models.expressions import DatabaseDefault

BATCH = 500


def create(model, objs: list, *, batch_size: int = BATCH) -> None:
    """Insert ``objs`` of ``model``, giving an id to those without one, as ``bulk_create`` does: each
    field's ``pre_save`` runs (``auto_now`` fields take the time), a relation to an object saved since
    it was set takes that object's id (ValueError if it is still unsaved), and values other than plain
    ones are prepared by their field."""
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs, batch_size=batch_size)
        return
    _allocate_ids(connection, model, [obj for obj in objs if obj.pk is None])
    fields = model._meta.concrete_fields
    # Fields that set their value before an insert (``auto_now``, ``auto_now_add``, a file to store).
    stamped = [f for f in fields if type(f).pre_save is not Field.pre_save]
    relations = [f for f in fields if f.is_relation]
    typed = [(f, PLAIN.get(f.get_internal_type())) for f in fields]
    rows = []
    for obj in objs:
        for field in stamped:
            field.pre_save(obj, add=True)
        for field in relations:
            _take_related_id(obj, field)
        rows.append([_column_text(f, plain, getattr(obj, f.attname), connection) for f, plain in typed])
        obj._state.adding, obj._state.db = False, connection.alias
    copy_into(connection, model._meta.db_table, [f.column for f in fields], rows)


def copy_into(connection, table: str, columns: list[str], rows) -> None:
    """``COPY`` ``rows`` (each a list of column texts, as ``copy_text`` writes them) into ``table`` on
    PostgreSQL; a refused row raises django.db.IntegrityError as for any other statement."""
    buffer = io.StringIO()
    for texts in rows:
        buffer.write("\t".join(texts))
        buffer.write("\n")
    buffer.seek(0)
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        # The raw cursor's copy_expert passes by Django's cursor wrapper: ``wrap_database_errors`` turns
        # a refused row into django.db.IntegrityError as for any other statement.
        cursor.cursor.copy_expert(f"COPY {quote(table)} ({names}) FROM STDIN", buffer)


# Fields whose values of this type are written as they are; any other value (a naive or aware datetime
# included) is prepared by the field as ``bulk_create`` prepares it.
PLAIN = {
    "AutoField": int,
    "BigAutoField": int,
    "BigIntegerField": int,
    "BooleanField": bool,
    "CharField": str,
    "DateField": date,
    "ForeignKey": int,
    "IntegerField": int,
    "OneToOneField": int,
    "PositiveIntegerField": int,
    "TextField": str,
}
PREPARED = (str, int, float, bool, Decimal, date, datetime, type(None))


def _column_text(field, plain: type | None, value, connection) -> str:
    """``value`` of ``field`` as ``COPY`` reads it, prepared by the field unless it is ``plain``."""
    if value is not None and type(value) is not plain:
        value = field.get_db_prep_save(value, connection)
        if not isinstance(value, PREPARED):
            raise TypeError(f"{field} cannot be written by COPY: {type(value).__name__}")
    return copy_text(value)


def _allocate_ids(connection, model, objs: list) -> None:
    """Give each of ``objs`` an id taken from the table's sequence (one query), as an insert would."""
    if not objs:
        return
    pk = model._meta.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, pk.column, len(objs)],
        )
        ids = sorted(row[0] for row in cursor.fetchall())
    for obj, pk_value in zip(objs, ids, strict=True):
        setattr(obj, pk.attname, pk_value)


def _take_related_id(obj, field) -> None:
    """``Model._prepare_related_fields_for_save`` for one relation: an object set on it while unsaved
    gives its id now, an unsaved one is refused."""
    related = field.get_cached_value(obj, default=None)
    if related is None:
        return
    if related.pk is None:
        raise ValueError(
            f"bulk_create() prohibited to prevent data loss due to unsaved related object '{field.name}'."
        )
    if getattr(obj, field.attname) in field.empty_values:
        setattr(obj, field.attname, getattr(related, field.target_field.attname))


def update(model, objs: list, fields: list[str], *, batch_size: int = BATCH) -> None:
    """Write ``fields`` of the saved ``objs`` of ``model`` (by their ids), as ``bulk_update`` does."""
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        model._default_manager.bulk_update(objs, fields, batch_size=batch_size)
        return
    pk = model._meta.pk
    written = [model._meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in [pk, *written])
    # VALUES columns take the type of their values (text, or unknown for a NULL): cast each to its column's.
    assignments = ", ".join(
        f"{quote(f.column)} = v.{quote(f.column)}::{f.cast_db_type(connection)}" for f in written
    )
    table = quote(model._meta.db_table)
    key = f"{table}.{quote(pk.column)} = v.{quote(pk.column)}::{pk.cast_db_type(connection)}"
    row = f"({', '.join(['%s'] * (len(written) + 1))})"
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            part = objs[start : start + batch_size]
            params = [
                field.get_db_prep_save(getattr(obj, field.attname), connection)
                for obj in part
                for field in [pk, *written]
            ]
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {', '.join([row] * len(part))}) AS v ({names}) "
                f"WHERE {key}",
                params,
            )


def copy_text(value) -> str:
    """``value`` as a field of ``COPY … FROM STDIN``'s text format (NULL as ``\\N``; tab, newline,
    carriage return and backslash escaped)."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, date | datetime):
        return value.isoformat()
    # Other values as their text: a number, a Decimal, a FieldFile (its name).
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


class FieldChecks:
    """``obj.full_clean(exclude=exclude, validate_unique=False)`` for many objects of one model, without
    checking again a value already found valid in the same field: a field's own checks (its type,
    length, choices, blank and null) depend on its value alone, so a value valid once is valid on every
    row. Relations look their object up, so they are checked on every row unless excluded. A value found
    invalid sends the object through ``full_clean`` itself, which raises the errors as it words them.

    Only text, integers, booleans and dates are remembered, and at most ``REMEMBER`` per field: the
    codes, levels and dates a file repeats, not every row's name."""

    def __init__(self, model, *, exclude: list[str], validate_constraints: bool = True):
        self.exclude = set(exclude)
        # ``validate_constraints`` returns without a check from a unique constraint over an excluded
        # field (such as a facility's unit and site number), but only after building its queryset: a
        # fifth of a facility's check. It is not called when every constraint is one of those.
        constraints = [c for m in (model, *model._meta.all_parents) for c in m._meta.constraints]
        self.validate_constraints = validate_constraints and any(
            not (isinstance(c, UniqueConstraint) and self.exclude & set(c.fields)) for c in constraints
        )
        self.fields = [f for f in model._meta.fields if f.name not in self.exclude and not f.generated]
        self.valid: dict[str, set] = {f.attname: set() for f in self.fields if not f.is_relation}

    def check(self, obj) -> None:
        """ValidationError as ``full_clean`` raises it, unless ``obj``'s fields and constraints are valid."""
        for field in self.fields:
            value = getattr(obj, field.attname)
            if (field.blank and value in field.empty_values) or isinstance(value, DatabaseDefault):
                continue  # not checked by ``clean_fields`` either
            known = self.valid.get(field.attname)
            key = (type(value), value)
            if known is not None and _remembered(value) and key in known:
                continue
            try:
                cleaned = field.clean(value, obj)
            except ValidationError:
                # ``full_clean`` checks the same value, so it raises, naming every field that is wrong.
                obj.full_clean(
                    exclude=self.exclude,
                    validate_unique=False,
                    validate_constraints=self.validate_constraints,
                )
                raise
            setattr(obj, field.attname, cleaned)
            if (
                known is not None
                and _remembered(value)
                and len(known) < REMEMBER
                and key == (type(cleaned), cleaned)
            ):
                known.add(key)
        obj.clean()
        if self.validate_constraints:
            obj.validate_constraints(exclude=self.exclude)


REMEMBER = 10_000
# Values whose checks depend on what they equal: not Decimal, whose places count (1.0 == 1.000).
REMEMBERED = (str, int, bool, date, datetime)


def _remembered(value) -> bool:
    return type(value) in REMEMBERED
