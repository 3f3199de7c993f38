from bureau.periodic import PeriodicJob

JOBS = [
    PeriodicJob(
        name="工作日历覆盖检查（每日）",
        task="bureau.tasks.check_calendar_coverage",
        description="本年与下一年的工作日历是否齐全：能从 chinese-calendar 生成的自动生成，"
        "否则提醒系统管理员录入节假日安排（R-CAL-1）。",
        minute="10",
        hour="1",
    ),
]
