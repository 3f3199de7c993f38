"""The city-scale benchmark data set (issue 15): ``make bench-data`` or
``python -m tests.bench.data [--facilities 100000] [--keep]``.

Drops and re-creates the database of ``DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/bureau_bench``; a ``sqlite:///`` file works too), migrates it,
loads the bureau the way ``seed_demo`` does (sections, towns, the demo staff with ``DEMO_PASSWORD``,
the work calendar: ``bureau.demo.seed``) and then bulk-inserts, at ``--facilities N`` (figures for
N = 100,000; every count scales linearly):

- 100,000 facilities, sites of about 80,000 units (source code = credit code + site number), 30,000
  permits with their events, outlets and limits, 70,000 registrations, a creation history row for
  every facility and permit;
- 20,000 rectification-ledger items; 200,000 三监联动 tasks over three years with their assignments
  and steps, in every state (open, awaiting close, overdue, closed, archived);
- 5,000 complaints with their reporters; 1,000,000 signed inspections with two officers each;
- execution reports (monthly, quarterly, annual) and their filed versions; monitoring plans and
  tasks; two confirmed annual gradings; dispatch meetings (held through the service, and the
  current quarter's planned).

Rows go in by ``COPY`` on PostgreSQL and ``executemany`` on SQLite, in batches, with ids given here;
every row is valid (constraints hold, states agree with ``linkage.rules``; deadlines are counted on the
bureau's calendar). Same ``--seed`` and same ``--today`` give the same data. ``build`` is what the
test suite calls on its own (small) database.
"""

import argparse
import hashlib
import itertools
import json
import os
import random
import sys
import time
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bureau_bench"
BATCH = 50_000
PASSWORD_NOTE = "DEMO_PASSWORD（默认 Demo@2025）"

# ---------------------------------------------------------------------------------------------------
# Writing rows in bulk


class Writer:
    """Inserts rows (dicts of attnames) into a model's table, in batches: ``COPY`` on PostgreSQL,
    ``executemany`` on SQLite. Columns missing from a row take the field's default (``auto_now`` ones
    the load's timestamp, nullable ones NULL, blank text ""); a required column missing is a bug and
    raises. Primary keys are given here (``next_id``), so rows can point at each other before they
    are written; ``finish`` moves PostgreSQL's sequences past them."""

    def __init__(self, now: datetime):
        from django.db import connection

        self.connection = connection
        self.vendor = connection.vendor
        self.now = now
        self.counters: dict = {}
        self.touched: set = set()
        self.counts: dict[str, int] = defaultdict(int)

    def next_id(self, model) -> int:
        if model not in self.counters:
            from django.db.models import Max

            self.counters[model] = model._base_manager.aggregate(m=Max("pk"))["m"] or 0
        self.counters[model] += 1
        return self.counters[model]

    def _columns(self, model):
        from django.db.models import NOT_PROVIDED

        columns, defaults = [], []
        for field in model._meta.concrete_fields:
            columns.append(field.column)
            if field.primary_key:
                defaults.append(("pk", None))
            elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                defaults.append(("value", self.now))
            elif field.default is not NOT_PROVIDED:
                defaults.append(("value", field.get_default()))
            elif field.null:
                defaults.append(("value", None))
            elif field.blank and field.get_internal_type() in ("CharField", "TextField", "FileField"):
                defaults.append(("value", ""))
            else:
                defaults.append(("required", None))
        return [f.attname for f in model._meta.concrete_fields], columns, defaults

    def write(self, model, rows) -> int:
        names, columns, defaults = self._columns(model)
        pk_name = model._meta.pk.attname
        table = model._meta.db_table
        self.touched.add(model)
        count, batch = 0, []
        for row in rows:
            if pk_name not in row:
                row[pk_name] = self.next_id(model)
            values = []
            for name, (kind, default) in zip(names, defaults, strict=True):
                if name in row:
                    values.append(row[name])
                elif kind == "required":
                    raise KeyError(f"{model.__name__}.{name} 未给出")
                else:
                    values.append(default)
            batch.append(values)
            if len(batch) >= BATCH:
                self._flush(table, columns, batch)
                count += len(batch)
                batch = []
        if batch:
            self._flush(table, columns, batch)
            count += len(batch)
        self.counts[model._meta.label] += count
        return count

    def _flush(self, table, columns, batch):
        if self.vendor == "postgresql":
            from bureau.bulk import copy_into, copy_text

            copy_into(self.connection, table, columns, ([copy_text(v) for v in values] for values in batch))
            return
        quoted = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})',
                [[_sqlite_value(v) for v in values] for values in batch],
            )

    def finish(self) -> None:
        """Move PostgreSQL's id sequences past the ids given here."""
        if self.vendor != "postgresql" or not self.touched:
            return
        from django.core.management.color import no_style

        with self.connection.cursor() as cursor:
            for statement in self.connection.ops.sequence_reset_sql(no_style(), list(self.touched)):
                cursor.execute(statement)


def _sqlite_value(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Decimal):
        return str(value)
    return value


# ---------------------------------------------------------------------------------------------------
# Words the names are made of (deterministic picks from these)

