from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "linkage"
    verbose_name = "三监联动"

    def ready(self):
        from bureau import agenda, calendar, leads, todo
        from bureau.navigation import NavEntry, register
        from linkage.agenda import CONTRIBUTION
        from linkage.exports import register_exports
        from linkage.queries import waiting_steps
        from linkage.rules import PAGE_SECTIONS
        from linkage.services.deadlines import recompute_provisional_task_deadlines
        from linkage.services.leads import hand_over_report_leads
        from permits.reports.services.leads import LEAD_KIND

        agenda.register(CONTRIBUTION)
        register_exports()
        register(NavEntry("linkage", "三监联动", "linkage:task-list", sections=PAGE_SECTIONS, order=40))
        todo.register_kind(todo.TodoKind("linkage-overdue:", "三监联动逾期"))
        calendar.register_provisional_deadlines("三监联动任务", recompute_provisional_task_deadlines)
        todo.register_source(todo.WaitingSource("linkage", "linkage", waiting_steps))
        todo.register_kind(todo.TodoKind("linkage-confirm:", "系统发起任务待确认"))
        leads.register_receiver(LEAD_KIND, hand_over_report_leads)
