"""R-CAL-1 (003 第十八条): the work calendar. The table overrides chinese-calendar; a year is confirmed or
not; a year not confirmed never blocks work: its deadlines count weekends alone, are shown as 暂定 and
are counted again when the administrator confirms the year; until then the administrator, and from
1 December every section head, is reminded."""

import io
import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from bureau import calendar, services
from bureau.errors import Conflict
from bureau.models import CalendarDay, CalendarYear, SectionCode, TodoItem
from bureau.todo import todos_for
from linkage import slips
from linkage.models import LinkageTask
from linkage.queries import task_for_user
from permits.models import RectificationItem, RectificationSource
from permits.services import rectification
from tests.factories.linkage import LinkageTaskFactory
from tests.factories.permits import FacilityFactory

pytestmark = pytest.mark.django_db

CHRISTMAS_EVE = date(2026, 12, 24)

NOTICE = "国务院办公厅关于 2027 年部分节假日安排的通知"


# The table and chinese-calendar ---------------------------------------------------------------------


def test_r_cal_1_table_overrides_the_package(administrator):
    # given: a day the package calls a working day is declared a rest day by the administrator
    services.set_calendar_day(day=date(2025, 10, 9), is_workday=False, note="临时休息", by=administrator)
    # when / then
    assert calendar.add_workdays(date(2025, 9, 30), 5) == date(2025, 10, 15)
    assert calendar.count_workdays(date(2025, 9, 30), date(2025, 10, 15)) == 5
    # and the year stays confirmed: it was published, the package knew it
    assert calendar.is_confirmed(2025)


def test_r_cal_1_seeding_is_idempotent_and_keeps_manual_edits(administrator):
    services.set_calendar_day(day=date(2025, 10, 9), is_workday=False, note="临时休息", by=administrator)
    assert CalendarDay.objects.filter(date__year=2025).count() == 365
    assert services.seed_calendar_year(year=2025) == 0
    kept = CalendarDay.objects.get(date=date(2025, 10, 9))
    assert (kept.is_workday, kept.note) == (False, "临时休息")
    assert CalendarDay.objects.get(date=date(2025, 10, 11)).note == "调休上班（国庆节）"


def test_r_cal_1_seeding_a_year_the_package_does_not_know_names_it():
    with pytest.raises(calendar.CalendarYearUnknown, match="2030 年"):
        services.seed_calendar_year(year=2030)


def test_r_cal_1_calendar_change_keeps_history(administrator):
    services.seed_calendar_year(year=2025)
    services.set_calendar_day(day=date(2025, 10, 9), is_workday=False, note="临时休息", by=administrator)
    row = CalendarDay.objects.get(date=date(2025, 10, 9))
    latest, previous = row.history.all()[:2]
    assert (latest.history_user, latest.is_workday) == (administrator, False)
    assert previous.is_workday is True


def test_r_cal_1_only_the_administrator_edits_the_calendar(approval_head):
    with pytest.raises(PermissionDenied):
        services.set_calendar_day(day=date(2027, 1, 1), is_workday=False, by=approval_head)
    with pytest.raises(PermissionDenied):
        services.confirm_calendar_year(year=2027, by=approval_head, source=NOTICE)


def test_r_cal_1_one_query_per_year_touched(django_assert_num_queries):
    # Expect 2 queries: the table rows of 2025 with the year's confirmation, then those of 2026.
    with django_assert_num_queries(2):
        work_calendar = calendar.WorkCalendar()
        assert work_calendar.deadline(date(2025, 12, 30), 3) == calendar.WorkdayDate(date(2026, 1, 5), False)


# A year not confirmed --------------------------------------------------------------------------------


