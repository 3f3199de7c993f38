from django.apps import AppConfig
from django.db.models.signals import post_migrate


class BureauConfig(AppConfig):
    name = "bureau"
    verbose_name = "组织与平台"

    def ready(self):
        from bureau import todo
        from bureau.accounts import (
            signals,  # noqa: F401  (the login audit's receivers)
            tokens,  # noqa: F401  (revokes tokens on logout and password change)
        )
        from bureau.documents import checks  # noqa: F401  (registers reports.E001, the CJK font check)
        from bureau.navigation import ORGANISATION_SECTIONS, NavEntry, register
        from bureau.periodic import register_after_migrate

        post_migrate.connect(register_after_migrate, sender=self)
        todo.register_kind(todo.TodoKind("calendar-confirm-", "工作日历"))
        todo.register_kind(todo.TodoKind("calendar-missing-", "工作日历"))
        register(NavEntry("home", "首页", "home", order=0))
        register(NavEntry("calendar", "工作日历", "calendar", order=80))
        register(
            NavEntry("organisation", "组织机构", "organisation", sections=ORGANISATION_SECTIONS, order=90)
        )
        register(NavEntry("login-log", "登录日志", "accounts-login-log", superuser_only=True, order=97))
        register(NavEntry("api-tokens", "接口令牌", "api-tokens", order=96))
        register(NavEntry("api-docs", "接口文档", "api-docs", superuser_only=True, order=98))
        register(NavEntry("admin", "系统管理", "admin:index", superuser_only=True, order=99))
