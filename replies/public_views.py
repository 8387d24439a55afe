"""The public pages: anyone, signed in or not, reads the replies the office made 公开, and nothing else: the
proposal's title, its departments and category, and the redacted text or PDF."""

from django.core.paginator import Paginator
from django.http import Http404
from django.views import View
from django.views.generic import TemplateView

from proposals.files import file_response

from .forms import PublicReplyFilterForm
from .models import Reply
from .selectors import public_reply_get, public_reply_list

PAGE_SIZE = 20


class PublicReplyListView(TemplateView):
    template_name = "public/reply_list.html"

    def get_context_data(self, **kwargs):
        form = PublicReplyFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        page = Paginator(public_reply_list(filters=filters), PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(form=form, page=page, query=query.urlencode(), **kwargs)


class PublicReplyMixin:
    def get_reply(self) -> Reply:
        try:
            return public_reply_get(pk=self.kwargs["pk"])
        except Reply.DoesNotExist as error:
            raise Http404 from error


class PublicReplyDetailView(PublicReplyMixin, TemplateView):
    template_name = "public/reply_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(reply=self.get_reply(), **kwargs)


class PublicReplyFileView(PublicReplyMixin, View):
    """The redacted, image-only PDF; a reply published as text only has none."""

    def get(self, request, pk):
        reply = self.get_reply()
        if not reply.public_file:
            raise Http404
        try:
            response = file_response(reply.public_file, name=f"reply-{reply.pk}.pdf", default=f"reply-{reply.pk}")
        except FileNotFoundError as error:
            raise Http404 from error
        response["Cache-Control"] = "no-cache"
        return response
