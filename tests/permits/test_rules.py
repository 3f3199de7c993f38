"""Pure rules of the registry, tested without a database."""

from datetime import date

import pytest

from permits import rules
from permits.rules import Event

# 91350100M000100Y43 is the worked example of GB 32100-2015; the other check character was computed
# from GB 32100-2015 (weights 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28; modulo 31).
VALID_CODES = ["91350100M000100Y43", "11100000000013127D"]


@pytest.mark.parametrize("code", VALID_CODES)
def test_r_fac_1_valid_credit_codes_pass(code):
    assert rules.credit_code_error(code) is None


def test_r_fac_1_check_character_is_computed_per_gb_32100():
    assert rules.credit_code_check_character("91350100M000100Y4") == "3"
    assert rules.credit_code_check_character("11100000000013127") == "D"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y4", "应为 18 位，现为 17 位"),
        ("91350100M000100Y433", "应为 18 位，现为 19 位"),
        ("91350100M000100Y44", "第 18 位应为“3”，而不是“4”"),
        ("9135010OM000100Y43", "第 8 位“O”不是允许的字符（不使用字母 I、O、S、V、Z"),
        ("91350100m000100Y43", "第 9 位“m”不是允许的字符"),
        ("913501-0M000100Y43", "第 7 位“-”不是允许的字符"),
        ("91A50100M000100Y43", "第 3–8 位应为登记管理机关行政区划码"),
    ],
)
def test_r_fac_1_wrong_credit_codes_say_what_is_wrong(code, message):
    assert message in rules.credit_code_error(code)


def test_r_fac_1_codes_are_normalised_before_checking():
    assert rules.normalise_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("industry", "expected"),
    [
        ("2641", "264"),
        ("2642", "264"),
        ("3360", "336"),
        ("7724", "7724"),
        ("7723", None),
        ("2221", "222"),
        ("3120", "312"),
        ("4411", "441"),
        ("4620", "462"),
        ("1311", None),
    ],
)
def test_r_fac_2_key_industry_by_code_prefix(industry, expected):
    keys = ["264", "336", "7724", "222", "312", "441", "462"]
    assert rules.key_industry_code(industry, keys) == expected


@pytest.mark.parametrize(
    ("section", "field", "allowed"),
    [
        ("approval", "name", True),
        ("approval", "management_level", True),
        ("approval", "credit_rating", False),
        ("legal", "credit_rating", True),
        ("legal", "name", False),
        ("pollution", "is_key_regulated", True),
        ("pollution", "risk_level", True),
        ("pollution", "credit_rating", False),
        ("ecology", "in_environmental_statistics", True),
        ("ecology", "risk_level", False),
        ("enforcement", "name", False),
        ("monitoring", "name", False),
        ("town", "address", False),
        ("leadership", "name", False),
    ],
)
def test_r_org_2_each_section_changes_only_its_part(section, field, allowed):
    assert (rules.fields_not_owned(section, [field]) == []) is allowed


def test_r_org_2_administrator_may_change_anything():
    assert rules.fields_not_owned(None, ["name", "credit_rating"], is_superuser=True) == []


def test_r_org_2_message_names_the_owning_section():
    message = rules.ownership_message({"credit_rating": "环境信用评价"}, ["credit_rating"])
    assert "“环境信用评价”由社区联络科（法制科）维护" in message


ISSUED = Event("first_application", date(2021, 1, 10))
UNTIL = date(2026, 1, 9)


@pytest.mark.parametrize(
    ("events", "today", "state"),
    [
        ([ISSUED], date(2025, 6, 1), "valid"),
        ([ISSUED], date(2026, 1, 9), "valid"),
        ([ISSUED], date(2026, 1, 10), "expired"),
        ([ISSUED, Event("cancellation", date(2024, 3, 1))], date(2025, 6, 1), "cancelled"),
        ([ISSUED, Event("cancellation", date(2024, 3, 1))], date(2024, 2, 29), "valid"),
        ([ISSUED, Event("withdrawal", date(2023, 3, 1))], date(2025, 6, 1), "withdrawn"),
        ([ISSUED, Event("revocation", date(2023, 3, 1))], date(2027, 6, 1), "revoked"),
        ([ISSUED, Event("change", date(2023, 3, 1))], date(2025, 6, 1), "valid"),
    ],
)
def test_r_per_1_state_is_derived_from_events_and_dates(events, today, state):
    assert rules.permit_state(events, UNTIL, today) == state


