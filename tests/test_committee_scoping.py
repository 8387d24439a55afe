"""Many committees on one deployment: office and supervisor accounts see only the committees they belong to (and,
given read access below, the same body's committees of the places under theirs, read only); a committee assigns
to the departments of its own place and names its own members."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from proposals import services
from proposals.forms import AssignForm, ProposalForm
from proposals.models import Assignment, Committee, Department, Member, Proposal, Region, User
from proposals.selectors import department_dashboard
from replies.models import Reply
from tests.admin_forms import form_data
from tests.factories import (
    AssignmentFactory,
    CommitteeFactory,
    DepartmentFactory,
    DepartmentUserFactory,
    MemberUserFactory,
    ProposalFactory,
    RegionFactory,
    ReleasedReplyFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():
    return CommitteeFactory()  # 吉林省政协


@pytest.fixture
def city():
    place = Region.objects.create(name="长春市", level=Region.Level.CITY, parent=RegionFactory())
    return Committee.objects.create(name="长春市政协", short_name="市政协", region=place)


def account(role, *committees, **flags):
    user = services.user_create(username=f"{role}-{'-'.join(c.short_name for c in committees) or 'all'}",
                                password="pw", role=role, committees=committees,
                                all_committees=flags.pop("all_committees", False))
    if flags:
        User.objects.filter(pk=user.pk).update(**flags)
        user.refresh_from_db()
    return user


def proposal_of(committee, title, **kwargs):
    return ProposalFactory(session=SessionFactory(committee=committee), title=title, **kwargs)


def test_a_provincial_account_reading_below_reads_a_city_proposal_but_cannot_act_on_it(client, province, city):
    reader = account(User.Role.STAFF, province, reads_lower_committees=True)
    theirs = proposal_of(city, "市里的提案", status="submitted")
    placeless = DepartmentFactory(region=None)
    assignment = AssignmentFactory(proposal=proposal_of(city, "市里交办的提案", status="assigned"),
                                   return_requested_on=timezone.localdate(), return_request_reason="不归我们")
    client.force_login(reader)
    assert client.get(reverse("proposals:detail", args=[theirs.pk])).status_code == 200
    assert "市里的提案" in client.get(reverse("proposals:list")).content.decode()

    assert client.post(reverse("proposals:action", args=[theirs.pk, "register"])).status_code == 404
    assert client.post(reverse("proposals:edit", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("proposals:assignment-action", args=[assignment.pk, "decide-return"]),
                       {"decision": "accept"}).status_code == 404
    registered = proposal_of(city, "市里已立案的提案")
    client.post(reverse("proposals:bulk-assign"), {"proposals": [registered.pk], "department": placeless.pk})
    assert not registered.assignments.exists()
    client.post(f"/admin/proposals/proposal/{theirs.pk}/change/", {"title": "改了"})
    theirs.refresh_from_db()
    assignment.refresh_from_db()
    assert theirs.status == Proposal.Status.SUBMITTED and theirs.title == "市里的提案"
    assert assignment.status == "assigned" and assignment.return_requested_on is not None

    own = proposal_of(province, "省里的提案", status="submitted")
    client.post(reverse("proposals:action", args=[own.pk, "register"]))
    own.refresh_from_db()
    assert own.status == Proposal.Status.REGISTERED


def test_reading_below_reaches_only_the_same_body_under_the_own_place(province, city):
    npc_city = Committee.objects.create(name="长春市人大常委会", body=Committee.Body.NPC, region=city.region)
    elsewhere = Committee.objects.create(
        name="北京市政协", region=Region.objects.create(name="北京市", level=Region.Level.PROVINCE))
    reader = account(User.Role.SUPERVISOR, province, reads_lower_committees=True)
    assert set(Committee.objects.readable_by(reader)) == {province, city}
    assert set(Committee.objects.worked_by(reader)) == {province}
    titles = {p.title for p in [proposal_of(c, c.name) for c in (province, city, npc_city, elsewhere)]}
    assert {p.title for p in Proposal.objects.visible_to(reader)} == {"吉林省政协", "长春市政协"} < titles


def test_a_one_committee_account_sees_only_its_committee_and_an_all_committee_supervisor_sees_both(
        client, province, city):
    proposal_of(province, "省政协提案")
    proposal_of(city, "市政协提案")
    expected = {(account(User.Role.STAFF, city).pk): {"市政协提案"},
                (account(User.Role.SUPERVISOR, province).pk): {"省政协提案"},
                (account(User.Role.SUPERVISOR, all_committees=True).pk): {"省政协提案", "市政协提案"}}
    for pk, titles in expected.items():
        client.force_login(User.objects.get(pk=pk))
        listed = {p.title for p in client.get(reverse("proposals:list")).context["proposals"]}
        assert listed == titles


def test_the_committee_filter_is_offered_only_to_an_account_reading_several(client, province, city):
    proposal_of(province, "省政协提案")
    proposal_of(city, "市政协提案")
    client.force_login(account(User.Role.STAFF, province))
    assert "committee" not in client.get(reverse("proposals:list")).context["filter"].form.fields
    client.force_login(account(User.Role.SUPERVISOR, all_committees=True))
    response = client.get(reverse("proposals:list"), {"committee": city.pk})
    assert "committee" in response.context["filter"].form.fields
    assert [p.title for p in response.context["proposals"]] == ["市政协提案"]


def test_department_choices_follow_the_committees_place(province, city):
    provincial = DepartmentFactory(name="吉林省科技厅", region=province.region)
    municipal = DepartmentFactory(name="长春市科技局", region=city.region)
    placeless = DepartmentFactory(name="无行政区的单位", region=None)
    theirs = proposal_of(city, "市政协提案", status="registered")
    assert set(AssignForm(proposal=theirs).fields["department"].queryset) == {municipal, placeless}
    with pytest.raises(ValidationError):
        services.assignment_create(proposal=theirs, department=provincial)
    assert services.assignment_create(proposal=theirs, department=municipal).department == municipal


def test_session_and_member_choices_are_the_worked_committees(province, city):
    SessionFactory(committee=province, name="省届次")
    SessionFactory(committee=city, name="市届次")
    Member.objects.create(name="省委员", committee=province)
    Member.objects.create(name="市委员", committee=city)
    Member.objects.create(name="民盟", kind=Member.Kind.PARTY)
    reader = account(User.Role.STAFF, province, reads_lower_committees=True)
    from proposals.selectors import member_choices

    assert {s.name for s in ProposalForm(user=reader).fields["session"].queryset} == {"省届次"}
    assert {name for name, _ in member_choices(user=reader)} == {"省委员", "民盟"}
    resolved = services.members_resolve(entries=[("市委员", Member.Kind.PERSON)], committee=province)
    assert resolved[0].committee == province and resolved[0].name == "市委员"
    assert Member.objects.filter(name="市委员").count() == 2


def test_the_dashboard_and_the_report_count_only_the_committee_of_a_one_committee_account(client, province, city):
    department = DepartmentFactory(region=None)
    for committee, count in ((province, 2), (city, 3)):
        for n in range(count):
            AssignmentFactory(proposal=proposal_of(committee, f"{committee.short_name}{n}", status="assigned"),
                              department=department)
    today = timezone.localdate()
    city_staff, everyone = account(User.Role.STAFF, city), account(User.Role.SUPERVISOR, all_committees=True)
    assert [row["assigned"] for row in department_dashboard(user=city_staff, today=today)] == [3]
    assert [row["assigned"] for row in department_dashboard(user=everyone, today=today)] == [5]
    for user, assigned, received in ((city_staff, 3, 3), (everyone, 5, 5), (account(User.Role.STAFF, province), 2, 2)):
        client.force_login(user)  # the cached dashboard is kept per set of committees read
        assert client.get(reverse("proposals:dashboard")).context["totals"]["assigned"] == assigned
        report = client.get(reverse("proposals:report")).context["report"]
        assert report["totals"]["assigned"] == assigned and report["received"] == received


def test_similar_proposals_come_only_from_the_committees_read(province, city):
    from proposals.similarity import similar_proposals

    proposal_of(province, "关于加快黑土地保护的建议")
    proposal_of(city, "关于黑土地保护立法的建议")
    found = similar_proposals(user=account(User.Role.STAFF, city), title="黑土地保护")
    assert [s.proposal.title for s in found] == ["关于黑土地保护立法的建议"]


def test_an_unmatched_import_belongs_to_the_committees_of_whoever_imported_it(province, city):
    importer = account(User.Role.STAFF, city)
    imported = Reply.objects.create(assignment=None, uploaded_by=importer, parse_status="parsed")
    assert list(Reply.objects.visible_to(account(User.Role.SUPERVISOR, city))) == [imported]
    assert list(Reply.objects.workable_by(importer)) == [imported]
    assert not Reply.objects.visible_to(account(User.Role.STAFF, province)).exists()


def test_the_daily_digest_tells_each_office_account_of_its_own_committees_only(settings, province, city):
    from datetime import timedelta

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    yesterday = timezone.localdate() - timedelta(days=1)
    for committee in (province, city):
        AssignmentFactory(proposal=proposal_of(committee, f"{committee.name}逾期", status="assigned"),
                          due_on=yesterday, department=DepartmentFactory(region=None))
    for committee in (province, city):
        User.objects.filter(pk=account(User.Role.STAFF, committee).pk).update(email=f"{committee.pk}@example.org")
    services.reminders_send()
    digests = {m.to[0]: m.body for m in mail.outbox if "汇总" in m.subject}
    assert "长春市政协逾期" in digests[f"{city.pk}@example.org"]
    assert "吉林省政协逾期" not in digests[f"{city.pk}@example.org"]
    assert "吉林省政协逾期" in digests[f"{province.pk}@example.org"]


def test_a_department_sees_the_assignments_of_every_committee_that_assigns_to_it(province, city):
    department = Department.objects.create(name="长春市财政局", region=city.region)
    user = services.user_create(username="dept", password="pw", role=User.Role.DEPARTMENT, department=department)
    mine = [AssignmentFactory(department=department, proposal=proposal_of(c, c.name)) for c in (province, city)]
    assert set(Assignment.objects.visible_to(user)) == set(mine)
    assert {p.title for p in Proposal.objects.visible_to(user)} == {"吉林省政协", "长春市政协"}


def user_admin(user, action="change"):
    return reverse(f"admin:proposals_user_{action}", args=[user.pk] if action != "add" else [])


@pytest.fixture
def accounts_of_both(province, city):
    """Each committee's office, a department only it assigns to with its user, and a member account of each."""
    def department_user(committee):
        department = DepartmentFactory(name=f"{committee.name}的单位", region=committee.region)
        return DepartmentUserFactory(username=f"dept-{committee.short_name}", department=department)

    return {committee: {"staff": account(User.Role.STAFF, committee),
                        "department": department_user(committee),
                        "member": MemberUserFactory(username=f"member-{committee.short_name}",
                                                    member__committee=committee)}
            for committee in (province, city)}