def test_r_cal_1_a_deadline_crossing_into_an_unconfirmed_year_counts_weekends_and_is_provisional():
    # 2026 is published (chinese-calendar knows it); 2027 is not yet, so 1 January 2027 counts as a
    # working day for now: 25, 28–31 December, 1, 4–7 January.
    deadline = calendar.deadline(CHRISTMAS_EVE, 10)
    assert deadline == calendar.WorkdayDate(date(2027, 1, 7), is_provisional=True)
    # a deadline within 2026 is not provisional
    assert calendar.deadline(date(2026, 11, 30), 5) == calendar.WorkdayDate(date(2026, 12, 7), False)
    # and nothing raises any more for a year nobody knows
    assert calendar.count_workdays(date(2027, 1, 1), date(2027, 1, 8)) == 5


def test_r_cal_1_a_draft_year_is_not_confirmed(administrator):
    # given: the administrator has drafted 2027 and marked New Year's Day, but not confirmed
    assert services.draft_calendar_year(year=2027, by=administrator) == 365
    services.set_calendar_day(day=date(2027, 1, 1), is_workday=False, note="元旦", by=administrator)
    # then: the draft does not count
    assert CalendarYear.objects.get(year=2027).get_status_display() == "草稿"
    assert not calendar.is_confirmed(2027)
    assert calendar.deadline(CHRISTMAS_EVE, 10) == calendar.WorkdayDate(date(2027, 1, 7), True)
    # when: confirmed, the holiday counts and the deadline is no longer provisional
    services.confirm_calendar_year(year=2027, by=administrator, source="国办发明电〔2026〕X号")
    assert calendar.deadline(CHRISTMAS_EVE, 10) == calendar.WorkdayDate(date(2027, 1, 8), False)
    confirmed = CalendarYear.objects.get(year=2027)
    assert (confirmed.confirmed_by, confirmed.source) == (administrator, "国办发明电〔2026〕X号")
    assert confirmed.history.first().history_change_reason.startswith("确认 2027 年工作日历")


def test_r_cal_1_a_year_is_confirmed_whole_and_once(administrator):
    services.set_calendar_day(day=date(2027, 1, 1), is_workday=False, note="元旦", by=administrator)
    with pytest.raises(ValidationError, match="还缺 364 天"):
        services.confirm_calendar_year(year=2027, by=administrator, source=NOTICE)
    services.draft_calendar_year(year=2027, by=administrator)
    services.confirm_calendar_year(year=2027, by=administrator, source=NOTICE)
    with pytest.raises(Conflict, match="已于"):
        services.confirm_calendar_year(year=2027, by=administrator, source=NOTICE)


def test_r_cal_1_a_published_year_is_not_drafted_on_weekends(administrator):
    with pytest.raises(ValidationError, match="chinese-calendar 已收录 2026 年"):
        services.draft_calendar_year(year=2026, by=administrator)


# Stored deadlines and their recomputation ---------------------------------------------------------


def open_item(facility, found_on, *, by=None):
    return rectification.open_rectification_item(
        by=by,
        facility=facility,
        source_kind=RectificationSource.INSPECTION,
        source_key="inspections.finding:1",
        source_label="JC-2026-100 第 1 项",
        category="unlicensed_discharge",
        category_label="无证排污",
        description="废气处理设施未运行即生产",
        found_on=found_on,
        deadline_workdays=10,
        responsible_person="王厂长",
    )


