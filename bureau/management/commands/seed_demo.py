"""Load the demo data: each installed app's ``demo.seed``, in the order of INSTALLED_APPS (which is
the order of the layers, so an app's demo finds the data of the apps below it). See README."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from bureau.demo import run_demo_seeds


class Command(BaseCommand):
    help = "载入演示数据（仅用于演示环境；DEBUG 关闭时需加 --force）。重复执行不会改变已有数据。"

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="在 DEBUG 关闭时仍然执行")
        parser.add_argument(
            "--skip-in-production",
            action="store_true",
            help="DEBUG 关闭时不报错，只提示并跳过（供 make run 使用）",
        )

    @transaction.atomic
    def handle(self, *args, force=False, skip_in_production=False, **options):
        if not settings.DEBUG and not force and skip_in_production:
            self.stdout.write("DEBUG 已关闭（生产模式）：不载入演示数据。")
            return
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG 已关闭（生产模式），拒绝载入演示数据。确需载入请加 --force。")
        created = run_demo_seeds(today=timezone.localdate())
        if created:
            self.stdout.write(self.style.SUCCESS(f"已创建：{'、'.join(created)}（用户密码见 DEMO_PASSWORD）"))
        else:
            self.stdout.write("演示数据已存在，未做改动。")
