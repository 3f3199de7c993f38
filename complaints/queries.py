"""Reads of complaints that pages, the API and exports share, scoped to what the user may see
(R-CMP-1, R-ORG-3), and the reporter as that user may see it.

``reporter_for`` is the one way a reporter reaches a complaint's page or the API's detail: in full
where ``can_see_reporter`` says so, masked (``rules.mask_reporter``) everywhere else. Lists, the Excel
export and the printed 办理单 show ``masked_reporter`` to everyone: the identity never travels into
exports or slips (R-CMP-1), and a list would show dozens of identities nobody needs at once. A
handler's right to one complaint is a django-guardian grant; the list and detail queries read it in
the same query (``reporter_granted``), so it costs nothing per row.
"""

from datetime import date

import django_filters
from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast
from django.http import Http404
from django.urls import reverse
from guardian.models import UserObjectPermission

from bureau.access import Viewer
from bureau.todo import Line
from complaints import rules
from complaints.models import Channel, Complaint, ComplaintState, Rectification, ReporterAccess
from complaints.rules import ReporterView, mask_reporter

ID_MAX = 2**31 - 1  # the largest id a PostgreSQL integer key holds


def can_see_reporter(user, complaint: Complaint | None = None) -> bool:
    """Whether ``user`` sees reporters' identities in full: 法制科 and 局领导 for every complaint, the
    handler of ``complaint`` for that one (R-CMP-1, 002 十五). The administrator does not."""
    viewer = Viewer.of(user)
    if rules.may_see_reporter(viewer.section_code):
        return True
    if complaint is None or viewer.section_code != rules.HANDLING_SECTION:
        return False
    granted = getattr(complaint, "reporter_granted", None)
    if granted is None:
        granted = user.has_perm(rules.SEE_REPORTER_PERMISSION, complaint)
    return rules.may_see_reporter(viewer.section_code, is_handler=granted)


def reporter_for(user, reporter, complaint: Complaint | None = None) -> ReporterView:
    """``reporter`` (a ``ComplaintReporter`` or a historical record of one) as ``user`` may see it."""
    view = ReporterView.of(reporter)
    return view if can_see_reporter(user, complaint) else mask_reporter(view)


def masked_reporter(reporter) -> ReporterView:
    """``reporter`` masked, whoever looks: lists, exports and printed slips (R-CMP-1)."""
    return mask_reporter(ReporterView.of(reporter))


def _with_grant(complaints: QuerySet[Complaint], user) -> QuerySet[Complaint]:
    """Annotate ``reporter_granted``: whether ``user`` holds the handler's grant on each complaint.
    Only 执法大队 can hold it, so nobody else pays for the subquery."""
    if Viewer.of(user).section_code != rules.HANDLING_SECTION:
        return complaints.annotate(reporter_granted=Value(False))
    grants = UserObjectPermission.objects.filter(
        user_id=user.pk,
        permission__codename=rules.SEE_REPORTER_PERMISSION.split(".")[1],
        content_type__app_label=Complaint._meta.app_label,
        content_type__model=Complaint._meta.model_name,
        object_pk=Cast(OuterRef("pk"), output_field=CharField()),
    )
    return complaints.annotate(reporter_granted=Exists(grants))


def visible_complaints(user) -> QuerySet[Complaint]:
    """Complaints ``user`` may read: all of them for every section of the bureau and the
    administrator (R-ORG-2: 执法大队 maintains complaints, the other sections read them, the reporter
    masked); none for a town or a login without a section."""
    if Viewer.of(user).in_sections(rules.COMPLAINT_SECTIONS):
        return Complaint.objects.all()
    return Complaint.objects.none()


def complaint_list(user) -> QuerySet[Complaint]:
    """The complaints ``user`` may read with what a list row shows (one query for a page)."""
    return _with_grant(
        visible_complaints(user).select_related("facility", "reporter", "linkage_task", "handler"), user
    )


