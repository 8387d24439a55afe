import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from proposals.models import Assignment, Member

from .querysets import FeedbackQuerySet, ReplyQuerySet


def reply_upload_to(instance, filename: str) -> str:
    """Store under a generated name: the user's file name is kept only as data, and only its .docx or .ofd
    suffix (the upload was checked by content), so that a download is offered as what it is."""
    suffix = Path(filename).suffix.lower()
    return f"replies/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix if suffix in ('.docx', '.ofd') else '.pdf'}"


def public_upload_to(instance, filename: str) -> str:
    return f"public/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


class Reply(models.Model):
    """A reply document (答复) for an assignment; a re-handled reply is a new version, the old one stays."""

    class Category(models.TextChoices):
        A = "A", _("A 所提问题已解决或基本解决")
        B = "B", _("B 正在解决或列入计划解决")
        C = "C", _("C 因条件限制暂时不能解决或留作参考")

    class ParseStatus(models.TextChoices):
        QUEUED = "queued", _("排队中")
        PARSING = "parsing", _("解析中")
        PARSED = "parsed", _("已解析")
        FAILED = "failed", _("解析失败")

    class Match(models.TextChoices):
        MATCHED = "matched", _("已匹配")
        AMBIGUOUS = "ambiguous", _("匹配不唯一")
        UNMATCHED = "unmatched", _("未匹配")

    # Null for a file imported from an archive until it is matched to its assignment, by the parser or by hand.
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="replies", verbose_name=_("交办"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    file = models.FileField(_("答复文件"), upload_to=reply_upload_to, max_length=200, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    sha256 = models.CharField(_("文件摘要"), max_length=64, blank=True, db_index=True)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    reply_date = models.DateField(_("答复日期"), null=True, blank=True)
    category = models.CharField(_("答复类别"), max_length=1, choices=Category.choices, blank=True)
    # 公开 is the office's decision after release and the review of its redactions; until then a reply is not public
    is_public = models.BooleanField(_("公开"), default=False)
    public_decided_at = models.DateTimeField(_("公开决定时间"), null=True, blank=True)
    public_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="public_decisions", verbose_name=_("公开决定人"))
    not_public_reason = models.TextField(_("不公开理由"), blank=True)
    # what the public pages show: the text with the accepted redactions masked, and the PDF rendered to images
    # with them blacked out (empty when the PDF could not be redacted reliably; public_pdf_note says why)
    public_text = models.TextField(_("公开正文"), blank=True)
    public_file = models.FileField(_("公开文件"), upload_to=public_upload_to, max_length=200, blank=True)
    public_pdf_note = models.CharField(_("未公开PDF的原因"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="uploaded_replies", verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    parse_status = models.CharField(_("解析状态"), max_length=10, choices=ParseStatus.choices,
                                    default=ParseStatus.QUEUED)
    parse_error = models.TextField(_("解析错误"), blank=True)
    parse_status_at = models.DateTimeField(_("解析状态时间"), default=timezone.now)
    # A worker parsing the reply renews this lease; one run out while 解析中 means the worker died.
    parse_lease_until = models.DateTimeField(_("解析租约到期"), null=True, blank=True)
    # Parses that ended their worker (found 解析中 with the lease run out); at REPLY_PARSE_MAX_CRASHES it fails.
    parse_crashes = models.PositiveSmallIntegerField(_("解析中止次数"), default=0)
    # When the current parse task reached the broker; empty while 排队中 means no task was sent (broker down).
    parse_task_sent_at = models.DateTimeField(_("解析任务发送时间"), null=True, blank=True)
    pages_done = models.PositiveIntegerField(_("已处理页数"), default=0)
    pages = models.PositiveIntegerField(_("页数"), null=True, blank=True)
    ocr = models.BooleanField(_("经过OCR"), default=False)
    text = models.TextField(_("正文"), blank=True)
    # The text's words (proposals.textsearch): on PostgreSQL a stored tsvector column and its GIN index are built
    # from them (migration 0012) for the search inside replies and commitments.
    text_words = models.TextField(editable=False, blank=True, default="")
    parsed_header = models.JSONField(_("解析的文头"), default=dict, blank=True)
    mismatches = models.JSONField(_("与交办不符"), default=list, blank=True)
    parsed_at = models.DateTimeField(_("解析时间"), null=True, blank=True)
    match_status = models.CharField(_("匹配结果"), max_length=10, choices=Match.choices, blank=True)
    match_note = models.TextField(_("匹配说明"), blank=True)
    # Null while a lead department's draft waits for its co-handlers to sign off (会签).
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    released_at = models.DateTimeField(_("审核发布时间"), null=True, blank=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="released_replies", verbose_name=_("审核人"))
    # A withdrawn version stays visible with its reason, but is never submitted, released or counted.
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="withdrawn_replies", verbose_name=_("撤回人"))
    withdraw_reason = models.TextField(_("撤回理由"), blank=True)

    objects = ReplyQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["text", "public_text", "text_words", "parsed_header", "pages_done",
                                                 "parse_lease_until",
                                                 "parse_task_sent_at"])

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["assignment_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "version"], name="reply_version_unique"),
            models.CheckConstraint(condition=Q(version__gte=1), name="reply_version_positive"),
            models.CheckConstraint(condition=~Q(parse_status="failed") | ~Q(parse_error=""),
                                   name="reply_failed_has_error"),
            models.CheckConstraint(condition=Q(withdrawn_at__isnull=True) | ~Q(withdraw_reason=""),
                                   name="reply_withdrawal_has_reason"),
            models.CheckConstraint(condition=Q(withdrawn_at__isnull=True) | Q(released_at__isnull=True),
                                   name="reply_withdrawn_never_released"),
            # the same file uploaded twice at once makes one version, not two; a withdrawn version's file may come again
            models.UniqueConstraint(fields=["assignment", "sha256"], condition=Q(withdrawn_at__isnull=True)
                                    & ~Q(sha256=""), name="reply_unique_file_per_assignment"),
            models.CheckConstraint(condition=Q(is_public=False) | Q(released_at__isnull=False,
                                                                   public_decided_at__isnull=False),
                                   name="reply_public_only_when_released_and_decided"),
            models.CheckConstraint(condition=Q(is_public=True) | Q(public_decided_at__isnull=True)
                                   | ~Q(not_public_reason=""), name="reply_not_public_has_reason"),
        ]
        indexes = [
            models.Index(fields=["parse_status"]),
            # the dashboard reads each assignment's first reply (按期办复, days to reply) and the assignment of
            # each reply behind feedback and commitments from these, not from the wide table (PostgreSQL: index-only)
            models.Index(fields=["assignment"], include=["uploaded_at"], condition=Q(version=1),
                         name="reply_first_per_assignment"),
            models.Index(fields=["id"], include=["assignment"], name="reply_id_assignment"),
        ]

    def __str__(self):
        return f"{self.doc_number or _('答复')} v{self.version}"

    def save(self, *args, **kwargs):
        # The parse service segments a long text before its transaction; a text stored any other way is segmented here.
        if self.text and not self.text_words:
            from proposals.textsearch import indexed_words

            self.text_words = indexed_words(self.text)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "text_words"}
        super().save(*args, **kwargs)

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def parse_stuck(self) -> bool:
        """排队中/解析中 for longer than REPLY_FORCE_RETRY_AFTER_MINUTES: staff may force a new parse."""
        from datetime import timedelta

        return (self.parse_status in (self.ParseStatus.QUEUED, self.ParseStatus.PARSING)
                and self.parse_status_at < timezone.now()
                - timedelta(minutes=settings.REPLY_FORCE_RETRY_AFTER_MINUTES))

    def mismatch_states(self, events=None) -> list[dict]:
        """Each header mismatch with the event that confirmed it (who, when, why), or None while it is unresolved.
        `events` defaults to self.events.all(), so a page of replies prefetches them once."""
        events = self.events.all() if events is None else events
        confirmed = {(e.data.get("field"), e.data.get("parsed")): e for e in events
                     if e.kind == ReplyEvent.Kind.MISMATCH_CONFIRMED}
        return [{**m, "confirmed": confirmed.get((m.get("field"), m.get("parsed")))} for m in self.mismatches or []]

    def clean(self):
        if self.assignment_id is not None and self.reply_date is not None:
            self.assignment.proposal.validate_not_before_start(self.reply_date, label=_("答复日期"))