def test_a_one_committee_account_lists_opens_and_changes_only_the_users_of_its_committee(
        client, province, city, accounts_of_both):
    ours, theirs = accounts_of_both[city], accounts_of_both[province]
    client.force_login(ours["staff"])
    listed = {u.username for u in client.get(reverse("admin:proposals_user_changelist")).context["cl"].result_list}
    assert listed == {u.username for u in ours.values()}
    for user in theirs.values():
        assert client.get(user_admin(user)).status_code == 302  # "does not exist", back to the admin index
        assert client.get(reverse("admin:auth_user_password_change", args=[user.pk])).status_code == 404
        client.post(user_admin(user), {"username": "taken-over", "role": user.role, "is_active": ""})
        client.post(reverse("admin:auth_user_password_change", args=[user.pk]),
                    {"password1": "Another-pass-2024", "password2": "Another-pass-2024"})
        user.refresh_from_db()
        assert user.username != "taken-over" and user.is_active and user.check_password("pw")

    page = client.get(user_admin(ours["member"]))
    response = client.post(user_admin(ours["member"]), {**form_data(page), "first_name": "改名", "is_active": ""})
    assert response.status_code == 302, response.context["adminform"].form.errors
    ours["member"].refresh_from_db()
    assert ours["member"].first_name == "改名" and not ours["member"].is_active


