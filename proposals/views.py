from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView
from django_filters.views import FilterView

from replies.services import feedback_record, upload_rate_check

from . import services
from .catalogue import CatalogueError, catalogue_template, read_catalogue
from .confirm import ConfirmStepMixin
from .exports import csv_response, export_filename, export_terms, proposal_rows, xlsx_response
from .filters import BODY_KINDS, ProposalFilter
from .forms import (
    AssignForm,
    CoOpinionForm,
    DueDateForm,
    ExtensionDecisionForm,
    FeedbackForm,
    HardCapForm,
    MergeForm,
    ReasonForm,
)
from .models import Assignment, Committee, Department, Proposal, Session
from .params import LenientPaginationMixin, int_param
from .permissions import Action, may, require
from .selectors import proposal_co_opinions, proposal_get, proposal_history, proposal_list, proposal_timeline
from .similarity import similar_proposals
from .vocabulary import terms_for_bodies, terms_for_user


class StaffRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Writes of the proposal office: staff only; everyone else gets 403."""

    raise_exception = True

    def test_func(self):
        return may(self.request.user, Action.OFFICE)


class OverviewRequiredMixin(LoginRequiredMixin):
    """The overview pages (督办统计, 办理情况报告, 指标历史) are the office's and supervisors': a department gets the
    app's 403 page, and its menu offers none of them."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.reads_by_committee:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ProposalFilterMixin(LoginRequiredMixin):
    filterset_class = ProposalFilter

    def get_queryset(self):
        return proposal_list(user=self.request.user)

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}


