from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "调度会与业务学习"

    def ready(self):
        from bureau import agenda, todo
        from bureau.access import BUREAU_SECTIONS
        from bureau.documents import jobs
        from bureau.navigation import NavEntry, register
        from meetings import documents
        from meetings.exports import register_exports
        from meetings.registry import CONTRIBUTION

        register_exports()
        register(NavEntry("meetings", "调度会", "meetings:meeting-list", sections=BUREAU_SECTIONS, order=50))
        todo.register_kind(todo.TodoKind("meeting-convene:", "召集调度会"))
        todo.register_kind(todo.TodoKind("meeting-decision:", "调度会议定事项"))
        agenda.register(CONTRIBUTION)
        jobs.register(documents.KIND_SPEC)
