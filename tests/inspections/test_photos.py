"""Photos from the factory gate (``inspections.services.photos.receive_photo``): kept with their
SHA-256, the camera's time or the browser's, the location; checked by content and size, refused in
Chinese; one receipt per photo however often it is sent, and never replaced (R-INS-6; issue 10
"nothing is lost")."""

import hashlib
import io
import uuid
from datetime import UTC, date, datetime, timedelta
from datetime import timezone as dt_timezone
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from PIL import Image

from bureau.errors import Conflict
from inspections.models import ChecklistPoint, Photo
from inspections.services.photos import NOT_AN_IMAGE, receive_photo
from tests.factories.inspections import jpeg_bytes, png_bytes, point, start, upload

pytestmark = pytest.mark.today(date(2026, 6, 15))

SHANGHAI = dt_timezone(timedelta(hours=8))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Photos are written to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def inspection(facility, officers):
    return start(facility, officers)


def receive(inspection, by, content: bytes, *, name="IMG_0001.jpg", client_id=None, **extra):
    return receive_photo(
        by=by,
        inspection=inspection,
        client_id=client_id or uuid.uuid4(),
        upload=upload(content, name=name),
        **extra,
    )


def webp_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 0, 200)).save(out, "WEBP")
    return out.getvalue()


def test_a_photo_is_kept_with_its_sha256_and_receipt_time(inspection, officer):
    content = jpeg_bytes()
    # when
    photo, created = receive(inspection, officer, content, point=point(inspection, "二.1"))
    # then
    assert created and photo.sha256 == hashlib.sha256(content).hexdigest()
    assert (photo.size, photo.content_type, photo.original_name) == (
        len(content),
        "image/jpeg",
        "IMG_0001.jpg",
    )
    assert photo.received_at is not None and photo.uploaded_by == officer
    with photo.file.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == photo.sha256


def test_the_camera_time_with_its_offset_is_kept(inspection, officer):
    content = jpeg_bytes(taken=datetime(2026, 6, 15, 9, 30, 5), offset="+09:00")
    photo, _ = receive(inspection, officer, content)
    assert photo.taken_at_source == "exif"
    assert photo.taken_at == datetime(2026, 6, 15, 0, 30, 5, tzinfo=UTC)


def test_the_camera_time_without_an_offset_is_the_bureaus_local_time(inspection, officer):
    photo, _ = receive(inspection, officer, jpeg_bytes(taken=datetime(2026, 6, 15, 9, 30, 5)))
    assert photo.taken_at_source == "exif"
    assert photo.taken_at == datetime(2026, 6, 15, 9, 30, 5, tzinfo=SHANGHAI)


def test_without_exif_the_browsers_file_time_is_kept(inspection, officer):
    file_time = datetime(2026, 6, 15, 10, 2, tzinfo=SHANGHAI)
    photo, _ = receive(inspection, officer, jpeg_bytes(), file_modified_at=file_time)
    assert (photo.taken_at, photo.taken_at_source) == (file_time, "browser")


def test_the_camera_time_wins_over_the_browsers(inspection, officer):
    content = jpeg_bytes(taken=datetime(2026, 6, 15, 9, 30, 5))
    photo, _ = receive(inspection, officer, content, file_modified_at=timezone.now())
    assert photo.taken_at_source == "exif"


def test_without_any_time_none_is_kept(inspection, officer):
    photo, _ = receive(inspection, officer, jpeg_bytes())
    assert (photo.taken_at, photo.taken_at_source) == (None, "")


@pytest.mark.parametrize(
    ("make", "content_type"), [(png_bytes, "image/png"), (webp_bytes, "image/webp")], ids=["png", "webp"]
)
def test_png_and_webp_are_accepted_by_content(inspection, officer, make, content_type):
    # named .jpg: the content decides, not the name
    photo, created = receive(inspection, officer, make(), name="photo.jpg")
    assert created and photo.content_type == content_type


