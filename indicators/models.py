from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from replies.models import Reply

from .querysets import CommitmentQuerySet, CommitmentReportQuerySet, ExtractedRowQuerySet


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    ACCEPTED = "accepted", _("已采纳")
    EDITED = "edited", _("已修改")
    REJECTED = "rejected", _("已驳回")


class ExtractedRow(models.Model):
    """What the parser found in a reply, pointing back at its span of the reply's text."""

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="%(class)ss", verbose_name=_("答复"))
    section = models.CharField(_("章节"), max_length=50, blank=True)
    sentence = models.TextField(_("原句"), blank=True)
    start = models.PositiveIntegerField(_("起始位置"))
    end = models.PositiveIntegerField(_("结束位置"))
    review_status = models.CharField(_("审核状态"), max_length=10, choices=ReviewStatus.choices,
                                     default=ReviewStatus.PENDING)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("审核人"))
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    # Raised by every review and edit: a change based on an older version is refused (optimistic locking).
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = ExtractedRowQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["reply", "start"]


class Indicator(ExtractedRow):
    """A measured quantity: 2978.4 万元 is stored as written and as 29 784 000 元."""

    metric = models.CharField(_("指标"), max_length=200, blank=True)
    value = models.DecimalField(_("数值"), max_digits=24, decimal_places=6)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    base_value = models.DecimalField(_("基本单位数值"), max_digits=30, decimal_places=6, null=True, blank=True)
    base_unit = models.CharField(_("基本单位"), max_length=20, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    # A figure the text gives no year (目前已有11台, 累计…) is dated by the reply instead.
    as_of = models.DateField(_("截至日期"), null=True, blank=True)
    qualifier = models.CharField(_("限定词"), max_length=20, blank=True)
    is_target = models.BooleanField(_("目标值"), default=False)

    history = HistoricalRecords(excluded_fields=["sentence"])

    class Meta(ExtractedRow.Meta):
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="indicator_span_not_empty"),
        ]
        indexes = [models.Index(fields=["reply", "review_status"]), models.Index(fields=["metric", "base_unit"])]

    def __str__(self):
        from proposals.formatting import plain_decimal

        return f"{self.metric} {plain_decimal(self.value)}{self.unit}"


class Commitment(ExtractedRow):
    """A promise of what will be done after the reply, followed until it is kept."""

    class FollowUp(models.TextChoices):
        PENDING = "pending", _("待跟踪")
        IN_PROGRESS = "in_progress", _("推进中")
        PARTLY_KEPT = "partly_kept", _("部分兑现")
        REPORTED = "reported", _("报告已兑现")
        KEPT = "kept", _("已兑现")
        LAPSED = "lapsed", _("未兑现")

    # Which follow-up status may follow which: kept and lapsed are final. A department's "kept" is a report
    # (reported) that staff confirm as kept or send back.
    FOLLOW_UP_NEXT = {
        "pending": {"in_progress", "partly_kept", "reported", "kept", "lapsed"},
        "in_progress": {"partly_kept", "reported", "kept", "lapsed"},
        "partly_kept": {"in_progress", "reported", "kept", "lapsed"},
        "reported": {"in_progress", "partly_kept", "kept", "lapsed"},
        "kept": set(),
        "lapsed": set(),
    }
    # What a department may report; only staff set kept and lapsed.
    DEPARTMENT_REPORTS = ("in_progress", "partly_kept", "reported")

    text = models.TextField(_("承诺内容"))
    markers = models.JSONField(_("标志词"), default=list, blank=True)
    targets = models.JSONField(_("目标"), default=list, blank=True)
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    follow_up_status = models.CharField(_("跟踪状态"), max_length=12, choices=FollowUp.choices,
                                        default=FollowUp.PENDING)
    follow_up_on = models.DateField(_("跟踪日期"), null=True, blank=True)
    evidence = models.TextField(_("兑现情况"), blank=True)
    evidence_replies = models.ManyToManyField(Reply, blank=True, related_name="evidenced_commitments",
                                              verbose_name=_("佐证答复"))

    objects = CommitmentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["sentence"])

    class Meta(ExtractedRow.Meta):
        verbose_name = _("承诺")
        verbose_name_plural = _("承诺")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="commitment_span_not_empty"),
        ]
        indexes = [models.Index(fields=["reply", "review_status"]), models.Index(fields=["follow_up_status"])]

    def __str__(self):
        return self.text[:40]

    @property
    def latest_report(self):
        """The last entry of the follow-up history (read from the prefetched reports on lists)."""
        reports = list(self.reports.all())
        return reports[-1] if reports else None


def evidence_upload_to(instance, filename: str) -> str:
    from pathlib import PurePath

    from django.utils import timezone

    return f"commitment-evidence/{timezone.now():%Y/%m}/{instance.commitment_id}-{PurePath(filename).name}"


class CommitmentReport(models.Model):
    """One entry of a commitment's follow-up history: a department's progress report or staff's decision."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="reports",
                                   verbose_name=_("承诺"))
    status = models.CharField(_("跟踪状态"), max_length=12, choices=Commitment.FollowUp.choices)
    note = models.TextField(_("进展说明"), blank=True)
    file = models.FileField(_("佐证材料"), upload_to=evidence_upload_to, blank=True, max_length=300)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    evidence_reply = models.ForeignKey(Reply, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                       verbose_name=_("兑现答复"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                           verbose_name=_("报告人"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects = CommitmentReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("承诺进展")
        verbose_name_plural = _("承诺进展")
        ordering = ["commitment", "at", "pk"]

    def __str__(self):
        return f"{self.commitment} · {self.get_status_display()}"


class CommitmentReminder(models.Model):
    """A follow-up reminder sent for a commitment in one tier and follow-up date: nobody is told twice."""

    class Tier(models.TextChoices):
        SOON = "soon", _("即将到跟踪日期")
        DUE = "due", _("已到跟踪日期")

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="reminders",
                                   verbose_name=_("承诺"))
    tier = models.CharField(_("提醒类型"), max_length=8, choices=Tier.choices)
    follow_up_on = models.DateField(_("当时的跟踪日期"))
    recipients = models.TextField(_("收件人"), blank=True)
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("承诺跟踪提醒")
        verbose_name_plural = _("承诺跟踪提醒")
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["commitment", "tier", "follow_up_on"],
                                               name="commitment_reminder_once_per_tier_and_date")]

    def __str__(self):
        return f"{self.commitment} {self.get_tier_display()}"
