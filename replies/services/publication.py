"""Publication of a released reply: personal data proposed for redaction, reviewed by staff, and only then the
reply made 公开 with its redacted text and an image-only PDF; or the reply kept 不公开 with a reason."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from pypdfium2 import PdfiumError

from proposals.models import User

from ..models import Redaction, Reply, ReplyEvent
from ..redacted_pdf import CannotLocate, redacted_pdf
from ..redaction import find_personal_data, occurrences, redact
from .events import reply_event_add

PUBLICATION_FIELDS = ["is_public", "public_decided_at", "public_decided_by", "not_public_reason", "public_text",
                      "public_file", "public_pdf_note"]


def _locked(reply: Reply) -> Reply:
    return Reply.objects.select_for_update().get(pk=reply.pk)


def _check_reviewable(reply: Reply) -> None:
    if reply.released_at is None or reply.withdrawn_at is not None or reply.assignment_id is None:
        raise ValidationError(_("只有已审核发布的答复才能决定是否公开。"))
    if reply.is_public:
        raise ValidationError(_("答复已公开：请先改为不公开，再修改遮盖。"))


def redactions_counts(*, reply: Reply) -> dict[str, int]:
    """How many of the reply's redactions are 待审核, 遮盖 and 不遮盖."""
    return reply.redactions.aggregate(proposed=Count("pk", filter=Q(status=Redaction.Status.PROPOSED)),
                                      accepted=Count("pk", filter=Q(status=Redaction.Status.ACCEPTED)),
                                      rejected=Count("pk", filter=Q(status=Redaction.Status.REJECTED)))


def redactions_were_proposed(reply: Reply) -> bool:
    return reply.events.filter(kind=ReplyEvent.Kind.REDACTIONS_PROPOSED).exists()


@transaction.atomic
def redactions_propose(*, reply: Reply, by: User) -> int:
    """Find personal data in the reply's text and propose each span not yet proposed or added; returns how many."""
    reply = _locked(reply)
    _check_reviewable(reply)
    stale = [r.pk for r in reply.redactions.all() if not r.matches(reply.text)]
    reply.redactions.filter(pk__in=stale).delete()  # the text was parsed again since: their offsets mean nothing
    known = set(reply.redactions.values_list("start", "end"))
    new = [Redaction(reply=reply, start=span.start, end=span.end, text=span.text_in(reply.text), kind=span.kind)
           for span in find_personal_data(reply.text) if (span.start, span.end) not in known]
    Redaction.objects.bulk_create(new)
    reply_event_add(reply, ReplyEvent.Kind.REDACTIONS_PROPOSED, by=by, data={"count": len(new)})
    return len(new)


@transaction.atomic
def redaction_review(*, redaction: Redaction, accept: bool, by: User) -> Redaction:
    """Staff accept (mask it) or reject (leave it readable) one proposed or earlier reviewed span."""
    _check_reviewable(_locked(redaction.reply))
    redaction.status = Redaction.Status.ACCEPTED if accept else Redaction.Status.REJECTED
    redaction.reviewed_by, redaction.reviewed_at = by, timezone.now()
    redaction.full_clean()
    redaction.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    reply_event_add(redaction.reply, ReplyEvent.Kind.REDACTION_REVIEWED, by=by, note=redaction.text,
                    data={"redaction": redaction.pk, "status": redaction.status, "count": 1})
    return redaction


@transaction.atomic
def redactions_review_all(*, reply: Reply, accept: bool, by: User) -> int:
    """Accept or reject every span still 待审核 at once."""
    _check_reviewable(_locked(reply))
    status = Redaction.Status.ACCEPTED if accept else Redaction.Status.REJECTED
    count = reply.redactions.filter(status=Redaction.Status.PROPOSED).update(
        status=status, reviewed_by=by, reviewed_at=timezone.now())
    if count:
        reply_event_add(reply, ReplyEvent.Kind.REDACTION_REVIEWED, by=by, data={"status": status, "count": count})
    return count


@transaction.atomic
def redaction_add(*, reply: Reply, by: User, start: int | None = None, end: int | None = None,
                  text: str = "") -> int:
    """Staff mask a span they selected (start, end) or every occurrence of a string they typed; accepted at once.
    Returns how many spans were added."""
    reply = _locked(reply)
    _check_reviewable(reply)
    if start is not None and end is not None:
        if not 0 <= start < end <= len(reply.text):
            raise ValidationError(_("所选范围不在答复正文内，请重新选择。"))
        spans = [(start, end)]
    elif text.strip():
        spans = occurrences(reply.text, text)
        if not spans:
            raise ValidationError(_("答复正文中没有“%(text)s”。") % {"text": text.strip()})
    else:
        raise ValidationError(_("请在正文中选择要遮盖的文字，或输入要遮盖的内容。"))
    now = timezone.now()
    added = 0
    for span_start, span_end in spans:
        created = Redaction.objects.update_or_create(
            reply=reply, start=span_start, end=span_end,
            defaults={"status": Redaction.Status.ACCEPTED, "reviewed_by": by, "reviewed_at": now},
            create_defaults={"text": reply.text[span_start:span_end], "kind": Redaction.Kind.MANUAL,
                             "added_by": by, "status": Redaction.Status.ACCEPTED, "reviewed_by": by,
                             "reviewed_at": now})[1]
        added += created
    reply_event_add(reply, ReplyEvent.Kind.REDACTION_REVIEWED, by=by, note=reply.text[spans[0][0]:spans[0][1]],
                    data={"status": Redaction.Status.ACCEPTED, "count": len(spans), "added": added})
    return len(spans)


