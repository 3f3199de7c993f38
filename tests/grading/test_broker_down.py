"""The broker is down when 审批科 starts a draft (issue 14, jobs that survive faults): the page and the API
say so in Chinese (503), and the year is not left 起草中 for ever: it is failed visibly and may be drafted
again at once."""

from datetime import date

import pytest
from django.urls import reverse

from grading.models import AnnualGrading, GradingState

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.today(date(2026, 1, 20))]


def test_a_draft_that_cannot_be_queued_is_failed_visibly_on_the_page_and_in_the_api(
    client, api_client, approval_clerk, make_holders, broker_down
):
    make_holders(2)
    client.force_login(approval_clerk)

    page = client.post(reverse("grading:grading-start"), {"year": "2025"})

    assert page.status_code == 503
    assert "后台任务队列暂时不可用" in page.content.decode()
    grading = AnnualGrading.objects.get(year=2025)
    assert grading.state == GradingState.FAILED and "后台任务队列暂时不可用" in grading.error

    api_client.force_authenticate(approval_clerk)
    answer = api_client.post(reverse("api-gradings"), {"year": 2025}, format="json")

    assert answer.status_code == 503, answer.content
    assert answer.json()["detail"].startswith("后台任务队列暂时不可用")
    grading.refresh_from_db()
    assert grading.state == GradingState.FAILED and grading.draft_count == 2
