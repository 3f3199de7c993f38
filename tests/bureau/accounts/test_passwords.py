"""等保 8.1.4.1 身份鉴别信息复杂度: length, three of four character classes, none of the last five again;
staff change their own password on a page, audited."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from bureau.models import LoginEvent, LoginEventKind, PasswordHistory
from tests.factories.bureau import PASSWORD

pytestmark = pytest.mark.django_db


def _errors(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return exc.messages
    return []


@pytest.mark.parametrize(
    "password, accepted",
    [
        ("Ab1!", False),  # too short
        ("abcdefgh12", False),  # two classes
        ("abcdefgh!2", True),  # lower, digit, symbol
        ("ABCDEFgh12", True),  # upper, lower, digit
        ("Demo@2025", True),  # settings.DEMO_PASSWORD
    ],
)
def test_password_rules(password, accepted):
    assert (_errors(password) == []) is accepted


def test_messages_are_chinese():
    assert "密码须包含大写字母、小写字母、数字、特殊符号四类中的至少三类。" in _errors("abcdefgh12")
    assert "密码太短：至少需要 8 个字符。" in _errors("Ab1!")


def test_demo_password_satisfies_the_rules():
    assert _errors(settings.DEMO_PASSWORD) == []


def test_none_of_the_last_five_passwords_again(approval_clerk):
    used = [f"Zz{n}!abcdef" for n in range(6)]
    for password in used:
        assert _errors(password, approval_clerk) == []
        approval_clerk.set_password(password)
        approval_clerk.save()
    assert PasswordHistory.objects.filter(user=approval_clerk).count() == 7  # PASSWORD at creation, then six
    reused = "新密码不能与最近 5 次使用过的密码相同。"
    for password in used[1:]:
        assert _errors(password, approval_clerk) == [reused]
    assert _errors(used[0], approval_clerk) == []  # six changes ago


def test_staff_change_their_own_password(client, log_in, approval_clerk):
    log_in("approval")
    # wrong old password, a weak new one
    response = client.post(
        "/accounts/password/",
        {"old_password": "wrong", "new_password1": "abcdefgh12", "new_password2": "abcdefgh12"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "原密码不正确" in page and "至少三类" in page
    # the same password again
    response = client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    assert "新密码不能与最近 5 次使用过的密码相同。" in response.content.decode()
    # when: a good one
    new = "Neu-Pass2026"
    response = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    # then: still logged in, audited, and the new password works
    assert response.status_code == 302
    assert client.get("/organisation/").status_code == 200
    assert LoginEvent.objects.filter(kind=LoginEventKind.PASSWORD_CHANGED, user=approval_clerk).count() == 1
    client.logout()
    assert log_in("approval", new).status_code == 302


def test_password_page_needs_login(client):
    assert client.get("/accounts/password/").url.startswith("/login/")
