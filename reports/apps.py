from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "报表与文书"

    def ready(self):
        from reports import checks  # noqa: F401  (registers reports.E001)