@pytest.mark.parametrize(
    ("events", "new", "message"),
    [
        (
            [ISSUED, Event("revocation", date(2023, 3, 1))],
            Event("renewal", date(2025, 10, 1)),
            "已吊销，不能再办理“延续申请”",
        ),
        ([ISSUED, Event("cancellation", date(2023, 3, 1))], Event("change", date(2024, 1, 1)), "已注销"),
        ([ISSUED], Event("renewal", date(2026, 2, 1)), "已于 2026-01-09 有效期届满，不能再申请延续"),
        ([ISSUED], Event("first_application", date(2022, 1, 1)), "“首次申请”应作为新的许可证登记"),
        ([ISSUED], Event("reapplication", date(2026, 3, 1)), "“重新申请”应作为新的许可证登记"),
        ([ISSUED], Event("change", date(2020, 1, 1)), "请按时间顺序登记"),
        ([], Event("change", date(2022, 1, 1)), "请先登记“首次申请”"),
        (
            [ISSUED, Event("renewal", date(2025, 10, 1))],
            Event("renewal_decision", date(2025, 11, 1), date(2025, 12, 31), granted=True),
            "延续后的有效期应晚于当前有效期",
        ),
        (
            [ISSUED],
            Event("renewal_decision", date(2025, 11, 1), date(2031, 1, 9), granted=True),
            "没有待决定的延续申请",
        ),
        (
            [ISSUED],
            Event("renewal", date(2025, 10, 1), date(2031, 1, 9)),
            "只有“延续决定”可以填写延续后有效期",
        ),
        ([ISSUED], Event("revocation", date(2026, 3, 1)), "已于 2026-01-09 到期，不能办理“吊销”"),
    ],
)
def test_r_per_1_impossible_events_are_refused_in_chinese(events, new, message):
    assert message in rules.event_error(events, UNTIL, new)


@pytest.mark.parametrize(
    "new",
    [
        Event("renewal", date(2025, 10, 1)),
        Event("change", date(2024, 5, 1)),
        Event("replacement", date(2024, 5, 1)),
        Event("cancellation", date(2026, 3, 1)),
        Event("revocation", date(2025, 3, 1)),
    ],
)
def test_r_per_1_possible_events_pass(new):
    assert rules.event_error([ISSUED], UNTIL, new) is None


def test_r_per_1_a_permit_may_start_with_a_reapplication():
    assert rules.event_error([], UNTIL, Event("reapplication", date(2021, 1, 10))) is None


@pytest.mark.parametrize(
    ("valid_until", "pending", "flag"),
    [
        (date(2026, 3, 1), False, None),  # 99 days ahead
        (date(2026, 2, 20), False, "warning"),  # 90 days
        (date(2026, 1, 22), False, "warning"),  # 61 days
        (date(2026, 1, 21), False, "red"),  # 60 days
        (date(2025, 11, 22), False, "red"),  # expires today
        (date(2025, 11, 21), False, None),  # already expired: a lead, not a warning
        (date(2026, 1, 1), True, None),  # renewal applied
    ],
)
def test_r_per_2_expiry_warning_90_days_red_within_60(valid_until, pending, flag):
    assert rules.expiry_flag(valid_until, date(2025, 11, 22), pending_renewal=pending) == flag


def test_r_per_2_renewal_is_due_60_days_before_expiry():
    assert rules.renewal_due_on(date(2026, 3, 1)) == date(2025, 12, 31)


def test_r_per_2_pending_renewal_is_a_renewal_without_decision():
    assert rules.renewal_pending([ISSUED, Event("renewal", date(2025, 10, 1))]) is True
    decided = Event("renewal_decision", date(2025, 11, 1), date(2031, 1, 9), granted=True)
    assert rules.renewal_pending([ISSUED, Event("renewal", date(2025, 10, 1)), decided]) is False


