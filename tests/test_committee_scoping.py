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
from tests.factories import (
    AssignmentFactory,
    CommitteeFactory,
    DepartmentFactory,
    ProposalFactory,
    RegionFactory,
    SessionFactory,
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
