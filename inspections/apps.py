from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = "清单式执法检查"

    def ready(self):
        from bureau import todo
        from bureau.navigation import NavEntry, register
        from bureau.sections import BUREAU_SECTIONS
        from inspections import rules
        from inspections.exports import register_exports
        from inspections.queries import my_drafts_waiting
        from inspections.services.cases import ASSIGN_TODO, DECIDE_TODO, REVIEW_TODO
        from inspections.services.findings import FOLLOW_UP_TODO
        from inspections.services.inspections import AMENDMENT_TODO, SIGN_TODO

        register_exports()
        # Every section of the bureau reads inspections (R-ORG-2); towns read their own facilities'
        # on the facility page. Cases and interference records are read by fewer (rules).
        register(
            NavEntry("inspections", "现场检查", "inspections:inspection-list", BUREAU_SECTIONS, order=42)
        )
        register(NavEntry("inspection-plan", "检查计划", "inspections:plan-home", BUREAU_SECTIONS, order=41))
        register(NavEntry("draws", "双随机抽查", "inspections:draw-list", BUREAU_SECTIONS, order=43))
        register(NavEntry("cases", "案件", "inspections:case-list", rules.CASE_SECTIONS, order=44))
        register(
            NavEntry(
                "interference",
                "插手干预记录",
                "inspections:interference-list",
                rules.INTERFERENCE_READERS,
                order=44,
                not_for_superusers=True,
            )
        )
        register(
            NavEntry("checklists", "检查清单", "inspections:checklist-list", superuser_only=True, order=95)
        )
        todo.register_source(todo.WaitingSource("inspections", "inspections", my_drafts_waiting))
        todo.register_kind(todo.TodoKind(SIGN_TODO, "现场检查待签名"))
        todo.register_kind(todo.TodoKind(AMENDMENT_TODO, "检查结论更正待核定"))
        todo.register_kind(todo.TodoKind(FOLLOW_UP_TODO, "整改复查"))
        todo.register_kind(todo.TodoKind(ASSIGN_TODO, "案件待指定法制审核人"))
        todo.register_kind(todo.TodoKind(REVIEW_TODO, "案件待法制审核"))
        todo.register_kind(todo.TodoKind(DECIDE_TODO, "案件待决定"))