@pytest.mark.parametrize(
    ("section", "record", "keeps"),
    [
        ("approval", "permit", True),
        ("approval", "penalty", False),
        ("enforcement", "penalty", True),
        ("legal", "quality_check", False),
        ("town", "registration", False),
        (None, "permit", False),
    ],
)
def test_r_org_2_who_keeps_which_record(section, record, keeps):
    assert rules.may_keep(section, record) is keeps
    assert rules.may_keep(section, record, is_superuser=True) is True


# R-PER-1: 撤销 and 吊销, 延续 decisions and the gap of a late grant ------------------------------------

APPLIED = Event("renewal", date(2025, 10, 1))


def granted(on: date, until: date = date(2031, 1, 9)) -> Event:
    return Event("renewal_decision", on, until, granted=True, previous_valid_until=UNTIL)


def test_r_per_1_withdrawal_and_revocation_are_distinct_states():
    withdrawn = [ISSUED, Event("withdrawal", date(2024, 3, 1))]
    revoked = [ISSUED, Event("revocation", date(2024, 3, 1))]
    assert rules.permit_state(withdrawn, UNTIL, date(2024, 3, 1)) == "withdrawn"
    assert rules.permit_state(revoked, UNTIL, date(2024, 3, 1)) == "revoked"
    assert (rules.STATE_LABELS["withdrawn"], rules.STATE_LABELS["revoked"]) == ("已撤销", "已吊销")


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (date(2026, 1, 9), "valid"),  # the last day of the issued validity
        (date(2026, 1, 10), "expired"),  # the gap: expired, application undecided
        (date(2026, 2, 28), "expired"),  # the day before the late grant
        (date(2026, 3, 1), "valid"),  # the grant's date
        (date(2031, 1, 9), "valid"),
        (date(2031, 1, 10), "expired"),
    ],
)
def test_r_per_1_a_renewal_granted_after_expiry_leaves_the_gap_unlicensed(today, state):
    events = [ISSUED, APPLIED, granted(date(2026, 3, 1))]
    # valid_until is the current end, moved by the grant
    assert rules.permit_state(events, date(2031, 1, 9), today) == state


def test_r_per_1_a_late_grant_shows_its_gap_in_the_lapses_and_the_facilitys_unlicensed_periods():
    events = [ISSUED, APPLIED, granted(date(2026, 3, 1))]
    assert rules.lapses(events, date(2031, 1, 9), date(2026, 6, 1)) == [
        (date(2026, 1, 10), date(2026, 2, 28))
    ]
    assert rules.uncovered_periods([(date(2021, 1, 10), events, date(2031, 1, 9))], date(2026, 6, 1)) == [
        (date(2026, 1, 10), date(2026, 2, 28))
    ]


def test_r_per_1_a_grant_in_time_leaves_no_gap():
    events = [ISSUED, APPLIED, granted(date(2025, 12, 1))]
    assert rules.permit_state(events, date(2031, 1, 9), date(2026, 1, 10)) == "valid"
    assert rules.lapses(events, date(2031, 1, 9), date(2027, 1, 1)) == []
    assert rules.uncovered_periods([(date(2021, 1, 10), events, date(2031, 1, 9))], date(2027, 1, 1)) == []


def test_r_per_1_a_facility_is_covered_by_its_newer_permit_until_it_lapses():
    old = (date(2021, 1, 10), [ISSUED], UNTIL)
    newer = (
        date(2026, 2, 1),
        [Event("first_application", date(2026, 2, 1)), Event("revocation", date(2026, 5, 1))],
        date(2031, 1, 31),
    )
    assert rules.uncovered_periods([old, newer], date(2026, 6, 1)) == [
        (date(2026, 1, 10), date(2026, 1, 31)),
        (date(2026, 5, 1), None),
    ]


