from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bureau import calendar, services


class Command(BaseCommand):
    help = "从 chinese-calendar 生成工作日历（已有的日期保持不变）。默认：前两年至该包支持的最后一年。"

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="*", type=int, help="年份，如 2025 2026")

    def handle(self, *args, years, **options):
        this_year = timezone.localdate().year
        if not years:
            years = [y for y in range(this_year - 2, this_year + 2) if calendar.package_knows(y)]
        for year in years:
            try:
                added = services.seed_calendar_year(year=year)
            except calendar.CalendarYearUnknown as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"{year} 年：新增 {added} 天")
