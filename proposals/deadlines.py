"""Due dates from a session's handling rule: pure date arithmetic, no database.

Limits are in calendar months or in working days on China's official calendar (chinese-calendar: public
holidays off, 调休 make-up weekend days on). Each result carries what it counted, so a page can explain it."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

MONTHS = "months"
WORKING_DAYS = "working_days"


@dataclass(frozen=True)
class Deadlines:
    due_on: date
    hard_due_on: date
    rule: str
    holidays: tuple[tuple[date, str], ...] = ()
    makeup_workdays: tuple[date, ...] = ()
    years_without_calendar: tuple[int, ...] = field(default=())


def add_months(start: date, months: int) -> date:
    """Same day `months` later, clamped to the month's end (2022-11-30 + 3 months = 2023-02-28)."""
    return start + relativedelta(months=months)


def _official_day(day: date) -> tuple[bool, str | None, bool]:
    """(is a working day, holiday name, whether official data exists for the year)."""
    import chinese_calendar

    try:
        workday = chinese_calendar.is_workday(day)
        _, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:  # the package has no calendar for this year yet: weekends only
        return day.weekday() < 5, None, False
    return workday, name, True


def add_working_days(start: date, days: int) -> tuple[date, tuple, tuple, tuple]:
    """The `days`-th working day after `start`, with the holidays skipped and make-up days counted."""
    day, counted = start, 0
    holidays, makeup, missing = [], [], set()
    while counted < days:
        day += timedelta(days=1)
        workday, name, known = _official_day(day)
        if not known:
            missing.add(day.year)
        if workday:
            counted += 1
            if day.weekday() >= 5:
                makeup.append(day)
        elif name:
            holidays.append((day, name))
    return day, tuple(holidays), tuple(makeup), tuple(sorted(missing))


def compute_deadlines(*, session, made_at: str, role: str, assigned_on: date) -> Deadlines:
    """A lead or separate assignment gets the session's limit for plenary or interim proposals; a co-handling
    one gets the co-handling opinion time. The hard cap, in months, applies to all."""
    hard = add_months(assigned_on, session.hard_cap_months)
    if getattr(session, "deadline_unit", MONTHS) == WORKING_DAYS:
        days = (session.co_opinion_working_days if role == "co" else
                session.interim_working_days if made_at == "interim" else session.plenary_working_days)
        due, holidays, makeup, missing = add_working_days(assigned_on, days)
        rule = _("%(n)d 个工作日") % {"n": days}
    else:
        months = (session.co_opinion_months if role == "co" else
                  session.interim_months if made_at == "interim" else session.plenary_months)
        due, holidays, makeup, missing = add_months(assigned_on, months), (), (), ()
        rule = _("%(n)d 个月") % {"n": months}
    if due > hard:
        due, rule = hard, _("%(rule)s（受最长期限 %(n)d 个月限制）") % {"rule": rule, "n": session.hard_cap_months}
    return Deadlines(due_on=due, hard_due_on=hard, rule=rule, holidays=holidays, makeup_workdays=makeup,
                     years_without_calendar=missing)