def redirect_back(request, default: str):
    """Back to the page the form was posted from (its `next` field), if that is a path on this site."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect(target)
    return redirect(default)


def home(request):
    """Department users start at their queue, members at their own proposals, everyone else at the list."""
    if not request.user.is_authenticated:
        return redirect("login")
    if request.user.is_department_user:
        return redirect("proposals:queue")
    if request.user.is_member_user:
        return redirect("members:home")
    return redirect("proposals:list")


PAGE_SIZES = (50, 100, 200)


class ProposalListView(LenientPaginationMixin, ProposalFilterMixin, FilterView):
    template_name = "proposals/proposal_list.html"
    context_object_name = "proposals"
    paginate_by = 50
    strict = False

    def get_paginate_by(self, queryset):
        try:
            return max(10, min(200, int(self.request.GET.get("per_page", self.paginate_by))))
        except ValueError:
            return self.paginate_by

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        office = may(self.request.user, Action.OFFICE)
        # the office's checkboxes and 催办 only on the committees it works for, not on those it reads below
        worked = set(Committee.objects.worked_by(self.request.user).values_list("pk", flat=True)) if office else set()
        return super().get_context_data(worked_committees=worked, today=timezone.localdate(), query=query.urlencode(), page_sizes=PAGE_SIZES,
                                        several_committees="committee" in self.filterset.form.fields,
                                        departments=Department.objects.serving_any(
                                            Committee.objects.worked_by(self.request.user)).order_by("name")
                                        if office else None,
                                        **kwargs)


class ProposalBulkAssignView(StaffRequiredMixin, View):
    """交办 the proposals ticked on the list (registered ones) to one lead department."""

    def post(self, request):
        ids = [pk for pk in map(int_param, request.POST.getlist("proposals")) if pk]
        proposals = list(Proposal.objects.workable_by(request.user).filter(pk__in=ids)
                         .select_related("session__committee").order_by("session", "number"))
        department = Department.objects.serving_any(Committee.objects.worked_by(request.user)).filter(
            pk=int_param(request.POST.get("department"))).first()
        try:
            if department is None:
                raise ValidationError(_("请选择主办单位。"))
            assignments = services.proposals_assign(proposals=proposals, department=department, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("已将 %(n)d 件%(proposal)s交办%(department)s主办。")
                             % {"n": len(assignments), "department": department,
                                "proposal": terms_for_bodies(p.session.committee.body for p in proposals).proposal})
        return redirect_back(request, "proposals:list")


class ProposalExportView(ProposalFilterMixin, FilterView):
    """The filtered list as .xlsx or CSV (`?format=csv`)."""

    strict = False

    def render_to_response(self, context, **response_kwargs):
        rows = proposal_rows(self.object_list, user=self.request.user)
        terms = export_terms(self.object_list, user=self.request.user)
        extension = "csv" if self.request.GET.get("format") == "csv" else "xlsx"
        filename = export_filename(stem=str(terms.proposal), filters=self.filterset.chosen(), extension=extension)
        if extension == "csv":
            return csv_response(rows, filename=filename, terms=terms)
        return xlsx_response(rows, filename=filename, terms=terms)


class ProposalDetailView(LoginRequiredMixin, DetailView):
    template_name = "proposals/proposal_detail.html"
    context_object_name = "proposal"

    def get_object(self, queryset=None):
        try:
            return proposal_get(user=self.request.user, pk=self.kwargs["pk"])
        except Proposal.DoesNotExist as error:
            raise Http404 from error

    def get_context_data(self, **kwargs):
        proposal = self.object
        for assignment in proposal.assignments.all():
            assignment.deadline_explained = services.assignment_deadlines(assignment)
        user = self.request.user
        office = may(user, Action.OFFICE) and Proposal.objects.workable_by(user).filter(pk=proposal.pk).exists()
        return super().get_context_data(
            office=office, today=timezone.localdate(), timeline=proposal_timeline(proposal), history=proposal_history(proposal, user=self.request.user),
            co_opinions=proposal_co_opinions(user=self.request.user, proposal=proposal),
            assign_form=AssignForm(proposal=proposal),
            reason_form=ReasonForm(), due_form=DueDateForm(proposal=proposal),
            hard_cap_form=HardCapForm(proposal=proposal), merge_form=MergeForm(proposal=proposal),
            feedback_form=FeedbackForm(proposal=proposal),
            similar=similar_proposals(user=self.request.user, title=proposal.title, body=proposal.body,
                                      exclude=proposal.pk), **kwargs)


class ProposalActionView(ConfirmStepMixin, StaffRequiredMixin, View):
    """A staff action on one proposal: validate its form, call one service, go back to the proposal page.
    The irreversible ones (close, refuse, merge, return) ask for confirmation first."""

    def post(self, request, pk, action):
        proposal = get_object_or_404(Proposal.objects.workable_by(request.user).select_related("session__committee"),
                                     pk=pk)
        handler = getattr(self, f"do_{action.replace('-', '_')}", None)
        if handler is None:
            raise Http404
        confirm = getattr(self, f"confirm_{action}", None)
        if confirm is not None and self.needs_confirmation():
            try:  # a form that cannot pass is said at once, not after the confirmation
                title, lines = confirm(proposal)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("proposals:detail", pk=proposal.pk)
            return self.confirmation(title=title, lines=lines, danger=action != "close",
                                     cancel_url=reverse("proposals:detail", args=[proposal.pk]))
        try:
            message = handler(proposal)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, message)
        return redirect("proposals:detail", pk=proposal.pk)

    def _valid(self, form):
        if not form.is_valid():
            raise ValidationError([f"{form.fields[f].label}: {' '.join(e)}" if f in form.fields else " ".join(e)
                                   for f, e in form.errors.items()])
        return form.cleaned_data

    def _assignment(self, proposal):
        return get_object_or_404(Assignment, pk=self.request.POST.get("assignment"), proposal=proposal)

    def confirm_close(self, proposal):
        return _("办结%(proposal)s") % {"proposal": proposal.terms.noun}, [
            _("办结 %(proposal)s：各交办随之办结，不再接受答复。") % {"proposal": proposal}]

    def confirm_refuse(self, proposal):
        data = self._valid(ReasonForm(self.request.POST))
        return _("不予立案"), [_("%(proposal)s 将不予立案，%(proposers)s将看到理由。")
                           % {"proposal": proposal, "proposers": proposal.terms.proposers},
                           _("理由：%(reason)s") % {"reason": data["reason"]}]

    def confirm_merge(self, proposal):
        data = self._valid(MergeForm(self.request.POST, proposal=proposal))
        return _("并案"), [_("%(proposal)s 并入 %(into)s，不再单独办理。") % {"proposal": proposal,
                                                                    "into": data["into"]}]

    def confirm_return(self, proposal):
        data = self._valid(ReasonForm(self.request.POST))
        assignment = self._assignment(proposal)
        return _("退回交办"), [_("退回 %(department)s 的交办，之后须重新交办。") % {"department": assignment.department},
                           _("理由：%(reason)s") % {"reason": data["reason"]}]

    def do_register(self, proposal):
        services.proposal_register(proposal=proposal)
        return _("已立案。")

    def do_refuse(self, proposal):
        data = self._valid(ReasonForm(self.request.POST))
        services.proposal_refuse(proposal=proposal, reason=data["reason"])
        return _("已不予立案。")

    def do_merge(self, proposal):
        data = self._valid(MergeForm(self.request.POST, proposal=proposal))
        services.proposal_merge(proposal=proposal, into=data["into"])
        return _("已并案。")

    def do_assign(self, proposal):
        data = self._valid(AssignForm(self.request.POST, proposal=proposal))
        assignment = services.assignment_create(proposal=proposal, department=data["department"], role=data["role"],
                                                assigned_on=data["assigned_on"], by=self.request.user)
        return _("已交办给 %(department)s，办理期限 %(due)s。") % {"department": assignment.department,
                                                          "due": assignment.due_on}

    def do_return(self, proposal):
        data = self._valid(ReasonForm(self.request.POST))
        assignment = services.assignment_return(assignment=self._assignment(proposal), reason=data["reason"],
                                                by=self.request.user)
        return _("已退回 %(department)s 的交办，可重新交办。") % {"department": assignment.department}

    def do_set_due(self, proposal):
        data = self._valid(DueDateForm(self.request.POST, proposal=proposal))
        services.assignment_set_due(assignment=self._assignment(proposal), due_on=data["due_on"],
                                    reason=data["reason"], by=self.request.user)
        return _("已调整办理期限。")

    def do_set_hard_cap(self, proposal):
        data = self._valid(HardCapForm(self.request.POST, proposal=proposal))
        services.assignment_set_hard_cap(assignment=self._assignment(proposal), hard_due_on=data["hard_due_on"],
                                         reason=data["reason"], by=self.request.user)
        return _("已调整最长期限。")

    def do_feedback(self, proposal):
        data = self._valid(FeedbackForm(self.request.POST, proposal=proposal))
        feedback = feedback_record(reply=data["reply"], member=data["member"], rating=data["rating"],
                                   handling_rating=data["handling_rating"], outcome_rating=data["outcome_rating"],
                                   comment=data["comment"], by=self.request.user)
        if feedback.rating == feedback.Rating.UNSATISFIED:
            return _("已记录“不满意”，交办已转为重新办理。")
        return _("已记录征询意见。")

    def do_close(self, proposal):
        services.proposal_close(proposal=proposal, by=self.request.user)
        return _("已办结。")


IMPORT_SALT = "proposals.catalogue-import"


class ProposalImportView(StaffRequiredMixin, TemplateView):
    """Import the office's catalogue: upload, preview every row with its errors, then confirm to save."""

    template_name = "proposals/proposal_import.html"

    def post(self, request):
        if "token" in request.POST:
            return self.confirm(request)
        upload = request.FILES.get("file")
        if upload is None:
            return self.render_to_response(self.get_context_data(error=_("请选择 Excel 文件。")))
        if upload.size > 20 * 1024 * 1024:
            return self.render_to_response(self.get_context_data(error=_("文件过大（上限 20 MB）。")))
        data = upload.read()
        try:
            rows = read_catalogue(data, session_choices=Session.objects.workable_by(request.user))
        except CatalogueError as error:
            return self.render_to_response(self.get_context_data(error=str(error)))
        name = default_storage.save("imports/catalogue.xlsx", ContentFile(data))
        token = signing.dumps({"name": name, "user": request.user.pk}, salt=IMPORT_SALT)
        return self.render_to_response(self.get_context_data(
            rows=rows, token=token, good=sum(row.ok for row in rows), bad=sum(not row.ok for row in rows)))

    def confirm(self, request):
        try:
            stored = signing.loads(request.POST["token"], salt=IMPORT_SALT, max_age=3600)
        except signing.BadSignature:
            stored = None
        if not stored or stored["user"] != request.user.pk or not default_storage.exists(stored["name"]):
            return self.render_to_response(self.get_context_data(error=_("预览已过期，请重新上传。")))
        with default_storage.open(stored["name"], "rb") as handle:
            rows = read_catalogue(handle.read(), session_choices=Session.objects.workable_by(request.user))
        created = services.proposal_catalogue_import(rows=rows, by=request.user)
        default_storage.delete(stored["name"])
        skipped = sum(not row.ok for row in rows)
        messages.success(request, _("已导入 %(created)d 件%(proposal)s，跳过 %(skipped)d 行有错误的记录。")
                         % {"created": len(created), "skipped": skipped,
                            "proposal": terms_for_user(request.user).proposal})
        return redirect("proposals:list")