class Feedback(models.Model):
    """A proposer's rating of a reply (征询意见表); 不满意 reopens the assignment."""

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASICALLY_SATISFIED = "basically", _("基本满意")
        UNSATISFIED = "unsatisfied", _("不满意")

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("答复"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="feedback", verbose_name=_("提案人"))
    rating = models.CharField(_("总体评价"), max_length=12, choices=Rating.choices)
    handling_rating = models.CharField(_("办理工作"), max_length=12, choices=Rating.choices, blank=True)
    outcome_rating = models.CharField(_("办理结果"), max_length=12, choices=Rating.choices, blank=True)
    comment = models.TextField(_("意见"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    verbose_name=_("录入人"))
    recorded_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    objects = FeedbackQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("征询意见")
        verbose_name_plural = _("征询意见")
        ordering = ["-recorded_at"]
        constraints = [
            models.UniqueConstraint(fields=["reply", "member"], name="feedback_once_per_member_and_reply"),
        ]

    def __str__(self):
        return f"{self.member}: {self.get_rating_display()}"


class ReplyCategoryChange(models.Model):
    """A reply category changed during the office's check (督办审核), with its reason: kept as history."""

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="category_changes",
                              verbose_name=_("答复"))
    old_category = models.CharField(_("原类别"), max_length=1, choices=Reply.Category.choices, blank=True)
    new_category = models.CharField(_("新类别"), max_length=1, choices=Reply.Category.choices)
    reason = models.TextField(_("理由"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("修改人"))
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("答复类别调整")
        verbose_name_plural = _("答复类别调整")
        ordering = ["at"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="category_change_has_reason")]

    def __str__(self):
        return f"{self.old_category or '—'} → {self.new_category}"


