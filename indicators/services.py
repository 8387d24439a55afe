"""Writes to extracted rows: storing a parse, and staff review."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from replies.models import Reply

from .models import Commitment, CommitmentReminder, CommitmentReport, Indicator, ReviewStatus

VALUE_LIMIT = Decimal(10) ** 18  # Indicator.value has 24 digits, 6 of them decimals
BASE_LIMIT = Decimal(10) ** 24


def _decimal(text, limit: Decimal) -> Decimal | None:
    try:
        value = Decimal(str(text))
    except (InvalidOperation, TypeError, ValueError):
        return None
    if not value.is_finite() or abs(value) >= limit:
        return None
    return value.quantize(Decimal("0.000001"))


def _iso_date(text) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        return None


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in spans)


@transaction.atomic
def extracted_rows_replace_pending(*, reply: Reply, result: dict) -> tuple[int, int]:
    """Replace the reply's pending rows with those of a parse result; rows staff reviewed stay, and a parsed
    row over the span of a reviewed one is not added again. Returns the numbers of indicators and commitments added."""
    # Lock the rows still pending and delete only those: a row a reviewer accepted before the lock is no longer
    # pending and stays; one a reviewer tries to accept after it waits for the lock, finds the row gone and is
    # refused (extracted_row_review), so no acknowledged review is lost. Rows are locked in the order every
    # review locks them (indicators, then commitments, each by id), so a bulk review cannot deadlock with this.
    for model, rows in ((Indicator, reply.indicators), (Commitment, reply.commitments)):
        ids = list(rows.pending().select_for_update().order_by("pk").values_list("pk", flat=True))
        model.objects.filter(pk__in=ids, review_status=ReviewStatus.PENDING).delete()
    reviewed_indicators = list(reply.indicators.reviewed().values_list("start", "end"))
    reviewed_commitments = list(reply.commitments.reviewed().values_list("start", "end"))

    indicators = []
    for row in result.get("indicators") or []:
        start, end = int(row["start"]), int(row["end"])
        value = _decimal(row.get("value"), VALUE_LIMIT)
        if value is None or end <= start or _overlaps(start, end, reviewed_indicators):
            continue
        indicators.append(Indicator(
            reply=reply, start=start, end=end, value=value, unit=(row.get("unit") or "")[:20],
            base_value=_decimal(row.get("base_value"), BASE_LIMIT), base_unit=(row.get("base_unit") or "")[:20],
            year=row.get("year") if isinstance(row.get("year"), int) and 1900 <= row["year"] <= 2200 else None,
            as_of=_iso_date(row.get("as_of")),
            qualifier=(row.get("qualifier") or "")[:20], metric=(row.get("metric") or "")[:200],
            is_target=bool(row.get("is_target")), sentence=row.get("sentence") or "",
            section=(row.get("section") or "")[:50],
        ))
    commitments = []
    for row in result.get("commitments") or []:
        start, end = int(row["start"]), int(row["end"])
        if end <= start or _overlaps(start, end, reviewed_commitments):
            continue
        commitments.append(Commitment(
            reply=reply, start=start, end=end, text=row.get("text") or "", sentence=row.get("text") or "",
            section=(row.get("section") or "")[:50], markers=row.get("markers") or [],
            targets=row.get("targets") or [], deadline=_iso_date(row.get("deadline")),
        ))
    Indicator.objects.bulk_create(indicators)
    Commitment.objects.bulk_create(commitments)
    return len(indicators), len(commitments)


def base_quantity(value: Decimal, unit: str) -> tuple[Decimal | None, str]:
    """2978.4 万元 → (29784000, 元): the scale characters of a unit folded into the value."""
    from replies.parsing.numbers import match_unit, scale_factor

    match = match_unit(unit, 0) if unit else None
    if match is None or match[2] != len(unit):
        return value, unit
    scale, base_unit, _ = match
    base = value * scale_factor(scale)
    return (base if abs(base) < BASE_LIMIT else None), base_unit


def commitment_follow_up_date(commitment: Commitment) -> date:
    """When to check a commitment: its own deadline, else the end of the latest year it names (not before
    the reply's), else a default time after the reply."""
    import re
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    if commitment.deadline:
        return commitment.deadline
    replied_on = commitment.reply.reply_date or timezone.localdate(commitment.reply.uploaded_at)
    years = [int(y) for y in re.findall(r"(20\d\d)\s*年", commitment.text) if int(y) >= replied_on.year]
    if years:
        return date(max(years), 12, 31)
    return replied_on + timedelta(days=settings.COMMITMENT_FOLLOW_UP_DAYS)


class RowChanged(ValidationError):
    """A review or edit based on a version of the row that is no longer current: someone else changed it, or a
    re-parse replaced it. current is the row as it stands now (None when it is gone)."""

    def __init__(self, message, *, current=None):
        super().__init__(message, code="conflict")
        self.current = current


def _row_changed_message() -> str:
    return _("已被他人修改，请核对当前内容后再操作。")


def _row_lock(row, *, version: int | None):
    """Lock the row and read its current state into the caller's instance; refuse if it is gone or its version
    is not the one the reviewer saw (no version given: the row as it stands now)."""
    current = type(row).objects.select_for_update().filter(pk=row.pk).first()
    if current is None:
        raise RowChanged(_("该条内容已被重新解析替换，请刷新页面。"))
    if version is not None and current.version != version:
        raise RowChanged(_row_changed_message(), current=current)
    row.refresh_from_db()
    return row


def _reviewed(row, *, by, status: str) -> None:
    from django.utils import timezone

    row.review_status = status
    row.reviewed_by = by
    row.reviewed_at = timezone.now()
    row.version += 1


@transaction.atomic
def extracted_row_review(*, row, by, accept: bool, version: int | None = None):
    """Accept or reject one extracted row (an Indicator or a Commitment) as it stands, or as it stood at version
    (a row changed since is refused with RowChanged); an accepted commitment gets its follow-up date."""
    row = _row_lock(row, version=version)
    _reviewed(row, by=by, status=ReviewStatus.ACCEPTED if accept else ReviewStatus.REJECTED)
    fields = ["review_status", "reviewed_by", "reviewed_at", "version"]
    if accept and isinstance(row, Commitment) and row.follow_up_on is None:
        row.follow_up_on = commitment_follow_up_date(row)
        fields.append("follow_up_on")
    row.save(update_fields=fields)
    return row


@transaction.atomic
def extracted_rows_review_bulk(*, reply: Reply, by, indicator_ids, commitment_ids, accept: bool,
                               versions: dict | None = None, pending_only: bool = False) -> int:
    """Accept or reject many rows of one reply at once; ids of other replies are ignored. versions maps
    ("indicator" or "commitment", id) to the version the reviewer saw: if any of those rows changed or is gone,
    nothing is changed (RowChanged). pending_only: only rows still 待审核 once locked (one reviewed meanwhile
    is left as it was reviewed). Each row is saved on its own so that its history records the change."""
    versions = versions or {}
    indicators, commitments = reply.indicators.select_for_update(), reply.commitments.select_for_update()
    if pending_only:
        indicators, commitments = indicators.pending(), commitments.pending()
    rows = [*indicators.filter(pk__in=indicator_ids).order_by("pk"),
            *commitments.filter(pk__in=commitment_ids).order_by("pk")]
    found = {("indicator" if isinstance(row, Indicator) else "commitment", row.pk): row.version for row in rows}
    changed = [key for key, version in versions.items() if found.get(key) != version]
    if changed:
        raise RowChanged(ngettext("所选内容中有 %(n)d 条已被他人修改或已被重新解析替换，未作改动，请刷新页面后重试。",
                                  "所选内容中有 %(n)d 条已被他人修改或已被重新解析替换，未作改动，请刷新页面后重试。",
                                  len(changed)) % {"n": len(changed)})
    for row in rows:
        extracted_row_review(row=row, by=by, accept=accept)
    return len(rows)


@transaction.atomic
def indicator_edit(*, indicator: Indicator, by, value: Decimal, unit: str, year: int | None, metric: str,
                   qualifier: str, is_target: bool, version: int | None = None) -> Indicator:
    """Correct an indicator; its base value follows the corrected value and unit. A correction based on a version
    someone else has changed since is refused (RowChanged), never saved over theirs."""
    _row_lock(indicator, version=version)
    indicator.value, indicator.unit, indicator.year = value, unit, year
    indicator.metric, indicator.qualifier, indicator.is_target = metric, qualifier, is_target
    indicator.base_value, indicator.base_unit = base_quantity(value, unit)
    _reviewed(indicator, by=by, status=ReviewStatus.EDITED)
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def commitment_edit(*, commitment: Commitment, by, text: str, deadline: date | None,
                    version: int | None = None) -> Commitment:
    """Correct a commitment's wording or deadline; its follow-up date follows. A correction based on a version
    someone else has changed since is refused (RowChanged)."""
    _row_lock(commitment, version=version)
    commitment.text, commitment.deadline = text, deadline
    commitment.follow_up_on = commitment_follow_up_date(commitment)
    _reviewed(commitment, by=by, status=ReviewStatus.EDITED)
    commitment.full_clean()
    commitment.save()
    return commitment


def _lock(commitment: Commitment) -> None:
    """Lock the commitment's row and read its current state into the caller's instance."""
    list(Commitment.objects.select_for_update().filter(pk=commitment.pk).values_list("pk"))
    commitment.refresh_from_db(fields=["review_status", "follow_up_status", "evidence"])


def _follow_up_check(commitment: Commitment, status: str) -> None:

    if commitment.review_status not in (ReviewStatus.ACCEPTED, ReviewStatus.EDITED):
        raise ValidationError(_("只跟踪已采纳的承诺。"))
    if status not in Commitment.FollowUp.values:
        raise ValidationError(_("请选择跟踪状态。"))
    if status != commitment.follow_up_status and status not in Commitment.FOLLOW_UP_NEXT[commitment.follow_up_status]:
        raise ValidationError(_("承诺状态不能从“%(old)s”改为“%(new)s”。") % {
            "old": commitment.get_follow_up_status_display(), "new": Commitment.FollowUp(status).label})


def _follow_up_store(*, commitment: Commitment, status: str, by, note: str, evidence_reply=None,
                     file=None) -> CommitmentReport:
    """Move the commitment to status and keep the step in its history; the note joins its 兑现情况."""
    report = CommitmentReport(commitment=commitment, status=status, note=note.strip(), by=by,
                              evidence_reply=evidence_reply)
    if file is not None:
        extension = evidence_file_check(file)
        report.original_name = (getattr(file, "name", "") or "")[-255:]
        report.file.save(f"evidence.{extension}", file, save=False)
    try:
        with transaction.atomic():
            report.full_clean()
            report.save()
    except BaseException:
        if report.file.name:
            report.file.storage.delete(report.file.name)
        raise
    commitment.follow_up_status = status
    if note.strip():
        commitment.evidence = "\n".join(filter(None, [commitment.evidence, note.strip()]))
    commitment.save(update_fields=["follow_up_status", "evidence"])
    if evidence_reply is not None:
        commitment.evidence_replies.add(evidence_reply)
    return report


@transaction.atomic
def commitment_follow_up(*, commitment: Commitment, status: str, by, evidence: str = "",
                         evidence_replies=()) -> Commitment:
    """Staff record how a followed commitment stands, with evidence notes and later replies as proof; only staff
    set it kept or lapsed. The step is kept in the commitment's history."""

    _lock(commitment)
    _follow_up_check(commitment, status)
    if status in (Commitment.FollowUp.KEPT, Commitment.FollowUp.PARTLY_KEPT, Commitment.FollowUp.LAPSED) \
            and not (evidence.strip() or commitment.evidence):
        raise ValidationError(_("请填写兑现情况说明。"))
    _follow_up_store(commitment=commitment, status=status, by=by, note=evidence)
    if evidence_replies:
        commitment.evidence_replies.add(*evidence_replies)
    return commitment


def evidence_file_check(file) -> str:
    """Refuse evidence that is not a PDF or an image (PNG, JPEG, GIF, WebP) within the size limit, judged by its
    first bytes, not its name; returns the extension it is stored under."""
    from django.conf import settings

    limit = settings.COMMITMENT_EVIDENCE_MAX_BYTES
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise ValidationError(_("佐证材料过大：%(size).1f MB，上限为 %(limit).0f MB。")
                              % {"size": size / 2**20, "limit": limit / 2**20})
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    kinds = [(b"%PDF-", "pdf"), (b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpg"), (b"GIF87a", "gif"),
             (b"GIF89a", "gif")]
    for magic, extension in kinds:
        if head.startswith(magic):
            return extension
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    raise ValidationError(_("佐证材料须为 PDF 文件或图片（PNG、JPEG、GIF、WebP）。"))


@transaction.atomic
def commitment_report(*, commitment: Commitment, by, status: str, note: str, file=None,
                      evidence_reply: Reply | None = None) -> CommitmentReport:
    """A department reports progress on a commitment of its own assignment: in progress, partly kept, or kept
    (a report that staff confirm), with a note, an optional evidence file and an optional later reply of its own
    that fulfils it. Each report is kept in the commitment's history."""

    from .selectors import commitment_evidence_reply_choices

    if not Commitment.objects.reportable_by(by).filter(pk=commitment.pk).exists():
        raise ValidationError(_("只能报告本单位答复中已采纳的承诺。"))
    _lock(commitment)
    if status not in Commitment.DEPARTMENT_REPORTS:
        raise ValidationError(_("请选择进展状态：推进中、部分兑现或已兑现。"))
    _follow_up_check(commitment, status)
    if not note.strip():
        raise ValidationError(_("请填写进展说明。"))
    if evidence_reply is not None and not commitment_evidence_reply_choices(user=by, commitment=commitment) \
            .filter(pk=evidence_reply.pk).exists():
        raise ValidationError(_("只能选择本单位此后的答复作为兑现答复。"))
    return _follow_up_store(commitment=commitment, status=status, by=by, note=note, evidence_reply=evidence_reply,
                            file=file)


@transaction.atomic
def commitment_report_decide(*, commitment: Commitment, by, confirm: bool, note: str = "") -> Commitment:
    """Staff confirm a department's report that a commitment is kept (已兑现), or send it back to 推进中 with a
    note saying why."""

    _lock(commitment)
    if commitment.follow_up_status != Commitment.FollowUp.REPORTED:
        raise ValidationError(_("该承诺没有待确认的兑现报告。"))
    if not confirm and not note.strip():
        raise ValidationError(_("请填写退回理由。"))
    status = Commitment.FollowUp.KEPT if confirm else Commitment.FollowUp.IN_PROGRESS
    _follow_up_check(commitment, status)
    _follow_up_store(commitment=commitment, status=status, by=by, note=note)
    return commitment


def commitment_reminders_send(*, today: date | None = None) -> int:
    """The daily follow-up reminders: a department's contacts and users hear of its followed, open commitments
    whose follow-up date comes within the set days, and again when it has come. Each commitment is reminded once
    per tier and follow-up date. Returns the number of reminders sent."""
    from datetime import timedelta

    from django.conf import settings
    from django.core.mail import send_mail
    from django.utils import timezone

    today = today or timezone.localdate()
    base = (Commitment.objects.followed().open().exclude(follow_up_status=Commitment.FollowUp.REPORTED)
            .filter(follow_up_on__isnull=False, reply__assignment__isnull=False)
            .select_related("reply__assignment__department", "reply__assignment__proposal__session"))
    tiers = {
        CommitmentReminder.Tier.DUE: base.filter(follow_up_on__lte=today),
        CommitmentReminder.Tier.SOON: base.filter(
            follow_up_on__gt=today, follow_up_on__lte=today + timedelta(days=settings.COMMITMENT_REMINDER_DAYS_BEFORE)),
    }
    fresh: dict[int, list[tuple[str, Commitment, CommitmentReminder]]] = {}
    with transaction.atomic():
        for tier, commitments in tiers.items():
            for commitment in commitments:
                reminder, created = CommitmentReminder.objects.get_or_create(
                    commitment=commitment, tier=tier, follow_up_on=commitment.follow_up_on)
                if created:
                    fresh.setdefault(commitment.reply.assignment.department_id, []).append(
                        (tier, commitment, reminder))
    labels = dict(CommitmentReminder.Tier.choices)
    for items in fresh.values():
        department = items[0][1].reply.assignment.department
        recipients = sorted({c.email for c in department.contacts.all() if c.email}
                            | {u.email for u in department.users.filter(is_active=True) if u.email})
        lines = [f"【{labels[tier]}】{c.reply.assignment.proposal.session.name} 第{c.reply.assignment.proposal.number}号"
                 f" 跟踪日期 {c.follow_up_on}：{c.text[:80]}" for tier, c, _r in items]
        if recipients:
            send_mail(subject=_("承诺跟踪提醒：%(n)d 项") % {"n": len(items)},
                      message="\n".join([*lines, "", _("请在“待办”页面报告承诺的进展。")]),
                      from_email=None, recipient_list=recipients, fail_silently=True)
        CommitmentReminder.objects.filter(pk__in=[r.pk for _t, _c, r in items]).update(recipients="、".join(recipients))
    return sum(len(items) for items in fresh.values())