class ProposalImportTemplateView(StaffRequiredMixin, View):
    def get(self, request):
        response = HttpResponse(catalogue_template(terms=terms_for_user(request.user)),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = 'attachment; filename="proposal-catalogue-template.xlsx"'
        return response


class DashboardView(OverviewRequiredMixin, TemplateView):
    """Per department and per session or year: the figures a supervisor follows, and overdue as a chart."""

    template_name = "proposals/dashboard.html"

    def get_context_data(self, **kwargs):
        from .selectors import dashboard_totals, department_dashboard_cached

        sessions = Session.objects.visible_to(self.request.user)
        session_id = int_param(self.request.GET.get("session"))
        session = sessions.filter(pk=session_id).first() if session_id else None
        year = int_param(self.request.GET.get("year"), maximum=9999)
        rows, computed_at = department_dashboard_cached(user=self.request.user, today=timezone.localdate(),
                                                        session=session, year=year)
        chart = sorted((r for r in rows if r["overdue"]), key=lambda r: -r["overdue"])[:20]
        peak = max((r["overdue"] for r in chart), default=0)
        return super().get_context_data(
            rows=rows, computed_at=computed_at, totals=dashboard_totals(rows), chart_height=20 * len(chart) + 10,
            chart=[{**r, "width": round(170 * r["overdue"] / peak), "y": 20 * i} for i, r in enumerate(chart)],
            sessions=sessions.select_related("committee"), session=session, year=year,
            years=sorted(set(sessions.values_list("year", flat=True)), reverse=True), **kwargs)


class AssignmentQueueView(LoginRequiredMixin, TemplateView):
    """A department's work: to sign for, open by due date, reopened, returned; staff see pending requests."""

    template_name = "proposals/assignment_queue.html"

    def get_context_data(self, **kwargs):
        from indicators.selectors import commitment_queue

        from .selectors import assignment_queue

        body = self.request.GET.get("body", "")
        body = body if body in Committee.Body.values else ""
        return super().get_context_data(queue=assignment_queue(user=self.request.user, body=body), body=body,
                                        bodies=BODY_KINDS, today=timezone.localdate(),
                                        commitment_queue=commitment_queue(user=self.request.user), **kwargs)


class AssignmentActionView(LoginRequiredMixin, View):
    """A department's action on its own assignment, or the office's decision on a return request."""

    def post(self, request, pk, action):
        assignment = get_object_or_404(Assignment.objects.workable_by(request.user).select_related("proposal"),
                                       pk=pk)
        user = request.user
        handlers = {
            "sign": (Action.HANDLE, self.sign),
            "request-return": (Action.REQUEST, self.request_return),
            "decide-return": (Action.OFFICE, self.decide_return),
            "request-extension": (Action.REQUEST, self.request_extension),
            "decide-extension": (Action.OFFICE, self.decide_extension),
            "remind": (Action.OFFICE, self.remind),
        }
        if action not in handlers:
            raise Http404
        needed, handler = handlers[action]
        require(user, needed)
        try:
            message = handler(assignment)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, message)
        return redirect_back(request, "proposals:queue")

    def sign(self, assignment):
        services.assignment_sign(assignment=assignment, by=self.request.user)
        return _("已签收。")

    def request_return(self, assignment):
        services.assignment_request_return(assignment=assignment, reason=self.request.POST.get("reason", ""),
                                           by=self.request.user)
        return _("已申请退回，等待%(desk)s处理。") % {"desk": assignment.proposal.terms.desk}

    def request_extension(self, assignment):
        from datetime import date

        try:
            requested = date.fromisoformat(self.request.POST.get("due_on", ""))
        except ValueError as error:
            raise ValidationError(_("请填写延期后的日期。")) from error
        services.extension_request(assignment=assignment, requested_due_on=requested,
                                   reason=self.request.POST.get("reason", ""), by=self.request.user)
        return _("已申请延期，等待%(desk)s审批。") % {"desk": assignment.proposal.terms.desk}

    def decide_extension(self, assignment):
        extension = get_object_or_404(assignment.extensions, pk=self.request.POST.get("extension"))
        form = ExtensionDecisionForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError([" ".join(errors) for errors in form.errors.values()])
        grant = form.cleaned_data["decision"] == "grant"
        services.extension_decide(extension=extension, grant=grant, by=self.request.user,
                                  note=form.cleaned_data["note"], hard_due_on=form.cleaned_data["hard_due_on"],
                                  hard_cap_reason=form.cleaned_data["hard_cap_reason"])
        return _("已同意延期。") if grant else _("已不同意延期。")

    def remind(self, assignment):
        services.assignment_remind(assignment=assignment, by=self.request.user)
        return _("已催办%(department)s。") % {"department": assignment.department}

    def decide_return(self, assignment):
        accept = self.request.POST.get("decision") == "accept"
        services.assignment_return_decide(assignment=assignment, accept=accept, by=self.request.user,
                                          note=self.request.POST.get("note", ""))
        return _("已同意退回，请重新交办。") if accept else _("已不同意退回。")


