"""The one place that records who changed a business record and why (R-RET-1; 网络安全法 第二十一条).

Every business model keeps its history with django-simple-history. Services never set
``_history_user`` or ``_change_reason`` themselves: they save through ``save``, or mark an object with
``record`` before a save they make in another way. ``by=None`` is the system (a periodic job, a
migration); it is recorded as such and never replaced by whoever happens to be logged in.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone

from bureau import bulk

DUPLICATE = "该编号刚刚已被他人登记，请刷新后核对。"


def record(obj, *, by, reason: str = ""):
    """Mark ``obj`` so that its next save records ``by`` and ``reason`` in its history."""
    obj._history_user = by
    if reason:
        obj._change_reason = reason
    elif hasattr(obj, "_change_reason"):
        del obj._change_reason
    return obj


def save(obj, *, by, reason: str = "", update_fields=None):
    """Save ``obj`` with ``by`` and ``reason`` in its history; return it."""
    record(obj, by=by, reason=reason)
    obj.save(update_fields=update_fields)
    return obj


def save_checked(obj, *, by, reason: str = "", duplicate: str = DUPLICATE):
    """Validate field lengths and formats, save with history, and turn a lost race on a unique value
    into a Chinese validation error instead of a server error. A failed save leaves nothing behind."""
    check_fields(obj)
    record(obj, by=by, reason=reason)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise ValidationError(duplicate) from None
    return obj


def check_fields(obj) -> None:
    """ValidationError unless ``obj``'s field lengths and formats are valid (what ``save_checked``
    checks before it saves). Relations are set by the services themselves and not checked again: that
    would cost a query each."""
    obj.full_clean(exclude=_relations(type(obj)), validate_unique=False, validate_constraints=False)


def field_checks(model) -> bulk.FieldChecks:
    """``check_fields`` for many objects of ``model`` (``FieldChecks.check``), for a bulk write."""
    return bulk.FieldChecks(model, exclude=_relations(model), validate_constraints=False)


def _relations(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.is_relation]


def snapshot(obj, *, by, reason: str):
    """Write a row once more through ``save()`` so its history records who and why, after a
    conditional ``UPDATE … WHERE state = old`` (which bypasses ``save()``) won a step. Run it inside
    the same transaction as the update."""
    obj.refresh_from_db()
    return save(obj, by=by, reason=reason)


def bulk_create(objs, model, *, by, reason: str, batch_size: int | None = None):
    """Create many rows at once (``bureau.bulk.create``), each with its history row naming ``by`` and
    ``reason`` copied by the database (``copy_rows``); returns ``objs``, each with its id."""
    objs = list(objs)
    with transaction.atomic(savepoint=False):  # both or neither, without a savepoint of its own
        bulk.create(model, objs, batch_size=batch_size or bulk.BATCH)
        copy_rows(model, [obj.pk for obj in objs], by=by, reason=reason, created=True)
    return objs


def copy_rows(model, pks, *, by, reason: str = "", created: bool, chunk: int = 2000) -> None:
    """One history row for each row of ``model`` whose key is in ``pks``, naming ``by`` and ``reason``:
    what ``model.history.bulk_history_create`` writes (the values as the row now holds them; ``+``
    when ``created``, else ``~``; one date for all), copied by the database (``INSERT … SELECT``)
    instead of through a historical instance per row, which was a third of the time of an import of
    100,000 rows (issue 15). For rows just written in bulk, inside the same transaction."""
    historical = model.history.model
    connection = connections[router.db_for_write(historical)]
    quote = connection.ops.quote_name
    columns = {field.attname: field.column for field in model._meta.concrete_fields}
    constants = {
        "history_date": timezone.now(),
        "history_change_reason": reason or None,
        "history_type": "+" if created else "~",
        "history_user_id": by.pk if by is not None else None,
    }
    names, values, params = [], [], []
    for field in historical._meta.concrete_fields:
        if field.attname in constants:
            names.append(quote(field.column))
            values.append("%s")
            params.append(field.get_db_prep_save(constants[field.attname], connection))
        elif field.attname in columns:
            names.append(quote(field.column))
            values.append(quote(columns[field.attname]))
    table, key = quote(model._meta.db_table), quote(model._meta.pk.column)
    pks = list(pks)
    with connection.cursor() as cursor:
        for start in range(0, len(pks), chunk):
            part = pks[start : start + chunk]
            cursor.execute(
                f"INSERT INTO {quote(historical._meta.db_table)} ({', '.join(names)}) "
                f"SELECT {', '.join(values)} FROM {table} "
                f"WHERE {key} IN ({', '.join(['%s'] * len(part))}) ORDER BY {key}",
                [*params, *part],
            )


def update_in_chunks(queryset, *, values: dict, by, reason: str, chunk: int = 2000) -> int:
    """``queryset.update(**values)`` a chunk of rows at a time, each row with its history row naming
    ``by`` and ``reason``: memory stays one chunk whatever the number of rows, and no row is
    updated without its history (R-RET-1). Returns the number of rows updated."""
    model = queryset.model
    pks = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(pks), chunk):
        part = pks[start : start + chunk]
        with transaction.atomic():
            model.objects.filter(pk__in=part).update(**values)
            copy_rows(model, part, by=by, reason=reason, created=False)
    return len(pks)


def bulk_update(objs, fields: list[str], *, by, reason: str, batch_size: int = 1000) -> int:
    """Write ``fields`` of ``objs`` in bulk (``bureau.bulk.update``), each row with its history row
    naming ``by`` and ``reason`` (R-RET-1): for a job that changes many rows it already holds, a few
    queries per batch instead of a save each. The caller passes only rows that really changed. Rows
    marked with ``record`` keep their own reason (their history rows are then written through
    django-simple-history, row by row in Python, instead of copied by the database). Returns their
    number."""
    objs = list(objs)
    if not objs:
        return 0
    model = type(objs[0])
    with transaction.atomic(savepoint=False):  # both or neither, without a savepoint of its own
        bulk.update(model, objs, fields, batch_size=batch_size)
        if any(getattr(obj, "_change_reason", None) for obj in objs):
            model.history.bulk_history_create(
                objs, batch_size=batch_size, update=True, default_user=by, default_change_reason=reason
            )
        else:
            copy_rows(model, [obj.pk for obj in objs], by=by, reason=reason, created=False)
    return len(objs)
