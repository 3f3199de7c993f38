"""The two endpoints the officer's form writes through at the factory gate (R-INS-6; the issue's
"nothing is lost"): ``/api/v1/inspections/<pk>/answers/`` and ``/api/v1/inspections/<pk>/photos/``.

Both read for whoever may see the inspection (``queries.inspection_for_user``: 404 alike for missing and
not visible) and write for its officers only (403 otherwise, in Chinese). A write is one call to its
service: ``save_answer`` (the same answer twice changes nothing) and ``receive_photo`` (the same
``client_id`` twice gives the same receipt: 201 the first time, 200 after). The services' refusals
become 400 by field, 403 and 409 through ``bureau.errors.api_exception_handler``.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as InputError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.access import InSections
from bureau.api import KnownFieldsOnly, error_responses
from bureau.sections import ALL_SECTIONS
from bureau.text import CheckedFormParser, CheckedMultiPartParser
from inspections import queries
from inspections.api.serializers import choice_values
from inspections.models import Answer, ChecklistPoint, Conduct, Photo
from inspections.services.common import require_officer
from inspections.services.inspections import save_answer
from inspections.services.photos import receive_photo

ERRORS = error_responses(
    forbidden="只有本次检查的执法人员可以填写或上传照片",
    not_found="不存在，或不在您的辖区内（两者答复相同）",
    conflict="检查记录已有人签名或已签署，不得再修改；或该照片编号已收到另一张照片",
)
NO_POINT = "该检查要点不属于本次检查所用的清单版本。"


class AnswerSerializer(serializers.ModelSerializer):
    point_code = serializers.CharField(source="point.code", read_only=True, label="检查要点编号")

    class Meta:
        model = Answer
        fields = [
            "id",
            "point",
            "point_code",
            "verdict",
            "note",
            "finding_kind",
            "disposition",
            "deadline_workdays",
            "responsible_person",
            "conduct",
            "updated_at",
        ]
        read_only_fields = fields


class AnswerInputSerializer(KnownFieldsOnly):
    # Shapes only: what an answer must hold (a note for 不符合, the deadline of a rectification) is
    # decided by ``save_answer``, which says it in Chinese by field.
    point = serializers.IntegerField(
        label="检查要点",
        error_messages={
            "required": "请指明检查要点（point）。",
            "invalid": "检查要点 point 应为编号（整数）。",
        },
    )
    verdict = serializers.CharField(
        label="检查结论", allow_blank=True, required=False, default="", max_length=20
    )
    note = serializers.CharField(
        label="情况说明",
        allow_blank=True,
        required=False,
        default="",
        trim_whitespace=False,
        max_length=5000,
        error_messages={"max_length": "情况说明不能超过 5000 字。"},
    )
    finding_kind = serializers.CharField(
        label="违法类别", allow_blank=True, required=False, default="", max_length=20
    )
    disposition = serializers.CharField(
        label="处理方式", allow_blank=True, required=False, default="", max_length=20
    )
    deadline_workdays = serializers.IntegerField(
        label="整改时限（工作日）",
        allow_null=True,
        required=False,
        default=None,
        error_messages={"invalid": "整改时限应为整数（工作日）。"},
    )
    responsible_person = serializers.CharField(
        label="整改责任人",
        allow_blank=True,
        required=False,
        default="",
        max_length=50,
        error_messages={"max_length": "整改责任人不能超过 50 字。"},
    )
    conduct = serializers.CharField(
        label="恶意偷排等行为",
        allow_blank=True,
        required=False,
        default="",
        max_length=20,
        help_text=choice_values(Conduct.choices),
    )


class PhotoReceiptSerializer(serializers.ModelSerializer):
    point_code = serializers.CharField(
        source="point.code", read_only=True, default=None, label="检查要点编号"
    )
    url = serializers.SerializerMethodField(label="照片地址")

    class Meta:
        model = Photo
        fields = [
            "id",
            "client_id",
            "sha256",
            "size",
            "received_at",
            "taken_at",
            "taken_at_source",
            "point",
            "point_code",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, photo) -> str:
        return reverse("inspections:inspection-photo", args=[photo.inspection_id, photo.pk])


class PhotoInputSerializer(KnownFieldsOnly):
    client_id = serializers.CharField(
        label="客户端编号（UUID）",
        max_length=40,
        error_messages={"required": "请提供照片编号 client_id（UUID）。"},
    )
    file = serializers.FileField(
        label="照片",
        allow_empty_file=True,
        error_messages={"required": "请选择照片。", "invalid": "请以文件形式上传照片。"},
    )
    point = serializers.IntegerField(
        label="检查要点",
        required=False,
        allow_null=True,
        error_messages={"invalid": "检查要点 point 应为编号（整数）。"},
    )
    latitude = serializers.CharField(label="纬度", required=False, allow_blank=True, max_length=30)
    longitude = serializers.CharField(label="经度", required=False, allow_blank=True, max_length=30)
    accuracy_m = serializers.CharField(
        label="定位精度（米）", required=False, allow_blank=True, max_length=30
    )
    file_modified_at = serializers.CharField(
        label="文件修改时间（ISO 8601）", required=False, allow_blank=True, max_length=40
    )

    def validate_file_modified_at(self, value):
        if not value:
            return None
        try:
            moment = parse_datetime(value)
        except ValueError:  # the right shape with impossible numbers: 2026-13-45T00:00:00
            moment = None
        if moment is None:
            raise serializers.ValidationError(
                "文件修改时间格式错误，应为 ISO 8601，例如 2026-06-15T09:30:00+08:00。"
            )
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _point_of(inspection, pk) -> ChecklistPoint | None:
    if pk is None:
        return None
    point = ChecklistPoint.objects.filter(pk=pk, version_id=inspection.checklist_version_id).first()
    if point is None:
        raise InputError({"point": [NO_POINT]})
    return point


class FieldView(APIView):
    """An endpoint of one inspection: any section may ask, the query decides what it sees."""

    permission_classes = [IsAuthenticated, InSections]
    allowed_sections = ALL_SECTIONS

    def inspection(self):
        return queries.inspection_for_user(self.request.user, self.kwargs["pk"])

    def officer_input(self, serializer_class):
        """The inspection for its officer, and the body as ``serializer_class`` reads it. The officer
        is checked before the body, so someone else is told so even when the body is also wrong."""
        inspection = self.inspection()
        require_officer(self.request.user, inspection)
        body = serializer_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        return inspection, body.validated_data


class AnswersView(FieldView):
    @extend_schema(
        tags=["现场检查"],
        summary="检查结论列表",
        description="本次检查已保存的各要点结论，按清单顺序。能查看该检查的人员均可读取。",
        responses={200: AnswerSerializer(many=True), **ERRORS},
    )
    def get(self, request, pk):
        answers = queries.inspection_answers(self.inspection())
        return Response(AnswerSerializer(answers, many=True).data)

    @extend_schema(
        tags=["现场检查"],
        summary="保存一项检查结论",
        description=(
            "检查人员逐项保存（R-INS-6）：同一内容重复提交不产生变化，返回已保存的结论及保存时间 updated_at。"
            "“不符合”须填写情况说明；违法类别（004 三）、处理方式（立整立改、限期整改、立案查处）可稍后补充，"
            "签名前须齐全；限期整改须填写整改时限（工作日）和整改责任人。已有人签名或已签署的检查返回 409。"
        ),
        request=AnswerInputSerializer,
        responses={200: AnswerSerializer, **ERRORS},
    )
    def post(self, request, pk):
        inspection, data = self.officer_input(AnswerInputSerializer)
        answer = save_answer(
            by=request.user,
            inspection=inspection,
            point=_point_of(inspection, data.pop("point")),
            **data,
        )
        return Response(AnswerSerializer(answer).data)


class PhotosView(FieldView):
    parser_classes = [CheckedMultiPartParser, CheckedFormParser]

    @extend_schema(
        tags=["现场检查"],
        summary="现场照片回执列表",
        description="本次检查已接收的照片，每张附 SHA-256、接收时间和拍摄时间。能查看该检查的人员均可读取。",
        responses={200: PhotoReceiptSerializer(many=True), **ERRORS},
    )
    def get(self, request, pk):
        photos = queries.inspection_photos(self.inspection())
        return Response(PhotoReceiptSerializer(photos, many=True).data)

    @extend_schema(
        tags=["现场检查"],
        summary="上传一张现场照片",
        description=(
            "multipart/form-data，逐张上传。client_id 为浏览器为该照片生成的 UUID：同一照片重复上传返回同一回执"
            "（首次 201，之后 200）；同一 client_id 换成另一张照片返回 409，照片一经接收不得替换。"
            "按文件内容判断类型，只接受 JPEG、PNG、WebP，不超过 20 MB。拍摄时间优先取照片 EXIF，"
            "否则取 file_modified_at（浏览器读取的文件修改时间）；浏览器提供定位时一并保存。"
        ),
        request={"multipart/form-data": PhotoInputSerializer},
        responses={
            201: PhotoReceiptSerializer,
            200: OpenApiResponse(PhotoReceiptSerializer, description="该照片此前已接收：同一回执"),
            **ERRORS,
        },
    )
    def post(self, request, pk):
        inspection, data = self.officer_input(PhotoInputSerializer)
        photo, created = receive_photo(
            by=request.user,
            inspection=inspection,
            client_id=data["client_id"],
            upload=data["file"],
            point=_point_of(inspection, data.get("point")),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            accuracy_m=data.get("accuracy_m"),
            file_modified_at=data.get("file_modified_at"),
        )
        answer = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(PhotoReceiptSerializer(photo).data, status=answer)