class CoOpinionView(LoginRequiredMixin, FormView):
    """A co-handler writes its 会办意见 to the lead department, with an optional attachment; on an error (a file
    of the wrong type, say) the page comes back with the opinion as typed."""

    template_name = "proposals/co_opinion_form.html"
    form_class = CoOpinionForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.assignment = get_object_or_404(
                Assignment.objects.visible_to(request.user).filter(role=Assignment.Role.CO)
                .select_related("proposal__session", "department"), pk=kwargs["pk"])
            require(request.user, Action.HANDLE)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(assignment=self.assignment, **kwargs)

    def form_valid(self, form):
        attachment = form.cleaned_data["attachment"]
        try:
            if attachment:
                upload_rate_check(user=self.request.user)
            services.co_opinion_send(assignment=self.assignment, text=form.cleaned_data["text"],
                                     by=self.request.user, attachment=attachment or None)
        except ValidationError as error:
            form.add_error("attachment" if getattr(error, "code", None) == "file" else None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("会办意见已送主办单位。"))
        return redirect("proposals:queue")


class CoOpinionFileView(LoginRequiredMixin, View):
    """A 会办意见's attachment, served only to those who may read the opinion (CoOpinion.objects.visible_to)."""

    def get(self, request, pk):
        from .files import file_response
        from .models import CoOpinion

        opinion = get_object_or_404(CoOpinion.objects.visible_to(request.user).exclude(attachment=""), pk=pk)
        try:
            return file_response(opinion.attachment, name=opinion.attachment_name, default="co-opinion")
        except FileNotFoundError as error:
            raise Http404 from error