@pytest.mark.parametrize(
    ("content", "name"),
    [
        ("现场检查记录".encode(), "IMG_0002.jpg"),
        (b"<html><body><script>alert(1)</script></body></html>", "page.jpg"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image.svg"),
        (jpeg_bytes()[:200], "broken.jpg"),
        (b"GIF89a" + b"\x00" * 40, "anim.gif"),
    ],
    ids=["text-as-jpg", "html", "svg", "truncated-jpeg", "gif"],
)
def test_a_file_that_is_not_a_jpeg_png_or_webp_is_refused_in_chinese(inspection, officer, content, name):
    with pytest.raises(ValidationError) as refused:
        receive(inspection, officer, content, name=name)
    assert refused.value.message_dict == {"file": [NOT_AN_IMAGE]}
    assert not Photo.objects.exists()


def test_an_empty_file_is_refused(inspection, officer):
    with pytest.raises(ValidationError, match="照片文件是空的"):
        receive(inspection, officer, b"")


def test_a_60_mb_upload_is_refused_before_it_is_read(inspection, officer, tmp_path):
    big = tmp_path / "IMG_big.jpg"
    with big.open("wb") as f:
        f.truncate(60 * 1024 * 1024)  # sparse: nothing written to disk
    with big.open("rb") as f:
        uploaded = UploadedFile(f, name=big.name, content_type="image/jpeg", size=big.stat().st_size)
        with pytest.raises(ValidationError) as refused:
            receive_photo(by=officer, inspection=inspection, client_id=uuid.uuid4(), upload=uploaded)
        assert f.tell() == 0  # not a byte of it was read
    assert refused.value.message_dict == {"file": ["照片不能超过 20 MB（该文件 60.0 MB）。"]}
    assert not Photo.objects.exists()


def test_the_same_photo_sent_twice_gets_the_same_receipt(inspection, officer, officer2):
    client_id = uuid.uuid4()
    content = jpeg_bytes()
    first, created = receive(inspection, officer, content, client_id=client_id)
    assert created
    # when: the answer was lost and the phone sends it again
    again, created_again = receive(inspection, officer2, content, client_id=str(client_id))
    # then
    assert (again.pk, created_again) == (first.pk, False)
    assert Photo.objects.count() == 1


def test_another_photo_under_the_same_id_is_refused_and_the_first_kept(inspection, officer):
    client_id = uuid.uuid4()
    first, _ = receive(inspection, officer, jpeg_bytes(color=(10, 10, 10)), client_id=client_id)
    # when
    with pytest.raises(Conflict, match="照片一经接收不得替换"):
        receive(inspection, officer, jpeg_bytes(color=(250, 250, 250)), client_id=client_id)
    # then
    kept = Photo.objects.get()
    assert (kept.pk, kept.sha256) == (first.pk, first.sha256)
    with kept.file.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == first.sha256


def test_the_location_the_browser_gave_is_kept(inspection, officer):
    photo, _ = receive(
        inspection, officer, jpeg_bytes(), latitude="31.2490123", longitude=121.397, accuracy_m="12.6"
    )
    photo.refresh_from_db()
    assert (photo.latitude, photo.longitude, photo.accuracy_m) == (
        Decimal("31.249012"),
        Decimal("121.397000"),
        13,
    )


@pytest.mark.parametrize(
    ("extra", "errors"),
    [
        ({"latitude": "91", "longitude": "121.4"}, {"latitude": ["纬度应在 -90 到 90 之间。"]}),
        ({"latitude": "北纬31度", "longitude": "121.4"}, {"latitude": ["纬度应为数字。"]}),
        ({"latitude": "31.2"}, {"latitude": ["经度和纬度须同时提供。"]}),
        ({"latitude": "31.2", "longitude": "181"}, {"longitude": ["经度应在 -180 到 180 之间。"]}),
    ],
    ids=["latitude-out-of-range", "latitude-not-a-number", "latitude-alone", "longitude-out-of-range"],
)
def test_a_bad_location_is_refused(inspection, officer, extra, errors):
    with pytest.raises(ValidationError) as refused:
        receive(inspection, officer, jpeg_bytes(), **extra)
    assert refused.value.message_dict == errors
    assert not Photo.objects.exists()


def test_a_photo_from_someone_not_of_the_inspection_is_refused(inspection, enforcement_head):
    with pytest.raises(PermissionDenied, match="只有本次检查的执法人员"):
        receive(inspection, enforcement_head, jpeg_bytes())
    assert not Photo.objects.exists()


def test_a_point_of_another_checklist_version_is_refused(inspection, officer):
    foreign = ChecklistPoint.objects.exclude(version=inspection.checklist_version_id).first()
    with pytest.raises(ValidationError, match="该检查要点不属于本次检查所用的清单版本"):
        receive(inspection, officer, jpeg_bytes(), point=foreign)
