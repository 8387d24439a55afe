import re

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .querysets import (
    AssignmentQuerySet,
    CommitteeQuerySet,
    CoOpinionQuerySet,
    DepartmentQuerySet,
    MemberQuerySet,
    NotificationQuerySet,
    ProposalDraftQuerySet,
    ProposalQuerySet,
    SessionQuerySet,
    UserManager,
)


class Region(models.Model):
    """A level of government (吉林省, 长春市, 南关区): its departments answer every committee of that place, and a
    committee's account may be given read access to the committees of the places below it."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        CITY = "city", _("市级")
        COUNTY = "county", _("县级")

    name = models.CharField(_("名称"), max_length=50, unique=True, help_text=_("如：吉林省、长春市"))
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices, default=Level.PROVINCE)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("上级行政区"))

    class Meta:
        verbose_name = _("行政区")
        verbose_name_plural = _("行政区")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Committee(models.Model):
    """A 政协 or a 人大 of one place: it holds sessions, numbers proposals (提案) or suggestions (建议) and assigns them
    to the departments of its place."""

    class Body(models.TextChoices):
        CPPCC = "cppcc", _("政协")
        NPC = "npc", _("人大")

    name = models.CharField(_("名称"), max_length=100, unique=True, help_text=_("如：吉林省政协、吉林省人大常委会"))
    short_name = models.CharField(_("简称"), max_length=50, blank=True, help_text=_("如：省政协"))
    body = models.CharField(_("机构类别"), max_length=5, choices=Body.choices, default=Body.CPPCC)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="committees",
                               verbose_name=_("行政区"))

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        verbose_name = _("委员会")
        verbose_name_plural = _("委员会")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_npc(self) -> bool:
        return self.body == self.Body.NPC

    @property
    def terms(self):
        """The body's words (提案/建议, 委员/代表...): proposals.vocabulary."""
        from .vocabulary import terms_for

        return terms_for(self.body)

    @property
    def office_name(self) -> str:
        """The office that handles the committee's proposals, as documents name it: 吉林省政协提案委员会,
        吉林省人大常委会代表工作委员会."""
        return f"{self.name}{self.terms.office_suffix}"


