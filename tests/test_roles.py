"""The role policy, walked: every admin URL (changelist, add, change, history, history form, delete of every
registered model) and every app URL, with GET and POST, as each role. A read-only role (a supervisor, anyone not
signed in) and a department with no part in the data change nothing: a digest of every table of the three apps and
of the accounts and groups is the same before and after."""

import hashlib

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, reverse
from simple_history.admin import SimpleHistoryAdmin

from proposals.models import User
from proposals.permissions import POLICY, Action, RolePolicyAdminMixin, actions_of
from tests.factories import DepartmentUserFactory
from tests.test_isolation import OBJECT_URLS, named_patterns, urls_for, victim  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

APPS = ("proposals", "replies", "indicators")


def digest() -> str:
    """Every row of every model of the three apps (history records included), the groups and their permissions."""
    hasher = hashlib.sha256()
    models = [m for label in APPS for m in apps.get_app_config(label).get_models()]
    models += [Group, Group.permissions.through]
    for model in sorted(models, key=lambda m: m._meta.label):
        fields = [f.attname for f in model._meta.concrete_fields]
        hasher.update(model._meta.label.encode())
        for row in model._default_manager.order_by("pk").values_list(*fields):
            hasher.update(repr(row).encode())
    return hasher.hexdigest()


def changed(data: dict, form) -> dict:
    """The form's current values with every free-text field edited: a POST that would change something if it
    were let through."""
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput) \
                and isinstance(data.get(key), str) and data[key]:
            data[key] = data[key] + "改"
    return data


def form_data(response) -> dict:
    """What an admin form page would post as it stands, its text edited (see `changed`)."""
    context = response.context
    if not context or "adminform" not in context:
        return {}
    data = {}

    def values(form):
        for name in form.fields:
            value = form[name].value()
            if value is None:
                continue
            data[form.add_prefix(name)] = [str(v) for v in value] if isinstance(value, list | tuple) else value

    form = context["adminform"].form
    values(form)
    for inline in context.get("inline_admin_formsets", []):
        values(inline.formset.management_form)
        for inner in inline.formset.forms:
            values(inner)
    return changed(data, form)


@pytest.fixture
def world(media_root, victim):  # noqa: F811
    """The demo (every kind of object, accounts in their groups) plus a department's proposal with everything
    hanging off it."""
    from datetime import date

    from django.utils import timezone

    from indicators.models import CommitmentReminder
    from proposals.models import Reminder
    from replies.models import Redaction, ReplyCategoryChange

    call_command("load_demo")
    # what the demo has none of, so that every admin page has an object to show
    Reminder.objects.create(assignment=victim["assignment"], tier="overdue", due_on=date(2022, 7, 1), recipients="甲")
    CommitmentReminder.objects.create(commitment=victim["commitment"], tier="due", follow_up_on=date(2023, 7, 1))
    ReplyCategoryChange.objects.create(reply=victim["reply"], old_category="B", new_category="A", reason="核对",
                                       by=User.objects.get(username="staff"))
    Redaction.objects.create(reply=victim["reply"], start=0, end=3, text=victim["reply"].text[:3], kind="manual",
                             status="accepted", reviewed_by=User.objects.get(username="staff"), reviewed_at=timezone.now())
    return victim


def admin_urls(model, obj) -> list[tuple[str, dict]]:
    """Each admin URL of one model's object with a POST that would change it."""
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    if obj is None:  # a model of another app with no row yet (axes' records of login attempts)
        return [(reverse(f"{info}_changelist"), {}), (reverse(f"{info}_add"), None)]
    urls = [(reverse(f"{info}_changelist"), {"action": "delete_selected", "_selected_action": [obj.pk],
                                              "post": "yes"}),
            (reverse(f"{info}_add"), None),
            (reverse(f"{info}_change", args=[obj.pk]), None),
            (reverse(f"{info}_history", args=[obj.pk]), {}),
            (reverse(f"{info}_delete", args=[obj.pk]), {"post": "yes"})]
    if model is User:
        urls.append((reverse("admin:auth_user_password_change", args=[obj.pk]),
                     {"password1": "改过的密码-2026", "password2": "改过的密码-2026"}))
    if isinstance(admin.site._registry[model], SimpleHistoryAdmin):
        oldest = model.history.model.objects.filter(id=obj.pk).order_by("history_date").first()
        assert oldest is not None, model
        urls.append((reverse(f"{info}_simple_history", args=[obj.pk, oldest.history_id]), None))
    return urls


