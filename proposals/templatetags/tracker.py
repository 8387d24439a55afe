from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_link(context, field: str, label: str):
    """A column heading that sorts by `field`, and reverses the order when it already does."""
    query = context["request"].GET.copy()
    current = query.get("o", "")
    query["o"] = f"-{field}" if current == field else field
    query.pop("page", None)
    arrow = " ▲" if current == field else " ▼" if current == f"-{field}" else ""
    return format_html('<a href="?{}">{}{}</a>', query.urlencode(), label, arrow)


@register.simple_tag(takes_context=True)
def page_url(context, page: int):
    query = context["request"].GET.copy()
    query["page"] = page
    return "?" + query.urlencode()


@register.simple_tag
def unread_notifications(user) -> int:
    """How many notifications the member account has not read yet (the menu shows it)."""
    from proposals.models import Notification

    return Notification.objects.filter(user=user, read_at__isnull=True).count()


DEMO_TIPS_DISMISSED = "demo_tips_dismissed"


@register.inclusion_tag("_demo_tips.html", takes_context=True)
def demo_tips(context):
    """The demo's "what to try" panel for a demo account's role, until its reader dismisses it."""
    from proposals.demo.data import DEMO_USERS
    from proposals.vocabulary import terms_for_user

    request = context["request"]
    user = request.user
    shown = (user.is_authenticated and user.username in {username for username, *_ in DEMO_USERS}
             and not request.session.get(DEMO_TIPS_DISMISSED))
    role = "staff" if user.is_office_staff else "supervisor" if user.reads_by_committee else "department"
    terms = terms_for_user(user) if shown else None
    if role == "staff" and shown and terms.body == "npc":
        role = "npc_staff"
    return {"shown": shown, "role": role, "next": request.get_full_path(), "csrf_token": context.get("csrf_token"),
            "terms": terms}


@register.simple_tag(takes_context=True)
def proposal_rows(context) -> str:
    """The list's rows, written in Python: through the template language each of 50 rows cost 0.6 ms (its
    three loops over the assignments, a dozen lookups per cell), a third of the page's time at 100 000 proposals.
    The markup is what the template wrote: each value escaped, each label looked up once a page."""
    from django.middleware.csrf import get_token
    from django.urls import reverse
    from django.utils.html import escape
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext, pgettext

    from proposals.models import Assignment, Proposal

    request, terms, today = context["request"], context["terms"], context["today"]
    office = context.get("departments") is not None
    worked = context.get("worked_committees") or set()
    several = context.get("several_committees")
    mixed = not terms.body
    labels = {name: escape(label) for name, label in {
        "session": gettext("届次"), "number": terms.number, "proposers": terms.proposers, "key": gettext("重点"),
        "departments": gettext("承办单位"), "due": gettext("办理期限"), "lead_due": gettext("主办单位办理期限"),
        "status": gettext("状态"), "reply": gettext("答复"), "replied": gettext("已答复"),
        "remind": pgettext("action", "催办"), "pick": gettext("选择第%(n)s号")}.items()}
    roles = {value: escape(label) for value, label in Assignment.Role.choices}
    statuses = {value: escape(label) for value, label in Proposal.Status.choices}
    if office:
        remind_form = ('<form method="post" action="ACTION" class="remind"><input type="hidden" '
                       f'name="csrfmiddlewaretoken" value="{escape(get_token(request))}"><input type="hidden" '
                       f'name="next" value="{escape(request.get_full_path())}"><button class="secondary" '
                       f'data-testid="remind">{labels["remind"]}</button></form>')
        remind_url = reverse("proposals:assignment-action", args=[0, "remind"])
    detail_url, reply_url = reverse("proposals:detail", args=[0]), reverse("replies:detail", args=[0])

    def url(pattern: str, pk: int) -> str:  # the pattern reversed for pk 0
        return pattern.replace("/0/", f"/{pk}/", 1)

    def day(value) -> str:
        return value.isoformat() if value else ""

    sessions: dict[int, str] = {}
    rows = []
    for proposal in context["proposals"]:
        session = proposal.session
        if session.pk not in sessions:
            sessions[session.pk] = escape(str(session) if several else session.name)
        ours = session.committee_id in worked
        cells = []
        if office:
            pick = ""
            if proposal.status == Proposal.Status.REGISTERED and ours:
                pick = (f'<input type="checkbox" name="proposals" value="{proposal.pk}" form="bulk-assign" '
                        f'aria-label="{labels["pick"] % {"n": proposal.number}}">')
            cells.append(f'<td class="pick">{pick}</td>')
        cells.append(f'<td data-label="{labels["session"]}">{sessions[session.pk]}</td>')
        cells.append(f'<td class="num" data-label="{labels["number"]}">{proposal.number}</td>')
        kind = (f'<span class="tag kind kind-{proposal.terms.body}" data-testid="kind">'
                f'{escape(proposal.terms.proposal)}</span> ') if mixed else ""
        key = f' <span class="tag">{labels["key"]}</span>' if proposal.is_key else ""
        cells.append(f'<td class="title">{kind}<a href="{url(detail_url, proposal.pk)}">'
                     f'{escape(proposal.title)}</a>{key}</td>')
        names = "、".join(escape(link.member.name) for link in proposal.proposer_links.all())
        cells.append(f'<td data-label="{labels["proposers"]}">{names}</td>')
        departments, lead_due, replies = [], [], []
        for a in proposal.assignments.all():
            late = "overdue" if a.is_open and a.due_on and a.due_on < today else ""
            if a.status != Assignment.Status.RETURNED:
                due = (f' · <span class="{late}" title="{labels["due"]}">{day(a.due_on)}</span>'
                       if a.role != Assignment.Role.LEAD else "")
                remind = remind_form.replace("ACTION", url(remind_url, a.pk), 1) if office and late and ours else ""
                departments.append(f'<div>{escape(a.department.short_name or a.department.name)} '
                                   f'<small>{roles.get(a.role, a.role)}{due}</small>{remind}</div>')
                if a.role == Assignment.Role.LEAD:
                    lead_due.append(f'<span class="{late}" data-testid="lead-due">{day(a.due_on)}</span>')
            first = next(iter(a.replies.all()), None)
            if first is not None:
                replies.append(f'<a href="{url(reply_url, first.pk)}">'
                               f'{escape(first.category) if first.category else labels["replied"]}</a> ')
        cells.append(f'<td data-label="{labels["departments"]}">{"".join(departments)}</td>')
        cells.append(f'<td data-label="{labels["lead_due"]}">{"".join(lead_due)}</td>')
        cells.append(f'<td data-label="{labels["status"]}">{statuses.get(proposal.status, proposal.status)}</td>')
        cells.append(f'<td data-label="{labels["reply"]}">{"".join(replies)}</td>')
        rows.append(f'<tr data-number="{proposal.number}">{"".join(cells)}</tr>')
    return mark_safe("\n".join(rows))
