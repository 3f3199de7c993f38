from bureau.periodic import PeriodicJob

JOBS = [
    PeriodicJob(
        name="三监联动逾期提醒（每日）",
        task="linkage.tasks.remind_overdue_tasks",
        description="逾期未办的三监联动步骤列入该部门负责人的待办，每任务每部门一项（R-LNK-6、R-LNK-7）。",
        minute="30",
        hour="7",
    ),
    PeriodicJob(
        name="无证排污线索转三监联动任务（每日）",
        task="linkage.tasks.hand_over_open_leads",
        description="无证排污线索（许可证到期未延续、延续未获批准、注销、撤销、吊销而单位在产），由审批科发起任务交执法大队（R-PER-2、R-LNK-1）。",
        minute="40",
        hour="1",
    ),
]
