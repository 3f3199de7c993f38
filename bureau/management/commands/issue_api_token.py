"""``manage.py issue_api_token <username> [--days N] [--name 用途]``: issue a token from the server's
shell (for an integration set up by the administrator); prints it once, it is not stored in full."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from bureau.accounts.tokens import issue


class Command(BaseCommand):
    help = "为指定用户签发接口令牌（只显示一次）。"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=None, help=f"有效天数，默认 {settings.API_TOKEN_DAYS}")
        parser.add_argument("--name", default="命令行签发", help="用途")

    def handle(self, *args, username, days, name, **options):
        user = get_user_model()._default_manager.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"用户 {username} 不存在或已停用。")
        if days is not None and days < 1:
            raise CommandError("--days 至少为 1。")
        token, plaintext = issue(user, name, days)
        self.stderr.write(f"已为 {username} 签发令牌 {token.prefix}…，到期时间 {token.expires_at:%Y-%m-%d %H:%M}。")
        self.stdout.write(plaintext)
