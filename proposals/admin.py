from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    Assignment,
    AssignmentEvent,
    Committee,
    CoOpinion,
    Cosigner,
    Department,
    DepartmentContact,
    DraftAttachment,
    Extension,
    Member,
    Notification,
    Proposal,
    ProposalAttachment,
    ProposalDraft,
    Proposer,
    Region,
    Reminder,
    Session,
    User,
)
from .permissions import ReadOnlyHistoryMixin, RolePolicyAdminMixin
from .vocabulary import MIXED_TERMS, terms_for_user


class CommitteeScopedAdminMixin:
    """The admin shows an office or supervisor account only the rows of the committees it reads, and changes
    (any POST: a form, an action, a delete) only those of the committees it works for: the rows reached through
    `scoped_through`, (path from this model, label of a model with visible_to/workable_by); "" is the row itself.
    A row it reads but may not change opens read only."""

    scoped_through: tuple[str, str] | None = None

    def scoped(self, queryset, user, *, to_change: bool):
        from django.apps import apps

        path, label = self.scoped_through
        manager = apps.get_model(label).objects
        rows = manager.workable_by(user) if to_change else manager.visible_to(user)
        return queryset.filter(**{f"{path}__pk__in" if path else "pk__in": rows.values("pk")})

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.scoped_through is None or request.user.sees_all_committees:
            return queryset
        return self.scoped(queryset, request.user, to_change=request.method not in ("GET", "HEAD"))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_change(request, obj)

    def _may_change(self, request, obj) -> bool:
        if obj is None or self.scoped_through is None or request.user.sees_all_committees:
            return True
        return self.scoped(self.model._default_manager.filter(pk=obj.pk), request.user, to_change=True).exists()

    def _require_in_scope(self, request, object_id) -> None:
        """The history pages read past versions straight from the history table: out of scope is 404 there too."""
        from django.contrib.admin.utils import unquote
        from django.http import Http404

        if not getattr(request.user, "reads_by_committee", False):
            return  # other roles have no admin at all: the role policy refuses them
        try:
            found = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValueError, ValidationError):
            found = False
        if not found:
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


def choices_for(model, user):
    """The rows of `model` an account of some committees may pick in a form (those it may change, the committees
    it works for); None for an all-committee account, or a model not scoped by committee."""
    if not user.reads_by_committee or user.sees_all_committees:
        return None
    if model is Committee:
        return Committee.objects.worked_by(user)
    if model is Region:
        return Region.objects.filter(pk__in=Committee.objects.worked_by(user).values("region"))
    manager = model._default_manager
    return manager.workable_by(user) if hasattr(manager, "workable_by") else None


class ScopedChoicesAdminMixin:
    """An account of some committees picks (a foreign key, a many-to-many) only among the rows it may change:
    no row it adds or edits can point at another committee's session, member, committee or department."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        choices = choices_for(db_field.related_model, request.user)
        if choices is not None:
            kwargs.setdefault("queryset", choices)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        choices = choices_for(db_field.related_model, request.user)
        if choices is not None:
            kwargs.setdefault("queryset", choices)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


# Every admin of the three apps is built on these, so the role policy (proposals.permissions) decides first.
class ModelAdmin(RolePolicyAdminMixin, CommitteeScopedAdminMixin, ScopedChoicesAdminMixin, admin.ModelAdmin):
    pass


class TabularInline(RolePolicyAdminMixin, ScopedChoicesAdminMixin, admin.TabularInline):
    pass


class HistoryAdmin(RolePolicyAdminMixin, ReadOnlyHistoryMixin, CommitteeScopedAdminMixin, ScopedChoicesAdminMixin,
                   SimpleHistoryAdmin):
    pass


class AllCommitteesWriteAdmin:
    """Rows every committee shares (places, committees): only an all-committee account adds or deletes them."""

    def has_add_permission(self, request):
        return request.user.sees_all_committees and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.sees_all_committees and super().has_delete_permission(request, obj)


@admin.register(Region)
class RegionAdmin(AllCommitteesWriteAdmin, ModelAdmin):
    """A place's parent decides which committees read below into it: changed by an all-committee account only."""

    list_display = ["name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name"]

    def has_change_permission(self, request, obj=None):
        return request.user.sees_all_committees and super().has_change_permission(request, obj)