@pytest.mark.today(CHRISTMAS_EVE)
def test_r_cal_1_confirming_recomputes_open_items_and_leaves_closed_ones_alone(
    administrator, approval_clerk, personas, heads
):
    # given: a task and two ledger items whose deadlines run into 2027, and one of 2026 alone
    facility = FacilityFactory()
    task = LinkageTaskFactory(deadline_workdays=10)
    still_open = open_item(facility, CHRISTMAS_EVE)
    closed = open_item(facility, CHRISTMAS_EVE)
    within_2026 = open_item(facility, date(2026, 12, 1))
    rectification.close_rectification(
        by=approval_clerk, item=closed, closed_on=CHRISTMAS_EVE, evidence="已整改，附照片"
    )
    assert (task.deadline_on, task.deadline_provisional) == (date(2027, 1, 7), True)
    assert (still_open.deadline_on, still_open.deadline_provisional) == (date(2027, 1, 7), True)
    assert not within_2026.deadline_provisional
    # when: 2027 is entered with New Year's Day and confirmed
    services.draft_calendar_year(year=2027, by=administrator)
    services.set_calendar_day(day=date(2027, 1, 1), is_workday=False, note="元旦", by=administrator)
    done = services.confirm_calendar_year(year=2027, by=administrator, source=NOTICE)
    # then: the open ones move to 8 January and are no longer provisional, with the reason in history
    assert done.recomputed == {"三监联动任务": 1, "整改问题": 1, "执行报告截止日期": 0, "反馈意见单整改期限": 0}
    task = LinkageTask.objects.get(pk=task.pk)
    still_open = RectificationItem.objects.get(pk=still_open.pk)
    for record in (task, still_open):
        assert (record.deadline_on, record.deadline_provisional) == (date(2027, 1, 8), False)
        latest = record.history.first()
        assert latest.history_user == administrator
        assert latest.history_change_reason == (
            "2027 年工作日历已确认，期限按确认的日历重算：2027-01-07 → 2027-01-08"
        )
    # and the closed one keeps the deadline it was closed against
    closed = RectificationItem.objects.get(pk=closed.pk)
    assert (closed.deadline_on, closed.deadline_provisional) == (date(2027, 1, 7), True)
    assert RectificationItem.objects.get(pk=within_2026.pk).history.count() == 1


# Shown as 暂定 -------------------------------------------------------------------------------------


@pytest.mark.today(CHRISTMAS_EVE)
def test_r_cal_1_task_page_api_and_slip_show_provisional(client, api_client, approval_clerk):
    task = LinkageTaskFactory(deadline_workdays=10)
    firm = LinkageTaskFactory(deadline_workdays=2)
    # the page: a badge with its explanation, on the provisional task only
    client.force_login(approval_clerk)
    page = client.get(reverse("linkage:task-detail", args=[task.pk])).content.decode()
    assert re.search(r"2027-01-07\s*<span[^>]*data-provisional[^>]*title=\"工作日历尚未确认", page)
    firm_page = client.get(reverse("linkage:task-detail", args=[firm.pk])).content.decode()
    assert "data-provisional" not in firm_page
    listing = client.get(reverse("linkage:task-list"), {"tab": "all"}).content.decode()
    assert listing.count("data-provisional") == 1
    # the API: a boolean next to the deadline
    api_client.force_authenticate(approval_clerk)
    rows = {row["id"]: row for row in api_client.get("/api/v1/linkage/tasks/").json()["results"]}
    assert (rows[task.pk]["deadline_on"], rows[task.pk]["deadline_provisional"]) == ("2027-01-07", True)
    assert rows[firm.pk]["deadline_provisional"] is False
    # the printed slip
    pdf = slips.render_task_slip(task_for_user(approval_clerk, task.pk))
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    assert "至2027-01-07）（暂定：工作日历尚未确认，暂按双休日推算）" in text


@pytest.mark.today(CHRISTMAS_EVE)
def test_r_cal_1_the_home_to_do_marks_a_provisional_deadline(client, officer):
    # given: a task waiting for 执法大队, due in 2027 (not confirmed), and one due within 2026
    task = LinkageTaskFactory(deadline_workdays=10)
    firm = LinkageTaskFactory(deadline_workdays=2)
    # when: 执法大队 opens its home page
    client.force_login(officer)
    page = client.get(reverse("home")).content.decode()
    # then: the 2027 deadline carries the 暂定 badge, the 2026 one does not
    assert re.search(r"期限 2027-01-07\s*<span[^>]*data-provisional", page), task.number
    assert f"期限 {firm.deadline_on:%Y-%m-%d}" in page
    assert page.count("data-provisional") == 1