def reply_publish_check(*, reply: Reply) -> None:
    """What stands in the way of making the reply 公开: it must be released, checked for personal data, and every
    proposed redaction reviewed."""
    _check_reviewable(reply)
    if not redactions_were_proposed(reply):
        raise ValidationError(_("公开前须先检查个人信息并审核遮盖。"))
    if any(not r.matches(reply.text) for r in reply.redactions.all()):
        raise ValidationError(_("答复正文已重新解析，请重新检查个人信息。"))
    pending = redactions_counts(reply=reply)["proposed"]
    if pending:
        raise ValidationError(_("仍有 %(count)d 处遮盖待审核，全部审核后才能公开。") % {"count": pending})


def reply_publish(*, reply: Reply, by: User) -> Reply:
    """Make the reply 公开: its text with the accepted redactions masked and, when the redactions can be located in
    the PDF, an image-only PDF with them blacked out; a scan, or a PDF where they cannot be found, publishes the
    text only, saying why. The PDF is rendered outside the transaction, then the reply is locked and checked again."""
    reply_publish_check(reply=reply)
    accepted = list(reply.redactions.filter(status=Redaction.Status.ACCEPTED).values_list("start", "end", "text"))
    public_pdf, note = None, ""
    if reply.file:
        if reply.ocr:
            note = _("扫描件没有可定位的文字位置，PDF不公开，仅公开遮盖后的正文。")
        else:
            try:
                with reply.file.open("rb") as handle:
                    public_pdf = redacted_pdf(handle.read(), [text for _start, _end, text in accepted])
            except CannotLocate as error:
                note = _("PDF无法可靠遮盖（%(reason)s），PDF不公开，仅公开遮盖后的正文。") % {"reason": error}
            except (OSError, PdfiumError):
                note = _("原PDF无法读取，PDF不公开，仅公开遮盖后的正文。")
    return _reply_store_publication(reply=reply, by=by, accepted=accepted, public_pdf=public_pdf, note=note)


@transaction.atomic
def _reply_store_publication(*, reply: Reply, by: User, accepted: list, public_pdf: bytes | None,
                             note: str) -> Reply:
    reply = _locked(reply)
    reply_publish_check(reply=reply)
    if list(reply.redactions.filter(status=Redaction.Status.ACCEPTED).values_list("start", "end", "text")) != accepted:
        raise ValidationError(_("遮盖在生成公开文件时被他人修改，请重新公开。"))
    _delete_public_file(reply)
    reply.public_text = redact(reply.text, [(start, end) for start, end, _text in accepted])
    if public_pdf is not None:
        reply.public_file.save(f"reply-{reply.pk}.pdf", ContentFile(public_pdf), save=False)
    reply.public_pdf_note = note[:200]
    reply.is_public, reply.not_public_reason = True, ""
    reply.public_decided_at, reply.public_decided_by = timezone.now(), by
    reply.save(update_fields=PUBLICATION_FIELDS)
    reply_event_add(reply, ReplyEvent.Kind.PUBLISHED, by=by, note=note,
                    data={"redactions": len(accepted), "pdf": public_pdf is not None})
    return reply


@transaction.atomic
def reply_mark_not_public(*, reply: Reply, reason: str, by: User) -> Reply:
    """Keep the reply off the public pages (or take it off them), with a reason."""
    reply = _locked(reply)
    if reply.released_at is None or reply.withdrawn_at is not None:
        raise ValidationError(_("只有已审核发布的答复才能决定是否公开。"))
    if not reason.strip():
        raise ValidationError(_("不公开须说明理由。"))
    _delete_public_file(reply)
    reply.is_public, reply.not_public_reason = False, reason.strip()
    reply.public_text, reply.public_pdf_note = "", ""
    reply.public_decided_at, reply.public_decided_by = timezone.now(), by
    reply.save(update_fields=PUBLICATION_FIELDS)
    reply_event_add(reply, ReplyEvent.Kind.NOT_PUBLIC, by=by, note=reason.strip())
    return reply


def _delete_public_file(reply: Reply) -> None:
    if reply.public_file:
        name = reply.public_file.name
        storage = reply.public_file.storage
        reply.public_file = ""
        # the old public copy goes once the new decision is committed, never before
        transaction.on_commit(lambda: storage.delete(name))
