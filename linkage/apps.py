from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "linkage"
    verbose_name = "三监联动"

    def ready(self):
        # Each views module registers its navigation entry when imported.
        from linkage import complaint_views, meeting_views, slip_views, task_views  # noqa: F401
