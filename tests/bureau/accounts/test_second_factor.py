"""等保 8.1.4.1 双因素: the administrator, 局领导 and 法制科 must enter a TOTP code (or a single-use
recovery code) after the password; others may enrol. Until then they reach only the second-factor
pages and logout."""

import pytest
from axes.models import AccessAttempt
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from bureau.models import LoginEvent, LoginEventKind
from tests.bureau.accounts.conftest import code_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("second_factor_on")]


def test_required_user_without_device_is_sent_to_enrol(client, log_in, leader):
    response = log_in("leadership", next_url="/organisation/")
    assert response.url == "/accounts/second-factor/?next=%2Forganisation%2F"
    page = client.get(response.url).content.decode()
    assert "须启用动态口令" in page and 'src="data:image/svg+xml' in page
    # every other page, and the API, stays closed
    assert client.get("/organisation/").url.startswith("/accounts/second-factor/")
    api = client.get("/api/v1/calendar/workdays/")
    assert api.status_code == 403 and api.json() == {"detail": "请先完成动态口令验证。"}


def test_enrol_then_log_in_with_a_code(client, log_in, leader, enrol):
    # given: enrolled right after the password
    log_in("leadership")
    device, codes = enrol()
    assert device.confirmed and len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/organisation/").status_code == 200
    assert LoginEvent.objects.filter(kind=LoginEventKind.SECOND_FACTOR_ENROLLED, user=leader).exists()
    client.post("/logout/")
    # when: the next login
    response = log_in("leadership", next_url="/organisation/")
    assert response.url == "/accounts/second-factor/verify/?next=%2Forganisation%2F"
    assert client.get("/organisation/").status_code == 302
    wrong = client.post(response.url, {"code": "000000"})
    assert wrong.status_code == 400 and "动态口令或恢复码不正确" in wrong.content.decode()
    right = client.post(response.url, {"code": code_for(device, steps_ahead=1)})
    # then
    assert right.url == "/organisation/"
    assert client.get("/organisation/").status_code == 200
    kinds = list(LoginEvent.objects.filter(user=leader).order_by("id").values_list("kind", "detail"))
    assert kinds[-3:] == [
        (LoginEventKind.LOGIN, "密码验证通过，待验证动态口令"),
        (LoginEventKind.SECOND_FACTOR_FAILED, ""),
        (LoginEventKind.LOGIN, "动态口令验证通过"),
    ]


def test_recovery_code_works_once(client, log_in, leader, enrol):
    log_in("leadership")
    _, codes = enrol()
    client.post("/logout/")
    log_in("leadership")
    assert client.post("/accounts/second-factor/verify/", {"code": codes[0]}).status_code == 302
    assert StaticToken.objects.count() == 9
    client.post("/logout/")
    log_in("leadership")
    assert client.post("/accounts/second-factor/verify/", {"code": codes[0]}).status_code == 400
    assert client.get("/").status_code == 302


def test_failures_are_cleared_only_after_the_whole_login(client, log_in, leader, enrol):
    log_in("leadership")
    device, _ = enrol()
    client.post("/logout/")
    log_in("leadership", "wrong")
    log_in("leadership")  # right password, code still owed: the failure is still counted
    assert AccessAttempt.objects.filter(username="leadership").exists()
    client.post("/accounts/second-factor/verify/", {"code": code_for(device, steps_ahead=1)})
    assert not AccessAttempt.objects.filter(username="leadership").exists()


def test_wrong_codes_lock_out_like_wrong_passwords(client, log_in, leader, enrol, settings):
    settings.AXES_FAILURE_LIMIT = 3
    log_in("leadership")
    enrol()
    client.post("/logout/")
    log_in("leadership")
    answers = [client.post("/accounts/second-factor/verify/", {"code": "000000"}).status_code for _ in range(3)]
    assert answers == [400, 400, 429]
    assert client.get("/").status_code == 302  # the session ended
    assert LoginEvent.objects.filter(kind=LoginEventKind.LOCKED_OUT, user=leader).count() == 1


def test_optional_user_logs_in_without_and_may_enrol(client, log_in, approval_clerk, enrol):
    assert log_in("approval").url == "/"
    assert client.get("/organisation/").status_code == 200
    assert "启用动态口令后" in client.get("/accounts/second-factor/").content.decode()
    enrol()
    client.post("/logout/")
    assert log_in("approval").url.startswith("/accounts/second-factor/verify/")


def test_administrator_resets_a_lost_device(client, log_in, leader, administrator, enrol):
    log_in("leadership")
    enrol()
    client.post("/logout/")
    client.force_login(administrator)
    # the administrator owes a code too; force_login marked the session, so verify as an enrolled
    # administrator would
    admin_device = TOTPDevice.objects.create(user=administrator, name="动态口令", confirmed=True)
    client.post("/accounts/second-factor/verify/", {"code": code_for(admin_device)})
    page = client.get("/accounts/devices/").content.decode()
    assert '<tr data-user="leadership">' in page
    response = client.post(f"/accounts/devices/{leader.pk}/reset/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=leader).exists()
    assert LoginEvent.objects.filter(kind=LoginEventKind.SECOND_FACTOR_RESET, user=leader).exists()
    client.post("/logout/")
    assert log_in("leadership").url.startswith("/accounts/second-factor/?")