@pytest.mark.today(CHRISTMAS_EVE)
def test_r_cal_1_ledger_page_and_api_show_provisional(client, api_client, approval_clerk):
    item = open_item(FacilityFactory(), CHRISTMAS_EVE)
    client.force_login(approval_clerk)
    page = client.get(reverse("permits:ledger")).content.decode()
    assert "data-provisional" in page and "暂定" in page
    api_client.force_authenticate(approval_clerk)
    row = api_client.get(f"/api/v1/rectifications/{item.pk}/").json()
    assert (row["deadline_on"], row["deadline_provisional"]) == ("2027-01-07", True)


def test_r_cal_1_calculator_page_marks_provisional(client, approval_clerk):
    client.force_login(approval_clerk)
    page = client.get("/calendar/", {"start": "2025-09-30", "days": "5"}).content.decode()
    assert "2025年10月14日" in page and "data-provisional" not in page
    page = client.get(
        "/calendar/", {"start": "2026-12-24", "days": "10", "month": "2027-01"}
    ).content.decode()
    assert "2027年1月7日" in page and "data-provisional" in page
    assert "2027 年工作日历尚未确认" in page


# The reminder ------------------------------------------------------------------------------------


def calendar_todos(user, today):
    return [item.title for item in todos_for(user, today=today) if item.key.startswith("calendar-confirm-")]


def test_r_cal_1_reminder_for_the_administrator_before_december_and_heads_from_december(
    administrator, approval_head, approval_clerk, enforcement_head
):
    # before 1 December: the administrator only
    assert services.check_calendar_coverage(today=date(2026, 11, 30)) == {2026: "confirmed", 2027: "missing"}
    assert calendar_todos(administrator, date(2026, 11, 30)) == ["确认 2027 年工作日历"]
    assert calendar_todos(approval_head, date(2026, 11, 30)) == []
    # from 1 December: the head of each of the six departments too, not the clerks; running twice adds
    # nothing (one item for the administrators, one per department)
    for _ in range(2):
        services.check_calendar_coverage(today=date(2026, 12, 1))
    assert calendar_todos(approval_head, date(2026, 12, 1)) == ["确认 2027 年工作日历"]
    assert calendar_todos(enforcement_head, date(2026, 12, 1)) == ["确认 2027 年工作日历"]
    assert calendar_todos(approval_clerk, date(2026, 12, 1)) == []
    # the head's item opens the month view, which says why deadlines are 暂定; the administrator's the year page
    head_item = TodoItem.objects.get(key=f"calendar-confirm-2027:{SectionCode.APPROVAL}")
    assert head_item.url == "/calendar/?month=2027-01"
    assert TodoItem.objects.filter(key__startswith="calendar-confirm-2027", done_at__isnull=True).count() == 7


def test_r_cal_1_reminder_disappears_on_confirm(administrator, approval_head):
    services.check_calendar_coverage(today=date(2026, 12, 1))
    services.draft_calendar_year(year=2027, by=administrator)
    # a draft is not enough
    assert services.check_calendar_coverage(today=date(2026, 12, 2)) == {2026: "confirmed", 2027: "draft"}
    assert calendar_todos(approval_head, date(2026, 12, 2)) == ["确认 2027 年工作日历"]
    services.confirm_calendar_year(year=2027, by=administrator, source=NOTICE)
    assert calendar_todos(administrator, date(2026, 12, 2)) == []
    assert calendar_todos(approval_head, date(2026, 12, 2)) == []
    assert services.check_calendar_coverage(today=date(2026, 12, 3)) == {2026: "confirmed", 2027: "confirmed"}
    assert calendar_todos(administrator, date(2026, 12, 3)) == []


def test_r_cal_1_this_year_unconfirmed_is_urgent_for_everyone(approval_head):
    services.check_calendar_coverage(today=date(2027, 3, 1))
    item = TodoItem.objects.get(key=f"calendar-confirm-2027:{SectionCode.APPROVAL}")
    assert item.is_urgent and item.title == "确认 2027 年工作日历"


# The administrator's year page -------------------------------------------------------------------


