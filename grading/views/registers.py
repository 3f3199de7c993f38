"""Pages of the positive list, credit ratings, the work group and recorded facts (placeholder)."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("建设中")


positive_list = proposal_decide = positive_add = positive_remove = positive_settings = _todo
credit_list = credit_record = work_group = work_group_post_new = work_group_hand_over = _todo
work_group_retire = fact_list = fact_new = fact_withdraw = _todo
