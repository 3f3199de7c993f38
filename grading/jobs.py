from bureau.periodic import PeriodicJob

JOBS = [
    PeriodicJob(
        name="年度等级评定起草（每年1月）",
        task="grading.tasks.january_draft",
        description="每年1月每天运行：上年度持证单位等级评定尚未起草（或起草失败）的，自动起草，交工作组审核"
        "（R-GRD-1、003 第四条 附件2）；已起草、审核中或已确认的不再改动。",
        minute="10",
        hour="2",
        month_of_year="1",
    ),
]
