from django.apps import AppConfig


class PermitsConfig(AppConfig):
    name = "permits"
    verbose_name = "固定污染源信息库"

    def ready(self):
        from bureau import agenda, calendar, todo
        from bureau.navigation import NavEntry, register
        from permits.agenda import CONTRIBUTION
        from permits.exports import register_exports
        from permits.imports.services import IMPORT_SECTIONS
        from permits.queries import overdue_rectifications_of_town
        from permits.reports.queries import review_queue
        from permits.reports.services.due import LATE_TODO_PREFIX, recompute_provisional_due_dates
        from permits.reports.services.notices import recompute_provisional_notice_deadlines
        from permits.reports.views import REPORT_SECTIONS
        from permits.services.deadlines import recompute_provisional_rectification_deadlines
        from permits.views.common import REGISTRY_SECTIONS

        # Every section, towns included, reads the registry and the ledger; a town sees only its own
        # jurisdiction (R-ORG-3). The same set guards the views, so the bar never offers a 403.
        register(NavEntry("facilities", "固定污染源", "permits:facility-list", REGISTRY_SECTIONS, order=10))
        register(NavEntry("ledger", "整改台账", "permits:ledger", REGISTRY_SECTIONS, order=20))
        register(NavEntry("execution-reports", "执行报告", "permits:report-board", REPORT_SECTIONS, order=25))
        register(NavEntry("imports", "数据导入", "imports:upload", sections=IMPORT_SECTIONS, order=30))
        agenda.register(CONTRIBUTION)
        register_exports()
        todo.register_kind(todo.TodoKind("permit-expiry:", "许可证到期"))
        todo.register_kind(todo.TodoKind("unlicensed-lead:", "无证排污线索"))
        calendar.register_provisional_deadlines("整改问题", recompute_provisional_rectification_deadlines)
        todo.register_source(todo.WaitingSource("ledger", "ledger", overdue_rectifications_of_town))
        todo.register_kind(todo.TodoKind("permit-renewal-decision:", "延续待决定"))
        todo.register_kind(todo.TodoKind("permit-quality-owed:", "滚动质量检查"))
        todo.register_kind(todo.TodoKind("anomaly-report:", "异常情况报告"))
        todo.register_kind(todo.TodoKind(LATE_TODO_PREFIX, "执行报告逾期未报"))
        calendar.register_provisional_deadlines("执行报告截止日期", recompute_provisional_due_dates)
        calendar.register_provisional_deadlines("反馈意见单整改期限", recompute_provisional_notice_deadlines)
        # The reviewer's own queue (R-REP-2): parts to fill or sign, notices to issue, answers to re-review.
        todo.register_source(todo.WaitingSource("execution-reports", "execution-reports", review_queue))
