"""Due dates from a session's handling rule: pure date arithmetic, no database."""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta


@dataclass(frozen=True)
class Deadlines:
    due_on: date
    hard_due_on: date


def add_months(start: date, months: int) -> date:
    """Same day `months` later, clamped to the month's end (2022-11-30 + 3 months = 2023-02-28)."""
    return start + relativedelta(months=months)


def compute_deadlines(*, session, made_at: str, role: str, assigned_on: date) -> Deadlines:
    """A lead or separate assignment gets the session's months for plenary or interim proposals;
    a co-handling one gets the co-handling opinion time. The hard cap applies to all."""
    if role == "co":
        months = session.co_opinion_months
    elif made_at == "interim":
        months = session.interim_months
    else:
        months = session.plenary_months
    hard = add_months(assigned_on, session.hard_cap_months)
    due = min(add_months(assigned_on, months), hard)
    return Deadlines(due_on=due, hard_due_on=hard)
