"""API tokens (等保 8.1.4.1): issued against password (+ TOTP where required), throttled like logins,
kept as a digest only, expiring, revocable by owner and administrator, revoked on logout and on every
password change."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from bureau.accounts.token_views import ALL_TOKENS_PAGE_SIZE
from bureau.accounts.tokens import issue, revoke
from bureau.models import ApiToken, LoginEvent, LoginEventKind

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
WORKDAYS = "/api/v1/calendar/workdays/"
QUERY = {"start": "2025-09-30", "days": 5}


@pytest.fixture(autouse=True)
def no_second_factor_unless_asked(settings):
    settings.SECOND_FACTOR_REQUIRED = False


def ask(api_client, key, keyword="Bearer"):
    api_client.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")
    return api_client.get(WORKDAYS, QUERY)


# The token endpoint ---------------------------------------------------------------------------------


def test_the_endpoint_issues_a_token_kept_only_as_its_digest(api_client, approval_clerk, password):
    # when
    response = api_client.post(TOKEN_URL, {"username": "approval", "password": password, "name": "对接"})
    # then
    assert response.status_code == 200
    key = response.json()["token"]
    stored = ApiToken.objects.get(user=approval_clerk)
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert stored.prefix == key[:12] == response.json()["prefix"]
    assert key not in str(list(ApiToken.objects.values()))
    assert stored.expires_at - timezone.now() > timedelta(days=29)
    assert LoginEvent.objects.filter(user=approval_clerk, kind=LoginEventKind.TOKEN_ISSUED).exists()
    # both keywords authenticate
    assert ask(api_client, key, "Bearer").status_code == 200
    assert ask(api_client, key, "Token").status_code == 200


def test_a_wrong_password_is_refused_in_chinese_and_recorded(api_client, approval_clerk):
    response = api_client.post(TOKEN_URL, {"username": "approval", "password": "wrong"})
    assert response.status_code == 400
    assert response.json()["detail"] == "用户名或密码错误。"
    # recorded once (by the endpoint, not again by the login page's receiver)
    assert list(LoginEvent.objects.filter(username="approval").values_list("kind", flat=True)) == [
        LoginEventKind.TOKEN_FAILED
    ]


def test_failures_lock_the_token_endpoint_like_the_login_page(api_client, approval_clerk, password, settings):
    # given: as many failures as the limit allows
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert api_client.post(TOKEN_URL, {"username": "approval", "password": "wrong"}).status_code == 400
    # when: the last failure, then the right password
    locked = api_client.post(TOKEN_URL, {"username": "approval", "password": "wrong"})
    still = api_client.post(TOKEN_URL, {"username": "approval", "password": password})
    # then
    for response in (locked, still):
        assert response.status_code == 429
        assert response["Content-Type"] == "application/json"
        assert "已被锁定" in response.json()["detail"]
    assert not ApiToken.objects.exists()
    assert LoginEvent.objects.filter(username="approval", kind=LoginEventKind.LOCKED_OUT).count() == 1
    assert LoginEvent.objects.filter(username="approval").count() == settings.AXES_FAILURE_LIMIT + 1


def test_a_second_factor_is_asked_of_those_who_need_it(api_client, administrator, password, settings):
    # given
    settings.SECOND_FACTOR_REQUIRED = True
    device = TOTPDevice.objects.create(user=administrator, name="手机", confirmed=True)
    credentials = {"username": "root", "password": password}
    # when / then: no code, the right code, a wrong code (a failure throttles the device for a while)
    assert api_client.post(TOKEN_URL, credentials).json() == {"otp": ["请填写动态口令。"]}
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert api_client.post(TOKEN_URL, {**credentials, "otp": code}).status_code == 200
    wrong = api_client.post(TOKEN_URL, {**credentials, "otp": f"{(int(code) + 1) % 10**6:06d}"})
    assert wrong.json() == {"otp": ["动态口令错误或已过期。"]}
    assert LoginEvent.objects.filter(user=administrator, kind=LoginEventKind.SECOND_FACTOR_FAILED).count() == 2


def test_a_required_second_factor_not_yet_enrolled_gives_no_token(api_client, administrator, password, settings):
    settings.SECOND_FACTOR_REQUIRED = True
    response = api_client.post(TOKEN_URL, {"username": "root", "password": password})
    assert response.status_code == 400
    assert "绑定动态口令" in response.json()["detail"]
    assert not ApiToken.objects.exists()


# Using a token --------------------------------------------------------------------------------------


def test_no_credentials_or_an_unknown_token_is_401_with_a_challenge(api_client, approval_clerk):
    anonymous = api_client.get(WORKDAYS, QUERY)
    unknown = ask(api_client, "pwx_nonsense")
    assert (anonymous.status_code, unknown.status_code) == (401, 401)
    assert anonymous["WWW-Authenticate"] == unknown["WWW-Authenticate"] == 'Bearer realm="api"'
    assert anonymous.json()["detail"] == "身份认证信息未提供。"
    assert unknown.json()["detail"] == "令牌无效。"


def test_expired_and_revoked_tokens_are_refused(api_client, approval_clerk, officer):
    # given
    expired, expired_key = issue(approval_clerk, "旧")
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    revoked, revoked_key = issue(approval_clerk, "作废")
    revoke(revoked, officer, "测试")
    # when / then
    response = ask(api_client, expired_key)
    assert response.status_code == 401 and response.json()["detail"] == "令牌已过期，请重新申请。"
    response = ask(api_client, revoked_key)
    assert response.status_code == 401 and response.json()["detail"] == "令牌已被吊销，请重新申请。"


def test_last_used_is_written_at_most_once_a_minute(api_client, approval_clerk):
    token, key = issue(approval_clerk)
    ask(api_client, key)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    ask(api_client, key)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    ask(api_client, key)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first - timedelta(minutes=2)


def test_days_are_set_by_the_issuer(approval_clerk):
    token, _ = issue(approval_clerk, "短期", days=3)
    assert timedelta(days=2, hours=23) < token.expires_at - timezone.now() <= timedelta(days=3)


# Revoked on logout and on password change ------------------------------------------------------------


def test_logout_revokes_every_token_of_the_user(client, approval_clerk, officer):
    # given
    mine, _ = issue(approval_clerk)
    theirs, _ = issue(officer)
    client.force_login(approval_clerk)
    # when
    client.post("/logout/")
    # then
    assert ApiToken.objects.get(pk=mine.pk).revoke_reason == "退出登录"
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None


def test_any_password_change_revokes_and_other_saves_do_not(approval_clerk):
    token, _ = issue(approval_clerk)
    approval_clerk.first_name = "改名"
    approval_clerk.save()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    approval_clerk.set_password("Another#Passw0rd")
    approval_clerk.save()
    assert ApiToken.objects.get(pk=token.pk).revoke_reason == "修改密码"


# Pages ------------------------------------------------------------------------------------------


def test_the_owner_issues_sees_once_and_revokes(client, approval_clerk):
    client.force_login(approval_clerk)
    # when: issue
    response = client.post("/accounts/tokens/", {"name": "脚本", "days": 7})
    # then: shown once
    token = ApiToken.objects.get(user=approval_clerk)
    plaintext = response.context["issued"]["plaintext"]
    assert plaintext in response.content.decode()
    page = client.get("/accounts/tokens/")
    assert plaintext not in page.content.decode() and f"{token.prefix}…" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    # when: revoke
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert ApiToken.objects.get(pk=token.pk).revoke_reason == "本人吊销"


def test_too_many_days_are_refused_on_the_page(client, approval_clerk, settings):
    client.force_login(approval_clerk)
    response = client.post("/accounts/tokens/", {"name": "脚本", "days": settings.API_TOKEN_DAYS + 1})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_another_users_token_is_404_and_the_administrator_revokes_any(client, approval_clerk, officer, administrator):
    # given
    token, _ = issue(officer)
    client.force_login(approval_clerk)
    # then
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert client.get("/accounts/tokens/all/").status_code == 403
    assert token.prefix not in client.get("/accounts/tokens/").content.decode()
    # when: the administrator
    client.force_login(administrator)
    assert token.prefix in client.get("/accounts/tokens/all/").content.decode()
    client.post(f"/accounts/tokens/{token.pk}/revoke/", {"next": "all"})
    revoked = ApiToken.objects.get(pk=token.pk)
    assert (revoked.revoked_by, revoked.revoke_reason) == (administrator, "管理员吊销")


def test_the_management_command_prints_the_token_once(approval_clerk, api_client):
    out = StringIO()
    call_command("issue_api_token", "approval", "--days", "2", stdout=out, stderr=StringIO())
    key = out.getvalue().strip()
    assert ask(api_client, key).status_code == 200


def test_the_administrators_list_of_every_token_is_paged_at_fixed_queries(
    client, administrator, approval_clerk, officer, django_assert_num_queries
):
    # given: more tokens than one page holds, of two users
    for n in range(ALL_TOKENS_PAGE_SIZE + 3):
        issue(approval_clerk if n % 2 else officer, name=f"脚本{n}")
    newest, _ = issue(officer, name="最新")
    client.force_login(administrator)
    # then: newest first, one page at a time, the same queries for every page
    with django_assert_num_queries(4):
        first = client.get("/accounts/tokens/all/").content.decode()
    with django_assert_num_queries(4):
        second = client.get("/accounts/tokens/all/?page=2").content.decode()
    assert first.count("<code>") == ALL_TOKENS_PAGE_SIZE and second.count("<code>") == 4
    assert newest.prefix in first and "第 1 / 2 页" in first
    assert "脚本0" in second and "脚本0" not in first
