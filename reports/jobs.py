from bureau.periodic import PeriodicJob

JOBS = [
    PeriodicJob(
        name="上月排污许可执法监管工作小结（每月首个工作日）",
        task="reports.tasks.prepare_monthly_summary",
        description="每天运行：自每月第一个工作日起，生成上月排污许可执法监管工作小结草稿一次，交审批科核对后于"
        "3日前报送（R-SUM-1、001 二）；该月已有小结（自动或手工生成、待报送或已报送）的不再生成。",
        minute="30",
        hour="6",
    ),
]
