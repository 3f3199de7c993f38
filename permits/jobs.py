from bureau.periodic import PeriodicJob

JOBS = [
    PeriodicJob(
        name="排污许可证到期预警（每日）",
        task="permits.tasks.check_permit_expiry",
        description="90 天内到期且未申请延续的许可证列入审批科待办，60 天内标红；待决定的延续申请列入审批科待办；"
        "在产单位的许可证届满未延续、延续未批准、被注销、撤销或吊销的，生成无证排污线索交执法大队（R-PER-2）；"
        "当年首次申请、重新申请、变更的许可证列入滚动质量检查待办（R-PER-3）。",
        minute="20",
        hour="1",
    ),
]
