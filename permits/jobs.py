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
    PeriodicJob(
        name="执行报告到期检查（每日）",
        task="permits.tasks.check_reports_due",
        description="按许可证规定的频次生成应报的月度、季度、年度执行报告；截止日未收到的标记逾期并列入审批科待办；"
        "超过宽限期仍未提交的，作为未按规定提交执行报告线索交执法大队；反馈意见单期限届满仍未整改的程序性问题移交执法大队（R-REP-1、R-REP-4）。",
        minute="30",
        hour="1",
    ),
    PeriodicJob(
        name="卡住的数据导入巡检（每 2 分钟）",
        task="permits.imports.sweep_stuck_batches",
        description="解析或写入中的导入批次，处理进程超过 JOB_STALE_SECONDS 秒（默认 2 分钟）没有进展的（进程意外退出、"
        "消息丢失），重新排队；已尝试 JOB_MAX_ATTEMPTS 次（默认 3 次）的标记为失败并写明原因，上传人在导入页面可见。",
        minute="*/2",
        hour="*",
    ),
]
