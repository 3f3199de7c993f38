"""Inspections built through the services, as officers make them: start, answer every point, sign.
And photo files as a phone's camera writes them (JPEG with EXIF), made with Pillow."""

import io
import uuid
from datetime import date, datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from inspections.models import ChecklistPoint, Inspection
from inspections.services.inspections import (
    save_answer,
    sign_inspection,
    start_inspection,
    update_inspection_details,
)
from inspections.services.photos import receive_photo


def jpeg_bytes(
    *, taken: datetime | None = None, size=(32, 24), color=(200, 60, 40), offset: str | None = None
) -> bytes:
    """A small JPEG; with ``taken`` its EXIF says when (DateTimeOriginal, and OffsetTimeOriginal if given)."""
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    if taken is not None:
        sub = exif.get_ifd(0x8769)
        sub[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")
        if offset:
            sub[0x9011] = offset
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes() if taken is not None else b"")
    return out.getvalue()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 128, 0)).save(out, "PNG")
    return out.getvalue()


def upload(
    content: bytes, name: str = "IMG_0001.jpg", content_type: str = "image/jpeg"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def points_of(inspection: Inspection) -> list[ChecklistPoint]:
    return list(
        ChecklistPoint.objects.filter(version=inspection.checklist_version_id).order_by(
            "part__order", "order"
        )
    )


def point(inspection: Inspection, code: str) -> ChecklistPoint:
    return ChecklistPoint.objects.get(version=inspection.checklist_version_id, code=code)


def start(
    facility, officers, *, by=None, on: date | None = None, reason="routine_plan", **sources
) -> Inspection:
    if reason in ("routine_plan", "random_draw", "campaign") and "source_reference" not in sources:
        sources["source_reference"] = "2026年度执法检查计划"
    return start_inspection(
        by=by or officers[0],
        facility=facility,
        inspected_on=on or timezone.localdate(),
        officers=list(officers),
        reason=reason,
        **sources,
    )


def answer_all(inspection: Inspection, by, *, verdict: str = "compliant", **special: dict) -> None:
    """Answer every point ``verdict``; ``special`` gives other answers by point code with the dots
    as underscores (``二_5={...}``)."""
    wanted = {code.replace("_", "."): values for code, values in special.items()}
    for p in points_of(inspection):
        values = wanted.get(p.code, {"verdict": verdict})
        save_answer(by=by, inspection=inspection, point=p, **values)


def add_photo(inspection: Inspection, by, *, code: str | None = None, content: bytes | None = None, **extra):
    target = point(inspection, code) if code else None
    photo, _ = receive_photo(
        by=by,
        inspection=inspection,
        client_id=extra.pop("client_id", uuid.uuid4()),
        upload=upload(content or jpeg_bytes()),
        point=target,
        **extra,
    )
    return photo


def signed(inspection: Inspection, officers, *, representative: str = "李厂长", **special) -> Inspection:
    """Answer (all 符合 unless ``special`` says otherwise), name the representative, and have every
    officer sign."""
    answer_all(inspection, officers[0], **special)
    update_inspection_details(by=officers[0], inspection=inspection, representative_name=representative)
    for officer in officers:
        inspection = sign_inspection(by=officer, inspection=inspection)
    return inspection


NONCOMPLIANT_RECTIFY = {
    "verdict": "noncompliant",
    "note": "危废贮存间未设置防渗漏措施",
    "finding_kind": "other_duties",
    "disposition": "rectification",
    "deadline_workdays": 10,
    "responsible_person": "王经理",
}
