from django.apps import AppConfig
from django.db.models.signals import post_migrate


class BureauConfig(AppConfig):
    name = "bureau"
    verbose_name = "组织与平台"

    def ready(self):
        from bureau import todo
        from bureau.documents import checks  # noqa: F401  (registers reports.E001, the CJK font check)
        from bureau.periodic import register_after_migrate

        post_migrate.connect(register_after_migrate, sender=self)
        todo.register_kind(todo.TodoKind("calendar-missing-", "工作日历"))