PENDING_ATTACHMENT_SALT = "proposals.pending-attachment"


class ProposalFormView(StaffRequiredMixin, TemplateView):
    """Log a proposal (or correct one not yet registered): the form, its proposer rows and attachments. On an
    error everything comes back as typed, and files already chosen are kept aside for the next submit."""

    template_name = "proposals/proposal_form.html"
    proposal = None

    def get_form(self):
        from .forms import ProposalForm

        user = self.request.user
        terms = self.form_terms()
        if self.request.method == "POST":
            return ProposalForm(self.request.POST, proposal=self.proposal, user=user, terms=terms)
        if self.proposal is not None:
            p = self.proposal
            return ProposalForm(proposal=p, user=user, initial={
                "session": p.session_id, "number": p.number, "title": p.title, "made_at": p.made_at,
                "category": p.category, "submitted_on": p.submitted_on, "is_key": p.is_key, "body": p.body})
        from .selectors import session_next_numbers

        session = Session.objects.workable_by(user).order_by("-opened_on", "-pk").first()
        initial = {"session": session, "number": session_next_numbers()[session.pk]} if session else {}
        return ProposalForm(initial=initial, user=user, terms=terms)

    def form_terms(self):
        """A proposal's own words when editing; when logging a new one, those of the committees the office works."""
        from .vocabulary import terms_for_user

        return self.proposal.terms if self.proposal is not None else terms_for_user(self.request.user)

    def get_context_data(self, **kwargs):
        import json

        from .selectors import member_choices, session_next_numbers
        from .vocabulary import member_kind_choices

        terms = self.form_terms()
        typed = self.request.POST if self.request.method == "POST" else None
        title = typed.get("title", "") if typed else getattr(self.proposal, "title", "")
        body = typed.get("body", "") if typed else getattr(self.proposal, "body", "")
        return super().get_context_data(
            similar=similar_proposals(user=self.request.user, title=title, body=body,
                                      exclude=getattr(self.proposal, "pk", None)),
            proposal=self.proposal, member_choices=member_choices(user=self.request.user), member_kinds=member_kind_choices(terms), terms=terms,
            member_kinds_named="、".join(str(label) for _, label in member_kind_choices(terms)),
            next_numbers=json.dumps({str(k): v for k, v in session_next_numbers().items()}), **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.get_form(), pending=[]))

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        pending = self._pending_from_post()
        uploads = request.FILES.getlist("attachments")
        if form.is_valid():
            kept = self._pending_files(pending)
            try:
                proposal = self.save(form, [*kept, *uploads])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                for item in pending:
                    default_storage.delete(item["name"])
                return redirect("proposals:detail", pk=proposal.pk)
            finally:
                for file in kept:
                    file.close()
        pending += self._stash(uploads, form)
        return self.render_to_response(self.get_context_data(form=form, pending=pending))

    def save(self, form, files):
        data = form.cleaned_data
        fields = {key: data[key] for key in ("session", "number", "title", "submitted_on", "category", "made_at",
                                              "body", "is_key")}
        with transaction.atomic():
            members = services.members_resolve(entries=form.proposer_entries, committee=data["session"].committee)
            if self.proposal is None:
                proposal = services.proposal_create(proposers=members, attachments=files, by=self.request.user,
                                                    **fields)
                messages.success(self.request, _("已登记%(kind)s：%(proposal)s。")
                                 % {"kind": proposal.terms.noun, "proposal": proposal})
            else:
                remove = [int(pk) for pk in self.request.POST.getlist("remove_attachment") if pk.isdigit()]
                proposal = services.proposal_update(proposal=self.proposal, proposers=members, attachments=files,
                                                    remove_attachments=remove, by=self.request.user, **fields)
                messages.success(self.request, _("已保存修改。"))
        return proposal

    def _stash(self, uploads, form) -> list[dict]:
        """Keep the chosen files aside (signed, for this user) so a corrected form need not choose them again."""
        kept = []
        for upload in uploads:
            try:
                services.proposal_attachment_check(name=upload.name, size=upload.size)
            except ValidationError as error:
                form.add_error(None, error)
                continue
            from pathlib import PurePath
            from uuid import uuid4

            suffix = PurePath(upload.name).suffix.lower()[:10]
            name = default_storage.save(f"proposals/pending/{uuid4().hex}{suffix}", upload)
            item = {"name": name, "original": upload.name, "size": upload.size, "user": self.request.user.pk}
            kept.append({**item, "token": signing.dumps(item, salt=PENDING_ATTACHMENT_SALT)})
        return kept

    def _pending_from_post(self) -> list[dict]:
        items = []
        for token in self.request.POST.getlist("pending_attachment"):
            try:
                item = signing.loads(token, salt=PENDING_ATTACHMENT_SALT, max_age=6 * 3600)
            except signing.BadSignature:
                continue
            if item.get("user") == self.request.user.pk and default_storage.exists(item["name"]):
                items.append({**item, "token": token})
        return items

    def _pending_files(self, pending):
        from django.core.files import File

        return [File(default_storage.open(item["name"], "rb"), name=item["original"]) for item in pending]


