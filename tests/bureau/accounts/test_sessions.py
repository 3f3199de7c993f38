"""等保 8.1.4.1 登录连接超时自动退出: a session ends after SESSION_IDLE_MINUTES without activity and at
browser close; polling is not activity; the activity time is written at most once a minute."""

import time

import pytest

from bureau.accounts.sessions import LAST_ACTIVITY_KEY
from bureau.models import LoginEvent, LoginEventKind

pytestmark = pytest.mark.django_db


def _set_last_activity(client, seconds_ago):
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - seconds_ago
    session.save()
    return session[LAST_ACTIVITY_KEY]


def test_idle_session_is_ended_with_a_chinese_message(client, log_in, approval_clerk, settings):
    settings.SESSION_IDLE_MINUTES = 30
    log_in("approval")
    _set_last_activity(client, 31 * 60)
    # when
    response = client.get("/organisation/", follow=True)
    # then: on the login page, told why, and the session is gone
    assert response.redirect_chain[0] == ("/login/?next=%2Forganisation%2F", 302)
    assert "您已超过 30 分钟未操作，为保护账号安全已自动退出，请重新登录。" in response.content.decode()
    assert client.get("/").status_code == 302
    expired = LoginEvent.objects.get(kind=LoginEventKind.SESSION_EXPIRED)
    assert expired.user == approval_clerk and expired.detail == "空闲超时"
    # idleness is not a logout (a logout revokes the user's API tokens)
    assert not LoginEvent.objects.filter(kind=LoginEventKind.LOGOUT).exists()


def test_activity_within_the_idle_time_keeps_the_session(client, log_in, approval_clerk):
    log_in("approval")
    _set_last_activity(client, 29 * 60)
    assert client.get("/organisation/").status_code == 200
    assert time.time() - client.session[LAST_ACTIVITY_KEY] < 5


def test_polling_is_not_activity(client, log_in, approval_clerk):
    log_in("approval")
    before = _set_last_activity(client, 29 * 60)
    assert client.get("/todo/counts.json").status_code == 200
    assert client.session[LAST_ACTIVITY_KEY] == before


def test_activity_is_written_at_most_once_a_minute(client, log_in, approval_clerk):
    log_in("approval")
    before = _set_last_activity(client, 30)
    client.get("/organisation/")
    assert client.session[LAST_ACTIVITY_KEY] == before


def test_session_ends_at_browser_close(client, log_in, approval_clerk):
    response = log_in("approval")
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""
