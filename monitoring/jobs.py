from bureau.periodic import PeriodicJob

JOBS = [
    PeriodicJob(
        name="执法监测任务超期提醒（每日）",
        task="monitoring.tasks.flag_overdue",
        description="已下达监测站、超过完成期限仍未出具结论的执法监测任务列入生态科待办（R-MON-1、003 第三条）；"
        "重复运行不重复列入。",
        minute="55",
        hour="1",
    ),
]
