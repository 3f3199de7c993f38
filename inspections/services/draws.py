"""双随机一公开 (R-INS-5; 002 十一, 000 四1): 执法大队 makes a draw over a pool of units and a pool of
officers; the pool's fingerprint and the seed's commitment are public at once, the draw then picks units
and pairs of officers by ``bureau.sampling``; the seed, the pool and the selection are public from the
inspection date, each result once its inspection is signed. Officers declare conflicts (回避) here."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from bureau import history, positive_list, sampling, sections
from bureau.access import section_code, staff_of
from bureau.errors import Conflict
from bureau.models import Town, User
from bureau.numbers import next_in_series
from inspections import rules
from inspections.models import (
    Alert,
    AnnualPlan,
    CheckMode,
    DrawItem,
    DrawOfficer,
    DrawState,
    Inspection,
    InspectionState,
    ItemKind,
    ItemState,
    MonthPlan,
    MonthPlanEntry,
    OfficerConflict,
    PlanItem,
    RandomDraw,
)
from inspections.services.common import require_section
from inspections.services.planning import locked_row, plan_settings
from permits.models import Facility, FacilityStatus, ManagementLevel

DRAW_SERIES = "random-draw"
BATCH = 2000  # rows per INSERT of a city-scale draw
TEAM = 2  # officers per unit: an on-site check needs two (R-INS-6)
ONLY_ENFORCEMENT = "只有执法大队可以组织双随机抽查、登记执法人员回避。"
# Who sees a draw's selection before its inspection date (R-INS-5).
SELECTION_READERS = frozenset({sections.ENFORCEMENT, sections.LEADERSHIP})
MAX_TITLE = 200


def may_see_selection(user, draw: RandomDraw, today: date | None = None) -> bool:
    """执法大队 and leadership (and the administrator) see a selection at once; everyone else, the
    public included, from the inspection date."""
    today = today or timezone.localdate()
    if draw.state != DrawState.DRAWN:
        return False
    if is_public(draw, today):
        return True
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and (user.is_superuser or section_code(user) in SELECTION_READERS)
    )


def is_public(draw: RandomDraw, today: date | None = None) -> bool:
    """Whether the seed, the pool and the selection are published (drawn, and the inspection date come)."""
    return draw.state == DrawState.DRAWN and (today or timezone.localdate()) >= draw.inspect_from


def draw_number(year: int, sequence: int) -> str:
    return f"CC-{year}-{sequence:04d}"


def _pool_facilities(
    *, levels, towns, industry_prefixes, exclude_recent_days, exclude_positive_list, today: date
):
    """The facilities of the pool: operating or halted, not involving state secrets (the pool is
    published, R-PUB-1), filtered as asked, less those inspected in the last days and those on the
    positive list when asked, less those that had their yearly cap of routine visits. Four queries."""
    queryset = Facility.objects.filter(
        status__in=[FacilityStatus.OPERATING, FacilityStatus.HALTED],
        is_confidential=False,
        management_level__in=levels,
    )
    if towns:
        queryset = queryset.filter(town__code__in=towns)
    if industry_prefixes:
        match = Q()
        for prefix in industry_prefixes:
            match |= Q(industry_code__startswith=prefix)
        queryset = queryset.filter(match)
    rows = {pk: (code, town_id) for pk, code, town_id in queryset.values_list("id", "source_code", "town_id")}
    if exclude_recent_days:
        recent = Inspection.objects.filter(
            state=InspectionState.SIGNED, inspected_on__gt=today - timedelta(days=exclude_recent_days)
        ).values_list("facility_id", flat=True)
        for pk in set(recent):
            rows.pop(pk, None)
    capped = (
        Inspection.objects.filter(
            state=InspectionState.SIGNED,
            inspected_on__year=today.year,
            reason__in=rules.ROUTINE_REASONS,
            mode=CheckMode.ON_SITE,
        )
        .values("facility_id")
        .annotate(n=Count("id"))
        .filter(n__gte=plan_settings().routine_cap)
        .values_list("facility_id", flat=True)
    )
    for pk in capped:  # the yearly cap of routine visits (R-INS-4)
        rows.pop(pk, None)
    if exclude_positive_list:
        for pk in positive_list.members(today, None):
            rows.pop(pk, None)
    return rows


def _clean_parameters(
    *,
    title,
    levels,
    towns,
    industry_prefixes,
    sample_percent,
    sample_size,
    inspect_from,
    inspect_until,
    mode,
    today,
):
    errors = {}
    if not title.strip():
        errors["title"] = "请填写抽查事项名称。"
    elif len(title.strip()) > MAX_TITLE:
        errors["title"] = f"抽查事项名称不能超过 {MAX_TITLE} 字。"
    if not levels or set(levels) - set(ManagementLevel.values):
        errors["levels"] = "请选择抽查的管理类别。"
    if mode not in CheckMode.values:
        errors["mode"] = "检查方式只能是现场检查或远程核查。"
    if sample_percent is None and sample_size is None:
        errors["sample"] = "请填写抽取比例或抽取数量（二者选一）。"
    elif sample_percent is not None and sample_size is not None:
        errors["sample"] = "抽取比例和抽取数量只能填写一项（二者选一）。"
    elif sample_percent is not None and not 0 < sample_percent <= 100:
        errors["sample"] = "抽取比例应在 1%–100% 之间。"
    elif sample_size is not None and sample_size < 1:
        errors["sample"] = "抽取数量至少为 1。"
    if inspect_from is None or inspect_until is None:
        errors["inspect_from"] = "请填写检查起止日期。"
    elif inspect_from < today:
        errors["inspect_from"] = "检查开始日期不能早于今天：抽取结果在检查开始日公开。"
    elif inspect_until < inspect_from:
        errors["inspect_until"] = "检查截止日期不能早于开始日期。"
    elif inspect_until.year != inspect_from.year:
        errors["inspect_until"] = "一次抽查的检查期应在同一年度内。"
    for prefix in industry_prefixes:
        if not (prefix.isdigit() and 1 <= len(prefix) <= 4):
            errors["industry_prefixes"] = f"行业类别代码“{prefix}”应为 1–4 位数字。"
    known = set(Town.objects.filter(code__in=towns).values_list("code", flat=True))
    if set(towns) - known:
        errors["towns"] = "选择的街镇不存在：" + "、".join(sorted(set(towns) - known))
    return errors


def _officer_rows(officers: list[User]) -> tuple[list[tuple[User, str, str]], list[str]]:
    rows, errors = [], []
    for user in dict.fromkeys(officers):
        staff = staff_of(user)
        if staff is None or staff.section.code != sections.ENFORCEMENT or not user.is_active:
            errors.append(f"{user.display_name} 不是在岗的执法大队人员。")
        elif not staff.certificate_no:
            errors.append(f"{user.display_name} 没有登记执法证号，不能列入执法人员库。")
        else:
            rows.append((user, staff.certificate_no, user.display_name))
    return rows, errors


def _avoid_pairs(officer_rows, facility_rows: dict, avoid_own_town: bool) -> frozenset[tuple[str, str]]:
    certs = {user.pk: cert for user, cert, _ in officer_rows}
    conflicts = OfficerConflict.objects.filter(is_active=True, officer_id__in=list(certs)).values_list(
        "officer_id", "facility_id", "town_id"
    )
    by_town = {}
    for _pk, (code, town_id) in facility_rows.items():
        by_town.setdefault(town_id, []).append(code)
    pairs = set()
    for officer_id, facility_id, town_id in conflicts:
        if facility_id is not None and facility_id in facility_rows:
            pairs.add((certs[officer_id], facility_rows[facility_id][0]))
        elif town_id is not None and avoid_own_town:
            pairs.update((certs[officer_id], code) for code in by_town.get(town_id, ()))
    return frozenset(pairs)


@transaction.atomic
def create_draw(
    *,
    by: User,
    title: str,
    levels: list[str],
    officers: list[User],
    inspect_from: date,
    inspect_until: date,
    mode: str = CheckMode.ON_SITE,
    towns: list[str] | None = None,
    industry_prefixes: list[str] | None = None,
    sample_percent: int | None = None,
    sample_size: int | None = None,
    exclude_recent_days: int | None = None,
    exclude_positive_list: bool | None = None,
    avoid_own_town: bool | None = None,
    today: date | None = None,
) -> RandomDraw:
    """Fix a draw's pool and commit to its seed (R-INS-5). The exclusions default to the bureau's
    settings. Refused with a Chinese message per field, and nothing written: a share over 100%, an
    empty pool, a sample larger than the pool, officers too few for pairs after avoidance."""
    require_section(by, sections.ENFORCEMENT, ONLY_ENFORCEMENT)
    today = today or timezone.localdate()
    settings_row = plan_settings()
    towns = sorted(set(towns or []))
    industry_prefixes = sorted({p.strip() for p in industry_prefixes or [] if p.strip()})
    exclude_recent_days = (
        settings_row.draw_exclude_recent_days if exclude_recent_days is None else exclude_recent_days
    )
    exclude_positive_list = (
        settings_row.draw_exclude_positive_list if exclude_positive_list is None else exclude_positive_list
    )
    avoid_own_town = settings_row.draw_avoid_own_town if avoid_own_town is None else avoid_own_town
    errors = _clean_parameters(
        title=title,
        levels=levels,
        towns=towns,
        industry_prefixes=industry_prefixes,
        sample_percent=sample_percent,
        sample_size=sample_size,
        inspect_from=inspect_from,
        inspect_until=inspect_until,
        mode=mode,
        today=today,
    )
    if not 0 <= exclude_recent_days <= 730:
        errors["exclude_recent_days"] = "排除近期已检查的天数应在 0–730 之间。"
    officer_rows, officer_errors = _officer_rows(officers)
    if officer_errors:
        errors["officers"] = officer_errors
    if errors:
        raise ValidationError(errors)
    facility_rows = _pool_facilities(
        levels=levels,
        towns=towns,
        industry_prefixes=industry_prefixes,
        exclude_recent_days=exclude_recent_days,
        exclude_positive_list=exclude_positive_list,
        today=today,
    )
    size = sample_size if sample_percent is None else sampling.sample_size(len(facility_rows), sample_percent)
    pool = sampling.Pool(
        sample=size,
        team=TEAM,
        units=tuple(code for code, _ in facility_rows.values()),
        officers=tuple(cert for _, cert, _ in officer_rows),
        avoid=_avoid_pairs(officer_rows, facility_rows, avoid_own_town),
    )
    pool_errors = sampling.pool_errors(pool)
    if pool_errors:
        raise ValidationError({"pool": pool_errors})
    seed = sampling.new_seed()
    sequence = next_in_series(DRAW_SERIES, inspect_from.year)
    draw = RandomDraw(
        number=draw_number(inspect_from.year, sequence),
        year=inspect_from.year,
        sequence=sequence,
        title=title.strip(),
        mode=mode,
        levels=sorted(levels),
        towns=towns,
        industry_prefixes=industry_prefixes,
        exclude_recent_days=exclude_recent_days,
        exclude_positive_list=exclude_positive_list,
        avoid_own_town=avoid_own_town,
        sample_percent=sample_percent,
        sample_size=size,
        inspect_from=inspect_from,
        inspect_until=inspect_until,
        pool_text=sampling.pool_text(pool),
        pool_hash=sampling.pool_hash(pool),
        unit_count=len(set(pool.units)),
        officer_count=len(set(pool.officers)),
        seed=seed,
        commitment=sampling.commitment(seed),
        created_by=by,
    )
    history.save_checked(draw, by=by, reason="公示双随机抽查（抽取池指纹与随机种子承诺值）")
    DrawOfficer.objects.bulk_create(
        [
            DrawOfficer(draw=draw, user=user, certificate_no=cert, name=name)
            for user, cert, name in officer_rows
        ]
    )
    return draw


def rerun(draw: RandomDraw, seed: str | None = None) -> list[sampling.Pick]:
    """The selection the draw's pool file gives under ``seed`` (its own by default): the system's check
    that the same seed and pool give the same selection. A seed that does not match the commitment is
    refused."""
    seed = draw.seed if seed is None else seed.strip()
    try:
        sampling.verify_seed(seed, draw.commitment)
        return sampling.draw(sampling.parse_pool(draw.pool_text), seed)
    except sampling.DrawError as error:
        raise ValidationError(str(error)) from None


@transaction.atomic
def run_draw(*, by: User, draw: RandomDraw, today: date | None = None) -> RandomDraw:
    """Draw the units and their officers; each unit drawn becomes an item of the year's plan, in the
    month of the inspection date, so the month's plan lists it (按月细化)."""
    require_section(by, sections.ENFORCEMENT, ONLY_ENFORCEMENT)
    today = today or timezone.localdate()
    draw = RandomDraw.objects.select_for_update().get(pk=draw.pk)
    if draw.state != DrawState.COMMITTED:
        raise Conflict(f"抽查 {draw.number} {draw.get_state_display()}，不能再抽取。")
    picks = rerun(draw)
    facilities = dict(
        Facility.objects.filter(source_code__in=[pick.unit for pick in picks]).values_list(
            "source_code", "id"
        )
    )
    officers = {officer.certificate_no: officer for officer in draw.officers.all()}
    plan = locked_row(AnnualPlan, {}, by=by, reason="生成年度检查计划", year=draw.year)
    reason = f"双随机抽查 {draw.number}（{draw.title}），{draw.get_mode_display()}"
    plan_items = PlanItem.objects.bulk_create(
        [
            PlanItem(
                plan=plan,
                facility_id=facilities[pick.unit],
                kind=ItemKind.RANDOM_DRAW,
                key=f"draw:{draw.number}",
                window_start=draw.inspect_from,
                window_end=draw.inspect_until,
                planned_month=draw.inspect_from.replace(day=1),
                reason=f"{reason}，{draw.inspect_from} 至 {draw.inspect_until}",
            )
            for pick in picks
        ],
        batch_size=BATCH,
    )
    items = DrawItem.objects.bulk_create(
        [
            DrawItem(draw=draw, position=position, facility_id=facilities[pick.unit], plan_item=plan_item)
            for position, (pick, plan_item) in enumerate(zip(picks, plan_items, strict=True), start=1)
        ],
        batch_size=BATCH,
    )
    DrawItem.officers.through.objects.bulk_create(
        [
            DrawItem.officers.through(drawitem_id=item.pk, drawofficer_id=officers[cert].pk)
            for item, pick in zip(items, picks, strict=True)
            for cert in pick.officers
        ],
        batch_size=BATCH,
    )
    # A month plan already made for the inspection month takes the drawn units too (按月细化).
    month_plan = MonthPlan.objects.filter(year=draw.inspect_from.year, month=draw.inspect_from.month).first()
    if month_plan is not None:
        MonthPlanEntry.objects.bulk_create(
            [MonthPlanEntry(month_plan=month_plan, item=item) for item in plan_items], batch_size=BATCH
        )
        MonthPlan.objects.filter(pk=month_plan.pk).update(item_count=F("item_count") + len(plan_items))
    draw.state, draw.drawn_by, draw.drawn_at = DrawState.DRAWN, by, timezone.now()
    history.save(draw, by=by, reason=f"抽取 {len(picks)} 家单位及执法人员")
    return draw


