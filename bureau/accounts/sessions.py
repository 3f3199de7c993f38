"""Sessions end after ``settings.SESSION_IDLE_MINUTES`` without activity (等保 8.1.4.1 登录连接超时自动
退出) and when the browser closes (``SESSION_EXPIRE_AT_BROWSER_CLOSE``).

The time of the last activity is kept in the session and written at most once a minute, so a page
costs no extra write. A polling request (a URL ending ``.json``, such as the to-do counts in the
navigation bar) is not activity: a page left open does not keep its session alive.

An idle session is flushed without ``django.contrib.auth.logout``: logging out revokes the user's API
tokens (bureau.accounts.tokens), and idleness in a browser is no reason to stop a script's token.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse

from bureau.accounts import audit
from bureau.models import LoginEventKind

LAST_ACTIVITY_KEY = "last_activity"
# The stored time is refreshed only when it is at least this old (seconds).
WRITE_EVERY = 60
IDLE_MESSAGE = "您已超过 {minutes} 分钟未操作，为保护账号安全已自动退出，请重新登录。"


def touch(request: HttpRequest) -> None:
    """Note activity now (at login, and by the middleware at most once a minute)."""
    request.session[LAST_ACTIVITY_KEY] = int(time.time())


def is_idle(request: HttpRequest) -> bool:
    last = request.session.get(LAST_ACTIVITY_KEY)
    return last is not None and time.time() - last > settings.SESSION_IDLE_MINUTES * 60


class IdleSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            if is_idle(request):
                return self.expire(request)
            last = request.session.get(LAST_ACTIVITY_KEY)
            polling = request.path.endswith(".json")
            if not polling and (last is None or time.time() - last >= WRITE_EVERY):
                touch(request)
        return self.get_response(request)

    def expire(self, request):
        user = request.user
        audit.record(LoginEventKind.SESSION_EXPIRED, request=request, user=user, detail="空闲超时")
        request.session.flush()
        request.user = AnonymousUser()
        if request.path.startswith("/api/") or request.path.endswith(".json"):
            return self.get_response(request)  # answered as to anyone not logged in
        messages.info(request, IDLE_MESSAGE.format(minutes=settings.SESSION_IDLE_MINUTES))
        next_path = request.get_full_path() if request.method == "GET" else "/"
        return redirect(f"{reverse('login')}?{urlencode({'next': next_path})}")
