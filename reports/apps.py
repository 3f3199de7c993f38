from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """What crosses apps: dashboards, the monthly summary, public pages. Nothing imports it."""

    name = "reports"
    verbose_name = "报表与公开"

    def ready(self):
        from bureau import todo
        from bureau.navigation import NavEntry, register
        from bureau.sections import ALL_SECTIONS, BUREAU_SECTIONS, LEADERSHIP, LEGAL

        # Coverage against the targets of R-INS-3, R-INS-9, R-MON-1 and R-INS-5 (published share); a
        # town sees its own jurisdiction's.
        register(NavEntry("coverage", "监管覆盖率", "reports:coverage", ALL_SECTIONS, order=46))
        # Every section's own dashboard (a town's of its jurisdiction); leadership's for 局领导. Section
        # heads may open it too (reports.views.dashboards) and reach it from their own dashboard.
        register(NavEntry("dashboard", "工作看板", "reports:dashboard", ALL_SECTIONS, order=1))
        register(
            NavEntry(
                "dashboard-leadership",
                "领导看板",
                "reports:dashboard-leadership",
                frozenset({LEADERSHIP}),
                order=2,
            )
        )
        # The monthly summary (R-SUM-1): 审批科 prepares and sends it; every bureau section reads it.
        register(NavEntry("summary", "工作小结", "reports:summary-list", BUREAU_SECTIONS, order=47))
        todo.register_kind(todo.TodoKind("summary:", "工作小结待报送"))
        # 法制科 publishes and withdraws typical cases (R-PUB-1, 002 十六).
        register(
            NavEntry(
                "typical-cases",
                "典型案例",
                "reports:typical-case-list",
                frozenset({LEGAL, LEADERSHIP}),
                order=48,
            )
        )
