from django import forms
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm

from bureau.models import LoginEventKind
from bureau.web import DATE_WIDGET


class PasswordChangeForm(DjangoPasswordChangeForm):
    """Old password and the new one twice; Django checks the old one and runs every validator of
    settings.AUTH_PASSWORD_VALIDATORS (bureau.accounts.passwords) on the new one."""

    error_messages = {
        **DjangoPasswordChangeForm.error_messages,
        "password_incorrect": "原密码不正确，请重新输入。",
        "password_mismatch": "两次输入的新密码不一致。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "原密码"
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password2"].label = "再次输入新密码"
        self.fields["new_password2"].help_text = ""


class CodeForm(forms.Form):
    code = forms.CharField(
        label="动态口令或恢复码",
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        help_text="打开手机上的身份验证器应用，输入显示的 6 位数字；手机不在身边时可输入一个恢复码。",
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())


class EnrolForm(forms.Form):
    code = forms.CharField(
        label="验证器显示的 6 位数字",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError("请输入 6 位数字。")
        return code


class LoginLogFilter(forms.Form):
    user = forms.CharField(label="用户名", required=False, max_length=150)
    kind = forms.ChoiceField(label="事件", required=False, choices=[("", "全部"), *LoginEventKind.choices])
    since = forms.DateField(label="起始日期", required=False, widget=DATE_WIDGET)
    until = forms.DateField(label="截止日期", required=False, widget=DATE_WIDGET)
