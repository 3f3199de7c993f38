from django.apps import AppConfig


class GradingConfig(AppConfig):
    name = "grading"
    verbose_name = "年度等级评定"

    def ready(self):
        from bureau import positive_list, todo
        from bureau.documents import jobs
        from bureau.navigation import NavEntry, register
        from bureau.sections import BUREAU_SECTIONS
        from grading import documents
        from grading.exports import register_exports
        from grading.services import positive
        from grading.services.gradings import REVIEW_TODO

        # The inspection rules (R-INS-4) and the draws read the list from here; a case or finding of
        # secret discharge takes a unit off it at once (R-POS-1).
        # One entry: the grading's pages (positive list, credit, work group, facts) are tabs of it.
        register(NavEntry("grading", "等级评定", "grading:grading-home", BUREAU_SECTIONS, order=55))
        positive_list.register(positive.members, positive.drop_at_once)
        register_exports()
        todo.register_kind(todo.TodoKind(REVIEW_TODO, "年度等级评定待审核"))
        todo.register_kind(todo.TodoKind(positive.PROPOSAL_TODO, "正面清单调整建议"))
        todo.register_kind(todo.TodoKind(positive.CREDIT_TODO, "正面清单单位信用下降"))
        jobs.register(documents.KIND_SPEC)