def test_r_cal_1_administrator_drafts_enters_holidays_and_confirms_in_the_browser(client, administrator):
    client.force_login(administrator)
    url = reverse("calendar-year", args=[2027])
    page = client.get(url).content.decode()
    assert "未录入" in page and "按双休日生成 2027 年草稿" in page
    # fill from weekends
    response = client.post(url, {"action": "fill"}, follow=True)
    assert "已按周末生成 2027 年 365 天草稿" in response.content.decode()
    # the Spring Festival holiday as a run of days, and a 调休 Sunday
    client.post(
        url,
        {"action": "days", "first": "2027-02-08", "last": "2027-02-12", "is_workday": "0", "note": "春节"},
    )
    client.post(url, {"action": "days", "first": "2027-02-07", "is_workday": "1", "note": "调休上班（春节）"})
    assert (
        CalendarDay.objects.filter(
            date__range=(date(2027, 2, 8), date(2027, 2, 12)), is_workday=False
        ).count()
        == 5
    )
    assert CalendarDay.objects.get(date=date(2027, 2, 7)).is_workday
    # a date of another year is refused in Chinese
    refused = client.post(url, {"action": "days", "first": "2028-01-03", "is_workday": "0"})
    assert refused.status_code == 400 and "只能录入 2027 年的日期" in refused.content.decode()
    # confirm
    response = client.post(url, {"action": "confirm", "source": "国办发明电〔2026〕X号"}, follow=True)
    assert "已确认 2027 年工作日历" in response.content.decode()
    assert calendar.is_confirmed(2027)


def test_r_cal_1_administrator_loads_a_published_year(client, administrator):
    client.force_login(administrator)
    url = reverse("calendar-year", args=[2026])
    response = client.post(url, {"action": "fill"}, follow=True)
    assert "已从 chinese-calendar 载入 2026 年 365 天" in response.content.decode()
    assert calendar.is_confirmed(2026)


def test_r_cal_1_year_page_is_for_the_administrator(client, approval_head):
    client.force_login(approval_head)
    assert client.get(reverse("calendar-year", args=[2027])).status_code == 403


# The upgrade ---------------------------------------------------------------------------------------


def test_r_cal_1_upgrade_confirms_published_and_whole_years_and_drafts_the_rest():
    # given: the table before confirmation existed: 2025 partly entered (a published year), 2027 whole
    # and checked by hand, 2028 a weekend draft still marked 待核对
    from importlib import import_module

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from bureau.calendar import year_days

    # the models as the migration sees them (no history signals: the migration writes history itself)
    apps = MigrationLoader(connection).project_state(("bureau", "0005_calendar_year")).apps

    migration = import_module("bureau.migrations.0005_calendar_year")
    rows = [CalendarDay(date=date(2025, 10, 9), is_workday=False, note="临时休息")]
    rows += [CalendarDay(date=d, is_workday=d.weekday() < 5, note="") for d in year_days(2027)]
    rows += [CalendarDay(date=d, is_workday=d.weekday() < 5, note="待核对") for d in year_days(2028)]
    CalendarDay.objects.bulk_create(rows)
    # when
    migration.years_of_the_table(apps, None)
    # then
    status = dict(CalendarYear.objects.values_list("year", "status"))
    assert status == {2025: "confirmed", 2027: "confirmed", 2028: "draft"}
    assert CalendarYear.objects.get(year=2028).history.get().history_change_reason.startswith("升级")
    assert calendar.add_workdays(date(2025, 9, 30), 5) == date(2025, 10, 15)


def test_r_cal_1_a_year_is_confirmed_only_on_the_notice_it_rests_on(administrator):
    services.draft_calendar_year(year=2027, by=administrator)
    with pytest.raises(ValidationError) as refused:
        services.confirm_calendar_year(year=2027, by=administrator, source="  ")
    assert "请填写确认依据" in str(refused.value)
    assert not CalendarYear.objects.get(year=2027).is_confirmed
