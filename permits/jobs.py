from bureau.periodic import PeriodicJob

JOBS = [
    PeriodicJob(
        name="排污许可证到期预警（每日）",
        task="permits.tasks.check_permit_expiry",
        description="90 天内到期且未申请延续的许可证列入审批科待办，60 天内标红；到期未延续且在产的单位"
        "生成无证排污线索交执法大队（R-PER-2）。",
        minute="20",
        hour="1",
    ),
]
