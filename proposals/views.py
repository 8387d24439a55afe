from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.utils import timezone
from django.views.generic import DetailView, ListView

from .models import Proposal
from .selectors import proposal_get, proposal_list


class ProposalListView(LoginRequiredMixin, ListView):
    template_name = "proposals/proposal_list.html"
    context_object_name = "proposals"
    paginate_by = 50

    def get_queryset(self):
        return proposal_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=timezone.localdate(), **kwargs)


class ProposalDetailView(LoginRequiredMixin, DetailView):
    template_name = "proposals/proposal_detail.html"
    context_object_name = "proposal"

    def get_object(self, queryset=None):
        try:
            return proposal_get(user=self.request.user, pk=self.kwargs["pk"])
        except Proposal.DoesNotExist as error:
            raise Http404 from error

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=timezone.localdate(), **kwargs)
