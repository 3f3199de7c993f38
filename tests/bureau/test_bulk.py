"""``bureau.bulk``: rows written in bulk (by ``COPY`` and ``UPDATE … FROM (VALUES …)`` on PostgreSQL)
read back as they were set, with the ids, times and relations ``bulk_create`` and ``bulk_update``
give them; a refused row fails as any other write does."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from bureau import bulk
from permits.models import Facility, KeyIndustry, Unit
from tests.factories.permits import credit_code

pytestmark = pytest.mark.django_db

AWKWARD = "甲\t乙\n丙\r丁\\N 戊\\"  # what COPY's text format must escape, and its NULL marker


def new_site(n: int, town, **fields) -> tuple[Unit, Facility]:
    unit = Unit(credit_code=credit_code(n), name=f"单位{n}")
    values = {
        "name": f"单位{n}",
        "industry_code": "2641",
        "industry_name": "涂料制造",
        "management_level": "key",
    }
    facility = Facility(
        unit=unit,  # unsaved when set: its id is taken when the facility is written
        credit_code=unit.credit_code,
        source_code=unit.credit_code + "001",
        town=town,
        **(values | fields),
    )
    return unit, facility


def stored(facility: Facility) -> dict:
    return Facility.objects.values().get(pk=facility.pk)


def as_set(facility: Facility) -> dict:
    return {f.attname: getattr(facility, f.attname) for f in Facility._meta.concrete_fields}


def test_created_rows_read_back_as_set_with_their_ids_times_and_relations(town_a):
    key_industry = KeyIndustry.objects.create(code="26", name="化工")
    sites = [
        new_site(1, town_a, address=AWKWARD, is_confidential=True, credit_rated_on=date(2024, 3, 15)),
        new_site(2, town_a, key_industry=key_industry, contact_person=""),
    ]
    units, facilities = [unit for unit, _ in sites], [facility for _, facility in sites]

    bulk.create(Unit, units)
    bulk.create(Facility, facilities)

    assert units[0].pk < units[1].pk and facilities[0].pk < facilities[1].pk
    for unit, facility in sites:
        assert not facility._state.adding
        assert facility.unit_id == unit.pk
        assert facility.created_at is not None and facility.updated_at is not None
        assert stored(facility) == as_set(facility)
    assert stored(facilities[0])["address"] == AWKWARD
    assert stored(facilities[0])["key_industry_id"] is None
    # the table's own ids go on past the ones taken
    later, _ = new_site(3, town_a)
    later.save()
    assert later.pk > units[1].pk


def test_updated_rows_read_back_as_set(town_a, town_b):
    sites = [new_site(n, town_a, key_industry=KeyIndustry.objects.create(code=f"2{n}")) for n in (1, 2)]
    bulk.create(Unit, [unit for unit, _ in sites])
    facilities = [facility for _, facility in sites]
    bulk.create(Facility, facilities)
    first, second = facilities

    first.address, first.town, first.key_industry = AWKWARD, town_b, None
    second.contact_person, second.credit_rated_on = "李四", date(2025, 1, 2)
    bulk.update(
        Facility, facilities, ["address", "town", "key_industry", "contact_person", "credit_rated_on"]
    )

    assert stored(first) == as_set(first)
    assert stored(second) == as_set(second)
    assert (stored(first)["town_id"], stored(first)["key_industry_id"]) == (town_b.pk, None)


def test_a_row_the_database_refuses_raises_integrity_error_and_writes_nothing(town_a):
    bulk.create(Unit, [Unit(credit_code=credit_code(1), name="已有")])
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.create(
            Unit, [Unit(credit_code=credit_code(2), name="新"), Unit(credit_code=credit_code(1), name="重")]
        )
    assert list(Unit.objects.values_list("name", flat=True)) == ["已有"]


def test_a_relation_to_an_unsaved_object_is_refused(town_a):
    _, facility = new_site(1, town_a)
    with pytest.raises(ValueError, match="unsaved related object 'unit'"):
        bulk.create(Facility, [facility])


def full_clean_error(facility: Facility, exclude=("unit", "town", "key_industry")) -> dict:
    with pytest.raises(ValidationError) as refused:
        facility.full_clean(exclude=exclude, validate_unique=False)
    return refused.value.message_dict


def test_field_checks_refuse_what_full_clean_refuses_in_its_words_after_valid_rows(town_a):
    checks = bulk.FieldChecks(Facility, exclude=["unit", "town", "key_industry"])
    for n in (1, 2):  # the same level, industry, site number and address on both: remembered as valid
        checks.check(new_site(n, town_a, address="1" * 31)[1])
    wrong = [
        new_site(3, town_a, management_level="keyy"),
        # a value valid as an address, too long as a phone number
        new_site(4, town_a, industry_code="26411", contact_phone="1" * 31),
        new_site(5, town_a, site_number="0001"),
        new_site(6, town_a, name="", status="closing"),
    ]
    for _, facility in wrong:
        expected = full_clean_error(facility)
        with pytest.raises(ValidationError) as refused:
            checks.check(facility)
        assert refused.value.message_dict == expected


def test_field_checks_check_a_constraint_whose_fields_are_not_excluded(town_a):
    unit, facility = new_site(1, town_a)
    bulk.create(Unit, [unit])
    bulk.create(Facility, [facility])
    _, again = new_site(1, town_a)
    again.unit, again.source_code = unit, facility.source_code[:-1] + "9"  # the unit's site 001 once more
    expected = full_clean_error(again, exclude=["town", "key_industry"])
    assert expected == {"__all__": ["该单位已有此序号的污染源。"]}
    with pytest.raises(ValidationError) as refused:
        bulk.FieldChecks(Facility, exclude=["town", "key_industry"]).check(again)
    assert refused.value.message_dict == expected