class Session(models.Model):
    """A 届次会议 with its handling rule; rules differ by locality, so they are data."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="sessions",
                                  verbose_name=_("委员会"))
    name = models.CharField(_("届次"), max_length=50, help_text=_("如：十二届五次会议"))
    year = models.PositiveSmallIntegerField(_("年度"))
    opened_on = models.DateField(_("开幕日期"))
    plenary_months = models.PositiveSmallIntegerField(_("大会期间提案办理时限（月）"), default=3)
    interim_months = models.PositiveSmallIntegerField(_("闭会期间提案办理时限（月）"), default=3)
    hard_cap_months = models.PositiveSmallIntegerField(_("最长办理时限（月）"), default=6)
    co_opinion_months = models.PositiveSmallIntegerField(_("会办意见时限（月）"), default=1)

    class DeadlineUnit(models.TextChoices):
        MONTHS = "months", _("自然月")
        WORKING_DAYS = "working_days", _("工作日（按国家法定节假日及调休）")

    deadline_unit = models.CharField(_("时限计算方式"), max_length=12, choices=DeadlineUnit.choices,
                                     default=DeadlineUnit.MONTHS)
    plenary_working_days = models.PositiveSmallIntegerField(_("大会期间提案办理时限（工作日）"), default=60)
    interim_working_days = models.PositiveSmallIntegerField(_("闭会期间提案办理时限（工作日）"), default=60)
    co_opinion_working_days = models.PositiveSmallIntegerField(_("会办意见时限（工作日）"), default=20)
    submission_opens_on = models.DateField(_("网上提交开始日期"), null=True, blank=True)
    submission_closes_on = models.DateField(_("网上提交截止日期"), null=True, blank=True,
                                            help_text=_("委员在此期间（含首尾两日）网上提交提案；未设置则不接受网上提交。"))

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("届次会议")
        verbose_name_plural = _("届次会议")
        ordering = ["-opened_on"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="session_unique_per_committee"),
            models.CheckConstraint(condition=Q(plenary_months__gte=1, interim_months__gte=1),
                                   name="session_handling_months_positive"),
            models.CheckConstraint(condition=Q(hard_cap_months__gte=models.F("plenary_months"))
                                   & Q(hard_cap_months__gte=models.F("interim_months")),
                                   name="session_hard_cap_not_shorter"),
            models.CheckConstraint(condition=Q(submission_closes_on__gte=models.F("submission_opens_on"))
                                   | Q(submission_opens_on__isnull=True) | Q(submission_closes_on__isnull=True),
                                   name="session_submission_window_ordered"),
        ]

    def __str__(self):
        return f"{self.committee.short_name or self.committee.name}{self.name}"

    def accepts_submissions(self, on) -> bool:
        """Members may submit proposals online on `on`: the submission window is set and `on` lies within it."""
        return (self.submission_opens_on is not None and self.submission_closes_on is not None
                and self.submission_opens_on <= on <= self.submission_closes_on)

    # A new session's handling rule by its committee's body, as data the office may change per session: a 人大's
    # 建议 are answered within three months of 交办 (代表法第四十三条), six at most, in the session and between them.
    RULE_DEFAULTS = {
        Committee.Body.NPC: {"deadline_unit": "months", "plenary_months": 3, "interim_months": 3, "hard_cap_months": 6,
                             "co_opinion_months": 1},
        Committee.Body.CPPCC: {"deadline_unit": "months", "plenary_months": 3, "interim_months": 3,
                               "hard_cap_months": 6, "co_opinion_months": 1},
    }

    @classmethod
    def rule_defaults(cls, body: str) -> dict:
        """The handling rule a new session of a body starts with."""
        return dict(cls.RULE_DEFAULTS.get(body, {}))

    @staticmethod
    def name_key(name: str | None) -> str:
        """A session's name as documents write it, compared without spaces or 第 (第十二届 第五次会议 = 十二届五次会议)."""
        return re.sub(r"[\s第]", "", name or "")

    @property
    def terms(self):
        return self.committee.terms