def test_r_per_1_a_decision_is_its_own_event_granted_or_refused():
    pending = [ISSUED, APPLIED]
    refused = Event("renewal_decision", date(2025, 11, 1), granted=False)
    assert rules.event_error(pending, UNTIL, refused) is None
    assert rules.event_error(pending, UNTIL, granted(date(2025, 11, 1))) is None
    assert "请选择延续决定" in rules.event_error(pending, UNTIL, Event("renewal_decision", date(2025, 11, 1)))
    assert "准予延续的，请填写延续后有效期至" in rules.event_error(
        pending, UNTIL, Event("renewal_decision", date(2025, 11, 1), granted=True)
    )
    # a decision may come after expiry (its gap stays unlicensed); a second application may not
    assert rules.event_error(pending, UNTIL, granted(date(2026, 3, 1))) is None
    assert "已有延续申请待决定" in rules.event_error(pending, UNTIL, Event("renewal", date(2025, 10, 2)))
    assert rules.renewal_pending([*pending, refused]) is False


def test_r_per_2_the_message_after_expiry_cites_article_14_and_does_not_say_reapply():
    message = rules.event_error([ISSUED], UNTIL, Event("renewal", date(2026, 2, 1)))
    assert "第十四条" in message and "届满 60 日前" in message
    assert "应重新申请" not in message


@pytest.mark.parametrize(
    ("events", "today", "case", "lapsed_on"),
    [
        ([ISSUED], date(2026, 1, 10), "expired", UNTIL),
        ([ISSUED, APPLIED], date(2026, 1, 10), "renewal_undecided", UNTIL),
        (
            [ISSUED, APPLIED, Event("renewal_decision", date(2025, 12, 1), granted=False)],
            date(2026, 1, 10),
            "renewal_refused",
            UNTIL,
        ),
        ([ISSUED, Event("cancellation", date(2024, 3, 1))], date(2024, 3, 1), "cancelled", date(2024, 3, 1)),
        ([ISSUED, Event("withdrawal", date(2024, 3, 1))], date(2025, 3, 1), "withdrawn", date(2024, 3, 1)),
        ([ISSUED, Event("revocation", date(2024, 3, 1))], date(2025, 3, 1), "revoked", date(2024, 3, 1)),
    ],
)
def test_r_per_2_each_case_of_004_3_1_is_a_lapse(events, today, case, lapsed_on):
    assert rules.lapse(events, UNTIL, today) == rules.Lapse(case, lapsed_on)


@pytest.mark.parametrize(
    ("events", "case"),
    [
        ([ISSUED, Event("cancellation", date(2026, 2, 1))], "expired"),
        ([ISSUED, APPLIED, Event("cancellation", date(2026, 2, 1))], "renewal_undecided"),
        (
            [
                ISSUED,
                APPLIED,
                Event("renewal_decision", date(2025, 12, 1), granted=False),
                Event("revocation", date(2026, 2, 1)),
            ],
            "renewal_refused",
        ),
    ],
)
def test_r_per_2_an_ending_event_after_expiry_keeps_the_first_case_and_the_end_of_validity(events, case):
    # 注销/吊销 of a permit that had already stopped covering its holder starts no second gap.
    assert rules.lapse(events, UNTIL, date(2026, 3, 1)) == rules.Lapse(case, UNTIL)


@pytest.mark.parametrize(
    ("events", "today"),
    [
        ([ISSUED], UNTIL),
        ([ISSUED, APPLIED], UNTIL),  # pending but not yet expired
        ([ISSUED, APPLIED, granted(date(2025, 12, 1))], date(2026, 6, 1)),
    ],
)
def test_r_per_2_no_lapse_while_the_permit_covers(events, today):
    valid_until = max([UNTIL] + [e.new_valid_until for e in events if e.new_valid_until])
    assert rules.lapse(events, valid_until, today) is None


# R-FAC-1: sites and source codes ------------------------------------------------------------------


