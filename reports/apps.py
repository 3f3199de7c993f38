from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """What crosses apps: dashboards, the monthly summary, public pages. Nothing imports it."""

    name = "reports"
    verbose_name = "报表与公开"