def test_a_one_committee_account_cannot_grant_itself_all_committees_superuser_or_another_committee(
        client, province, city):
    staff = account(User.Role.STAFF, city)
    client.force_login(staff)
    page = client.get(user_admin(staff))
    assert set(page.context["adminform"].form.fields["committees"].queryset) == {city}
    from django.contrib.auth.models import Group, Permission

    escalation = {"all_committees": "on", "is_superuser": "on", "reads_lower_committees": "on",
                  "groups": [g.pk for g in Group.objects.all()],
                  "user_permissions": [Permission.objects.get(codename="change_user").pk]}
    response = client.post(user_admin(staff), {**form_data(page), **escalation, "first_name": "市政协办"})
    assert response.status_code == 302
    refused = client.post(user_admin(staff), {**form_data(page), "committees": [city.pk, province.pk]})
    assert refused.status_code == 200 and "committees" in refused.context["adminform"].form.errors

    staff.refresh_from_db()
    assert staff.first_name == "市政协办"  # the fields it may change still change
    assert not (staff.all_committees or staff.is_superuser or staff.reads_lower_committees)
    assert list(staff.committees.all()) == [city] and not staff.user_permissions.exists()
    assert list(staff.groups.values_list("name", flat=True)) == ["提案办工作人员"]
    assert list(Committee.objects.worked_by(staff)) == [city]