@admin.register(Committee)
class CommitteeAdmin(AllCommitteesWriteAdmin, ModelAdmin):
    list_display = ["name", "short_name", "body", "region"]
    list_filter = ["body", "region__level"]
    search_fields = ["name", "short_name"]

    def get_queryset(self, request):
        """The committees the account reads; it changes only those it works for."""
        committees = Committee.objects.readable_by if request.method in ("GET", "HEAD") else \
            Committee.objects.worked_by
        return super().get_queryset(request).filter(pk__in=committees(request.user).values("pk"))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or Committee.objects.worked_by(request.user).filter(pk=obj.pk).exists())

    def get_readonly_fields(self, request, obj=None):
        """Its body and place decide which departments serve it and which committees it reads below."""
        readonly = super().get_readonly_fields(request, obj)
        if request is None or request.user.sees_all_committees:
            return readonly
        return [*readonly, "body", "region"]


@admin.register(Session)
class SessionAdmin(ModelAdmin):
    scoped_through = ("", "proposals.Session")
    list_display = ["name", "committee", "year", "opened_on", "deadline_unit", "plenary_months", "interim_months",
                    "hard_cap_months", "co_opinion_months", "submission_opens_on", "submission_closes_on"]
    list_filter = [("committee", admin.RelatedOnlyFieldListFilter), "year", "deadline_unit"]
    search_fields = ["name", "committee__name"]

    def get_form(self, request, obj=None, **kwargs):
        """The rule's labels in the words of the session's body (大会期间建议办理时限), or of the account's."""
        form = super().get_form(request, obj, **kwargs)
        committee_id = request.GET.get("committee", "")
        if obj is not None:
            terms = obj.terms
        elif committee_id.isdigit() and (committee := Committee.objects.filter(pk=committee_id).first()):
            terms = committee.terms
        else:
            terms = terms_for_user(request.user)
        words = {"proposal": terms.nouns, "member": terms.member}
        labels = {"plenary_months": _("大会期间%(proposal)s办理时限（月）"),
                  "interim_months": _("闭会期间%(proposal)s办理时限（月）"),
                  "plenary_working_days": _("大会期间%(proposal)s办理时限（工作日）"),
                  "interim_working_days": _("闭会期间%(proposal)s办理时限（工作日）")}
        for name, label in labels.items():
            if name in form.base_fields:
                form.base_fields[name].label = label % words
        if "submission_closes_on" in form.base_fields:
            form.base_fields["submission_closes_on"].help_text = _(
                "%(member)s在此期间（含首尾两日）网上提交%(proposal)s；未设置则不接受网上提交。") % words
        return form

    def get_changeform_initial_data(self, request):
        """A new session of a committee (?committee=<id>) starts with its body's handling rule."""
        initial = super().get_changeform_initial_data(request)
        committee_id = str(initial.get("committee", ""))
        committee = Committee.objects.filter(pk=committee_id).first() if committee_id.isdigit() else None
        return {**Session.rule_defaults(committee.body), **initial} if committee else initial

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            changed = services.deadlines_recompute(session=obj)
            self.message_user(request, _("已按新规则重新计算 %(n)d 项未办结交办的期限。") % {"n": changed})


@admin.register(Member)
class MemberAdmin(ModelAdmin):
    scoped_through = ("", "proposals.Member")
    list_display = ["name", "kind_in_words", "committee", "sector", "party", "phone"]
    list_filter = ["kind", "sector", "party"]
    list_select_related = ["committee"]
    search_fields = ["name", "sector", "party"]

    @admin.display(description=_("类型"), ordering="kind")
    def kind_in_words(self, member):
        """A person is a 委员 of a 政协 and a 代表 of a 人大."""
        return member.kind_label(member.committee.terms if member.committee else MIXED_TERMS)


class DepartmentContactInline(TabularInline):
    model = DepartmentContact
    extra = 0


