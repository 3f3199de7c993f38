"""Demo grading for ``seed_demo``, after the registry, inspections and monitoring demos, written
through the services:

- the work group of 附件1 (R-ORG-1), set up by the administrator: 组长 the bureau leader (郑局长),
  副组长 the heads of 审批科、生态科、污防科, one member from each of the six sections (the demo staff
  of ``bureau.demo``; a missing one is created here);
- last year's facts recorded by hand (R-GRD-2, R-GRD-3): a commendation (污防科), media coverage
  (审批科), a failure to cooperate (执法大队); credit ratings by 法制科 (R-CRD-1); one holder listed
  on the positive list by 法制科 early in the year;
- last year's grading drafted (as 审批科's button does), one grade changed by a member with a
  written reason, the work group's reason for exceeding the 10% cap, confirmed by the 组长
  (R-GRD-4, R-GRD-5); the proposals it made to the positive list: the removal and one addition
  accepted by 法制科, another addition left pending (R-POS-1).

Idempotent: the work group is set up when it has no post; the rest when last year has no grading.
"""

from datetime import date, datetime, time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bureau import services as bureau_services
from bureau.models import Role, Section, SectionCode, User
from grading import rules
from grading.models import (
    AnnualGrading,
    Duty,
    FacilityGrade,
    FactKind,
    GradeOverride,
    ProposalKind,
    WorkGroupPost,
)
from grading.services import credit, facts, gradings, positive, workgroup
from permits.models import Facility

# duty, section, post title, demo username, full name (when the demo has no such user yet)
POSTS = [
    (Duty.LEADER, SectionCode.LEADERSHIP, "分管局领导", "leadership", "郑局长"),
    (Duty.DEPUTY, SectionCode.APPROVAL, "科长", "approval_head", "钱科长"),
    (Duty.DEPUTY, SectionCode.ECOLOGY, "科长", "ecology_head", "孙科长"),
    (Duty.DEPUTY, SectionCode.POLLUTION, "科长", "pollution_head", "冯科长"),
    (Duty.MEMBER, SectionCode.APPROVAL, "排污许可业务人员", "approval", "王审批"),
    (Duty.MEMBER, SectionCode.ECOLOGY, "自行监测业务人员", "ecology", "李生态"),
    (Duty.MEMBER, SectionCode.POLLUTION, "污染防治业务人员", "pollution", "张污防"),
    (Duty.MEMBER, SectionCode.LEGAL, "法制与信用业务人员", "legal", "赵法制"),
    (Duty.MEMBER, SectionCode.ENFORCEMENT, "执法人员", "enforcement", "陈执法"),
    (Duty.MEMBER, SectionCode.MONITORING, "监测业务人员", "monitoring", "吴监测"),
]
ROLES = {Duty.LEADER: Role.LEADER, Duty.DEPUTY: Role.HEAD, Duty.MEMBER: Role.HANDLER}
CREDIT_SOURCE = "上海市生态环境局企业环境信用评价结果"


@transaction.atomic
def seed(*, today: date) -> list[str]:
    """``seed_demo``'s entry (bureau.demo)."""
    made = []
    if not WorkGroupPost.objects.exists():
        _work_group()
        made.append("排污许可证后管理工作组")
    if not AnnualGrading.objects.filter(year=today.year - 1).exists() and _grading(today):
        made.append(f"{today.year - 1} 年度等级评定")
    return made


def _user(username: str, section: str, role: str, full_name: str) -> User:
    user = User.objects.filter(username=username).select_related("staff").first()
    if user is None:
        staff = bureau_services.create_staff(
            username=username,
            password=settings.DEMO_PASSWORD,
            section_code=section,
            role=role,
            full_name=full_name,
        )
        user = staff.user
    return user


def _work_group() -> None:
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    sections = {s.code: s for s in Section.objects.all()}
    for order, (duty, section, title, username, full_name) in enumerate(POSTS):
        holder = _user(username, section, ROLES[duty], full_name).staff
        workgroup.create_post(
            by=admin, duty=duty, section=sections[section], title=title, holder=holder, order=order
        )