class Member(models.Model):
    """A proposer: a member (委员) or a body making a collective proposal (集体提案)."""

    class Kind(models.TextChoices):
        PERSON = "person", _("委员")
        PARTY = "party", _("民主党派")
        SECTOR = "sector", _("界别")
        COMMITTEE = "committee", _("专委会")
        DELEGATION = "delegation", _("代表团")

    name = models.CharField(_("姓名或名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.PERSON)
    sector = models.CharField(_("界别"), max_length=100, blank=True)
    party = models.CharField(_("党派"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通讯地址"), max_length=200, blank=True)
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, null=True, blank=True, related_name="members",
                                  verbose_name=_("所属委员会"))

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("提案人")
        verbose_name_plural = _("提案人")
        ordering = ["name"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return self.name

    @property
    def is_body(self) -> bool:
        return self.kind != self.Kind.PERSON

    def kind_label(self, terms) -> str:
        """The kind as the body says it: a person is a 委员 of a 政协 and a 代表 of a 人大."""
        return terms.person_kind if self.kind == self.Kind.PERSON else self.get_kind_display()


class Department(models.Model):
    """A 承办单位; its document-number prefixes (吉科发) let a reply be matched to it."""

    name = models.CharField(_("全称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    doc_prefixes = models.JSONField(_("文号前缀"), default=list, blank=True,
                                    help_text=_('如 ["吉科发", "吉科发办"]'))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="departments",
                               verbose_name=_("行政区"), help_text=_("本级政府部门承办本行政区各委员会交办的提案和建议"))

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["name"]

    def __str__(self):
        return self.name


class DepartmentContact(models.Model):
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="contacts",
                                   verbose_name=_("承办单位"))
    name = models.CharField(_("联系人"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)

    class Meta:
        verbose_name = _("承办单位联系人")
        verbose_name_plural = _("承办单位联系人")
        ordering = ["department", "name"]

    def __str__(self):
        return f"{self.department.short_name or self.department.name} {self.name}"


class User(AbstractUser):
    """An account; a department user belongs to exactly one department and sees only its work; a member account
    acts for one proposer (a member, or a collective proposer that several accounts may act for)."""

    class Role(models.TextChoices):
        STAFF = "staff", _("提案办工作人员")
        DEPARTMENT = "department", _("承办单位用户")
        SUPERVISOR = "supervisor", _("督办人员")
        MEMBER = "member", _("委员")

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.STAFF)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="users", verbose_name=_("承办单位"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, null=True, blank=True, related_name="accounts",
                               verbose_name=_("提案人"))
    committees = models.ManyToManyField(Committee, blank=True, related_name="accounts", verbose_name=_("所属委员会"),
                                        help_text=_("提案办工作人员和督办人员只看到并办理这些委员会的提案和建议"))
    all_committees = models.BooleanField(_("全部委员会"), default=False,
                                         help_text=_("看到并办理本平台所有委员会的提案和建议（平台管理员）"))
    reads_lower_committees = models.BooleanField(
        _("可查阅下级委员会"), default=False,
        help_text=_("另可只读查阅所属委员会下级行政区的同类委员会（如省政协查阅各市、县政协）"))

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=(Q(role="department") & Q(department__isnull=False))
                | (~Q(role="department") & Q(department__isnull=True)),
                name="user_department_iff_department_role",
            ),
            models.CheckConstraint(
                condition=(Q(role="member") & Q(member__isnull=False)) | (~Q(role="member") & Q(member__isnull=True)),
                name="user_member_iff_member_role",
            ),
        ]

    @property
    def is_department_user(self) -> bool:
        return self.role == self.Role.DEPARTMENT

    @property
    def is_member_user(self) -> bool:
        return self.role == self.Role.MEMBER and not self.is_superuser

    @property
    def is_office_staff(self) -> bool:
        """The proposal office: the only role that writes proposals, assignments and reviews (the role policy,
        proposals.permissions, says so; templates ask here)."""
        from .permissions import Action, may

        return may(self, Action.OFFICE)

    @property
    def reads_by_committee(self) -> bool:
        """Staff, supervisors and superusers: they read whole committees (Committee.objects.readable_by), not a
        department's or a proposer's share of them."""
        return self.is_superuser or self.role in (self.Role.STAFF, self.Role.SUPERVISOR)

    @property
    def sees_all_committees(self) -> bool:
        """Reads and works for every committee of the platform: a superuser, or an all-committee account."""
        return self.is_superuser or (self.all_committees and self.reads_by_committee)

    @property
    def role_label(self) -> str:
        """The role in the words of the account's bodies: a 人大's office is 建议办工作人员, its members 代表."""
        from .vocabulary import terms_for_user

        if self.role == self.Role.STAFF:
            return _("%(desk)s工作人员") % {"desk": terms_for_user(self).desk}
        if self.role == self.Role.MEMBER:
            return str(terms_for_user(self).member)
        return self.get_role_display()


class Proposal(models.Model):
    class Category(models.TextChoices):
        ECONOMY = "economy", _("经济建设")
        SCIENCE_EDUCATION_CULTURE_HEALTH = "science", _("科教文卫")
        SOCIETY_LAW = "society", _("社会法制")
        AGRICULTURE = "agriculture", _("农业农村")
        ECOLOGY = "ecology", _("生态环境")
        URBAN = "urban", _("城乡建设")
        OTHER = "other", _("其他")

    class MadeAt(models.TextChoices):
        PLENARY = "plenary", _("大会期间")
        INTERIM = "interim", _("闭会期间")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("已提交")
        REGISTERED = "registered", _("已立案")
        ASSIGNED = "assigned", _("已交办")
        REPLIED = "replied", _("已答复")
        EVALUATED = "evaluated", _("已评价")
        CLOSED = "closed", _("已办结")
        NOT_REGISTERED = "not_registered", _("不予立案")
        MERGED = "merged", _("已并案")

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="proposals",
                                verbose_name=_("届次会议"))
    number = models.PositiveIntegerField(_("提案号"))
    title = models.CharField(_("案由"), max_length=300)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices, default=Category.OTHER)
    submitted_on = models.DateField(_("提交日期"))
    made_at = models.CharField(_("提出时间"), max_length=10, choices=MadeAt.choices, default=MadeAt.PLENARY)
    body = models.TextField(_("提案内容"), blank=True)
    is_key = models.BooleanField(_("重点提案"), default=False)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    not_registered_reason = models.TextField(_("不予立案理由"), blank=True)
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="merged_proposals", verbose_name=_("并入提案"))
    proposers = models.ManyToManyField(Member, through="Proposer", related_name="proposals",
                                       verbose_name=_("提案人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # The title's and body's words (proposals.textsearch), kept by save(): on PostgreSQL a stored tsvector column
    # and its GIN index are built from them (migration 0010) for similar proposals.
    title_words = models.TextField(editable=False, blank=True, default="")
    body_words = models.TextField(editable=False, blank=True, default="")

    objects = ProposalQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "title_words", "body_words"])

    class Meta:
        verbose_name = _("提案")
        verbose_name_plural = _("提案")
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="proposal_number_unique_per_session",
                                    violation_error_message=_("该届次会议中已有此提案号。")),
            models.CheckConstraint(condition=~Q(status="merged") | Q(merged_into__isnull=False),
                                   name="proposal_merged_points_to_target"),
            models.CheckConstraint(condition=~Q(status="not_registered") | ~Q(not_registered_reason=""),
                                   name="proposal_not_registered_has_reason"),
        ]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["category"]),
            # the list's default order, newest session first, read straight from an index
            models.Index(fields=["-session", "number"], name="proposal_session_desc_number"),
            # in_handling(): overdue, due-within and unresolved filters count from this, not the table
            models.Index(fields=["id"], condition=~Q(status__in=["closed", "not_registered", "merged"]),
                         name="proposal_in_handling"),
        ]

    def __str__(self):
        return str(_("第%(number)s号 %(title)s") % {"number": self.number, "title": self.title})

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"title", "body"} & set(update_fields):
            self.index_words()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "title_words", "body_words"}
        super().save(*args, **kwargs)

    def index_words(self) -> None:
        """Segment the title and body into the words similar-proposal search looks up."""
        from .textsearch import indexed_words

        self.title_words, self.body_words = indexed_words(self.title), indexed_words(self.body)

    @property
    def terms(self):
        """The words of the proposal's committee: a 人大's 建议 reads 建议, 代表, 领衔代表 (proposals.vocabulary)."""
        return self.session.committee.terms

    @property
    def starts_on(self):
        """The first day anything can happen to the proposal: its submission or its session's opening, the later."""
        return max(self.submitted_on, self.session.opened_on)

    def validate_not_before_start(self, day, *, label: str) -> None:
        """Refuse a date (交办, 办理期限, 延期, 答复) before the proposal was submitted or its session opened."""
        if day is None:
            return
        if day < self.submitted_on:
            raise ValidationError(_("%(label)s（%(day)s）不能早于%(proposal)s提交日期 %(start)s。")
                                  % {"label": label, "day": day.isoformat(), "start": self.submitted_on.isoformat(),
                                     "proposal": self.terms.noun})
        if day < self.session.opened_on:
            raise ValidationError(_("%(label)s（%(day)s）不能早于%(session)s开幕日期 %(start)s。")
                                  % {"label": label, "day": day.isoformat(), "session": self.session.name,
                                     "start": self.session.opened_on.isoformat()})