def complaint_for_user(user, pk) -> Complaint:
    """One complaint with what its page and API show; 404 alike for missing and not visible."""
    try:
        return (
            _with_grant(visible_complaints(user), user)
            .select_related(
                "handler",
                "facility__town",
                "reporter",
                "linkage_task",
                "registered_by",
                "registered_section",
                "answered_by",
                "reward_proposed_by",
                "reward_decided_by",
                "closed_by",
            )
            .get(pk=pk)
        )
    except (Complaint.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该信访投诉。") from None


def verified_refusals(year: int) -> QuerySet[Complaint]:
    """Complaints verified as true (举报属实) whose problem the facility refused to rectify (拒不整改),
    recorded in ``year``, with their facility: the grading reads them (R-GRD-2: 不合格 for a verified
    complaint whose problem the unit refuses to rectify; R-CMP-1). Unscoped: the grading is the
    bureau's own computation, not a page."""
    return (
        Complaint.objects.filter(
            is_substantiated=True,
            rectification=Rectification.REFUSED,
            rectification_on__year=year,
            facility__isnull=False,
        )
        .select_related("facility")
        .order_by("rectification_on", "pk")
    )


def may_read_access_log(user) -> bool:
    """局领导 read the log of views of reporters' identities (R-CMP-1); nobody else, the administrator
    included (the log itself says who reported what to whom)."""
    return Viewer.of(user).section_code in rules.ACCESS_LOG_SECTIONS


def reporter_accesses(user, complaint: Complaint | None = None) -> QuerySet[ReporterAccess]:
    """The views of reporters' identities, newest first, with who viewed and which complaint (one
    query for a page); for 局领导 only, empty for everyone else (R-CMP-1)."""
    if not may_read_access_log(user):
        return ReporterAccess.objects.none()
    accesses = ReporterAccess.objects.select_related("complaint", "user", "section")
    if complaint is not None:
        accesses = accesses.filter(complaint=complaint)
    return accesses.order_by("-viewed_at", "-id")


class ComplaintFilter(django_filters.FilterSet):
    """The filters of the list page, its export and the API. The search never looks at the reporter:
    a search by name would tell a masked user who reported what."""

    q = django_filters.CharFilter(method="search", label="编号、内容或被投诉单位")
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label="来源渠道")
    state = django_filters.ChoiceFilter(choices=ComplaintState.choices, label="办理状态")
    rectification = django_filters.ChoiceFilter(choices=Rectification.choices, label="整改情况")
    # Bounded as ids are: a number past the column's range is ignored, never a database overflow (500).
    facility = django_filters.NumberFilter(
        field_name="facility_id", label="被投诉单位", min_value=1, max_value=ID_MAX
    )
    # The dashboards' figures link with a town (the complained-of facility's); the page offers no choice.
    town = django_filters.NumberFilter(
        field_name="facility__town_id", label="街镇", min_value=1, max_value=ID_MAX
    )

    class Meta:
        model = Complaint
        fields = ["q", "channel", "state", "rectification", "facility", "town"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(content__icontains=value)
            | Q(facility__name__icontains=value)
            | Q(facility__credit_code__iexact=value)
            | Q(facility__source_code__iexact=value)
        )


# Complaints whose reporter still waits for an answer (002 二十一: 调查处理并反馈信息).
TO_ANSWER = (ComplaintState.RECEIVED, ComplaintState.INVESTIGATING)


def complaints_to_answer(user, today) -> list[Line]:
    """The home page's 待办 of 执法大队, which handles and answers complaints (R-CMP-1): every complaint
    received or under investigation, oldest first, linked to its page where it is answered. One query;
    none for anyone else."""
    if Viewer.of(user).section_code != rules.HANDLING_SECTION:
        return []
    waiting = (
        Complaint.objects.filter(state__in=TO_ANSWER)
        .select_related("facility")
        .only("pk", "number", "content", "state", "facility__name")
        .order_by("received_on", "pk")
    )
    return [
        Line(
            kind="信访投诉·待答复",
            title=f"{complaint.number} {complaint.facility.name if complaint.facility else complaint.content[:30]}",
            url=reverse("complaints:complaint-detail", args=[complaint.pk]),
        )
        for complaint in waiting
    ]


def period_counts(start: date, end: date) -> dict[str, int]:
    """What the monthly summary (R-SUM-1) counts of 信访投诉 from ``start`` to ``end`` (both included),
    over the whole district and without any reporter (R-CMP-1): received, answered and closed in the
    period, and still open at its end. One query."""
    return Complaint.objects.aggregate(
        received=Count("pk", filter=Q(received_on__range=(start, end))),
        answered=Count("pk", filter=Q(answered_on__range=(start, end))),
        closed=Count("pk", filter=Q(closed_on__range=(start, end))),
        open_at_end=Count(
            "pk", filter=Q(received_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gt=end))
        ),
    )
