from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "执法监测"

    def ready(self):
        from bureau import todo
        from bureau.navigation import NavEntry, register
        from bureau.sections import BUREAU_SECTIONS
        from monitoring.exports import register_exports
        from monitoring.services import DISPATCHED_TODO, OVERDUE_TODO, RESULT_TODO

        # Every section of the bureau reads the monitoring plan and its tasks; 生态科 leads it and
        # 监测站 does it (003 第三条). Towns do not see it.
        register_exports()
        register(NavEntry("monitoring", "执法监测", "monitoring:plan-list", BUREAU_SECTIONS, order=45))
        todo.register_kind(todo.TodoKind(DISPATCHED_TODO, "执法监测任务已下达"))
        todo.register_kind(todo.TodoKind(RESULT_TODO, "执法监测结论"))
        todo.register_kind(todo.TodoKind(OVERDUE_TODO, "执法监测任务超期"))
