"""The login side's pages (等保 8.1.4.1, 8.1.4.3): login with the second factor, the password page,
enrolment, and the administrator's lockouts, login log and devices."""

from datetime import datetime, time, timedelta
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from bureau.accounts import audit, devices, lockout, passwords
from bureau.accounts.forms import CodeForm, EnrolForm, LoginLogFilter, PasswordChangeForm
from bureau.accounts.second_factor import (
    PENDING_KEY,
    has_confirmed_device,
    is_pending,
    second_factor_required,
)
from bureau.models import LoginEvent, LoginEventKind, User
from bureau.web import submit_step

LOG_PAGE_SIZE = 50


def superuser_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied("只有系统管理员可以访问此页面。")
        return view(request, *args, **kwargs)

    return wrapped


def _next(request, default: str = "") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default or reverse(settings.LOGIN_REDIRECT_URL)


def _finish_login(request, user) -> None:
    """The whole login succeeded: the second factor is no longer owed and the failures are forgotten."""
    request.session[PENDING_KEY] = False
    lockout.clear_after_login(request, user)


class LoginView(auth_views.LoginView):
    """Django's login; a user who owes a second factor goes on to enter a code (or to enrol)."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        if not self.request.session.get(PENDING_KEY):
            _finish_login(self.request, user)
            return response
        name = "second-factor-verify" if has_confirmed_device(user) else "second-factor"
        return redirect(f"{reverse(name)}?{urlencode({'next': self.get_success_url()})}")


def _end_locked_session(request):
    """Locked out half-way through a login: the session ends (without a logout, which is not what
    happened) and the lockout page is shown to nobody in particular."""
    request.session.flush()
    request.user = AnonymousUser()
    return lockout.lockout_response(request)


@login_required
def verify(request):
    """Enter the authenticator's code or a recovery code after the password. Wrong codes count
    towards the lockout like wrong passwords; at the limit the session ends."""
    user = request.user
    if not is_pending(request):
        return redirect(_next(request))
    if not has_confirmed_device(user):
        return redirect(f"{reverse('second-factor')}?{urlencode({'next': _next(request)})}")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if lockout.is_locked(request, user):
            return _end_locked_session(request)
        if not form.is_valid():
            return render(request, "accounts/verify.html", {"form": form, "next": _next(request)}, status=400)
        device = devices.verify_code(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            _finish_login(request, user)
            recovery = device.persistent_id.startswith("otp_static")
            detail = "恢复码验证通过" if recovery else "动态口令验证通过"
            audit.record(LoginEventKind.LOGIN, request=request, user=user, detail=detail)
            return redirect(_next(request))
        audit.record(LoginEventKind.SECOND_FACTOR_FAILED, request=request, user=user)
        request.second_factor_failure = True
        user_login_failed.send(__name__, credentials={"username": user.get_username()}, request=request)
        if getattr(request, "axes_locked_out", False):
            return _end_locked_session(request)
        form.add_error(None, "动态口令或恢复码不正确，请重新输入（动态口令每 30 秒变化一次）。")
        status = 400
    return render(request, "accounts/verify.html", {"form": form, "next": _next(request)}, status=status)


@login_required
def second_factor(request):
    """Enrol (scan the QR code, confirm with a code, receive the recovery codes once), or see that
    the second factor is on."""
    user = request.user
    if has_confirmed_device(user):
        if is_pending(request):
            return redirect(f"{reverse('second-factor-verify')}?{urlencode({'next': _next(request)})}")
        context = {"enrolled": True, "required": second_factor_required(user)}
        return render(request, "accounts/second_factor.html", context)
    device = devices.pending_enrolment(user)
    form = EnrolForm(request.POST or None)
    status = 200
    if request.method == "POST":
        codes = None
        if form.is_valid():
            code = form.cleaned_data["code"]
            codes = devices.confirm_enrolment(user=user, device=device, code=code, request=request)
        if codes is not None:
            otp_login(request, device)
            _finish_login(request, user)
            context = {"codes": codes, "next": _next(request)}
            return render(request, "accounts/recovery_codes.html", context)
        if form.is_valid():
            form.add_error("code", "验证码不正确：请确认手机时间准确，并输入应用中当前显示的 6 位数字。")
        status = 400
    context = {
        "enrolled": False,
        "required": second_factor_required(user),
        "form": form,
        "qr": devices.qr_svg(device),
        "secret": devices.secret_text(device),
        "next": _next(request),
    }
    return render(request, "accounts/second_factor.html", context, status=status)


@login_required
def password_change(request):
    """Every staff member changes their own password: the old one, the new one twice (等保 rules)."""
    form = PasswordChangeForm(request.user, request.POST or None)

    def change(data):
        passwords.change_own_password(user=request.user, new_password=data["new_password1"], request=request)
        update_session_auth_hash(request, request.user)
        return "密码已修改。"

    def render_again(form=None, status=200, alert=""):
        return render(request, "accounts/password.html", {"form": form, "alert": alert}, status=status)

    if request.method != "POST":
        return render_again(form=form)
    return submit_step(request, form, call=change, render_again=render_again, success_url=reverse("home"))


@superuser_required
def lockouts(request):
    """The administrator's list of current lockouts, each with an unlock button."""
    return render(
        request,
        "accounts/lockouts.html",
        {"lockouts": lockout.current_lockouts(), "limit": settings.AXES_FAILURE_LIMIT, "minutes": lockout.lockout_minutes()},
    )


@require_POST
@superuser_required
def unlock(request):
    by, value = request.POST.get("by", ""), request.POST.get("value", "").strip()
    if by not in ("username", "address") or not value:
        messages.error(request, "解锁请求无效。")
    else:
        lockout.unlock(by=by, value=value, actor=request.user, request=request)
        messages.success(request, f"已解除{'账号' if by == 'username' else '地址'}“{value}”的锁定。")
    return redirect("accounts-lockouts")


def _local_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@superuser_required
def login_log(request):
    """The login audit for the administrator, newest first, filtered by user, event and date; kept
    at least six months (nothing in the product deletes a row)."""
    form = LoginLogFilter(request.GET or None)
    events = LoginEvent.objects.select_related("user")
    if form.is_valid():
        data = form.cleaned_data
        if data["user"]:
            events = events.filter(username__icontains=data["user"])
        if data["kind"]:
            events = events.filter(kind=data["kind"])
        if data["since"]:
            events = events.filter(at__gte=_local_start(data["since"]))
        if data["until"]:
            events = events.filter(at__lt=_local_start(data["until"] + timedelta(days=1)))
    page = Paginator(events, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/login_log.html", {"form": form, "page": page, "query": query.urlencode()})


@superuser_required
def device_list(request):
    """Who has a second factor; the administrator resets a lost one."""
    users = (
        User.objects.filter(is_active=True)
        .annotate(
            has_totp=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            recovery_left=Count("staticdevice__token_set"),
        )
        .order_by("username")
    )
    return render(request, "accounts/devices.html", {"users": users})


@require_POST
@superuser_required
def device_reset(request, pk: int):
    user = get_object_or_404(User, pk=pk)
    devices.reset_devices(user=user, actor=request.user, request=request)
    messages.success(request, f"已重置“{user.get_username()}”的动态口令，其下次登录时需重新绑定。")
    return redirect("accounts-devices")
