from bureau.periodic import PeriodicJob

JOBS = [
    PeriodicJob(
        name="季度调度会创建（每日）",
        task="linkage.meeting_tasks.create_quarterly_meeting",
        description="2、5、8、11 月第一个工作日起创建当季调度会（默认上旬召开），列入审批科待办；"
        "每季只创建一次（R-MTG-1）。",
        minute="0",
        hour="7",
    ),
]