def test_a_user_added_by_a_one_committee_account_stays_within_its_committee(client, province, city):
    client.force_login(account(User.Role.STAFF, city))
    new = {"username": "new-staff", "usable_password": "true", "password1": "Long-enough-2024",
           "password2": "Long-enough-2024", "role": User.Role.STAFF, "all_committees": "on", "is_superuser": "on"}
    refused = client.post(user_admin(None, "add"), {**new, "committees": [province.pk]})
    assert refused.status_code == 200 and not User.objects.filter(username="new-staff").exists()
    outside = DepartmentFactory(name="省里的单位", region=province.region)
    refused = client.post(user_admin(None, "add"), {**new, "role": User.Role.DEPARTMENT, "department": outside.pk})
    assert refused.status_code == 200 and not User.objects.filter(username="new-staff").exists()

    assert client.post(user_admin(None, "add"), {**new, "committees": [city.pk]}).status_code == 302
    added = User.objects.get(username="new-staff")
    assert list(added.committees.all()) == [city] and not (added.all_committees or added.is_superuser)


def test_an_all_committee_account_keeps_the_whole_user_admin(client, province, city, accounts_of_both):
    client.force_login(account(User.Role.STAFF, all_committees=True))
    listed = client.get(reverse("admin:proposals_user_changelist")).context["cl"].result_list
    assert {u.username for u in accounts_of_both[province].values()} <= {u.username for u in listed}
    staff = accounts_of_both[province]["staff"]
    page = client.get(user_admin(staff))
    client.post(user_admin(staff), {**form_data(page), "all_committees": "on", "committees": [province.pk, city.pk]})
    staff.refresh_from_db()
    assert staff.all_committees and staff.committees.count() == 2