class Proposer(models.Model):
    """A proposer of a proposal, in order: position 1 is the lead proposer (第一提案人)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="proposer_links")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="proposer_links",
                               verbose_name=_("提案人"))
    position = models.PositiveSmallIntegerField(_("顺序"), default=1)

    class Meta:
        verbose_name = _("提案人")
        verbose_name_plural = _("提案人")
        ordering = ["proposal", "position"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "member"], name="proposer_once_per_proposal"),
            models.UniqueConstraint(fields=["proposal", "position"], name="proposer_position_unique"),
            models.CheckConstraint(condition=Q(position__gte=1), name="proposer_position_positive"),
        ]

    def __str__(self):
        return f"{self.member} ({self.position})"

    @property
    def is_lead(self) -> bool:
        return self.position == 1


class Assignment(models.Model):
    """A 交办: one department handling one proposal, with its deadlines fixed when assigned."""

    class Role(models.TextChoices):
        LEAD = "lead", _("主办")
        CO = "co", _("会办")
        SEPARATE = "separate", _("分办")

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("待签收")
        SIGNED = "signed", _("办理中")
        REPLIED = "replied", _("已答复")
        REOPENED = "reopened", _("重新办理")
        RETURNED = "returned", _("已退回")
        CLOSED = "closed", _("已办结")

    OPEN_STATUSES = (Status.ASSIGNED, Status.SIGNED, Status.REOPENED)

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assignments",
                                 verbose_name=_("提案"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="assignments",
                                   verbose_name=_("承办单位"))
    role = models.CharField(_("办理方式"), max_length=10, choices=Role.choices, default=Role.LEAD)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ASSIGNED)
    assigned_on = models.DateField(_("交办日期"))
    due_on = models.DateField(_("办理期限"))
    hard_due_on = models.DateField(_("最长期限"))
    due_override_reason = models.CharField(_("期限调整理由"), max_length=300, blank=True)
    signed_on = models.DateField(_("签收日期"), null=True, blank=True)
    returned_on = models.DateField(_("退回日期"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    reopened_on = models.DateField(_("重新办理日期"), null=True, blank=True)
    return_requested_on = models.DateField(_("申请退回日期"), null=True, blank=True)
    return_request_reason = models.TextField(_("申请退回理由"), blank=True)
    # Denormalised for the dashboard (办复率, 按期办复率, days to reply in one grouped query over assignments): the day
    # the department first answered, by a submitted reply or, for a co-handler, its opinion (会办意见). Set once, by
    # proposals.services.assignment_note_answer, which every submission and co_opinion_send go through.
    first_replied_on = models.DateField(_("首次答复日期"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("交办")
        verbose_name_plural = _("交办")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "department"], condition=~Q(status="returned"),
                                    name="assignment_one_active_per_department",
                                    violation_error_message=_("该提案已交办给此单位。")),
            models.UniqueConstraint(fields=["proposal"], condition=Q(role="lead") & ~Q(status="returned"),
                                    name="assignment_one_active_lead",
                                    violation_error_message=_("该提案已有主办单位。")),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("assigned_on")),
                                   name="assignment_due_not_before_assigned"),
            models.CheckConstraint(condition=~Q(status="returned") | ~Q(return_reason=""),
                                   name="assignment_return_has_reason"),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            # by department, and everything the dashboard counts: PostgreSQL reads this index alone (index-only)
            models.Index(fields=["department", "status"], include=["assigned_on", "due_on", "hard_due_on",
                                                                   "first_replied_on"], name="assignment_dashboard"),
        ]

    def __str__(self):
        return f"{self.proposal} → {self.department} ({self.get_role_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def tier(self, today) -> str | None:
        """Overdue tier: past the hard cap, past the due date, due within a week, or none."""
        if not self.is_open:
            return None
        if self.hard_due_on < today:
            return "very_overdue"
        if self.due_on < today:
            return "overdue"
        if (self.due_on - today).days <= 7:
            return "due_soon"
        return None

    @property
    def deadline_start(self):
        """The day the due date counts from: the assignment, or the reopening for re-handling."""
        return self.reopened_on or self.assigned_on

    @property
    def return_last_day(self):
        """The last day the department may ask to return the assignment (RETURN_WINDOW_DAYS after it)."""
        from datetime import timedelta

        return self.assigned_on + timedelta(days=settings.RETURN_WINDOW_DAYS)


class AssignmentEvent(models.Model):
    """The timeline of an assignment: assigned, signed for, due date changed, returned, replied, reopened."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("交办")
        SIGNED = "signed", _("签收")
        RETURN_REQUESTED = "return_requested", _("申请退回")
        RETURN_REFUSED = "return_refused", _("退回申请未获同意")
        CO_OPINION = "co_opinion", _("会办意见")
        DUE_CHANGED = "due_changed", _("调整期限")
        HARD_CAP_CHANGED = "hard_cap_changed", _("调整最长期限")
        EXTENSION_REQUESTED = "extension_requested", _("申请延期")
        EXTENSION_GRANTED = "extension_granted", _("同意延期")
        EXTENSION_REFUSED = "extension_refused", _("不同意延期")
        RETURNED = "returned", _("退回")
        REPLIED = "replied", _("答复")
        REPLY_DETACHED = "reply_detached", _("答复移出")
        REOPENED = "reopened", _("重新办理")
        REMINDED = "reminded", _("催办")
        CLOSED = "closed", _("办结")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=20, choices=Kind.choices)
    note = models.TextField(_("说明"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                           verbose_name=_("操作人"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("交办记录")
        verbose_name_plural = _("交办记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


def proposal_attachment_upload_to(instance, filename: str) -> str:
    """Store under a generated name that keeps only the extension: the user's file name is data."""
    import uuid
    from pathlib import PurePath

    from django.utils import timezone

    return f"proposals/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:10]}"


class CoOpinion(models.Model):
    """A co-handling department's opinion (会办意见), sent to the lead department within the co-handling time."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="co_opinions",
                                   verbose_name=_("会办交办"))
    text = models.TextField(_("会办意见"))
    # optional; served only through CoOpinionFileView, to those CoOpinion.objects.visible_to lets see it
    attachment = models.FileField(_("附件"), upload_to=proposal_attachment_upload_to, blank=True, max_length=200)
    attachment_name = models.CharField(_("附件原文件名"), max_length=255, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("提交人"))
    sent_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    objects = CoOpinionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("会办意见")
        verbose_name_plural = _("会办意见")
        ordering = ["sent_at"]

    def __str__(self):
        return self.text[:40]


class Extension(models.Model):
    """延期: a department asks for more time; staff grant (the dates move) or refuse."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        GRANTED = "granted", _("已同意")
        REFUSED = "refused", _("未同意")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extensions",
                                   verbose_name=_("交办"))
    requested_due_on = models.DateField(_("申请延至"))
    reason = models.TextField(_("延期理由"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("申请人"))
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("审批人"))
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["assignment"], condition=Q(status="pending"),
                                    name="extension_one_pending_per_assignment"),
            models.CheckConstraint(condition=~Q(reason=""), name="extension_has_reason"),
        ]

    def __str__(self):
        return f"{self.assignment} → {self.requested_due_on} ({self.get_status_display()})"


class Reminder(models.Model):
    """A reminder sent for an assignment in one overdue tier and due date: nobody is chased twice for it."""

    class Tier(models.TextChoices):
        DUE_SOON = "due_soon", _("即将到期")
        OVERDUE = "overdue", _("已超期")
        VERY_OVERDUE = "very_overdue", _("超过最长期限")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders",
                                   verbose_name=_("交办"))
    tier = models.CharField(_("提醒类型"), max_length=12, choices=Tier.choices)
    due_on = models.DateField(_("当时的办理期限"))
    recipients = models.TextField(_("收件人"), blank=True)
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("催办提醒")
        verbose_name_plural = _("催办提醒")
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["assignment", "tier", "due_on"],
                                               name="reminder_once_per_assignment_tier_and_due_date")]

    def __str__(self):
        return f"{self.assignment} {self.get_tier_display()}"


