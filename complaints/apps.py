from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = "信访投诉"

    def ready(self):
        from bureau.navigation import NavEntry, register
        from complaints.rules import COMPLAINT_SECTIONS

        register(
            NavEntry("complaints", "信访投诉", "complaints:complaint-list", COMPLAINT_SECTIONS, order=60)
        )