@transaction.atomic
def cancel_draw(*, by: User, draw: RandomDraw, reason: str) -> RandomDraw:
    """作废 a draw not yet drawn (a wrong pool, a wrong date), with the reason; it stays on the public
    page as 已作废, so a draw cannot be quietly made again until it suits."""
    require_section(by, sections.ENFORCEMENT, ONLY_ENFORCEMENT)
    draw = RandomDraw.objects.select_for_update().get(pk=draw.pk)
    if draw.state != DrawState.COMMITTED:
        raise Conflict(f"抽查 {draw.number} {draw.get_state_display()}，不能作废。")
    if not reason.strip():
        raise ValidationError({"reason": "请填写作废原因。"})
    draw.state, draw.cancel_reason = DrawState.CANCELLED, reason.strip()[:300]
    return history.save(draw, by=by, reason=f"作废：{draw.cancel_reason}")


def note_inspection(inspection: Inspection) -> None:
    """A signed inspection of a drawn unit: its plan item is done and its result published (R-INS-5)."""
    item = DrawItem.objects.filter(inspection=inspection).select_related("plan_item").first()
    if item is None:
        return
    item.result_published_on = timezone.localdate()
    item.save(update_fields=["result_published_on"])
    if item.plan_item is not None and item.plan_item.state == ItemState.OPEN:
        PlanItem.objects.filter(pk=item.plan_item_id).update(
            state=ItemState.DONE, done_on=inspection.inspected_on, alert=Alert.NONE
        )


