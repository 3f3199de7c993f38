"""现场检查记录 as a PDF (R-INS-6; 003 附件3): who inspected which facility when and why, with which
checklist version; every part and point with its 结论 and 说明 (and, for 不符合, its class and
disposition); the photos as thumbnails with their SHA-256, times and location; the findings and what
became of them; the amendments after the record; and the record's own SHA-256, with what it covers.
A record not yet signed by every officer prints as a draft (草稿 · 未签署) without a hash.

PDFs are made by ``bureau.documents.pdf.render_pdf`` only (embedded CJK font, no network): a photo goes
in as a small JPEG thumbnail in a ``data:`` URI, which its ``local_url_fetcher`` accepts. The record
page (``inspections:inspection-pdf``) and the API action (``/api/v1/inspections/{id}/record.pdf``) both
call ``record_pdf`` and ``pdf_filenames`` on ``queries.inspection_detail``.
"""

import base64
import io

from PIL import Image, ImageOps

from bureau.documents.pdf import render_pdf
from inspections import queries
from inspections.models import Inspection, Photo, Verdict

TEMPLATE = "inspections/record_pdf.html"
TITLE = "现场检查记录"
DRAFT_MARK = "草稿 · 未签署"
# Thumbnails are drawn at most 45 mm wide; 360 px keeps them sharp at 200 dpi and the PDF small.
THUMBNAIL_PX = 360
# What ``services.inspections.record_content`` puts under the hash, in the words of the record.
HASH_COVERS = (
    "该哈希值按签署完成时的检查记录计算，覆盖：检查编号、排污单位名称及污染源编码、检查日期、检查事由、"
    "检查清单及版本、检查人员姓名及执法证号、企业现场负责人、检查情况小结、各检查要点的内容、结论、情况说明、"
    "违法类别和处理方式，以及全部现场照片的 SHA-256；签署后的更正记录不在其内。"
)


def thumbnail(photo: Photo) -> str:
    """The photo as a ``data:`` URI of a small JPEG, turned upright as the camera meant; empty when
    its file cannot be read (the record then says so beside its hash)."""
    try:
        with photo.file.open("rb") as stored, Image.open(stored) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=80)
    except (OSError, ValueError):
        return ""
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def _location(photo: Photo) -> str:
    if photo.latitude is None or photo.longitude is None:
        return "未提供"
    accuracy = f"（精度约 {photo.accuracy_m} 米）" if photo.accuracy_m is not None else ""
    return f"北纬 {photo.latitude}，东经 {photo.longitude}{accuracy}"


def record_context(inspection: Inspection) -> dict:
    """What the record shows, read from ``queries.inspection_detail`` (no further query)."""
    source = inspection.checklist_version.checklist.source
    rows = []
    for part in inspection.part_list:
        points = []
        for point in part.points.all():
            answer = point.answer
            points.append(
                {
                    "code": point.code,
                    "text": point.text,
                    # The checklist's own source is printed once in the header.
                    "legal_basis": "" if point.legal_basis == source else point.legal_basis,
                    "verdict": answer.get_verdict_display() if answer and answer.verdict else "未填",
                    "noncompliant": bool(answer and answer.verdict == Verdict.NONCOMPLIANT),
                    "answer": answer,
                }
            )
        rows.append({"title": part.title, "order": part.order, "points": points})
    photos = [
        {
            "photo": photo,
            "src": thumbnail(photo),
            "point_code": photo.point.code if photo.point_id else "",
            "location": _location(photo),
        }
        for photo in inspection.photo_list
    ]
    return {
        "title": TITLE,
        "inspection": inspection,
        "document_number": inspection.number,
        "document_number_label": "检查编号",
        "facility": inspection.facility,
        "version": inspection.checklist_version,
        "checklist_source": source,
        "source": queries.reason_source(inspection)["label"],
        "officers": inspection.officer_list,
        "is_signed": inspection.is_signed,
        "draft_mark": DRAFT_MARK,
        "parts": rows,
        "photos": photos,
        "findings": inspection.finding_list,
        "amendments": inspection.amendment_list,
        "hash_covers": HASH_COVERS,
    }


def record_pdf(inspection: Inspection) -> bytes:
    """The 现场检查记录 of ``inspection`` (as ``queries.inspection_detail`` loads it) as PDF bytes."""
    return render_pdf(TEMPLATE, record_context(inspection))


def pdf_filenames(inspection: Inspection) -> tuple[str, str]:
    """The record's Chinese file name, and an ASCII one for clients that cannot read the first."""
    draft = "" if inspection.is_signed else "（草稿）"
    return f"{TITLE}-{inspection.number}{draft}.pdf", f"inspection-record-{inspection.pk}.pdf"
