"""Login throttling (django-axes): a lock holds one (username, client IP) pair, so nobody can lock out an office
that shares one address behind NAT, and staff lift an account's locks from the app."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.shortcuts import render
from django.utils import timezone


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or, only when TRUSTED_PROXY_COUNT proxies are configured in front of the
    app, the address the outermost of them saw (counted from the right of the forwarded header, which a client can
    only prepend to, never append to)."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [part for part in request.META.get(settings.TRUSTED_PROXY_HEADER, "").split(",") if part.strip()]
        if len(forwarded) >= count:
            address = _valid_ip(forwarded[-count])
            if address:
                return address
    return _valid_ip(remote) or remote or None


def cool_off() -> timedelta:
    from axes.helpers import get_cool_off

    return get_cool_off() or timedelta(0)


@dataclass(frozen=True)
class AccountLock:
    username: str
    ip_address: str | None
    failures: int
    last_attempt: datetime
    until: datetime

    @property
    def minutes_left(self) -> int:
        return max(1, -(-int((self.until - timezone.now()).total_seconds()) // 60))


def _attempts_liftable_by(user):
    """The failed logins whose locks `user` may lift: for an all-committee account (or no account given) every
    one, of any username; otherwise those of the accounts it may change (User.objects.workable_by). Axes keeps the
    username as typed at the login, which names an account only when it matches exactly (as the login does)."""
    from axes.models import AccessAttempt

    from .models import User

    attempts = AccessAttempt.objects.all()
    if user is None or user.sees_all_committees:
        return attempts
    return attempts.filter(username__in=User.objects.workable_by(user).values("username"))


def account_lock_list(*, username: str | None = None, ip_address: str | None = None,
                      liftable_by=None) -> list[AccountLock]:
    """Pairs of (username, IP) that are locked now: AXES_FAILURE_LIMIT failures within the cool-off time; given
    `liftable_by`, only those that account may lift."""
    now = timezone.now()
    attempts = _attempts_liftable_by(liftable_by).filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
                                                         attempt_time__gte=now - cool_off())
    if username is not None:
        attempts = attempts.filter(username=username)
    if ip_address is not None:
        attempts = attempts.filter(ip_address=ip_address)
    return [AccountLock(username=a.username or "", ip_address=a.ip_address, failures=a.failures_since_start,
                        last_attempt=a.attempt_time, until=a.attempt_time + cool_off())
            for a in attempts.order_by("-attempt_time")]


@transaction.atomic
def account_unlock(*, username: str, by) -> int:
    """Lift every lock of an account, from every address, if `by` may; returns how many were lifted."""
    return _attempts_liftable_by(by).filter(username=username).delete()[1].get("axes.AccessAttempt", 0)


def lockout_response(request, original_response=None, credentials=None):
    """The locked page: why the login is refused and for how long."""
    from axes.helpers import get_client_username

    username = get_client_username(request, credentials) or ""
    locks = account_lock_list(username=username, ip_address=client_ip(request))
    lock = locks[0] if locks else None
    context = {"username": username, "failure_limit": settings.AXES_FAILURE_LIMIT, "lock": lock,
               "minutes_left": lock.minutes_left if lock else max(1, int(cool_off().total_seconds() // 60))}
    return render(request, "registration/locked.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
