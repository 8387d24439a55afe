"""On the very first migrate the role groups get every permission they need, replies and indicators included, so a
staff user who is not a superuser can work in the admin pages meant for staff."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from proposals.models import User
from proposals.services import user_create

pytestmark = pytest.mark.django_db

STAFF_NEEDS = {"replies.view_reply", "replies.change_reply", "replies.view_feedback", "indicators.view_indicator",
               "indicators.change_commitment", "proposals.view_proposal", "proposals.change_assignment"}


def group_permissions(name: str) -> set[str]:
    return {f"{app}.{codename}" for app, codename in Group.objects.get(name=name).permissions.values_list(
        "content_type__app_label", "codename")}


def as_on_first_migrate():
    """An empty database as the first migrate leaves it when proposals' post_migrate runs: no groups yet, and
    no permissions of the apps after it (replies, indicators)."""
    Group.objects.all().delete()
    Permission.objects.filter(content_type__app_label__in=["replies", "indicators"]).delete()


def test_the_first_post_migrate_gives_the_groups_replies_and_indicators_permissions():
    as_on_first_migrate()
    from proposals.roles import ensure_role_groups

    # the handler as the first migrate calls it, for proposals, before replies' and indicators' own turn
    ensure_role_groups(sender=apps.get_app_config("proposals"), using="default")
    assert STAFF_NEEDS <= group_permissions("提案办工作人员")
    assert {"replies.view_reply", "indicators.view_commitment"} <= group_permissions("督办人员")
    assert not {p for p in group_permissions("督办人员") if not p.split(".")[1].startswith("view_")}
    department = group_permissions("承办单位用户")
    assert {"replies.add_reply", "replies.view_reply", "indicators.view_indicator"} <= department
    assert "proposals.view_user" not in department


def test_migrate_keeps_the_groups_whole_and_is_idempotent():
    as_on_first_migrate()
    call_command("migrate", verbosity=0)
    first = {name: group_permissions(name) for name in ("提案办工作人员", "督办人员", "承办单位用户")}
    call_command("migrate", verbosity=0)
    assert {name: group_permissions(name) for name in first} == first
    assert STAFF_NEEDS <= first["提案办工作人员"]
    assert Group.objects.count() == 3


@pytest.mark.parametrize("model", ["replies_reply", "replies_feedback", "indicators_indicator",
                                   "indicators_commitment", "proposals_proposal", "proposals_assignment"])
def test_a_staff_user_who_is_not_a_superuser_opens_the_staff_admin_pages(client, model):
    as_on_first_migrate()
    call_command("migrate", verbosity=0)
    staff = user_create(username="clerk", password="clerk-pass-2026", role=User.Role.STAFF, all_committees=True)
    assert not staff.is_superuser and staff.is_staff
    client.force_login(staff)
    assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200
    assert client.get(reverse("admin:index")).content.decode().count(f"/admin/{model.replace('_', '/', 1)}/") >= 1
