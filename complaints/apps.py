from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = "信访投诉"

    def ready(self):
        from bureau import todo
        from bureau.navigation import NavEntry, register
        from complaints.exports import register_exports
        from complaints.queries import complaints_to_answer
        from complaints.rules import COMPLAINT_SECTIONS

        register_exports()
        register(NavEntry("complaints", "信访投诉", "complaints:complaint-list", COMPLAINT_SECTIONS, order=60))
        todo.register_source(todo.WaitingSource("complaints", "complaints", complaints_to_answer))