def every_admin_url(staff_client) -> list[tuple[str, dict]]:
    """Every admin URL of every registered model, with the POST data a staff member's form page holds."""
    urls = []
    for model, model_admin in admin.site._registry.items():
        objects = model._default_manager.order_by("-pk")
        if isinstance(model_admin, SimpleHistoryAdmin):
            objects = objects.filter(pk__in=model.history.values("id"))
        obj = objects.first()
        assert obj is not None or model._meta.app_label not in APPS, f"no {model.__name__} to walk the admin with"
        for url, data in admin_urls(model, obj):
            if data is None:
                data = form_data(staff_client.get(url))
            urls.append((url, data))
    return urls


def every_app_url(world) -> list[str]:
    urls = []
    for name, converters in named_patterns():
        if not name.startswith(tuple(f"{a}:" for a in APPS)):
            continue
        if converters:
            urls += list(urls_for(name, world))
        else:
            urls.append(reverse(name))
    return urls


def app_post_data(world) -> dict:
    """Fields every app form reads, with plausible values; `confirmed=1` passes the confirm step."""
    proposal, assignment = world["proposal"], world["assignment"]
    return {"reason": "改", "text": "改", "note": "改", "decision": "accept", "status": "in_progress", "value": "1",
            "unit": "个", "metric": "改", "category": "A", "rows": [f"indicator-{world['indicator'].pk}",
                                                                  f"commitment-{world['commitment'].pk}"],
            "action": "accept", "assignment": assignment.pk, "field": "department", "due_on": "2030-01-01",
            "hard_due_on": "2030-06-01", "department": assignment.department_id, "role": "co",
            "assigned_on": "2022-04-01", "into": proposal.pk, "reply": world["reply"].pk,
            "member": proposal.proposer_links.first().member_id, "rating": "unsatisfied", "session":
            proposal.session_id, "number": "9999", "title": "改", "submitted_on": "2022-01-16",
            "pending_reason": "改", "evidence": "改", "confirmed": "1"}


def walk(client, admin_walk, app_walk, post_data) -> dict[str, list[int]]:
    """GET and POST every URL; the statuses seen per URL. A 500 fails at once (the test client raises)."""
    seen = {}
    for url, data in admin_walk:
        seen[url] = [client.get(url).status_code, client.post(url, data).status_code]
    for url in app_walk:
        seen[url] = [client.get(url).status_code, client.post(url, post_data).status_code,
                     client.post(url, {**post_data, "confirmed": ""}).status_code]
    return seen


def staff_client():
    client = Client()
    client.force_login(User.objects.get(username="staff"))
    return client


@pytest.mark.parametrize("role", ["supervisor", "anonymous", "another department"])
def test_a_read_only_role_changes_nothing_through_any_admin_or_app_url(world, role):
    admin_walk, app_walk = every_admin_url(staff_client()), every_app_url(world)
    assert len(admin_walk) > 100 and len(app_walk) > 40
    client = Client()
    if role == "supervisor":
        client.force_login(User.objects.get(username="supervisor"))
    elif role == "another department":
        client.force_login(DepartmentUserFactory(is_staff=True))  # even marked as admin staff by mistake
    before = digest()
    seen = walk(client, admin_walk, app_walk, app_post_data(world))
    assert digest() == before
    posts = {url: statuses[1:] for url, statuses in seen.items()}
    if role == "supervisor":
        # the app's POST endpoints refuse a supervisor outright, the admin's forms and the history form too
        refused = {url: s for url, s in posts.items() if not url.startswith("/admin/") and set(s) - {403, 405}}
        assert not refused, refused
        forms_posted = {url: s for url, s in posts.items() if url.startswith("/admin/")
                        and ("/change/" in url or "/delete/" in url or "/add/" in url or url.count("/") == 7)}
        assert forms_posted and all(s == [403] for s in forms_posted.values()), forms_posted
        assert [s for url, s in posts.items() if url.endswith("/password/")] == [[403]]
    elif role == "anonymous":
        assert all(s[0] in (302, 403, 404, 405) for s in posts.values()), posts
    else:
        admin_seen = {url: s for url, s in seen.items() if url.startswith("/admin/")}
        assert all(set(s) <= {302, 403} for s in admin_seen.values()), admin_seen


