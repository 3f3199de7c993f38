"""Password rules of 等保 8.1.4.1 (身份鉴别信息具有复杂度要求并定期更换) on top of Django's own validators
(settings.AUTH_PASSWORD_VALIDATORS): at least ``PASSWORD_MIN_LENGTH`` characters, at least three of the four character classes, and none of the last
``HISTORY_SIZE`` passwords again. Every password set is remembered (``PasswordHistory``) through the
validators' ``password_changed`` hook, which Django calls whenever a user is saved after
``set_password``: the password page, the admin, ``createsuperuser`` and services alike."""

import string

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from bureau.accounts import audit
from bureau.models import LoginEventKind, PasswordHistory, User

HISTORY_SIZE = 5
CLASSES_REQUIRED = 3


def character_classes(password: str) -> int:
    """How many of upper case, lower case, digits and other characters the password uses."""
    return sum(
        (
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c in string.digits for c in password),
            any(not c.isalnum() for c in password),
        )
    )


class LengthValidator:
    """At least ``min_length`` characters (settings PASSWORD_MIN_LENGTH, 8 by default), said in Chinese
    whatever language is active (a management command has none)."""

    def __init__(self, min_length: int = 8):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(f"密码太短：至少需要 {self.min_length} 个字符。", code="password_too_short")

    def get_help_text(self):
        return f"至少 {self.min_length} 个字符。"


class CharacterClassValidator:
    def validate(self, password, user=None):
        if character_classes(password) < CLASSES_REQUIRED:
            raise ValidationError(
                "密码须包含大写字母、小写字母、数字、特殊符号四类中的至少三类。", code="password_too_simple"
            )

    def get_help_text(self):
        return "须包含大写字母、小写字母、数字、特殊符号四类中的至少三类。"


class RecentPasswordValidator:
    """Refuses the current password and the last ``HISTORY_SIZE`` ones; remembers each new one."""

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        hashes = list(
            PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[:HISTORY_SIZE]
        )
        if user.password:
            hashes.append(user.password)
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(
                f"新密码不能与最近 {HISTORY_SIZE} 次使用过的密码相同。", code="password_reused"
            )

    def password_changed(self, password, user=None):
        if user is not None and user.pk is not None and user.password:
            PasswordHistory.objects.create(user=user, password=user.password)

    def get_help_text(self):
        return f"不能与最近 {HISTORY_SIZE} 次使用过的密码相同。"


@transaction.atomic
def change_own_password(*, user: User, new_password: str, request: HttpRequest | None = None) -> None:
    """A staff member changes their own password (the form has checked the old one and the rules).
    Remembered in the history by the validator hook, audited; the API tokens are revoked at the model
    level (bureau.accounts.tokens)."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit.record(LoginEventKind.PASSWORD_CHANGED, request=request, user=user)
