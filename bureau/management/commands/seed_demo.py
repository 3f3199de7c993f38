"""A demo bureau: every section, towns, and one user per section (see README)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from bureau import calendar, services
from bureau.models import Role, SectionCode, Town, TownKind, User

DEMO_TOWNS = [
    ("T01", "长征镇", TownKind.TOWN),
    ("T02", "桃浦镇", TownKind.TOWN),
    ("T03", "真如镇街道", TownKind.TOWN),
    ("T04", "桃浦智创城工业园区", TownKind.PARK),
]

# username, section, role, full name, certificate number
DEMO_STAFF = [
    ("approval", SectionCode.APPROVAL, Role.HANDLER, "王审批", ""),
    ("ecology", SectionCode.ECOLOGY, Role.HANDLER, "李生态", ""),
    ("pollution", SectionCode.POLLUTION, Role.HANDLER, "张污防", ""),
    ("legal", SectionCode.LEGAL, Role.HANDLER, "赵法制", ""),
    ("enforcement", SectionCode.ENFORCEMENT, Role.HANDLER, "陈执法", "31010720001"),
    ("enforcement2", SectionCode.ENFORCEMENT, Role.HANDLER, "周执法", "31010720002"),
    ("monitoring", SectionCode.MONITORING, Role.HANDLER, "吴监测", ""),
    ("leadership", SectionCode.LEADERSHIP, Role.LEADER, "郑局长", ""),
    # The heads (负责人) who sign linkage tasks and transfer slips with the handlers.
    ("approval_head", SectionCode.APPROVAL, Role.HEAD, "钱科长", ""),
    ("ecology_head", SectionCode.ECOLOGY, Role.HEAD, "孙科长", ""),
    ("pollution_head", SectionCode.POLLUTION, Role.HEAD, "冯科长", ""),
    ("legal_head", SectionCode.LEGAL, Role.HEAD, "褚科长", ""),
    ("enforcement_head", SectionCode.ENFORCEMENT, Role.HEAD, "卫大队长", "31010720003"),
    ("monitoring_head", SectionCode.MONITORING, Role.HEAD, "蒋站长", ""),
]


class Command(BaseCommand):
    help = "载入演示数据（仅用于演示环境；DEBUG 关闭时需加 --force）。重复执行不会改变已有数据。"

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="在 DEBUG 关闭时仍然执行")
        parser.add_argument(
            "--skip-in-production", action="store_true", help="DEBUG 关闭时不报错，只提示并跳过（供 make run 使用）"
        )

    @transaction.atomic
    def handle(self, *args, force=False, skip_in_production=False, **options):
        if not settings.DEBUG and not force and skip_in_production:
            self.stdout.write("DEBUG 已关闭（生产模式）：不载入演示数据。")
            return
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG 已关闭（生产模式），拒绝载入演示数据。确需载入请加 --force。")
        password = settings.DEMO_PASSWORD
        services.ensure_sections()
        created = []
        for year in (2024, 2025, 2026):
            if calendar.package_knows(year) and not calendar.year_is_complete(year):
                services.seed_calendar_year(year=year)
        services.check_calendar_coverage(today=timezone.localdate())
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser("admin", "admin@example.invalid", password, last_name="系统管理员")
            created.append("admin")
        towns = []
        for code, name, kind in DEMO_TOWNS:
            town = Town.objects.filter(code=code).first() or services.create_town(
                code=code, name=name, kind=kind
            )
            towns.append(town)
        staff = list(DEMO_STAFF) + [
            (f"town{i}", SectionCode.TOWN, Role.HANDLER, f"{town.name}联络员", "")
            for i, town in enumerate(towns, 1)
        ]
        for index, (username, section, role, full_name, certificate) in enumerate(staff):
            if User.objects.filter(username=username).exists():
                continue
            town = towns[int(username[4:]) - 1] if section == SectionCode.TOWN else None
            services.create_staff(
                username=username,
                password=password,
                section_code=section,
                role=role,
                full_name=full_name,
                town=town,
                certificate_no=certificate,
                phone=f"021-5250{index:04d}",
            )
            created.append(username)
        from permits.demo import seed_registry

        facilities = seed_registry(approval=User.objects.get(username="approval"))
        if facilities:
            created.append(f"{facilities} 家排污单位")
        from linkage.demo import seed_linkage

        tasks = seed_linkage()
        if tasks:
            created.append(f"{tasks} 项三监联动任务")
        if created:
            self.stdout.write(self.style.SUCCESS(f"已创建：{'、'.join(created)}（用户密码见 DEMO_PASSWORD）"))
        else:
            self.stdout.write("演示数据已存在，未做改动。")
