"""Photos from the factory gate, one at a time, each answered with a receipt (R-INS-6; the issue's
"nothing is lost"): the browser gives every photo its own id, so a retry after a lost answer gets the
same receipt instead of a second copy, and a photo is never replaced by another under the same id.

Each photo is checked by its content (a JPEG, PNG or WebP that Pillow can read, whatever its name says)
and its size, and kept with its SHA-256, the time it was taken (the camera's EXIF time when present,
else the time the browser read from the file), the time it was received, and the location the browser
gave, if any.
"""

import hashlib
import io
import math
import uuid
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from bureau.errors import Conflict
from bureau.models import User
from inspections import rules
from inspections.models import ChecklistPoint, Inspection, Photo
from inspections.services.common import locked, require_draft, require_officer

FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png"), "WEBP": ("image/webp", ".webp")}
NOT_AN_IMAGE = "只接受 JPEG、PNG 或 WebP 格式的照片；该文件不是有效的图片（按文件内容判断，与文件名无关）。"
MAX_ACCURACY_M = 100_000
EXIF_IFD, DATETIME_ORIGINAL, OFFSET_ORIGINAL, DATETIME = 0x8769, 0x9003, 0x9011, 0x0132
# Pillow refuses to open an image past this many pixels (a decompression bomb): about 89 million.
Image.MAX_IMAGE_PIXELS = 90_000_000


def _image_format(content: bytes) -> str:
    """The format of ``content`` as Pillow reads it, or ValidationError: by content, never by name."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError({"file": NOT_AN_IMAGE}) from None
    if kind not in FORMATS:
        raise ValidationError({"file": NOT_AN_IMAGE})
    return kind


def exif_taken_at(content: bytes) -> datetime | None:
    """When the camera says the photo was taken (EXIF DateTimeOriginal, else DateTime), as an aware
    time: with its EXIF offset when the camera wrote one, else in the bureau's time zone. None when
    the file says nothing or something unreadable."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            exif = image.getexif()
            sub = exif.get_ifd(EXIF_IFD)
            text = sub.get(DATETIME_ORIGINAL) or exif.get(DATETIME)
            offset = sub.get(OFFSET_ORIGINAL)
    except Exception:  # noqa: BLE001 - a broken EXIF block is no time, never a refusal
        return None
    if not text:
        return None
    try:
        taken = datetime.strptime(str(text).strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
        if offset:
            return datetime.strptime(f"{taken:%Y-%m-%d %H:%M:%S}{offset.strip()}", "%Y-%m-%d %H:%M:%S%z")
    except ValueError:
        return None
    return timezone.make_aware(taken)


def _coordinate(value, low: int, high: int, label: str, errors: dict, key: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
        if not number.is_finite():
            raise ValueError(value)
        number = number.quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        errors[key] = f"{label}应为数字。"
        return None
    if not low <= number <= high:
        errors[key] = f"{label}应在 {low} 到 {high} 之间。"
        return None
    return number


def _accuracy(value, errors: dict) -> int | None:
    """The location's accuracy in whole metres, 0 to ``MAX_ACCURACY_M``; None when not given."""
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number) or not 0 <= number <= MAX_ACCURACY_M:
        errors["accuracy_m"] = f"定位精度应为 0 到 {MAX_ACCURACY_M} 之间的数字（米）。"
        return None
    return round(number)


@transaction.atomic
def receive_photo(
    *,
    by: User,
    inspection: Inspection,
    client_id,
    upload,
    point: ChecklistPoint | None = None,
    latitude=None,
    longitude=None,
    accuracy_m=None,
    file_modified_at: datetime | None = None,
) -> tuple[Photo, bool]:
    """Keep one photo of a draft inspection and return ``(photo, created)``: the same ``client_id``
    with the same content again returns the photo already kept (``created`` False); with other
    content it is refused, never replaced. ValidationError in Chinese for a file that is not a JPEG,
    PNG or WebP image, or past 20 MB; nothing is kept then."""
    inspection = locked(inspection)
    require_officer(by, inspection)
    errors = {}
    try:
        client_id = uuid.UUID(str(client_id))
    except ValueError:
        raise ValidationError({"client_id": "照片编号应为 UUID。"}) from None
    if upload is None:
        raise ValidationError({"file": "请选择照片。"})
    size = getattr(upload, "size", None) or 0
    if size > rules.MAX_PHOTO_BYTES:
        raise ValidationError({"file": f"照片不能超过 20 MB（该文件 {size / 1024 / 1024:.1f} MB）。"})
    content = upload.read()
    if len(content) > rules.MAX_PHOTO_BYTES:
        raise ValidationError({"file": f"照片不能超过 20 MB（该文件 {len(content) / 1024 / 1024:.1f} MB）。"})
    if not content:
        raise ValidationError({"file": "照片文件是空的，请重新拍摄或选择。"})
    digest = hashlib.sha256(content).hexdigest()
    existing = Photo.objects.filter(inspection=inspection, client_id=client_id).first()
    if existing is not None:
        if existing.sha256 != digest:
            raise Conflict("该照片编号已收到另一张照片；照片一经接收不得替换，请作为新照片上传。")
        return existing, False
    require_draft(inspection)
    kind = _image_format(content)
    if point is not None and point.version_id != inspection.checklist_version_id:
        errors["point"] = "该检查要点不属于本次检查所用的清单版本。"
    lat = _coordinate(latitude, -90, 90, "纬度", errors, "latitude")
    lon = _coordinate(longitude, -180, 180, "经度", errors, "longitude")
    if (lat is None) != (lon is None) and not errors:
        errors["latitude"] = "经度和纬度须同时提供。"
    accuracy_m = _accuracy(accuracy_m, errors)
    if errors:
        raise ValidationError(errors)
    taken_at, source = exif_taken_at(content), "exif"
    if taken_at is None and file_modified_at is not None:
        taken_at, source = file_modified_at, "browser"
    content_type, extension = FORMATS[kind]
    name = (getattr(upload, "name", "") or "")[:200]
    photo = Photo(
        inspection=inspection,
        point=point,
        client_id=client_id,
        original_name=name,
        content_type=content_type,
        size=len(content),
        sha256=digest,
        taken_at=taken_at,
        taken_at_source=source if taken_at else "",
        latitude=lat,
        longitude=lon,
        accuracy_m=accuracy_m,
        uploaded_by=by,
    )
    # Everything is checked above, so the row can be written; the file goes first (the row names it)
    # and goes again if the row cannot be written, so a failed receipt leaves nothing behind.
    photo.file.save(f"{digest[:32]}{extension}", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            photo.save()
    except Exception:
        photo.file.delete(save=False)
        raise
    return photo, True
