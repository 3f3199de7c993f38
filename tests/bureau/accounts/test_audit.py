"""等保 8.1.4.3 安全审计: every login, logout and failed login is recorded with who, when, the address
and the outcome; the administrator reads them on one paginated page at a fixed query cost."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bureau.models import LoginEvent, LoginEventKind

pytestmark = pytest.mark.django_db


def test_login_logout_and_failure_are_recorded(client, log_in, approval_clerk):
    log_in("approval", "wrong", address="10.1.0.1")
    log_in("nobody-such", "wrong", address="10.1.0.1")
    assert log_in("approval", address="10.1.0.2").status_code == 302
    client.post("/logout/", REMOTE_ADDR="10.1.0.2")
    rows = list(LoginEvent.objects.order_by("id").values_list("kind", "username", "user", "address"))
    assert rows == [
        (LoginEventKind.FAILED, "approval", approval_clerk.pk, "10.1.0.1"),
        (LoginEventKind.FAILED, "nobody-such", None, "10.1.0.1"),
        (LoginEventKind.LOGIN, "approval", approval_clerk.pk, "10.1.0.2"),
        (LoginEventKind.LOGOUT, "approval", approval_clerk.pk, "10.1.0.2"),
    ]


def test_login_events_cannot_be_deleted(approval_clerk):
    event = LoginEvent.objects.create(user=approval_clerk, username="approval", kind=LoginEventKind.LOGIN)
    with pytest.raises(Exception, match="登录日志"):
        event.delete()


def _events(user, count, kind, days_ago=0):
    at = timezone.now() - timedelta(days=days_ago)
    LoginEvent.objects.bulk_create(
        LoginEvent(user=user, username=user.username, kind=kind, at=at, address="10.1.1.1") for _ in range(count)
    )


def test_login_log_filters_and_costs_fixed_queries(client, administrator, approval_clerk, officer, django_assert_num_queries):
    # given: more rows than a page, of two users, two kinds and two days
    _events(approval_clerk, 60, LoginEventKind.LOGIN)
    _events(officer, 5, LoginEventKind.FAILED)
    _events(officer, 3, LoginEventKind.FAILED, days_ago=200)
    client.force_login(administrator)
    # Expect 4 queries: session, the administrator, count of the filtered events, the page of events
    # with their users (select_related).
    with django_assert_num_queries(4):
        response = client.get("/accounts/login-log/")
    page = response.content.decode()
    assert response.status_code == 200 and page.count("<tr data-event=") == 50
    assert "共 69 条" in page  # the administrator's own login is the 69th
    with django_assert_num_queries(4):
        page = client.get("/accounts/login-log/", {"user": "enforce", "kind": "failed"}).content.decode()
    assert page.count('<tr data-event="failed">') == 8
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    page = client.get("/accounts/login-log/", {"user": "enforce", "since": since}).content.decode()
    assert page.count('<tr data-event="failed">') == 5
    page = client.get("/accounts/login-log/", {"page": "2"}).content.decode()
    assert page.count("<tr data-event=") == 19 and "第 2 / 2 页" in page


def test_only_the_administrator_reads_the_log(client, leader):
    client.force_login(leader)
    assert client.get("/accounts/login-log/").status_code == 403
    assert client.get("/accounts/devices/").status_code == 403
