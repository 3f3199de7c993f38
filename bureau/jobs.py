from bureau.periodic import PeriodicJob

JOBS = [
    PeriodicJob(
        name="工作日历覆盖检查（每日）",
        task="bureau.tasks.check_calendar_coverage",
        description="本年与下一年的工作日历是否已确认：chinese-calendar 已收录的年份自动载入为草稿；"
        "未确认的年份提醒系统管理员确认（12 月 1 日起同时提醒各科室负责人），"
        "确认前期限暂按双休日推算并标注“暂定”（R-CAL-1）。",
        minute="10",
        hour="1",
    ),
    PeriodicJob(
        name="清理过期的后台文档文件（每日）",
        task="bureau.tasks.remove_expired_document_files",
        description="后台生成的导出和长文档，文件自生成完成起保留 DOCUMENT_KEEP_DAYS 天（默认 7 天），"
        "期满删除文件；“我的文档”中保留记录，并注明文件已清理、可重新生成。",
        minute="40",
        hour="2",
    ),
    PeriodicJob(
        name="卡住的后台文档巡检（每 2 分钟）",
        task="bureau.tasks.sweep_stuck_document_jobs",
        description="生成中的后台文档，处理进程超过 JOB_STALE_SECONDS 秒（默认 2 分钟）没有进展的（进程意外退出、消息丢失），"
        "重新排队；已尝试 JOB_MAX_ATTEMPTS 次（默认 3 次）的标记为失败并写明原因，申请人在“我的文档”中可见。",
        minute="*/2",
        hour="*",
    ),
]
