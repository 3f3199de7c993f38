"""Stub until the PDF renderer lands (replaced at merge by the owner of ``inspections.documents``)."""

from bureau.documents.pdf import render_pdf


def record_pdf(inspection) -> bytes:
    return render_pdf("documents/document.html", {"title": f"现场检查记录 {inspection.number}"})


def pdf_filenames(inspection) -> tuple[str, str]:
    return f"现场检查记录-{inspection.number}.pdf", f"{inspection.number}.pdf"