def test_the_accounts_a_one_committee_account_sees_and_changes(province, city):
    staff = account(User.Role.STAFF, city)
    placeless = DepartmentUserFactory(username="placeless", department=DepartmentFactory(region=None))
    of_the_city = DepartmentUserFactory(username="city-dept", department=DepartmentFactory(region=city.region))
    reader = account(User.Role.SUPERVISOR, city, reads_lower_committees=True)
    everyone = account(User.Role.STAFF, all_committees=True)
    others = [account(User.Role.SUPERVISOR, city, province), everyone, reader,
              account(User.Role.SUPERVISOR), MemberUserFactory(member__committee=None),
              UserFactory(username="root", is_superuser=True, all_committees=False),
              DepartmentUserFactory(department=DepartmentFactory(region=province.region))]
    assert set(User.objects.workable_by(staff)) == {staff, of_the_city}
    assert set(User.objects.visible_to(staff)) == {staff, of_the_city, placeless}
    assert reader in User.objects.workable_by(reader)  # reading below, it may change one that does
    assert not set(others) & set(User.objects.visible_to(staff))
    assert set(User.objects.workable_by(everyone)) >= set(others)

    Committee.objects.create(name="长春市人大常委会", body=Committee.Body.NPC, region=city.region)
    assert set(User.objects.workable_by(staff)) == {staff}  # the city's departments serve the city's 人大 too
    assert of_the_city in User.objects.visible_to(staff)


def test_a_one_committee_account_changes_only_its_own_committee_and_the_departments_serving_it(
        client, province, city):
    provincial = DepartmentFactory(name="吉林省科技厅", region=province.region)
    municipal = DepartmentFactory(name="长春市科技局", region=city.region)
    reader = account(User.Role.STAFF, province, reads_lower_committees=True)
    client.force_login(account(User.Role.STAFF, city))
    for model, obj in (("committee", province), ("department", provincial)):
        url = reverse(f"admin:proposals_{model}_change", args=[obj.pk])
        assert client.get(url).status_code == 302
        client.post(url, {"name": "改了", "short_name": "改了", "body": city.body, "region": city.region_id})
    assert client.get(reverse("admin:proposals_committee_add")).status_code == 403
    assert client.get(reverse("admin:proposals_region_add")).status_code == 403
    assert client.post(reverse("admin:proposals_region_change", args=[city.region_id]),
                       {"name": "改了", "level": "city"}).status_code == 403
    url = reverse("admin:proposals_committee_change", args=[city.pk])
    client.post(url, {**form_data(client.get(url)), "short_name": "长春政协", "region": province.region_id})
    url = reverse("admin:proposals_department_change", args=[municipal.pk])
    page = client.get(url)
    assert set(page.context["adminform"].form.fields["region"].queryset) == {city.region}
    client.post(url, {**form_data(page), "short_name": "市科技局"})

    client.force_login(reader)  # reads the city's committee and departments, changes neither
    for model, obj in (("committee", city), ("department", municipal)):
        page = client.get(reverse(f"admin:proposals_{model}_change", args=[obj.pk]))
        assert page.status_code == 200 and not page.context["has_change_permission"]
        client.post(reverse(f"admin:proposals_{model}_change", args=[obj.pk]), {"name": "省里改了"})

    for obj in (province, provincial, city, municipal):
        obj.refresh_from_db()
    assert (province.name, provincial.name) == ("吉林省政协", "吉林省科技厅")
    assert (city.name, city.short_name, city.region.name) == ("长春市政协", "长春政协", "长春市")
    assert (municipal.name, municipal.short_name) == ("长春市科技局", "市科技局")


def test_a_one_committee_account_adds_nothing_to_another_committee_in_the_admin(client, province, city):
    client.force_login(account(User.Role.STAFF, city))
    response = client.post(reverse("admin:proposals_session_add"), {
        "committee": province.pk, "name": "混进来的届次", "year": 2024, "opened_on": "2024-01-10",
        "deadline_unit": "month", "plenary_months": 3, "interim_months": 3, "hard_cap_months": 6,
        "co_opinion_months": 1})
    assert response.status_code == 200 and "committee" in response.context["adminform"].form.errors
    assert not province.sessions.exists()