@transaction.atomic
def declare_conflict(
    *,
    by: User,
    officer: User,
    reason: str,
    facility: Facility | None = None,
    town: Town | None = None,
    declared_on: date | None = None,
) -> OfficerConflict:
    """Record that ``officer`` stays away from ``facility`` (or lives in ``town``)."""
    require_section(by, sections.ENFORCEMENT, ONLY_ENFORCEMENT)
    staff = staff_of(officer)
    errors = {}
    if staff is None or staff.section.code != sections.ENFORCEMENT:
        errors["officer"] = "回避只登记执法大队人员。"
    if (facility is None) == (town is None):
        errors["facility"] = "回避对象须为一家单位或本人所在街镇，二者选一。"
    if not reason.strip():
        errors["reason"] = "请填写回避事由。"
    if declared_on is not None and declared_on > timezone.localdate():
        errors["declared_on"] = "申报日期不能晚于今天。"
    if errors:
        raise ValidationError(errors)
    conflict = OfficerConflict(
        officer=officer,
        facility=facility,
        town=town,
        reason=reason.strip(),
        declared_on=declared_on or timezone.localdate(),
        recorded_by=by,
    )
    conflict.validate_constraints()
    return history.save_checked(conflict, by=by, reason="登记执法人员回避")


@transaction.atomic
def end_conflict(*, by: User, conflict: OfficerConflict, reason: str = "") -> OfficerConflict:
    require_section(by, sections.ENFORCEMENT, ONLY_ENFORCEMENT)
    conflict = OfficerConflict.objects.select_for_update().get(pk=conflict.pk)
    if not conflict.is_active:
        raise Conflict("该回避已解除。")
    conflict.is_active = False
    return history.save(
        conflict, by=by, reason=f"解除回避{('：' + reason.strip()) if reason.strip() else ''}"
    )