PLACES = [
    "上海",
    "普陀",
    "长征",
    "桃浦",
    "真如",
    "沪西",
    "申江",
    "苏河",
    "金沙",
    "曹杨",
    "万里",
    "甘泉",
    "石泉",
    "宜川",
    "长风",
    "武宁",
    "中环",
    "华东",
    "东方",
    "浦江",
]
BRANDS = [
    "华",
    "永",
    "新",
    "恒",
    "鑫",
    "宏",
    "泰",
    "信",
    "达",
    "丰",
    "盛",
    "源",
    "光",
    "明",
    "联",
    "金",
    "昌",
    "隆",
    "兴",
    "和",
    "瑞",
    "佳",
    "康",
    "通",
    "利",
    "祥",
    "德",
    "安",
    "润",
    "宝",
]
# (industry code, industry name, the word in the company's name)
INDUSTRIES = [
    ("2641", "涂料制造", "涂料"),
    ("2642", "油墨及类似产品制造", "油墨"),
    ("3360", "金属表面处理及热处理加工", "表面处理"),
    ("7724", "危险废物治理", "环保科技"),
    ("2221", "机制纸及纸板制造", "纸业"),
    ("3120", "炼钢", "钢铁"),
    ("4411", "火力发电", "热电"),
    ("4620", "污水处理及其再生利用", "水务"),
    ("3311", "金属结构制造", "金属制品"),
    ("1713", "棉印染精加工", "印染"),
    ("2614", "有机化学原料制造", "化工"),
    ("3130", "钢压延加工", "金属材料"),
    ("3821", "变压器、整流器和电感器制造", "电气"),
    ("2710", "化学药品原料药制造", "制药"),
    ("1491", "营养食品制造", "食品"),
    ("2926", "塑料包装箱及容器制造", "塑料制品"),
    ("3670", "汽车零部件及配件制造", "汽车配件"),
    ("2319", "包装装潢及其他印刷", "印务"),
    ("3982", "电子电路制造", "电子"),
    ("8411", "综合医院", "医院"),
]
STREETS = [
    "真南路",
    "祁连山路",
    "武威路",
    "桃浦路",
    "金沙江路",
    "铜川路",
    "曹杨路",
    "中山北路",
    "大渡河路",
    "丹巴路",
]
POLLUTANTS = [("颗粒物", "mg/m³", "20"), ("化学需氧量", "mg/L", "100"), ("非甲烷总烃", "mg/m³", "50")]
EXTRA_TOWNS = [
    ("T05", "长风新村街道"),
    ("T06", "甘泉路街道"),
    ("T07", "石泉路街道"),
    ("T08", "宜川路街道"),
    ("T09", "曹杨新村街道"),
    ("T10", "万里街道"),
]


# ---------------------------------------------------------------------------------------------------
# The builder


