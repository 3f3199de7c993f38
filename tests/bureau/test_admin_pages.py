"""The administrator's screens open for every model registered in the admin: the list, the add page
(where adding is allowed), one object's page and its history (simple-history's 历史) answer 200 for a
superuser, never 500. The fixture makes one record of every registered model."""

from datetime import date, timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from bureau.models import CalendarDay, CalendarYear, Section, SectionCode, TodoItem
from grading.models import (
    AnnualGrading,
    CreditRecord,
    Duty,
    FacilityGrade,
    GradeOverride,
    GradingFact,
    PositiveListEntry,
    PositiveListProposal,
    WorkGroupPost,
)
from meetings.models import AnnualMeeting, AnnualMeetingAttendance, DispatchMeeting, StudySession
from monitoring.models import MonitoringPlan, MonitoringTask
from permits.models import KeyIndustry, PenaltyRecord, UnlicensedDischargeLead
from tests.factories.linkage import LinkageTaskFactory
from tests.factories.permits import build_rich_facility

pytestmark = pytest.mark.django_db

@pytest.fixture
def records(administrator, approval_clerk, town_a, work_calendar):
    """One record of every registered model, made as simply as each allows."""
    facility = build_rich_facility(town=town_a, by=approval_clerk, n=901)
    permit = facility.permits.first()
    section = Section.objects.get(code=SectionCode.APPROVAL)
    today, by = timezone.localdate(), approval_clerk
    Group.objects.create(name="测试组")
    # third-party: schedules and a periodic task, lock-out records, second-factor devices
    interval = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.DAYS)
    PeriodicTask.objects.create(name="测试任务", task="bureau.tasks.noop", interval=interval)
    ClockedSchedule.objects.create(clocked_time=timezone.now())
    CrontabSchedule.objects.create(minute="0", hour="2")
    SolarSchedule.objects.create(event="sunrise", latitude=31.2, longitude=121.4)
    who = {"username": "someone", "ip_address": "10.0.0.1", "user_agent": "测试", "path_info": "/login/"}
    AccessAttempt.objects.create(**who, http_accept="*/*", get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**who, http_accept="*/*")
    AccessFailureLog.objects.create(**who, http_accept="*/*", locked_out=False)
    TOTPDevice.objects.create(user=by, name="手机")  # not the administrator: a device asks him for it
    StaticDevice.objects.create(user=by, name="备用码")
    # bureau
    CalendarYear.objects.get_or_create(year=today.year)
    CalendarDay.objects.get_or_create(date=today, defaults={"is_workday": True})
    TodoItem.objects.create(key="admin-test", title="测试待办", user=administrator)
    # permits
    KeyIndustry.objects.get_or_create(code="9999", defaults={"name": "测试行业"})
    PenaltyRecord.objects.create(
        facility=facility, decision_no="测罚〔2026〕1号", decided_on=today, violation="超标排放", recorded_by=by
    )
    UnlicensedDischargeLead.objects.create(
        facility=facility, permit=permit, expired_on=today - timedelta(days=30), detected_on=today
    )
    # linkage, monitoring
    LinkageTaskFactory()
    MonitoringPlan.objects.create(year=today.year)
    MonitoringTask.objects.create(
        number="JCRW-0001", year=today.year, sequence=1, facility=facility, kind="enforcement", basis="key_all"
    )
    # grading
    WorkGroupPost.objects.create(duty=Duty.MEMBER, section=section, title="业务人员")
    grading = AnnualGrading.objects.create(year=2025)
    grade = FacilityGrade.objects.create(grading=grading, facility=facility, rule_grade="qualified", grade="qualified")
    GradeOverride.objects.create(
        facility_grade=grade, from_grade="qualified", to_grade="excellent", reason="测试", post="组长", by=by
    )
    GradingFact.objects.create(
        facility=facility, kind="u2", occurred_on=date(2025, 5, 1), description="测试", evidence="测试",
        section=section, recorded_by=by,
    )
    PositiveListEntry.objects.create(facility=facility, listed_on=today, reason="测试", source="manual", listed_by=by)
    PositiveListProposal.objects.create(facility=facility, kind="add", grading=grading, reason="测试")
    CreditRecord.objects.create(facility=facility, rated_on=today, level="good", source="测试", recorded_by=by)
    # meetings
    DispatchMeeting.objects.create(kind="extra", year=today.year, scheduled_on=today, convener=section)
    StudySession.objects.create(held_on=today, host=section, topic="测试")
    meeting = AnnualMeeting.objects.create(
        year=2026, graded_year=2025, grading=grading, scheduled_on=today, location="局会议室", created_by=by
    )
    AnnualMeetingAttendance.objects.create(meeting=meeting, facility=facility, facility_grade=grade)


def test_every_admin_page_opens(rf, client, administrator, records):
    administrator.is_superuser = administrator.is_staff = True
    administrator.save()
    client.force_login(administrator)
    request = rf.get("/")
    request.user = administrator
    failures, checked = [], set()

    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        name = f"admin:{meta.app_label}_{meta.model_name}"
        pages = [reverse(f"{name}_changelist")]
        if model_admin.has_add_permission(request):
            pages.append(reverse(f"{name}_add"))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            checked.add(meta.label)
            pages += [reverse(f"{name}_change", args=[obj.pk]), reverse(f"{name}_history", args=[obj.pk])]
        for page in pages:
            status = client.get(page).status_code
            if status != 200:
                failures.append(f"{page}: {status}")

    assert failures == []
    assert checked == {model._meta.label for model in admin.site._registry}  # every one has a record
