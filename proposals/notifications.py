"""What a member account is told about its proposals: an in-app notification per account, and an e-mail."""

from __future__ import annotations

from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Member, Notification, Proposal, ProposalDraft, User


def member_accounts(members) -> list[User]:
    """The active accounts acting for any of these members."""
    return list(User.objects.filter(role=User.Role.MEMBER, is_active=True, member__in=list(members)))


@transaction.atomic
def members_notify(*, members, kind: str, message: str, proposal: Proposal | None = None,
                   draft: ProposalDraft | None = None) -> list[Notification]:
    """One unread notification for every active account of these members, and (after commit) one e-mail to each
    of the members' and their accounts' addresses: co-proposers do not see each other's addresses."""
    members = list(members)
    accounts = member_accounts(members)
    notes = Notification.objects.bulk_create(
        Notification(user=account, kind=kind, message=message, proposal=proposal, draft=draft) for account in accounts)
    recipients = sorted({m.email for m in members if m.email} | {a.email for a in accounts if a.email})
    if recipients:
        terms = proposal.terms if proposal is not None else draft.session.terms if draft is not None else None
        subject = Notification.Kind(kind).label
        if terms is not None:  # 建议已立案 / 提案已立案
            subject = _("%(proposal)s%(event)s") % {"proposal": terms.noun, "event": subject} \
                if kind != Notification.Kind.COSIGN_INVITED else subject
        body = message + "\n\n" + _("请登录本系统“%(mine)s”查看。") % {
            "mine": terms.mine if terms is not None else _("我的提案")}
        mails = [(str(subject), body, None, [address]) for address in recipients]
        transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=True))
    return notes


def proposers_notify(*, proposal: Proposal, kind: str, message: str) -> list[Notification]:
    """Tell every proposer of the proposal (lead and co-signers)."""
    return members_notify(members=Member.objects.filter(proposer_links__proposal=proposal), kind=kind,
                          message=message, proposal=proposal)


def notification_mark_read(*, user: User, ids=None) -> int:
    """Mark the account's unread notifications read (only `ids`, if given); returns how many."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