class Builder:
    """Builds the data set on the current database (migrated, empty of business rows)."""

    def __init__(self, facilities: int, *, today: date, seed: int = 15, out=sys.stdout):
        from django.utils import timezone

        self.n = facilities
        self.today = today
        self.start = date(today.year - 3, today.month, 1)
        self.rng = random.Random(seed)
        self.out = out
        self.now = timezone.now()
        self.writer = Writer(self.now)
        self.timings: list[tuple[str, float]] = []

    def scaled(self, per_100k: int) -> int:
        return max(1, round(per_100k * self.n / 100_000))

    def stage(self, label: str, work) -> None:
        started = time.perf_counter()
        made = work()
        elapsed = time.perf_counter() - started
        self.timings.append((label, elapsed))
        print(f"  {label:<34} {elapsed:7.1f} s  {made or ''}", file=self.out, flush=True)

    def run(self) -> dict[str, int]:
        from django.db import connection, transaction

        total = time.perf_counter()
        with transaction.atomic():
            self.stage("机构、街镇、人员、工作日历", self.bureau)
            self.stage("单位与排污单位", self.facilities)
            self.stage("许可证、事项、排放口、登记", self.permits)
            self.stage("创建历史记录", self.history)
            self.stage("整改台账", self.ledger)
            self.stage("三监联动任务", self.tasks)
            self.stage("信访投诉", self.complaints)
            self.stage("现场检查", self.inspections)
            self.stage("执行报告", self.execution_reports)
            self.stage("执法监测", self.monitoring)
            self.stage("年度等级评定", self.grading)
            self.stage("编号序列", self.series)
            self.writer.finish()
        if connection.vendor == "postgresql":
            self.stage("ANALYZE", self.analyze)
        with transaction.atomic():
            self.stage("调度会（经服务召开）", self.meetings)
        print(f"  {'合计':<34} {time.perf_counter() - total:7.1f} s", file=self.out)
        return dict(self.writer.counts)

    # -- the bureau ---------------------------------------------------------------------------------

    def bureau(self):
        from bureau import demo, services
        from bureau.models import Role, Section, SectionCode, Staff, Town, User

        demo.seed(today=self.today)
        for code, name in EXTRA_TOWNS:
            if not Town.objects.filter(code=code).exists():
                services.create_town(code=code, name=name)
        # More enforcement officers than the demo's three, so two-officer inspections vary.
        for i in range(1, 13):
            username = f"officer{i:02d}"
            if not User.objects.filter(username=username).exists():
                from django.conf import settings

                services.create_staff(
                    username=username,
                    password=settings.DEMO_PASSWORD,
                    section_code=SectionCode.ENFORCEMENT,
                    role=Role.HANDLER,
                    full_name=f"执法员{i:02d}",
                    certificate_no=f"310107300{i:02d}",
                )
        self.towns = list(Town.objects.order_by("code").values_list("pk", flat=True))
        self.sections = dict(Section.objects.values_list("code", "pk"))
        users = dict(User.objects.values_list("username", "pk"))
        self.users = users
        self.handler = {
            code: users[code] for code in ("approval", "ecology", "pollution", "monitoring", "enforcement")
        }
        self.head = {code: users[f"{code}_head"] for code in self.handler}
        self.officers = list(
            Staff.objects.filter(section__code=SectionCode.ENFORCEMENT)
            .exclude(certificate_no="")
            .order_by("user__username")
            .values_list("user_id", "user__last_name", "user__first_name", "certificate_no")
        )
        from bureau.calendar import WorkCalendar

        self.calendar = WorkCalendar()
        self._deadlines: dict = {}
        return f"{len(self.towns)} 个街镇，{len(users)} 个用户（密码 {PASSWORD_NOTE}）"

    def deadline(self, start: date, days: int):
        key = (start, days)
        if key not in self._deadlines:
            self._deadlines[key] = self.calendar.deadline(start, days)
        return self._deadlines[key]

    def workday_on_or_before(self, day: date) -> date:
        while not self.calendar.is_workday(day):
            day -= timedelta(days=1)
        return day

    def day_between(self, first: date, last: date) -> date:
        if last <= first:
            return first
        return first + timedelta(days=self.rng.randrange((last - first).days + 1))

    # -- registry ------------------------------------------------------------------------------------

    def facilities(self):
        from permits.models import Facility, KeyIndustry, Unit
        from tests.factories.permits import credit_code

        key_industries = dict(KeyIndustry.objects.values_list("code", "pk"))
        rng, w = self.rng, self.writer
        self.facility_rows = []  # (id, unit id, level, town, name, source code, credit code, address)
        units = []
        self._facility_extra = []
        number = 0
        unit_number = 0
        while number < self.n:
            unit_number += 1
            code = credit_code(5_000_000 + unit_number)
            industry = INDUSTRIES[rng.randrange(len(INDUSTRIES))]
            name = f"{PLACES[rng.randrange(20)]}{BRANDS[rng.randrange(30)]}{BRANDS[rng.randrange(30)]}{industry[2]}有限公司"
            unit_id = w.next_id(Unit)
            units.append({"id": unit_id, "credit_code": code, "name": name, "created_at": self.now})
            sites = 3 if unit_number % 20 == 0 else 2 if unit_number % 5 == 0 else 1
            for site in range(1, sites + 1):
                if number >= self.n:
                    break
                number += 1
                roll = rng.random()
                level = "key" if roll < 0.08 else "simplified" if roll < 0.30 else "registered"
                site_name = name if site == 1 else f"{name}第{site}厂区"
                key = next(
                    (pk for prefix, pk in key_industries.items() if industry[0].startswith(prefix)), None
                )
                address = f"上海市普陀区{STREETS[rng.randrange(10)]}{rng.randrange(1, 3000)}号"
                town = self.towns[rng.randrange(len(self.towns))]
                status = rng.random()
                self.facility_rows.append(
                    (w.next_id(Facility), unit_id, level, town, site_name, f"{code}{site:03d}", code, address)
                )
                self._facility_extra.append(
                    {
                        "industry_code": industry[0],
                        "industry_name": industry[1],
                        "key_industry_id": key,
                        "status": "operating" if status < 0.95 else "halted" if status < 0.98 else "closed",
                        "is_key_regulated": level == "key" and rng.random() < 0.5,
                        "risk_level": rng.choice(["", "", "general", "moderate", "major"]),
                        "has_auto_monitoring": level == "key",
                        "in_environmental_statistics": level != "registered",
                        "credit_rating": rng.choice(
                            ["", "", "", "excellent", "good", "warning", "dishonest"]
                        ),
                        "contact_person": f"{BRANDS[rng.randrange(30)]}经理",
                        "contact_phone": f"021-6{rng.randrange(10_000_000):07d}",
                    }
                )
        w.write(Unit, units)
        w.write(
            Facility,
            (
                {
                    "id": fid,
                    "unit_id": unit_id,
                    "site_number": source[-3:],
                    "source_code": source,
                    "credit_code": code,
                    "name": name,
                    "address": address,
                    "town_id": town,
                    "management_level": level,
                    "credit_rated_on": self.start if extra["credit_rating"] else None,
                    **extra,
                }
                for (fid, unit_id, level, town, name, source, code, address), extra in zip(
                    self.facility_rows, self._facility_extra, strict=True
                )
            ),
        )
        return f"{len(units)} 个单位，{len(self.facility_rows)} 家排污单位"

    def permits(self):
        from permits.models import EmissionLimit, Outlet, Permit, PermitEvent, Registration

        rng, w, today = self.rng, self.writer, self.today
        permits, events, outlets, limits, registrations = [], [], [], [], []
        self.permit_rows = []  # (permit id, facility id, level, valid_from, valid_until, ended, frequency)
        self._facility_extra = []
        for fid, _unit, level, _town, _name, source, _code, _addr in self.facility_rows:
            if level == "registered":
                registered = self.day_between(today - timedelta(days=5 * 365), today - timedelta(days=5))
                registrations.append(
                    {
                        "facility_id": fid,
                        "receipt_no": f"{source}X",
                        "registered_on": registered,
                        "valid_until": registered + timedelta(days=5 * 365 - 1),
                    }
                )
                continue
            pid = w.next_id(Permit)
            issued = self.day_between(today - timedelta(days=int(5.6 * 365)), today - timedelta(days=3))
            until = issued + timedelta(days=5 * 365 - 1)
            roll = rng.random()
            frequency = "monthly" if roll < 0.1 else "quarterly" if roll < 0.5 else "annual"
            events.append(
                {
                    "permit_id": pid,
                    "kind": "first_application",
                    "occurred_on": issued,
                    "document_no": f"普环许〔{issued.year}〕{pid}号",
                    "recorded_at": self.now,
                }
            )
            if rng.random() < 0.15 and (today - issued).days > 60:
                events.append(
                    {
                        "permit_id": pid,
                        "kind": "change",
                        "occurred_on": self.day_between(issued + timedelta(days=30), today),
                        "note": "变更排放口信息",
                        "recorded_at": self.now,
                    }
                )
            first_until = until
            if until < today + timedelta(days=200) and rng.random() < 0.6:
                # A 延续 applied for before the end; most granted on time (R-PER-1).
                applied = until - timedelta(days=rng.randrange(40, 120))
                if applied < today:
                    app_id = w.next_id(PermitEvent)
                    events.append(
                        {
                            "id": app_id,
                            "permit_id": pid,
                            "kind": "renewal",
                            "occurred_on": applied,
                            "recorded_at": self.now,
                        }
                    )
                    decided = applied + timedelta(days=rng.randrange(10, 30))
                    if decided <= today:
                        new_until = until + timedelta(days=5 * 365)
                        events.append(
                            {
                                "permit_id": pid,
                                "kind": "renewal_decision",
                                "occurred_on": decided,
                                "renewal_application_id": app_id,
                                "renewal_granted": True,
                                "previous_valid_until": until,
                                "new_valid_until": new_until,
                                "document_no": f"普环延〔{decided.year}〕{pid}号",
                                "recorded_at": self.now,
                            }
                        )
                        until = new_until
            ended = None
            roll = rng.random()
            if roll < 0.025 and until > today and (today - issued).days > 90:
                ended = ("cancellation", self.day_between(issued + timedelta(days=60), today))
            elif roll < 0.03 and until > today and (today - issued).days > 90:
                ended = ("revocation", self.day_between(issued + timedelta(days=60), today))
            if ended:
                events.append(
                    {
                        "permit_id": pid,
                        "kind": ended[0],
                        "occurred_on": ended[1],
                        "document_no": f"普环销〔{ended[1].year}〕{pid}号",
                        "recorded_at": self.now,
                    }
                )
            permits.append(
                {
                    "id": pid,
                    "number": f"{source}P",
                    "facility_id": fid,
                    "management_level": level,
                    "issued_on": issued,
                    "valid_from": issued,
                    "valid_until": until,
                    "report_frequency": frequency,
                }
            )
            self.permit_rows.append(
                (pid, fid, level, issued, until, ended[1] if ended else None, frequency, first_until)
            )
            for index, kind in enumerate(["gas"] + (["water"] if rng.random() < 0.5 else [])):
                oid = w.next_id(Outlet)
                outlets.append(
                    {
                        "id": oid,
                        "permit_id": pid,
                        "code": f"D{'A' if kind == 'gas' else 'W'}00{index + 1}",
                        "kind": kind,
                        "name": "排气筒" if kind == "gas" else "总排口",
                    }
                )
                pollutant, unit, limit = POLLUTANTS[0] if kind == "gas" else POLLUTANTS[1]
                limits.append(
                    {
                        "outlet_id": oid,
                        "pollutant": pollutant,
                        "concentration": limit,
                        "unit": unit,
                        "annual_quantity": f"{rng.randrange(1, 500)}.5000",
                    }
                )
        w.write(Permit, permits)
        w.write(PermitEvent, events)
        w.write(Outlet, outlets)
        w.write(EmissionLimit, limits)
        w.write(Registration, registrations)
        return f"{len(permits)} 张许可证，{len(events)} 个事项，{len(outlets)} 个排放口，{len(registrations)} 个登记"

    def history(self):
        """A creation row (``+``) for every facility and permit, as ``register_facility`` and the permit
        services leave one: the history that the meeting agenda and the facility page read."""
        from permits.models import Facility, Permit

        def rows(model, batch=20_000):
            fields = [f.attname for f in model._meta.concrete_fields]
            for chunk_start in range(0, model.objects.count(), batch):
                for values in model.objects.order_by("pk").values_list(*fields)[
                    chunk_start : chunk_start + batch
                ]:
                    row = dict(zip(fields, values, strict=True))
                    row.update(
                        history_date=self.now,
                        history_type="+",
                        history_user_id=self.users["approval"],
                        history_change_reason="基准数据建档",
                    )
                    yield row

        made = self.writer.write(Facility.history.model, rows(Facility))
        made += self.writer.write(Permit.history.model, rows(Permit))
        return f"{made} 行历史"

    # -- work ----------------------------------------------------------------------------------------

    def ledger(self):
        from permits.models import RectificationItem

        rng, today = self.rng, self.today
        sources = [
            ("permit", "许可证整改要求", "permit_requirement", "许可证整改要求"),
            ("inspection", "现场检查发现", "violating_permit", "违反许可证规定"),
            ("report_review", "执行报告审核", "report_problem", "执行报告问题"),
            ("other", "日常监管", "other", "其他问题"),
        ]
        count = self.scaled(20_000)

        def rows():
            for _ in range(count):
                fid = self.facility_rows[rng.randrange(len(self.facility_rows))][0]
                kind, label, category, category_label = sources[rng.randrange(4)]
                found = self.workday_on_or_before(self.day_between(self.start, today - timedelta(days=1)))
                days = rng.choice([10, 20, 30])
                due = self.deadline(found, days)
                closed = None
                if (today - found).days > 20 and rng.random() < 0.75:
                    closed = min(
                        today, self.day_between(found + timedelta(days=5), due.on + timedelta(days=20))
                    )
                yield {
                    "facility_id": fid,
                    "source_kind": kind,
                    "source_label": label,
                    "found_on": found,
                    "category": category,
                    "category_label": category_label,
                    "description": "发现问题，要求限期整改。",
                    "deadline_workdays": days,
                    "deadline_on": due.on,
                    "deadline_provisional": due.is_provisional,
                    "responsible_person": "王厂长",
                    "responsible_phone": "13800000000",
                    "closed_on": closed,
                    "closing_evidence": "已整改到位，提交整改报告。" if closed else "",
                    "closed_by_id": self.handler["approval"] if closed else None,
                }

        return f"{self.writer.write(RectificationItem, rows())} 项"

    def tasks(self):
        """三监联动 tasks over three years. Old ones are mostly archived or closed; some of every age are
        still open past their deadline (overdue); recent ones are in every step (R-LNK-1…7)."""
        from linkage.models import Assignment, LinkageTask, TaskStep
        from linkage.rules import task_number

        rng, w, today = self.rng, self.writer, self.today
        count = self.scaled(200_000)
        span = (today - self.start).days
        starts = sorted(self.start + timedelta(days=rng.randrange(span)) for _ in range(count))
        codes = ["approval", "ecology", "pollution", "monitoring", "enforcement"]
        weights = [0.3, 0.15, 0.2, 0.1, 0.25]
        sequence = defaultdict(int)
        tasks, assignments, steps = [], [], []
        self.task_ids = []
        self.series_last = defaultdict(int)

        def at(day: date) -> datetime:
            return datetime(day.year, day.month, day.day, 9, 30, tzinfo=UTC)

        for started in starts:
            started = self.workday_on_or_before(started)
            year = started.year
            sequence[year] += 1
            tid = w.next_id(LinkageTask)
            self.task_ids.append(tid)
            initiator = rng.choices(codes, weights)[0]
            others = [c for c in codes if c != initiator]
            receivers = rng.sample(others, 2 if rng.random() < 0.3 else 1)
            days = rng.choice([5, 10, 10, 15, 20])
            due = self.deadline(started, days)
            age = (today - started).days
            roll = rng.random()
            if age > 60:
                state = (
                    "archived"
                    if roll < 0.62
                    else "closed"
                    if roll < 0.94
                    else "awaiting_close"
                    if roll < 0.96
                    else "open"
                )
            elif age > 15:
                state = (
                    "archived"
                    if roll < 0.2
                    else "closed"
                    if roll < 0.5
                    else "awaiting_close"
                    if roll < 0.65
                    else "open"
                )
            else:
                state = "closed" if roll < 0.1 else "awaiting_close" if roll < 0.25 else "open"
            by_system = state == "open" and rng.random() < 0.1
            step_day = min(today, started + timedelta(days=rng.randrange(1, 5)))
            feedback_day = min(today, step_day + timedelta(days=rng.randrange(1, 10)))
            closed_on = (
                min(today, feedback_day + timedelta(days=rng.randrange(0, 10)))
                if state in ("closed", "archived")
                else None
            )
            archived_on = (
                min(today, closed_on + timedelta(days=rng.randrange(1, 40))) if state == "archived" else None
            )
            fid = (
                self.facility_rows[rng.randrange(len(self.facility_rows))][0] if rng.random() < 0.95 else None
            )
            tasks.append(
                {
                    "id": tid,
                    "number": task_number(year, sequence[year]),
                    "year": year,
                    "sequence": sequence[year],
                    "initiator_id": self.sections[initiator],
                    "facility_id": fid,
                    "description": "现场发现排污许可执行问题，请相关部门核查处理。",
                    "handler_id": None if by_system else self.handler[initiator],
                    "head_id": None if by_system else self.head[initiator],
                    "started_by_system": by_system,
                    "started_on": started,
                    "source_kind": "expired_permit"
                    if by_system
                    else rng.choice(
                        ["manual", "manual", "inspection", "report_review", "monitoring_anomaly"]
                    ),
                    "deadline_workdays": days,
                    "deadline_on": due.on,
                    "deadline_provisional": due.is_provisional,
                    "state": state,
                    "closed_on": closed_on,
                    "closed_by_id": self.handler[initiator] if closed_on else None,
                    "archived_on": archived_on,
                    "archived_by_id": self.handler["approval"] if archived_on else None,
                    "created_at": at(started),
                }
            )
            steps.append(
                {
                    "task_id": tid,
                    "action": "start",
                    "section_id": self.sections[initiator],
                    "actor_id": None if by_system else self.handler[initiator],
                    "at": at(started),
                    "on": started,
                }
            )
            for index, code in enumerate(receivers):
                if state == "open":
                    # At least one department still owes its feedback while the task is open.
                    a_state = (
                        "pending"
                        if index == 0 and rng.random() < 0.5
                        else "received"
                        if index == 0
                        else rng.choice(["pending", "received", "fed_back"])
                    )
                else:
                    a_state = "fed_back"
                aid = w.next_id(Assignment)
                received = a_state != "pending"
                fed = a_state == "fed_back"
                assignments.append(
                    {
                        "id": aid,
                        "task_id": tid,
                        "section_id": self.sections[code],
                        "state": a_state,
                        "received_on": step_day if received else None,
                        "execution": "已接收，安排人员现场核查。" if received else "",
                        "execution_handler_id": self.handler[code] if received else None,
                        "execution_head_id": self.head[code] if received else None,
                        "executed_on": step_day if received else None,
                        "feedback": "经核查，问题已督促整改到位。" if fed else "",
                        "feedback_handler_id": self.handler[code] if fed else None,
                        "feedback_head_id": self.head[code] if fed else None,
                        "fed_back_on": feedback_day if fed else None,
                    }
                )
                if received:
                    steps.append(
                        {
                            "task_id": tid,
                            "assignment_id": aid,
                            "action": "receive",
                            "section_id": self.sections[code],
                            "actor_id": self.handler[code],
                            "at": at(step_day),
                            "on": step_day,
                        }
                    )
                if fed:
                    steps.append(
                        {
                            "task_id": tid,
                            "assignment_id": aid,
                            "action": "feedback",
                            "section_id": self.sections[code],
                            "actor_id": self.handler[code],
                            "at": at(feedback_day),
                            "on": feedback_day,
                        }
                    )
            if closed_on:
                steps.append(
                    {
                        "task_id": tid,
                        "action": "close",
                        "section_id": self.sections[initiator],
                        "actor_id": self.handler[initiator],
                        "at": at(closed_on),
                        "on": closed_on,
                    }
                )
            if archived_on:
                steps.append(
                    {
                        "task_id": tid,
                        "action": "archive",
                        "section_id": self.sections["approval"],
                        "actor_id": self.handler["approval"],
                        "at": at(archived_on),
                        "on": archived_on,
                    }
                )
        self.series_last.update({("linkage-task", y): s for y, s in sequence.items()})
        w.write(LinkageTask, tasks)
        w.write(Assignment, assignments)
        w.write(TaskStep, steps)
        return f"{len(tasks)} 项任务，{len(assignments)} 个接收部门，{len(steps)} 条办理记录"

    def complaints(self):
        from complaints.models import Complaint, ComplaintReporter

        rng, w, today = self.rng, self.writer, self.today
        count = self.scaled(5_000)
        span = (today - self.start).days
        received = sorted(self.start + timedelta(days=rng.randrange(span)) for _ in range(count))
        sequence = defaultdict(int)
        complaints, reporters = [], []
        self.complaint_rows = []
        enforcement = self.users["enforcement"]
        for day in received:
            sequence[day.year] += 1
            cid = w.next_id(Complaint)
            age = (today - day).days
            state = (
                "closed"
                if age > 45 and rng.random() < 0.95
                else rng.choice(["received", "investigating", "answered"])
            )
            answered = state in ("answered", "closed")
            closed = state == "closed"
            substantiated = rng.random() < 0.6 if answered else None
            fid = self.facility_rows[rng.randrange(len(self.facility_rows))][0]
            answered_on = min(today, day + timedelta(days=rng.randrange(5, 30))) if answered else None
            closed_on = min(today, answered_on + timedelta(days=rng.randrange(0, 10))) if closed else None
            complaints.append(
                {
                    "id": cid,
                    "number": f"TS-{day.year}-{sequence[day.year]:04d}",
                    "year": day.year,
                    "sequence": sequence[day.year],
                    "channel": rng.choice(["12369", "hotline", "letter", "visit", "web"]),
                    "received_on": day,
                    "content": "反映该单位夜间排放刺激性气味。",
                    "facility_id": fid,
                    "state": state,
                    "registered_by_id": enforcement,
                    "handler_id": enforcement if state != "received" else None,
                    "registered_section_id": self.sections["enforcement"],
                    "investigation": "已现场调查核实。" if state != "received" else "",
                    "is_substantiated": substantiated,
                    "answer": "已将处理情况答复举报人。" if answered else "",
                    "answered_on": answered_on,
                    "answered_by_id": enforcement if answered else None,
                    "closed_on": closed_on,
                    "closed_by_id": enforcement if closed else None,
                    "rectification": ("rectified" if rng.random() < 0.9 else "refused")
                    if closed and substantiated
                    else "",
                    "rectification_on": closed_on if closed and substantiated else None,
                    "created_at": datetime(day.year, day.month, day.day, 10, tzinfo=UTC),
                }
            )
            self.complaint_rows.append((cid, fid, day))
            anonymous = rng.random() < 0.3
            reporters.append(
                {
                    "complaint_id": cid,
                    "is_anonymous": anonymous,
                    "name": "" if anonymous else "李先生",
                    "phone": "" if anonymous else "13900000000",
                }
            )
        self.series_last.update({("complaint", y): s for y, s in sequence.items()})
        w.write(Complaint, complaints)
        w.write(ComplaintReporter, reporters)
        return f"{len(complaints)} 件投诉"

    def inspections(self):
        """Signed inspections over three years (a few recent drafts), each with two officers holding
        certificates (R-INS-6), numbered per year in date order."""
        from inspections.models import ChecklistVersion, Inspection, InspectionOfficer

        rng, w, today = self.rng, self.writer, self.today
        count = self.scaled(1_000_000)
        version = (
            ChecklistVersion.objects.filter(state="published").order_by("-pk").values_list("pk", flat=True)[0]
        )
        span = (today - self.start).days
        days = sorted(rng.randrange(span) for _ in range(count))
        sequence = defaultdict(int)
        officers = self.officers
        facilities = self.facility_rows
        complaint_rows = self.complaint_rows

        def inspection_rows():
            for offset in days:
                day = self.start + timedelta(days=offset)
                year = day.year
                sequence[year] += 1
                iid = w.next_id(Inspection)
                roll = rng.random()
                complaint = None
                if roll < 0.004 and complaint_rows:
                    complaint = complaint_rows[rng.randrange(len(complaint_rows))]
                    fid = complaint[1]
                else:
                    fid, _u, _l, _t, name, source, _c, address = facilities[rng.randrange(len(facilities))]
                row = facilities[fid - facilities[0][0]] if complaint else None
                if row:
                    name, source, address = row[4], row[5], row[7]
                draft = (today - day).days < 14 and rng.random() < 0.3
                reason = (
                    "complaint"
                    if complaint
                    else "routine_plan"
                    if roll < 0.7
                    else "random_draw"
                    if roll < 0.9
                    else "campaign"
                )
                first, second = rng.sample(range(len(officers)), 2)
                signed_at = None if draft else datetime(year, day.month, day.day, 16, tzinfo=UTC)
                number = f"JC-{year}-{sequence[year]:04d}"
                self._officer_rows.append((iid, first, second, signed_at))
                yield {
                    "id": iid,
                    "number": number,
                    "year": year,
                    "sequence": sequence[year],
                    "facility_id": fid,
                    "inspected_on": day,
                    "checklist_version_id": version,
                    "reason": reason,
                    "complaint_id": complaint[0] if complaint else None,
                    "source_reference": {
                        "routine_plan": f"{year}年度执法检查计划",
                        "random_draw": f"{year}年双随机抽查",
                        "campaign": "排污许可专项执法行动",
                    }.get(reason, ""),
                    "mode": "on_site",
                    "state": "draft" if draft else "signed",
                    "representative_name": "" if draft else "张厂长",
                    "summary": "" if draft else "现场检查未发现明显问题。",
                    "created_by_id": officers[first][0],
                    "created_at": datetime(year, day.month, day.day, 9, tzinfo=UTC),
                    "signed_at": signed_at,
                    "record_hash": "" if draft else hashlib.sha256(number.encode()).hexdigest(),
                    "facility_name": "" if draft else name,
                    "facility_source_code": "" if draft else source,
                    "facility_address": "" if draft else address,
                }

        self._officer_rows = []
        made = 0
        # Inspections and their officers in slices, so a million rows never sit in memory at once.
        generator = inspection_rows()
        while True:
            chunk = list(itertools.islice(generator, 200_000))
            if not chunk:
                break
            made += w.write(Inspection, chunk)
            w.write(InspectionOfficer, self._officers())
        self.series_last.update({("inspection", y): s for y, s in sequence.items()})
        return f"{made} 次检查"

    def _officers(self):
        for iid, first, second, signed_at in self._officer_rows:
            for order, index in enumerate((first, second), start=1):
                user_id, last, first_name, certificate = self.officers[index]
                yield {
                    "inspection_id": iid,
                    "officer_id": user_id,
                    "name": f"{last}{first_name}",
                    "certificate_no": certificate,
                    "order": order,
                    "signed_at": signed_at,
                }
        self._officer_rows = []

    def execution_reports(self):
        """What each permit owed from the later of its issue and three years ago until now (R-REP-1):
        monthly or quarterly reports by its frequency and the annual one, 90% filed (one version)."""
        from permits.models import ExecutionReport, ReportVersion
        from permits.reports import rules as report_rules

        rng, w, today = self.rng, self.writer, self.today
        reports, versions = [], []
        for pid, fid, _level, issued, until, ended, frequency, _first in self.permit_rows:
            first_day = max(issued, self.start)
            last_day = min(today, ended or until)
            periods = []
            for year in range(first_day.year, today.year + 1):
                if frequency == "monthly":
                    periods += [("month", date(year, m, 1)) for m in range(1, 13)]
                elif frequency == "quarterly":
                    periods += [("quarter", date(year, m, 1)) for m in (1, 4, 7, 10)]
                periods.append(("year", date(year, 1, 1)))
            for kind, period_start in periods:
                period = report_rules.Period.starting(kind, period_start)
                if period.start < first_day.replace(day=1) or period.end >= last_day:
                    continue
                due = period.end + timedelta(days=15) if kind != "year" else date(period.end.year + 1, 1, 31)
                while not self.calendar.is_workday(
                    due
                ):  # moved to the next working day (民法典 第二百零三条)
                    due += timedelta(days=1)
                if due > today + timedelta(days=40):
                    continue
                filed = due <= today and rng.random() < 0.9 or due > today and rng.random() < 0.3
                received = (
                    self.day_between(period.end + timedelta(days=1), min(today, due + timedelta(days=10)))
                    if filed
                    else None
                )
                rid = w.next_id(ExecutionReport)
                reports.append(
                    {
                        "id": rid,
                        "permit_id": pid,
                        "facility_id": fid,
                        "period_type": kind,
                        "period_start": period.start,
                        "period_end": period.end,
                        "due_on": due,
                        "received_on": received,
                        "version_count": 1 if filed else 0,
                    }
                )
                if filed:
                    versions.append(
                        {
                            "report_id": rid,
                            "number": 1,
                            "received_on": received,
                            "source": "import",
                            "platform_ref": f"ZXBG{rid:09d}",
                        }
                    )
        w.write(ExecutionReport, reports)
        w.write(ReportVersion, versions)
        return f"{len(reports)} 份报告，{len(versions)} 个版本"

    def monitoring(self):
        """A dispatched plan per year: every key-managed holder once, 30% of the simplified ones (R-MON-1);
        past years concluded, this year's tasks in every state."""
        from monitoring.models import MonitoringPlan, MonitoringTask
        from monitoring.services import task_number

        rng, w, today = self.rng, self.writer, self.today
        ecology, station = self.handler["ecology"], self.handler["monitoring"]
        plans, tasks = [], []
        holders = [(fid, level) for fid, _u, level, *_ in self.facility_rows if level != "registered"]
        for year in range(self.start.year + 1, today.year + 1):
            key = [fid for fid, level in holders if level == "key"]
            simplified = [fid for fid, level in holders if level == "simplified"]
            sample = rng.sample(simplified, -(-len(simplified) * 30 // 100))
            plan_id = w.next_id(MonitoringPlan)
            plans.append(
                {
                    "id": plan_id,
                    "year": year,
                    "state": "dispatched",
                    "key_count": len(key),
                    "simplified_count": len(simplified),
                    "simplified_sample": len(sample),
                    "created_by_id": ecology,
                    "dispatched_by_id": ecology,
                    "dispatched_on": date(year, 1, 20),
                }
            )
            for sequence, (fid, basis) in enumerate(
                [(f, "key_all") for f in key] + [(f, "simplified_sample") for f in sample], start=1
            ):
                due = date(year, 12, 15)
                if year < today.year or rng.random() < 0.6:
                    state = "concluded"
                else:
                    state = rng.choice(["dispatched", "sampled"])
                sampled = (
                    self.day_between(date(year, 2, 1), min(due, today)) if state != "dispatched" else None
                )
                concluded = min(today, sampled + timedelta(days=10)) if state == "concluded" else None
                tasks.append(
                    {
                        "number": task_number(year, sequence),
                        "year": year,
                        "sequence": sequence,
                        "plan_id": plan_id,
                        "facility_id": fid,
                        "kind": "enforcement",
                        "basis": basis,
                        "state": state,
                        "due_on": due,
                        "dispatched_by_id": ecology,
                        "dispatched_on": date(year, 1, 20),
                        "sampled_on": sampled,
                        "sampling_note": "按计划采样。" if sampled else "",
                        "conclusion": ("compliant" if rng.random() < 0.95 else "exceeded")
                        if concluded
                        else "",
                        "conclusion_text": "监测结果见报告。" if concluded else "",
                        "concluded_by_id": station if concluded else None,
                        "concluded_on": concluded,
                        "created_by_id": ecology,
                    }
                )
            self.series_last[("monitoring-task", year)] = len(key) + len(sample)
        w.write(MonitoringPlan, plans)
        w.write(MonitoringTask, tasks)
        return f"{len(plans)} 个年度计划，{len(tasks)} 项监测任务"

    def grading(self):
        """The two last years' gradings, confirmed: every holder of the year graded (R-GRD-1), 优秀 within
        10% of the holders (R-GRD-4), a few 不合格 with the penalty condition (R-GRD-2)."""
        from grading.models import AnnualGrading, FacilityGrade

        rng, w = self.rng, self.writer
        gradings, grades = [], []
        for year in (self.today.year - 2, self.today.year - 1):
            holders = [
                fid
                for _p, fid, _l, issued, until, ended, *_ in self.permit_rows
                if issued <= date(year, 12, 31)
                and until >= date(year, 1, 1)
                and (ended is None or ended >= date(year, 1, 1))
            ]
            gid = w.next_id(AnnualGrading)
            cap = len(holders) // 10
            excellent = set(rng.sample(holders, cap * 8 // 10))
            unqualified = set(rng.sample(holders, len(holders) // 40)) - excellent
            confirmed = datetime(year + 1, 3, 20, 10, tzinfo=UTC)
            gradings.append(
                {
                    "id": gid,
                    "year": year,
                    "state": "confirmed",
                    "holders": len(holders),
                    "cap": cap,
                    "done": len(holders),
                    "total": len(holders),
                    "drafted_at": confirmed - timedelta(days=30),
                    "draft_count": 1,
                    "confirmed_at": confirmed,
                }
            )
            for rank, fid in enumerate(holders, start=1):
                grade = (
                    "excellent" if fid in excellent else "unqualified" if fid in unqualified else "qualified"
                )
                reasons = {
                    "excellent": [{"code": "e1", "text": "受到生态环境部门表彰", "url": ""}],
                    "unqualified": [{"code": "u1", "text": "受到生态环境部门行政处罚", "url": ""}],
                    "qualified": [
                        {
                            "code": "none",
                            "text": "年度内无“不合格”情形，也无“优秀”优先条件（附件2 三、四）。",
                            "url": "",
                        }
                    ],
                }[grade]
                grades.append(
                    {
                        "grading_id": gid,
                        "facility_id": fid,
                        "rule_grade": grade,
                        "grade": grade,
                        "reasons": reasons,
                        "unqualified_conditions": "u1" if grade == "unqualified" else "",
                        "excellent_conditions": "e1" if grade == "excellent" else "",
                        "rank": rank if grade == "excellent" else None,
                        "record": {"inspections": rng.randrange(0, 6), "complaints": 0},
                    }
                )
        w.write(AnnualGrading, gradings)
        w.write(FacilityGrade, grades)
        return f"{len(gradings)} 个年度，{len(grades)} 个等级"

    def series(self):
        from bureau.models import NumberSeries

        rows = [
            {"series": series, "year": year, "last": last}
            for (series, year), last in sorted(self.series_last.items())
        ]
        NumberSeries.objects.filter(series__in={s for s, _ in self.series_last}).update(last=0)
        existing = set(NumberSeries.objects.values_list("series", "year"))
        for row in rows:
            if (row["series"], row["year"]) in existing:
                NumberSeries.objects.filter(series=row["series"], year=row["year"]).update(last=row["last"])
        self.writer.write(NumberSeries, [r for r in rows if (r["series"], r["year"]) not in existing])
        return f"{len(rows)} 个序列"

    def analyze(self):
        from django.db import connection

        # Table by table: a bare ANALYZE also takes the shared catalogs, and waits on other databases' work.
        # VACUUM too where it may run (outside a transaction, so not in the test suite): it sets the
        # visibility map that index-only scans need, as autovacuum does on a live database; after a
        # bulk COPY without it, every "index-only" scan reads the table's pages as well.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f'{command} "{table}"')
        return command

    def meetings(self):
        """Dispatch meetings through the services: this quarter's planned one, and the last two
        quarters' held with their agendas built from the data (R-MTG-1, R-MTG-2)."""
        from bureau.models import Section, User
        from meetings import rules as meeting_rules
        from meetings import services
        from meetings.models import DispatchMeeting, MeetingKind

        approval = User.objects.get(username="approval")
        quarters = sorted(
            (
                (y, m)
                for y in (self.today.year - 1, self.today.year)
                for m in (2, 5, 8, 11)
                if date(y, m, 1) <= self.today
            ),
            reverse=True,
        )[:3]
        made = []
        for index, (year, month) in enumerate(quarters):
            if DispatchMeeting.objects.filter(
                kind=MeetingKind.QUARTERLY, year=year, quarter_month=month
            ).exists():
                continue
            scheduled = meeting_rules.default_meeting_date(year, month, self.calendar.is_workday)
            meeting = DispatchMeeting.objects.create(
                kind=MeetingKind.QUARTERLY,
                year=year,
                quarter_month=month,
                scheduled_on=scheduled,
                convener=Section.objects.get(code="approval"),
            )
            if index == 0 or scheduled > self.today:
                made.append(f"{year}-{month:02d} 待召开")
                continue
            started = time.perf_counter()
            services.record_minutes(
                by=approval,
                meeting=meeting,
                held_on=scheduled,
                minutes="会议通报各科室工作进展。",
                location="局三楼会议室",
                attendees="各科室负责人",
                version=meeting.version,
            )
            made.append(f"{year}-{month:02d} 已召开（议程 {time.perf_counter() - started:.1f} s）")
        return "，".join(made)


def build(facilities: int, *, today: date | None = None, seed: int = 15, out=sys.stdout) -> dict[str, int]:
    """Build the data set on the current (migrated) database; returns the rows written per model."""
    from django.utils import timezone

    return Builder(facilities, today=today or timezone.localdate(), seed=seed, out=out).run()


# ---------------------------------------------------------------------------------------------------
# The command line: a fresh database, migrated, then ``build``


def recreate_database(url: str) -> None:
    """Drop and create the database of ``url`` (PostgreSQL), or remove the SQLite file."""
    import dj_database_url

    config = dj_database_url.parse(url)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(config["NAME"] + suffix):
                os.remove(config["NAME"] + suffix)
        return
    import psycopg2

    maintenance = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
    )
    maintenance.autocommit = True
    with maintenance.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [config["NAME"]],
        )
        cursor.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')
        cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    maintenance.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="建立城市规模的基准测试数据（issue 15）")
    parser.add_argument(
        "--facilities", type=int, default=100_000, help="排污单位数，其他数量按比例（默认 100000）"
    )
    parser.add_argument("--seed", type=int, default=15, help="随机种子（默认 15）")
    parser.add_argument("--today", type=date.fromisoformat, default=None, help="数据所依的“今天”（默认今天）")
    parser.add_argument(
        "--no-recreate", action="store_true", help="不重建数据库：在已迁移、尚无业务数据的库上直接建立"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    url = os.environ["DATABASE_URL"]
    started = time.perf_counter()
    print(f"重建数据库 {url.rsplit('@', 1)[-1]}", flush=True)
    if not args.no_recreate:
        recreate_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(f"  {'建库与迁移':<34} {time.perf_counter() - started:7.1f} s", flush=True)
    counts = build(args.facilities, today=args.today, seed=args.seed)
    print("行数：" + "，".join(f"{label} {count}" for label, count in sorted(counts.items())))
    print(
        f"完成，共 {time.perf_counter() - started:.1f} s；登录用户见 bureau/demo.py（密码 {PASSWORD_NOTE}），"
        "另有 officer01…officer12（执法大队）。"
    )


if __name__ == "__main__":
    main()