class ProposalAttachment(models.Model):
    """A file that came with a proposal (the scanned original, tables, pictures); served only through a view
    that checks the proposal is visible to the user."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments",
                                 verbose_name=_("提案"))
    file = models.FileField(_("文件"), upload_to=proposal_attachment_upload_to, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("提案附件")
        verbose_name_plural = _("提案附件")
        ordering = ["proposal", "uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class ProposalDraft(models.Model):
    """A proposal a member writes online (网上提案): private to its lead proposer and invited co-signers until it is
    submitted, when it becomes a Proposal in the office's inbox for 立案."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="drafts", verbose_name=_("届次会议"))
    lead = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="drafts", verbose_name=_("第一提案人"))
    title = models.CharField(_("案由"), max_length=300)
    category = models.CharField(_("类别"), max_length=20, choices=Proposal.Category.choices,
                                default=Proposal.Category.OTHER)
    body = models.TextField(_("提案内容"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="draft", verbose_name=_("提交后的提案"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("撰写人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ProposalDraftQuerySet.as_manager()

    class Meta:
        verbose_name = _("网上提案")
        verbose_name_plural = _("网上提案")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=(Q(status="submitted") & Q(proposal__isnull=False))
                                   | (Q(status="draft") & Q(proposal__isnull=True)),
                                   name="draft_submitted_iff_proposal"),
        ]

    def __str__(self):
        return self.title


class Cosigner(models.Model):
    """A member invited to co-sign (联名) a draft; only one who confirmed from their own account becomes a proposer."""

    class Status(models.TextChoices):
        INVITED = "invited", _("待确认")
        CONFIRMED = "confirmed", _("已确认联名")
        DECLINED = "declined", _("已谢绝")

    draft = models.ForeignKey(ProposalDraft, on_delete=models.CASCADE, related_name="cosigners",
                              verbose_name=_("网上提案"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="cosignings",
                               verbose_name=_("联名人"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.INVITED)
    invited_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("确认人"))

    class Meta:
        verbose_name = _("联名人")
        verbose_name_plural = _("联名人")
        ordering = ["draft", "invited_at", "id"]
        constraints = [models.UniqueConstraint(fields=["draft", "member"], name="cosigner_once_per_draft")]

    def __str__(self):
        return f"{self.member} ({self.get_status_display()})"


class DraftAttachment(models.Model):
    """A file with a member's draft; it goes with the proposal when the draft is submitted."""

    draft = models.ForeignKey(ProposalDraft, on_delete=models.CASCADE, related_name="attachments",
                              verbose_name=_("网上提案"))
    file = models.FileField(_("文件"), upload_to=proposal_attachment_upload_to, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("网上提案附件")
        verbose_name_plural = _("网上提案附件")
        ordering = ["draft", "uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class Notification(models.Model):
    """Something that happened to a member's proposal, in the member account's list until read (also e-mailed)."""

    class Kind(models.TextChoices):
        COSIGN_INVITED = "cosign_invited", _("联名邀请")
        REGISTERED = "registered", _("已立案")
        NOT_REGISTERED = "not_registered", _("不予立案")
        MERGED = "merged", _("已并案")
        ASSIGNED = "assigned", _("已交办")
        REPLY_RELEASED = "reply_released", _("答复已发布")
        REHANDLED_REPLY_RELEASED = "rehandled_released", _("重新办理的答复已发布")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                             verbose_name=_("接收账号"))
    kind = models.CharField(_("事项"), max_length=20, choices=Kind.choices)
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="notifications", verbose_name=_("提案"))
    draft = models.ForeignKey(ProposalDraft, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="notifications", verbose_name=_("网上提案"))
    message = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread")]

    def __str__(self):
        return self.message[:40]
