"""System check: PDFs need a CJK font. Its id stays ``reports.E001``, the id it was published under,
so a deployment that silences or greps for it keeps working."""

from django.conf import settings
from django.core.checks import Error, register

from bureau.documents.pdf import installed_cjk_families


@register("fonts", deploy=False)
def cjk_font_installed(app_configs=None, **kwargs):
    """reports.E001: PDFs need a CJK font (fontconfig must know ``PDF_CJK_FONT_FAMILY``)."""
    families = installed_cjk_families()
    if settings.PDF_CJK_FONT_FAMILY in families:
        return []
    found = "、".join(sorted(families)) or "无"
    return [
        Error(
            f"未找到生成 PDF 所需的中文字体“{settings.PDF_CJK_FONT_FAMILY}”（本机中文字体：{found}）。",
            hint="以 root 执行 apt-get install fonts-wqy-microhei fontconfig，"
            "或将环境变量 PDF_CJK_FONT_FAMILY 设为已安装的中文字体名。",
            id="reports.E001",
        )
    ]
