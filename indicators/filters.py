import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from proposals.models import Department, Session

from .models import Commitment


class CommitmentFilter(django_filters.FilterSet):
    """The follow-up list: commitments by department, session, review state, follow-up state and whether due."""

    department = django_filters.ModelChoiceFilter(label=_("承办单位"), queryset=Department.objects.none(),
                                                  field_name="reply__assignment__department")
    session = django_filters.ModelChoiceFilter(label=_("届次会议"), queryset=Session.objects.none(),
                                               field_name="reply__assignment__proposal__session")
    review = django_filters.ChoiceFilter(label=_("审核状态"), field_name="review_status", choices=[
        ("pending", _("未审核")), ("accepted", _("已采纳")), ("edited", _("已修改"))])
    status = django_filters.ChoiceFilter(label=_("跟踪状态"), choices=Commitment.FollowUp.choices,
                                         field_name="follow_up_status")
    due = django_filters.BooleanFilter(label=_("已到跟踪日期"), method="filter_due", widget=forms.CheckboxInput)
    year = django_filters.NumberFilter(label=_("跟踪年度"), field_name="follow_up_on__year", min_value=1,
                                       max_value=9999, decimal_places=0)  # a date's year; 0 or 10**30 is ignored
    q = django_filters.CharFilter(label=_("搜索"), field_name="text", lookup_expr="icontains")

    class Meta:
        model = Commitment
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        self.filters["department"].queryset = Department.objects.visible_to(user)
        self.filters["session"].queryset = Session.objects.visible_to(user).select_related("committee")

    def filter_due(self, queryset, name, value):
        return queryset.due_for_follow_up(on=timezone.localdate()) if value else queryset
