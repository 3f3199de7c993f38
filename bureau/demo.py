"""The demo bureau for ``seed_demo``: every section, towns, one user per section, the heads, and the
calendar of the years the package knows (see README). Idempotent: what exists is left alone."""

from datetime import date

from django.conf import settings

from bureau import calendar, services
from bureau.models import Role, SectionCode, Town, TownKind, User
from bureau.plugins import project_modules

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


# The demo's second factor (make run keeps SECOND_FACTOR_REQUIRED on, as production does): the demo users
# who must prove one get a TOTP device with this published key, so a reviewer can add it to any
# authenticator app by hand (base32 OB3XQ2ZNMRSW23ZNORXXI4BNGIYDENJB) or print the current code with
# ``manage.py demo_otp_code``. A demo key, public on purpose: never on a production account.
DEMO_TOTP_KEY = "7077786b2d64656d6f2d746f74702d3230323521"


def _demo_second_factor() -> list[str]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bureau.accounts.second_factor import REQUIRED_SECTIONS

    owing = User.objects.filter(is_superuser=True) | User.objects.filter(staff__section__code__in=REQUIRED_SECTIONS)
    created = []
    for user in owing.filter(totpdevice__isnull=True).distinct().order_by("username"):
        TOTPDevice.objects.create(user=user, name="动态口令（演示）", key=DEMO_TOTP_KEY, confirmed=True)
        created.append(f"{user.username} 的演示动态口令")
    return created


def seed(*, today: date) -> list[str]:
    """Create what is missing; return what was created, in words."""
    password = settings.DEMO_PASSWORD
    services.ensure_sections()
    created = []
    for year in (2024, 2025, 2026):
        if calendar.package_knows(year) and not calendar.year_is_complete(year):
            services.seed_calendar_year(year=year)
    services.check_calendar_coverage(today=today)
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "admin@example.invalid", password, last_name="系统管理员")
        created.append("admin")
    towns = []
    for code, name, kind in DEMO_TOWNS:
        town = Town.objects.filter(code=code).first() or services.create_town(code=code, name=name, kind=kind)
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
    return created + _demo_second_factor()


def run_demo_seeds(*, today: date) -> list[str]:
    """Ask every installed app for its ``demo.seed(today=…)``, in INSTALLED_APPS order, and return
    everything created, in words. An app plugs in its demo data by having a ``demo`` module."""
    created = []
    for module in project_modules("demo"):
        created.extend(module.seed(today=today))
    return created
