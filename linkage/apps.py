from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "linkage"
    verbose_name = "三监联动"

    def ready(self):
        from bureau import agenda, todo
        from bureau.navigation import NavEntry, register
        from linkage.agenda import CONTRIBUTION
        from linkage.rules import PAGE_SECTIONS

        agenda.register(CONTRIBUTION)
        register(NavEntry("linkage", "三监联动", "linkage:task-list", sections=PAGE_SECTIONS, order=40))
        todo.register_kind(todo.TodoKind("linkage-overdue:", "三监联动逾期"))
        todo.register_kind(todo.TodoKind("linkage-confirm:", "系统发起任务待确认"))
        todo.register_kind(todo.TodoKind("anomaly-report:", "异常情况报告"))