class ReplySignoff(models.Model):
    """A co-handling department's sign-off (会签) of the lead department's draft reply, or staff waiving it."""

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="signoffs", verbose_name=_("答复"))
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="signoffs",
                                   verbose_name=_("会办交办"))
    waived = models.BooleanField(_("免于会签"), default=False)
    note = models.TextField(_("说明"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("操作人"))
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("会签")
        verbose_name_plural = _("会签")
        ordering = ["at"]
        constraints = [
            models.UniqueConstraint(fields=["reply", "assignment"], name="signoff_once_per_co_handler"),
            models.CheckConstraint(condition=Q(waived=False) | ~Q(note=""), name="signoff_waiver_has_reason"),
        ]

    def __str__(self):
        return f"{self.assignment.department}: {'免签' if self.waived else '已会签'}"


class ReplyEvent(models.Model):
    """A step in a reply's way that the page shows with who, when and why: submission, withdrawal, a header
    mismatch confirmed or the reply detached from its assignment, release (with the reason if rows were pending)."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("提交")
        WITHDRAWN = "withdrawn", _("撤回")
        MISMATCH_CONFIRMED = "mismatch_confirmed", _("确认文头不一致")
        DETACHED = "detached", _("移出交办")
        RELEASED = "released", _("审核发布")
        REDACTIONS_PROPOSED = "redactions_proposed", _("检查个人信息")
        REDACTION_REVIEWED = "redaction_reviewed", _("审核遮盖")
        PUBLISHED = "published", _("公开")
        NOT_PUBLIC = "not_public", _("不公开")

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="events", verbose_name=_("答复"))
    kind = models.CharField(_("事项"), max_length=20, choices=Kind.choices)
    # mismatch_confirmed: {"field", "parsed"}; submitted: the assignment's and proposal's status before it;
    # released: {"pending": rows still 待审核}; detached: {"assignment": id, "label": the assignment it left};
    # redactions_proposed: {"count"}; redaction_reviewed: {"redaction": id, "status", "count"};
    # published: {"redactions": accepted count, "pdf": bool}, with the reason in the note when the PDF was refused
    data = models.JSONField(_("数据"), default=dict, blank=True)
    note = models.TextField(_("说明"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                           verbose_name=_("操作人"))
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("答复事项")
        verbose_name_plural = _("答复事项")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["reply", "kind"])]
        constraints = [
            models.CheckConstraint(condition=~Q(kind__in=["withdrawn", "mismatch_confirmed", "detached", "not_public"]) | ~Q(note=""),
                                   name="reply_event_has_reason"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.reply}"


class Redaction(models.Model):
    """A span of a reply's text to mask before publication: proposed by replies.redaction or added by staff, and
    reviewed (accepted or rejected) by staff before the reply may be made 公开."""

    class Kind(models.TextChoices):
        MOBILE = "mobile", _("手机号码")
        LANDLINE = "landline", _("固定电话")
        ID_CARD = "id_card", _("身份证号")
        EMAIL = "email", _("电子邮箱")
        FOOTER = "footer", _("联系人信息")
        ADDRESS = "address", _("住址")
        MANUAL = "manual", _("人工添加")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待审核")
        ACCEPTED = "accepted", _("遮盖")
        REJECTED = "rejected", _("不遮盖")

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="redactions", verbose_name=_("答复"))
    start = models.PositiveIntegerField(_("起"))
    end = models.PositiveIntegerField(_("止"))
    text = models.TextField(_("内容"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("审核"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("添加人"))
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("审核人"))
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("遮盖")
        verbose_name_plural = _("遮盖")
        ordering = ["reply", "start"]
        constraints = [
            models.UniqueConstraint(fields=["reply", "start", "end"], name="redaction_span_once"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="redaction_span_not_empty"),
            models.CheckConstraint(condition=Q(status="proposed") | Q(reviewed_at__isnull=False),
                                   name="redaction_reviewed_has_time"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.start}-{self.end}"

    def matches(self, text: str) -> bool:
        """Still the same words at the same place in the reply's text (which a new parse may change)."""
        return text[self.start:self.end] == self.text