def _valid_unit() -> str:
    first17 = "91330100MA2B3C4D5"
    return first17 + rules.credit_code_check_character(first17)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"source_code": "{u}002"}, ("{u}", "002")),
        ({"source_code": " {u}002 ".lower()}, ("{u}", "002")),
        ({"credit_code": "{u}", "site_number": "2"}, ("{u}", "002")),
        ({"credit_code": "{u}", "site_number": "002"}, ("{u}", "002")),
        ({"permit_number": "{u}003V"}, ("{u}", "003")),
        ({"credit_code": "{u}", "permit_number": "{u}003V"}, ("{u}", "003")),
        ({"credit_code": "{u}"}, ("{u}", "")),
        # a permit number of another unit does not move the site of the credit code given
        ({"credit_code": "{u}", "permit_number": "P-001"}, ("{u}", "")),
    ],
)
def test_r_fac_1_the_three_ways_of_naming_a_site(given, expected):
    unit = _valid_unit()
    ref = rules.site_reference(**{k: v.replace("{u}", unit).replace("{U}", unit) for k, v in given.items()})
    assert ref.error is None
    assert (ref.credit_code, ref.site_number) == tuple(e.replace("{u}", unit) for e in expected)


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        ({}, "credit_code", "请填写污染源编码，或统一社会信用代码（及污染源序号）。"),
        ({"source_code": "{u}0002"}, "source_code", "污染源编码应为 21 位"),
        ({"source_code": "{u}000"}, "source_code", "污染源序号“000”应为三位数字"),
        ({"source_code": "{u}001", "site_number": "002"}, "source_code", "与污染源序号“002”不一致"),
        ({"credit_code": "{u}", "site_number": "1A"}, "site_number", "污染源序号“1A”应为三位数字"),
        ({"site_number": "001"}, "credit_code", "填写污染源序号时，须同时填写统一社会信用代码。"),
        ({"credit_code": "91330100MA2B3C4D5I"}, "credit_code", "不是允许的字符"),
    ],
)
def test_r_fac_1_a_site_reference_names_what_is_wrong(given, field, message):
    ref = rules.site_reference(**{k: v.replace("{u}", _valid_unit()) for k, v in given.items()})
    assert (ref.error_field, message in (ref.error or "")) == (field, True)


def _other_unit() -> str:
    first17 = "91330100MA2B3C4D6"
    return first17 + rules.credit_code_check_character(first17)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"credit_code": "{u}", "permit_number": "{o}001V"}, "许可证编号“{o}001V”的前 18 位（{o}）与统一社会信用代码“{u}”不一致。"),
        (
            {"credit_code": "{u}", "site_number": "002", "permit_number": "{u}001V"},
            "许可证编号“{u}001V”的污染源序号（001）与污染源序号“002”不一致。",
        ),
        (
            {"source_code": "{u}002", "permit_number": "{o}002V"},
            "许可证编号“{o}002V”的前 21 位（{o}002）与排污单位的污染源编码“{u}002”不一致。",
        ),
    ],
)
def test_r_fac_1_a_platform_permit_number_naming_another_site_is_refused_naming_both(given, message):
    def fill(text: str) -> str:
        return text.replace("{u}", _valid_unit()).replace("{o}", _other_unit())

    ref = rules.site_reference(**{k: fill(v) for k, v in given.items()})
    assert (ref.error_field, ref.error) == ("permit_number", fill(message))


@pytest.mark.parametrize("number", ["P-001", "沪环许〔2024〕12号", "91330100MA2B3C4D5X001V"])
def test_r_fac_1_a_free_form_local_permit_number_names_no_site_and_is_never_refused(number):
    unit = _valid_unit()
    ref = rules.site_reference(credit_code=unit, site_number="002", permit_number=number)
    assert (ref.error, ref.source_code) == (None, f"{unit}002")
    assert rules.permit_number_mismatch_error(number, f"{unit}002") is None


def test_r_fac_1_a_platform_permit_number_must_start_with_its_facilitys_source_code():
    unit, other = _valid_unit(), _other_unit()
    assert rules.permit_number_mismatch_error(f" {unit.lower()}001V", f"{unit}001") is None
    assert rules.permit_number_mismatch_error(f"{other}001V", f"{unit}001") == (
        f"许可证编号“{other}001V”的前 21 位（{other}001）与排污单位的污染源编码“{unit}001”不一致。"
    )