@admin.register(Department)
class DepartmentAdmin(ModelAdmin):
    scoped_through = ("", "proposals.Department")
    list_display = ["name", "short_name", "region", "doc_prefixes"]
    list_filter = [("region", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "short_name"]
    inlines = [DepartmentContactInline]


class ProposerInline(TabularInline):
    model = Proposer
    extra = 0
    autocomplete_fields = ["member"]


# Fields a workflow step owns (交办, 签收, 退回, 延期, 答复, 办结…): the admin shows them and never sets them, so no
# state can be reached without the service that records its event and checks its rule.
PROPOSAL_WORKFLOW_FIELDS = ["status", "not_registered_reason", "merged_into"]
ASSIGNMENT_WORKFLOW_FIELDS = [
    "proposal", "department", "role", "status", "assigned_on", "due_on", "hard_due_on", "due_override_reason",
    "signed_on", "returned_on", "return_reason", "reopened_on", "return_requested_on", "return_request_reason",
    "first_replied_on",
]


class WorkflowRecordAdmin:
    """A record only a workflow step creates (an assignment, a reply, a decision, an event): viewed and searched
    in the admin, never added there."""

    def has_add_permission(self, request, obj=None):
        return False


class AssignmentInline(TabularInline):
    model = Assignment
    extra = 0
    fields = ["department", "role", "status", "assigned_on", "due_on", "hard_due_on", "signed_on"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # assignments are made by the 交办 action, which fixes their due dates


@admin.action(description=_("立案"))
def register_proposals(modeladmin, request, queryset):
    for proposal in queryset:
        try:
            services.proposal_register(proposal=proposal)
        except ValidationError as error:
            modeladmin.message_user(request, f"{proposal}: {' '.join(error.messages)}", messages.ERROR)


@admin.register(Proposal)
class ProposalAdmin(HistoryAdmin):
    scoped_through = ("", "proposals.Proposal")
    list_display = ["number", "title", "session", "category", "status", "is_key", "submitted_on"]
    list_display_links = ["number", "title"]
    list_filter = [("session", admin.RelatedOnlyFieldListFilter), "status", "category", "is_key", "made_at"]
    search_fields = ["=number", "title", "proposer_links__member__name"]
    list_select_related = ["session__committee"]
    readonly_fields = PROPOSAL_WORKFLOW_FIELDS
    inlines = [ProposerInline, AssignmentInline]
    actions = [register_proposals]
    date_hierarchy = "submitted_on"


class AssignmentEventInline(TabularInline):
    model = AssignmentEvent
    extra = 0
    readonly_fields = ["kind", "note", "by", "at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Assignment)
class AssignmentAdmin(WorkflowRecordAdmin, HistoryAdmin):
    scoped_through = ("", "proposals.Assignment")
    list_display = ["proposal", "department", "role", "status", "assigned_on", "due_on", "hard_due_on",
                    "signed_on"]
    list_filter = ["status", "role", ("department", admin.RelatedOnlyFieldListFilter),
                   ("proposal__session", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["=proposal__number", "proposal__title", "department__name"]
    list_select_related = ["proposal", "department"]
    readonly_fields = ASSIGNMENT_WORKFLOW_FIELDS
    date_hierarchy = "due_on"
    inlines = [AssignmentEventInline]


@admin.register(User)
class UserAdmin(RolePolicyAdminMixin, CommitteeScopedAdminMixin, ScopedChoicesAdminMixin, DjangoUserAdmin):
    """An account of some committees reads and changes only the accounts within them (User.objects.visible_to /
    workable_by), gives them none but its own committees, and never grants what it lacks itself."""

    scoped_through = ("", "proposals.User")
    list_display = ["username", "first_name", "role", "department", "member", "is_active", "last_login"]
    list_filter = ["role", ("department", admin.RelatedOnlyFieldListFilter), "is_active"]
    raw_id_fields = ["member"]
    filter_horizontal = [*DjangoUserAdmin.filter_horizontal, "committees"]
    fieldsets = [*DjangoUserAdmin.fieldsets, (_("角色"), {"fields": [
        "role", "department", "member", "committees", "all_committees", "reads_lower_committees"]})]
    add_fieldsets = [*DjangoUserAdmin.add_fieldsets, (_("角色"), {"fields": [
        "role", "department", "member", "committees", "all_committees", "reads_lower_committees"]})]
    granted_by_all_committee_accounts_only = ["is_superuser", "is_staff", "groups", "user_permissions",
                                              "all_committees", "reads_lower_committees"]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if request is None or request.user.sees_all_committees:
            return readonly
        return [*readonly, *self.granted_by_all_committee_accounts_only]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.user_role_apply(form.instance)  # after the form's groups: the role decides its own group

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """A department or a member whose accounts reach no committee the account does not work for."""
        if not request.user.sees_all_committees and db_field.name in ("department", "member"):
            worked = Committee.objects.worked_by(request.user)
            kwargs["queryset"] = (Department.objects.served_only_by(worked) if db_field.name == "department"
                                  else Member.objects.filter(committee__in=worked))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Extension)
class ExtensionAdmin(WorkflowRecordAdmin, ModelAdmin):
    scoped_through = ("assignment", "proposals.Assignment")
    list_display = ["assignment", "requested_due_on", "status", "requested_by", "requested_at", "decided_by"]
    list_filter = ["status"]
    search_fields = ["=assignment__proposal__number", "assignment__department__name", "reason"]
    list_select_related = ["assignment__proposal", "assignment__department", "requested_by", "decided_by"]
    readonly_fields = ["assignment", "requested_due_on", "reason", "requested_by", "requested_at", "status",
                       "decided_by", "decided_at", "decision_note"]


@admin.register(Reminder)
class ReminderAdmin(WorkflowRecordAdmin, ModelAdmin):
    scoped_through = ("assignment", "proposals.Assignment")
    list_display = ["assignment", "tier", "due_on", "recipients", "sent_at"]
    list_filter = ["tier"]
    search_fields = ["=assignment__proposal__number", "assignment__department__name"]
    list_select_related = ["assignment__proposal", "assignment__department"]
    readonly_fields = ["assignment", "tier", "due_on", "recipients", "sent_at"]


@admin.register(CoOpinion)
class CoOpinionAdmin(WorkflowRecordAdmin, ModelAdmin):
    scoped_through = ("assignment", "proposals.Assignment")
    list_display = ["assignment", "sent_by", "sent_at"]
    search_fields = ["text", "=assignment__proposal__number"]
    list_select_related = ["assignment__proposal", "assignment__department", "sent_by"]
    readonly_fields = ["assignment", "text", "attachment", "attachment_name", "sent_by", "sent_at"]


@admin.register(DepartmentContact)
class DepartmentContactAdmin(ModelAdmin):
    scoped_through = ("department", "proposals.Department")
    list_display = ["name", "department", "phone", "email"]
    search_fields = ["name", "department__name", "email"]
    list_select_related = ["department"]


@admin.register(Proposer)
class ProposerAdmin(ModelAdmin):
    scoped_through = ("proposal", "proposals.Proposal")
    list_display = ["proposal", "member", "position"]
    search_fields = ["member__name", "=proposal__number"]
    list_select_related = ["proposal", "member"]


@admin.register(AssignmentEvent)
class AssignmentEventAdmin(WorkflowRecordAdmin, ModelAdmin):
    scoped_through = ("assignment", "proposals.Assignment")
    list_display = ["assignment", "kind", "by", "at", "note"]
    list_filter = ["kind"]
    search_fields = ["=assignment__proposal__number", "note"]
    list_select_related = ["assignment__proposal", "assignment__department", "by"]
    readonly_fields = ["assignment", "kind", "note", "by", "at"]


@admin.register(ProposalAttachment)
class ProposalAttachmentAdmin(ModelAdmin):
    scoped_through = ("proposal", "proposals.Proposal")
    """Attachments are added on the proposal's page in the app; here they are listed, not served."""

    list_display = ["original_name", "proposal", "size", "uploaded_by", "uploaded_at"]
    search_fields = ["original_name", "proposal__title"]
    readonly_fields = ["proposal", "file", "original_name", "size", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request):
        return False


class MemberRecordAdmin(WorkflowRecordAdmin):
    """What a member wrote or was told, shown to the office read-only: written only by the member's own pages.
    A draft (and its co-signers and files) shows only once submitted: before that it is the member's alone."""

    submitted_only = "status"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.filter(**{self.submitted_only: "submitted"}) if self.submitted_only else queryset


@admin.register(ProposalDraft)
class ProposalDraftAdmin(MemberRecordAdmin, ModelAdmin):
    scoped_through = ("session", "proposals.Session")
    list_display = ["title", "session", "lead", "status", "proposal", "updated_at"]
    search_fields = ["title", "lead__name"]
    list_select_related = ["session__committee", "lead", "proposal"]


@admin.register(Cosigner)
class CosignerAdmin(MemberRecordAdmin, ModelAdmin):
    scoped_through = ("draft__session", "proposals.Session")
    submitted_only = "draft__status"
    list_display = ["draft", "member", "status", "answered_at"]
    search_fields = ["member__name", "draft__title"]
    list_select_related = ["draft", "member"]


@admin.register(DraftAttachment)
class DraftAttachmentAdmin(MemberRecordAdmin, ModelAdmin):
    scoped_through = ("draft__session", "proposals.Session")
    submitted_only = "draft__status"
    list_display = ["original_name", "draft", "size", "uploaded_at"]
    search_fields = ["original_name", "draft__title"]


@admin.register(Notification)
class NotificationAdmin(MemberRecordAdmin, ModelAdmin):
    submitted_only = ""
    list_display = ["user", "kind", "proposal", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["user__username", "message"]
    list_select_related = ["user", "proposal"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)
