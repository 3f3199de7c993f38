from django.apps import AppConfig


class GradingConfig(AppConfig):
    name = "grading"
    verbose_name = "年度等级评定"
