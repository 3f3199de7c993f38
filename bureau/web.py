"""Helpers every app's pages share: the date widget, putting a service's errors on a form, and
submitting one step of a record (R-ORG-1: refusals in Chinese; nothing the user typed is lost).

``submit_step`` is the one way a page turns a service's answer into a response: success → a message
and a redirect; ``ValidationError`` → the form again with the errors on their fields (400);
``PermissionDenied`` → the page with the refusal (403); ``Conflict`` (someone took the step first) →
the page as it is now, with the user's input kept (409); ``QueueUnavailable`` (the broker is down, the
record was put back or failed visibly) → the form again with the message (503). The API's twin is
``bureau.errors``.
"""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from bureau.background import QueueUnavailable
from bureau.errors import Conflict

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SearchInput(forms.TextInput):
    """A text field that suggests records as the user types (``static/js/app.js``): it asks the JSON
    endpoint ``url_name`` with ``?q=`` and, on a choice, fills in the record's code and name. Without
    the script it is a plain text field, and the form's field resolves what was typed on the server."""

    def __init__(self, url_name: str, attrs: dict | None = None):
        self.url_name = url_name
        super().__init__(
            {
                "autocomplete": "off",
                "role": "combobox",
                "aria-autocomplete": "list",
                "aria-expanded": "false",
                **(attrs or {}),
            }
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-search-url"] = reverse(self.url_name)
        return context


FIX_BELOW = "未保存：请按下方标红的提示修改后再提交，您填写的内容已保留。"


def add_service_errors(
    form: forms.Form, exc: ValidationError, *, labels: dict[str, str] | None = None
) -> None:
    """Put a service's ValidationError on ``form``: on the field it names when the form has it,
    otherwise at the top of the form (prefixed with the field's label from ``labels``, or its name, when
    ``labels`` is given), so no message is lost. A form that places some names itself (rows of a formset) says so with an
    ``add_service_error(name, message) -> bool`` method."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    placed_by_form = getattr(form, "add_service_error", None)
    for name, errors in exc.message_dict.items():
        for message in errors:
            if placed_by_form is not None and placed_by_form(name, message):
                continue
            if name in form.fields:
                form.add_error(name, message)
            elif name == NON_FIELD_ERRORS or labels is None:
                form.add_error(None, message)
            else:
                form.add_error(None, f"{labels.get(name, name)}：{message}")


def submit_step(
    request,
    form: forms.Form,
    *,
    call: Callable[[dict], str | tuple[str, str]],
    render_again: Callable[..., HttpResponse],
    success_url: str = "",
    check: Callable[[], None] | None = None,
    labels: dict[str, str] | None = None,
) -> HttpResponse:
    """Validate ``form`` and call ``call(cleaned_data)``, which runs the service and returns the
    success message, or the message and the URL to go to when that depends on what was created
    (otherwise ``success_url``). ``check()``, when given, runs first and may refuse with PermissionDenied.
    ``render_again(form=…, status=…, alert=…)`` shows the page again: with the bound form on 400 and
    409, without it (``form=None``) on 403. ``labels`` name the fields the form does not have."""
    status, alert = 400, FIX_BELOW
    try:
        if check is not None:
            check()
        if form.is_valid():
            done = call(form.cleaned_data)
            message, url = done if isinstance(done, tuple) else (done, success_url)
            messages.success(request, message)
            return redirect(url)
    except ValidationError as exc:
        add_service_errors(form, exc, labels=labels)
    except PermissionDenied as exc:
        return render_again(form=None, status=403, alert=str(exc))
    except Conflict as exc:
        form.add_error(None, str(exc))
        status, alert = 409, str(exc)
    except QueueUnavailable as exc:
        form.add_error(None, exc.message)
        status, alert = 503, exc.message
    return render_again(form=form, status=status, alert=alert)


class MethodNotAllowedPage:
    """A page opened by an address that only takes a form's submission (``require_POST``: a bookmark,
    a restored tab, Enter in the address bar after a refused form) gets a Chinese page with a way
    back, not the browser's empty English 405. Answers with content (the API's) pass untouched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.content or request.method not in ("GET", "HEAD"):
            return response
        page = render(request, "405.html", {"back": request.path.rsplit("/", 2)[0] + "/"}, status=405)
        page["Allow"] = response.get("Allow", "POST")
        return page


# The largest id a database row can have (a signed 64-bit integer): a longer run of digits in a URL or
# a query string names no record, and would overflow the database driver instead of answering 404.
MAX_ID = 2**63 - 1


def record_id(value) -> int | None:
    """``value`` (a URL part, a query-string value) as a record id, or None when it cannot be one."""
    text = str(value if value is not None else "").strip()
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