def test_r_fac_3_a_registration_beside_a_permit_level_names_both_levels():
    assert rules.level_mismatch_error("registered", "registered") is None
    assert rules.level_mismatch_error("registered", "key") == (
        "排污登记管理类别（登记管理）与排污单位管理类别（重点管理）不一致。"
    )
    assert rules.level_mismatch_error("registered", "simplified") == (
        "排污登记管理类别（登记管理）与排污单位管理类别（简化管理）不一致。"
    )


def test_r_fac_1_the_source_code_is_the_permit_number_prefix():
    unit = _valid_unit()
    assert rules.source_code(unit, "001") == f"{unit}001"
    assert rules.source_code_error(f"{unit}001") is None
    assert rules.normalise_site_number(7) == "007" and rules.normalise_site_number(" 12 ") == "012"


# R-FAC-2: industry codes and the key-industry table -------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code"),
    [("C2641", "2641"), ("c 2641", "2641"), ("C2641 涂料制造", "2641"), ("2641", "2641"), (" 44 ", "44"),
     ("D4411", "4411"), ("C2641：涂料制造", "2641"), (2641, "2641")],
)  # fmt: skip
def test_r_fac_2_industry_codes_with_the_section_letter_are_normalised(raw, code):
    assert rules.normalise_industry_code(raw) == code
    assert rules.industry_code_error(code) is None


@pytest.mark.parametrize("raw", ["26A", "C26411", "涂料", "X"])
def test_r_fac_2_what_is_no_industry_code_is_named(raw):
    assert "应为 2–4 位数字" in rules.industry_code_error(rules.normalise_industry_code(raw))


def test_r_fac_2_the_key_industries_of_design():
    table = {code: name for code, name, _ in rules.KEY_INDUSTRIES}
    assert table["441"] == "电力生产" and table["221"] == "纸浆制造" and table["222"] == "造纸"
    assert rules.key_industry_code("2211", table) == "221"
    assert rules.key_industry_code("2221", table) == "222"
    assert rules.key_industry_code("4411", table) == "441"
    assert rules.key_industry_code("4430", table) is None


# R-FAC-3: management levels agree ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("permit", "facility", "message"),
    [
        ("simplified", "key", "许可证管理类别（简化管理）与排污单位管理类别（重点管理）不一致。"),
        ("key", "simplified", "许可证管理类别（重点管理）与排污单位管理类别（简化管理）不一致。"),
        ("key", "registered", "许可证管理类别（重点管理）与排污单位管理类别（登记管理）不一致。"),
        ("key", "key", None),
        ("simplified", "simplified", None),
    ],
)
def test_r_fac_3_a_permit_and_its_facility_agree_on_the_level(permit, facility, message):
    assert rules.level_mismatch_error(permit, facility) == message
    assert rules.level_mismatch_errors(permit, facility) == ({"management_level": message} if message else {})


@pytest.mark.parametrize(
    ("site_number", "unit_sites", "expected"),
    [
        ("002", [], "002"),  # a given number is that site, known or not
        ("003", ["001", "002"], "003"),
        ("", [], "001"),  # a unit not yet known: its first site
        ("", ["002"], "002"),  # a unit with one site: that site, whatever its number
        ("", ["001", "002"], None),  # several: the data must say which
    ],
)
def test_r_fac_1_one_rule_says_which_site_a_credit_code_alone_means(site_number, unit_sites, expected):
    assert rules.unit_site_number(site_number, unit_sites) == expected


def test_r_fac_1_several_sites_error_lists_them():
    assert rules.several_sites_error("X", ["002", "001"]) == (
        "单位 X 有 2 个污染源（序号 001、002），请填写污染源序号或污染源编码。"
    )


@pytest.mark.parametrize(
    ("unit_sites", "expected"), [([], "001"), (["001"], "002"), (["001", "003"], "002"), (["002"], "001")]
)
def test_r_fac_1_a_further_site_takes_the_lowest_free_number(unit_sites, expected):
    assert rules.next_site_number(unit_sites) == expected