class ProposalCreateView(ProposalFormView):
    pass


class SimilarProposalsView(LoginRequiredMixin, TemplateView):
    """The similar-proposals panel for a title and body being typed (htmx swaps it in beside the form)."""

    template_name = "proposals/_similar_proposals.html"

    def get_context_data(self, **kwargs):
        params = self.request.GET
        return super().get_context_data(
            similar=similar_proposals(user=self.request.user, title=params.get("title", "")[:300],
                                      body=params.get("body", "")[:5000], exclude=int_param(params.get("exclude"))),
            **kwargs)


class ProposalUpdateView(ProposalFormView):
    def dispatch(self, request, *args, **kwargs):
        if may(request.user, Action.OFFICE):
            self.proposal = get_object_or_404(
                Proposal.objects.workable_by(request.user).prefetch_related("proposer_links__member", "attachments"),
                pk=kwargs["pk"])
            if self.proposal.status != Proposal.Status.SUBMITTED:
                messages.error(request, _("%(proposal)s已立案或已处理，不能再修改登记信息。")
                               % {"proposal": self.proposal.terms.noun})
                return redirect("proposals:detail", pk=self.proposal.pk)
        return super().dispatch(request, *args, **kwargs)


class ProposalAttachmentView(LoginRequiredMixin, View):
    """A proposal's attachment, served only to users who may see the proposal."""

    def get(self, request, pk):
        from .files import file_response
        from .models import ProposalAttachment

        attachment = get_object_or_404(
            ProposalAttachment.objects.filter(proposal__in=Proposal.objects.visible_to(request.user)), pk=pk)
        try:  # only a real PDF opens in the browser; anything else is downloaded, never rendered
            return file_response(attachment.file, name=attachment.original_name, default="attachment")
        except FileNotFoundError as error:
            raise Http404 from error


class StaffTodoView(StaffRequiredMixin, TemplateView):
    """The office's 待办: replies to review and release, extension and return requests, unattached imports."""

    template_name = "proposals/staff_todo.html"

    def get_context_data(self, **kwargs):
        from .selectors import staff_todo

        query = self.request.GET
        typed = {"reply": query.get("attach", ""), "session": query.get("session", ""),
                 "number": query.get("number", ""), "department": query.get("department", "")}
        return super().get_context_data(todo=staff_todo(user=self.request.user), typed=typed,
                                        sessions=Session.objects.workable_by(self.request.user)
                                        .select_related("committee"),
                                        departments=Department.objects.serving_any(
                                            Committee.objects.worked_by(self.request.user))
                                        .values_list("name", flat=True),
                                        today=timezone.localdate(), **kwargs)