def _grading(today: date) -> bool:
    """Last year's grading, from its facts to the positive list; False (nothing written) when last
    year had too few holders to show it.

    The candidates for 优秀 are two more than the places: the first ranks first with two conditions;
    the first beyond the places is let in by the work group (its reason for exceeding the cap, and a
    member's change with its reason); the last stays 合格 with the cap's reason."""
    year = today.year - 1
    loaded = facts.load_year(year)
    clean = [h for h in loaded.holders if not h.facts]  # nothing else in the year decides their grade
    cap = rules.excellent_cap(len(loaded.holders))
    if cap < 1 or len(clean) < cap + 3:
        return False
    users = {u.username: u for u in User.objects.filter(username__in=[p[3] for p in POSTS])}
    by_id = Facility.objects.in_bulk([h.facility_id for h in clean])
    candidates = [by_id[h.facility_id] for h in clean[: cap + 2]]
    best, uncooperative = candidates[0], by_id[clean[-1].facility_id]

    # 法制科's credit ratings (R-CRD-1), and a unit it listed early in the year (R-POS-1).
    for facility in candidates:
        credit.record_rating(
            by=users["legal"],
            facility=facility,
            rated_on=date(year, 11, 28),
            level="excellent" if facility == best else "good",
            source=f"{CREDIT_SOURCE}（{year} 年度）",
            today=today,
        )
    credit.record_rating(
        by=users["legal"],
        facility=uncooperative,
        rated_on=date(year - 1, 11, 29),
        level="good",
        source=f"{CREDIT_SOURCE}（{year - 1} 年度）",
        today=today,
    )
    positive.add(
        by=users["legal"],
        facility=uncooperative,
        reason=f"{year - 1} 年度信用评价为“环保良好”，近三年无行政处罚",
        today=date(year, 3, 3),
    )

    # Facts of the year recorded by hand (附件2 三4, 四1, 四2, 四3).
    commended = f"普环〔{year}〕18号"
    recorded = [
        (
            "approval",
            best,
            FactKind.MEDIA,
            date(year, 9, 12),
            "治污设施提标改造经验获官方媒体报道",
            "澎湃新闻",
        ),
        (
            "enforcement",
            uncooperative,
            FactKind.NOT_COOPERATING,
            date(year, 8, 14),
            "拒绝执法人员调阅危险废物台账",
            "现场检查笔录",
        ),
    ]
    for n, facility in enumerate(candidates):
        if n == len(candidates) - 1:
            recorded.append(
                (
                    "pollution",
                    facility,
                    FactKind.RESPONSIBILITY,
                    date(year, 10, 20),
                    "提前完成挥发性有机物深度治理减排",
                    "减排核算报告",
                )
            )
        else:
            recorded.append(
                (
                    "pollution",
                    facility,
                    FactKind.COMMENDATION,
                    date(year, 6, 5),
                    "获评区级生态环境保护先进集体",
                    commended,
                )
            )
    for by, facility, kind, day, description, evidence in recorded:
        facts.record_fact(
            by=users[by],
            facility=facility,
            kind=kind,
            occurred_on=day,
            description=description,
            evidence=evidence,
            today=today,
        )

    # Drafted as 审批科's button does (the January job queues the same work), then reviewed.
    grading = gradings.start_draft(year=year, by=users["approval"], today=today)
    grading = gradings.draft(grading.pk)
    beyond = FacilityGrade.objects.get(grading=grading, rank=cap + 1)
    gradings.record_cap_exceedance(
        by=users["approval_head"],
        grading=grading,
        reason=f"排序第 {cap} 位、第 {cap + 1} 位的单位均符合附件2 四所列优先条件，排序仅因执行报告等"
        "个别记录之差，工作组讨论一致同意均评为优秀。",
    )
    gradings.override(
        by=users["pollution"],
        grade=beyond,
        to_grade=rules.EXCELLENT,
        reason="符合附件2 四所列优先条件，与排序在前的单位表现相当，工作组同意评为优秀。",
    )
    # The work group confirms in February (before the annual meeting of the first half year), or
    # today when the demo is shown earlier in the year.
    reviewed_on = min(today, date(today.year, 2, 26))
    grading = gradings.confirm(by=users["leadership"], grading=grading, today=reviewed_on)

    # 法制科 decides the proposals: the removal and the best unit's addition; the rest stay pending.
    for proposal in grading.proposals.order_by("kind", "facility__source_code"):
        if proposal.kind == ProposalKind.REMOVE or proposal.facility_id == best.pk:
            positive.decide(by=users["legal"], proposal=proposal, accept=True, note="", today=reviewed_on)
    _dated(grading, drafted_on=min(today, date(today.year, 1, 12)), confirmed_on=reviewed_on)
    return True


def _dated(grading: AnnualGrading, *, drafted_on: date, confirmed_on: date) -> None:
    """The demo's stamps on the days the steps would have been taken (the services stamp the real
    time of seeding): drafted in January, confirmed and decided in February."""

    def at(day: date, hour: int) -> datetime:
        return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())

    AnnualGrading.objects.filter(pk=grading.pk).update(
        drafted_at=at(drafted_on, 9), cap_exceeded_at=at(confirmed_on, 10), confirmed_at=at(confirmed_on, 15)
    )
    GradeOverride.objects.filter(facility_grade__grading=grading).update(at=at(confirmed_on, 11))
    grading.proposals.update(created_at=at(confirmed_on, 15))
    grading.proposals.exclude(decided_at=None).update(decided_at=at(confirmed_on, 16))
