"""等保 8.1.4.1 登录失败处理: failed logins lock the user name and, separately, the address, with a
Chinese 429; the administrator sees the lockouts and unlocks them (audited)."""

import json

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory

from bureau.accounts.lockout import lockout_response
from bureau.models import LoginEvent, LoginEventKind
from tests.factories.bureau import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED = "登录失败次数过多，账号/地址已锁定 30 分钟，请稍后再试或联系系统管理员解锁"


@pytest.fixture(autouse=True)
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = 0.5


def test_user_name_is_locked_after_the_limit_from_any_address(log_in, approval_clerk):
    # given: three wrong passwords for one user name, each from another address
    answers = [log_in("approval", "wrong", address=f"10.0.1.{n}").status_code for n in range(3)]
    assert answers == [200, 200, 429]  # the failure that reaches the limit is already told
    # when: the right password from a fourth address
    response = log_in("approval", address="10.0.1.9")
    # then
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert response["Retry-After"] == "1800"
    kinds = list(LoginEvent.objects.filter(username="approval").values_list("kind", flat=True))
    assert kinds.count(LoginEventKind.FAILED) == 4 and kinds.count(LoginEventKind.LOCKED_OUT) == 1
    locked = LoginEvent.objects.get(kind=LoginEventKind.LOCKED_OUT)
    assert locked.user == approval_clerk and locked.address == "10.0.1.2"
    assert not LoginEvent.objects.filter(kind=LoginEventKind.LOGIN).exists()


def test_address_is_locked_after_the_limit_for_any_user_name(log_in, approval_clerk, officer):
    for name in ("alpha", "beta", "gamma"):
        log_in(name, "wrong", address="10.0.2.1")
    assert log_in("approval", address="10.0.2.1").status_code == 429
    # another address is not locked
    response = log_in("enforcement", address="10.0.2.2")
    assert response.status_code == 302 and response.url == "/"


def test_api_lockout_answer_is_json():
    request = RequestFactory().post("/api/v1/auth/token/")
    response = lockout_response(request)
    assert response.status_code == 429
    assert json.loads(response.content) == {"detail": LOCKED + "。"}


def test_administrator_lists_and_unlocks(client, log_in, approval_clerk, administrator):
    for n in range(3):
        log_in("approval", "wrong", address=f"10.0.3.{n}")
    client.force_login(administrator)
    page = client.get("/accounts/lockouts/").content.decode()
    assert 'data-lockout="username:approval"' in page
    response = client.post("/accounts/lockouts/unlock/", {"by": "username", "value": "approval"})
    assert response.status_code == 302
    assert 'data-lockout="username:approval"' not in client.get("/accounts/lockouts/").content.decode()
    unlocked = LoginEvent.objects.get(kind=LoginEventKind.UNLOCKED)
    assert unlocked.user == approval_clerk and "root" in unlocked.detail
    client.logout()
    assert log_in("approval", address="10.0.3.9").status_code == 302


def test_unlock_an_address(client, log_in, approval_clerk, administrator):
    for name in ("alpha", "beta", "gamma"):
        log_in(name, "wrong", address="10.0.4.1")
    client.force_login(administrator)
    assert 'data-lockout="address:10.0.4.1"' in client.get("/accounts/lockouts/").content.decode()
    client.post("/accounts/lockouts/unlock/", {"by": "address", "value": "10.0.4.1"})
    assert not AccessAttempt.objects.filter(ip_address="10.0.4.1").exists()
    client.logout()
    assert log_in("approval", address="10.0.4.1").status_code == 302


def test_only_the_administrator_sees_and_unlocks(client, leader):
    client.force_login(leader)
    assert client.get("/accounts/lockouts/").status_code == 403
    assert client.post("/accounts/lockouts/unlock/", {"by": "username", "value": "x"}).status_code == 403


def test_success_clears_the_user_names_failures_only(log_in, approval_clerk):
    log_in("approval", "wrong", address="10.0.5.1")
    log_in("approval", "wrong", address="10.0.5.1")
    assert log_in("approval", address="10.0.5.1").status_code == 302
    assert not AccessAttempt.objects.filter(username="approval").exists()


def test_behind_the_proxy_failures_count_per_client_not_per_proxy(client, settings, approval_clerk, officer):
    # given: the TLS proxy (10.0.9.1) appends each client's address; a client forges one of its own
    settings.TRUSTED_PROXY_COUNT = 1

    def through_proxy(username, password, client_address, forged=""):
        chain = f"{forged}, {client_address}" if forged else client_address
        data = {"username": username, "password": password}
        return client.post("/login/", data, REMOTE_ADDR="10.0.9.1", HTTP_X_FORWARDED_FOR=chain)

    # when: one client fails three times under three user names, writing another address before its own
    for name in ("alpha", "beta", "gamma"):
        through_proxy(name, "wrong", "172.16.0.5", forged="1.2.3.4")
    # then: that client is locked, recorded under its real address, and everyone else still logs in
    assert through_proxy("approval", PASSWORD, "172.16.0.5").status_code == 429
    assert set(LoginEvent.objects.filter(kind=LoginEventKind.FAILED).values_list("address", flat=True)) == {
        "172.16.0.5"
    }
    assert through_proxy("enforcement", PASSWORD, "172.16.0.6").status_code == 302


def test_without_a_trusted_proxy_a_forged_header_is_ignored(log_in, client, approval_clerk):
    for n in range(3):
        client.post(
            "/login/",
            {"username": f"u{n}", "password": "wrong"},
            REMOTE_ADDR="10.0.4.1",
            HTTP_X_FORWARDED_FOR=f"10.0.5.{n}",
        )
    assert log_in("approval", address="10.0.4.1").status_code == 429
