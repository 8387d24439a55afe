"""Member accounts: staff open them one by one or in bulk, each with an initial password shown once, and
deactivate them. A member account has no group: it holds no model permission, its pages are its own."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Member, User

PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class OpenedAccount:
    """An account just opened, with the initial password: shown once, never stored in clear."""

    user: User
    password: str


def initial_password() -> str:
    """Twelve characters without look-alikes (0/O, 1/l/I), easy to read out on the phone."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(12))


def default_username(member: Member) -> str:
    """member<id>, free in the accounts table (a collective's second account gets a suffix)."""
    base = f"member{member.pk}"
    taken = set(User.objects.filter(username__startswith=base).values_list("username", flat=True))
    if base not in taken:
        return base
    return next(f"{base}-{n}" for n in range(2, len(taken) + 3) if f"{base}-{n}" not in taken)


@transaction.atomic
def member_account_create(*, member: Member, username: str = "", email: str = "",
                          password: str = "") -> OpenedAccount:
    """Open an account acting for a member (a collective proposer may have several); its initial password is
    returned once."""
    username = username.strip() or default_username(member)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("用户名“%(username)s”已被使用。") % {"username": username})
    password = password or initial_password()
    user = User(username=username, role=User.Role.MEMBER, member=member, first_name=member.name[:150],
                email=email.strip() or member.email, is_staff=False)
    user.set_password(password)
    user.full_clean()
    user.save()
    return OpenedAccount(user=user, password=password)


@transaction.atomic
def member_accounts_create(*, members: Sequence[Member]) -> list[OpenedAccount]:
    """Open one account for each member that has no active account yet; the others are left as they are."""
    with_account = set(User.objects.filter(role=User.Role.MEMBER, is_active=True, member__in=list(members))
                       .values_list("member_id", flat=True))
    return [member_account_create(member=member) for member in members if member.pk not in with_account]


@transaction.atomic
def member_account_set_active(*, user: User, active: bool) -> User:
    """Deactivate (or reactivate) a member account: a deactivated one cannot sign in and sees nothing."""
    if user.role != User.Role.MEMBER:
        raise ValidationError(_("这里只能停用或启用委员账号。"))
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user
