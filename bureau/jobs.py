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
]
