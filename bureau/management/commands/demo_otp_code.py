"""Print the demo second factor's current code (see bureau.demo.DEMO_TOTP_KEY and README), for a
reviewer of ``make run`` without an authenticator app at hand."""

from binascii import unhexlify

from django.core.management.base import BaseCommand
from django_otp.oath import totp

from bureau.demo import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = "显示演示账号（admin、leadership、legal、legal_head）当前的动态口令（仅对演示密钥有效）。"

    def handle(self, *args, **options):
        self.stdout.write(f"{totp(unhexlify(DEMO_TOTP_KEY)):06d}")