@pytest.mark.parametrize("role", ["staff", "department"])
def test_the_roles_that_act_walk_every_url_without_a_server_error(world, role):
    """Staff and the department that owns the data: no URL answers 500 whatever is posted (their changes are
    theirs to make; the walk only proves each step handles any input)."""
    admin_walk, app_walk = every_admin_url(staff_client()), every_app_url(world)
    client = staff_client() if role == "staff" else Client()
    if role == "department":
        client.force_login(DepartmentUserFactory(department=world["assignment"].department))
    seen = walk(client, admin_walk if role == "staff" else [], app_walk, app_post_data(world))
    assert all(s < 500 for statuses in seen.values() for s in statuses)


def test_a_supervisor_cannot_revert_an_assignment_to_another_department_through_the_admin_history(world):
    """The hole the audit found: the history form saved the old version whole, department included."""
    from proposals.models import Department

    assignment = world["assignment"]
    first = assignment.department
    assignment.department = Department.objects.exclude(pk=first.pk).first()
    assignment.save()
    oldest = assignment.history.order_by("history_date").first()
    url = reverse("admin:proposals_assignment_simple_history", args=[assignment.pk, oldest.history_id])
    data = form_data(staff_client().get(url))
    for username in ("supervisor", "staff"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        page = client.get(url)
        assert page.status_code == 200 and page.context["revert_disabled"]
        assert client.post(url, data).status_code == 403
        assignment.refresh_from_db()
        assert assignment.department != first


def test_the_policy_gives_a_supervisor_only_reading_and_nobody_signed_out_anything():
    from django.contrib.auth.models import AnonymousUser

    assert POLICY["supervisor"] == {Action.READ, Action.COMMENT, Action.ADMIN_VIEW}
    assert actions_of(AnonymousUser()) == frozenset()
    assert actions_of(User(role="staff", is_active=False)) == frozenset()
    assert actions_of(User(role="supervisor", is_superuser=True)) == POLICY["staff"]


def test_the_supervisors_group_holds_view_permissions_only():
    codenames = Group.objects.get(name="督办人员").permissions.values_list("codename", flat=True)
    assert codenames and all(c.startswith("view_") for c in codenames)


def test_every_admin_and_inline_applies_the_role_policy():
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in (*APPS, "auth"):
            continue
        if model is Group:
            continue  # Django's own: staff only, through the model permissions the groups hold
        assert isinstance(model_admin, RolePolicyAdminMixin), model
        for inline in model_admin.inlines:
            assert issubclass(inline, RolePolicyAdminMixin), inline


def test_every_admin_url_name_is_walked(world):
    """A model registered with a URL the walk does not know fails here, so it gets added to admin_urls."""
    for model, model_admin in admin.site._registry.items():
        names = {p.name for p in model_admin.urls if getattr(p, "name", None)}
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        known = {f"{info}_{suffix}" for suffix in ("changelist", "add", "change", "history", "delete",
                                                    "simple_history", "autocomplete")}
        if model is User:
            known.add("auth_user_password_change")
        assert names <= known, (model, names - known)
        try:
            reverse(f"admin:{info}_changelist")
        except NoReverseMatch:  # pragma: no cover - a registered model always has one
            pytest.fail(str(model))


@pytest.mark.parametrize("role", ["staff", "supervisor", "department", "member"])
def test_every_menu_entry_of_each_role_opens_and_the_overview_pages_refuse_a_department(client, role):
    import re

    from tests.factories import MemberUserFactory, UserFactory

    user = {"department": DepartmentUserFactory, "member": MemberUserFactory}.get(role, UserFactory)(
        **({"role": role, "is_staff": role == "staff"} if role in ("staff", "supervisor") else {}))
    client.force_login(user)
    page = client.get("/", follow=True).content.decode()
    menu = re.search(r'<nav aria-label="[^"]*">(.*?)</nav>', page, re.S).group(1)
    entries = re.findall(r'href="([^"]+)"', menu)
    assert entries
    for href in entries:
        assert client.get(href).status_code == 200, (role, href)
    overviews = [reverse("proposals:dashboard"), reverse("proposals:report"), reverse("indicators:series"),
                 reverse("admin:index")]
    if role == "department":
        assert not set(entries) & set(overviews)
        assert [client.get(url).status_code for url in overviews[:3]] == [403, 403, 403]
    if role == "member":
        assert all(href.startswith(("/my/", "/accounts/")) for href in entries), entries
