from bureau.periodic import PeriodicJob

JOBS = [
    PeriodicJob(
        name="月度检查计划（每月第一个工作日）",
        task="inspections.tasks.make_month_plan",
        description="每天运行，仅在每月第一个工作日按年度检查计划和已完成的检查细化当月检查计划，交执法大队"
        "（R-INS-3、002 十一 按月细化）；同月重复运行只补充新增事项。",
        minute="40",
        hour="1",
    ),
    PeriodicJob(
        name="计划检查临期与逾期提醒（每日）",
        task="inspections.tasks.flag_plan_due",
        description="按规则重算年度检查计划（新发证、已完成的检查），标记临期（设置的工作日内到期）与逾期事项，"
        "列入执法大队待办（R-INS-3、R-INS-4）。",
        minute="50",
        hour="1",
    ),
]