def test_the_admins_sidebar_filters_offer_only_the_committees_own_sessions_and_departments(client, province, city):
    for committee in (province, city):
        for n in (1, 2):  # a filter shows from two choices on
            department = DepartmentFactory(name=f"{committee.short_name}的第{n}单位", region=committee.region)
            session = SessionFactory(committee=committee, name=f"{committee.short_name}第{n}届次")
            ReleasedReplyFactory(assignment=AssignmentFactory(proposal__session=session, department=department))
    npc = Committee.objects.create(name="长春市人大常委会", short_name="市人大", body=Committee.Body.NPC,
                                   region=city.region)
    SessionFactory(committee=npc, name="市人大届次")
    client.force_login(account(User.Role.STAFF, city, npc))
    for path, filtered in (("proposals/proposal", "session"), ("proposals/assignment", "department"),
                           ("proposals/assignment", "proposal__session"), ("proposals/session", "committee"),
                           ("replies/reply", "assignment__department")):
        specs = client.get(f"/admin/{path}/").context["cl"].filter_specs
        offered = next(" ".join(title for _, title in spec.lookup_choices) for spec in specs
                       if spec.field_path == filtered)
        assert "省" not in offered, (path, filtered, offered)
        assert "市" in offered, (path, filtered, offered)


def test_the_lock_page_shows_and_lifts_only_the_locks_of_the_committees_accounts(client, settings, province, city):
    settings.AXES_FAILURE_LIMIT = 3
    ours, theirs = account(User.Role.STAFF, city), account(User.Role.STAFF, province)
    for username in (ours.username, theirs.username, "nobody-known"):
        for _ in range(4):
            client.post(reverse("login"), {"username": username, "password": "wrong"}, REMOTE_ADDR="10.1.1.1")
    from proposals.lockouts import account_lock_list

    client.force_login(ours)
    assert [lock.username for lock in client.get(reverse("account-locks")).context["locks"]] == [ours.username]
    for username in (theirs.username, "nobody-known"):
        client.post(reverse("account-locks"), {"username": username})
    assert {lock.username for lock in account_lock_list()} == {ours.username, theirs.username, "nobody-known"}

    client.force_login(account(User.Role.STAFF, all_committees=True))
    listed = {lock.username for lock in client.get(reverse("account-locks")).context["locks"]}
    assert listed == {ours.username, theirs.username, "nobody-known"}
    client.post(reverse("account-locks"), {"username": "nobody-known"})
    assert {lock.username for lock in account_lock_list()} == {ours.username, theirs.username}


def test_the_notification_admin_shows_a_one_committee_account_only_its_committees_notifications(
        client, province, city, accounts_of_both):
    from proposals.models import Notification

    for committee, accounts in accounts_of_both.items():
        Notification.objects.create(user=accounts["member"], kind=Notification.Kind.REGISTERED,
                                    proposal=proposal_of(committee, f"{committee.name}的提案"),
                                    message=f"{committee.name}的提案已立案")
    client.force_login(accounts_of_both[city]["staff"])
    listed = client.get(reverse("admin:proposals_notification_changelist")).context["cl"].result_list
    assert [n.message for n in listed] == ["长春市政协的提案已立案"]


def test_an_account_added_or_changed_in_the_admin_gets_what_its_role_gives(client, province):
    """Its role's group (the model permissions of the admin) and admin access for staff and supervisors, however
    the form's groups and is_staff were set; a new role replaces the old role's group."""
    from django.contrib.auth.models import Group

    client.force_login(account(User.Role.STAFF, all_committees=True))
    response = client.post(reverse("admin:proposals_user_add"), {
        "username": "newstaff", "password1": "a-Long-pass-2026", "password2": "a-Long-pass-2026",
        "role": User.Role.STAFF, "committees": [province.pk], "usable_password": "true"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    added = User.objects.get(username="newstaff")
    assert added.is_staff and list(added.groups.values_list("name", flat=True)) == ["提案办工作人员"]
    added.role = User.Role.SUPERVISOR
    added.save()
    page = client.get(reverse("admin:proposals_user_change", args=[added.pk]))
    data = form_data(page)
    data["groups"] = [str(Group.objects.get(name="提案办工作人员").pk)]
    response = client.post(reverse("admin:proposals_user_change", args=[added.pk]), data)
    assert response.status_code == 302
    added.refresh_from_db()
    assert added.is_staff and list(added.groups.values_list("name", flat=True)) == ["督办人员"]
