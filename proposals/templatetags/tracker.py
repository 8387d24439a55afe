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
