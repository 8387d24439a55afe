from datetime import date

import factory
from django.utils import timezone

from proposals.deadlines import compute_deadlines
from proposals.models import Assignment, Committee, Department, Member, Proposal, Proposer, Region, Session, User
from replies.models import Feedback, Reply


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["name"]

    name = "吉林省"
    level = Region.Level.PROVINCE


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee
        django_get_or_create = ["name"]

    name = "吉林省政协"
    short_name = "省政协"
    region = factory.SubFactory(RegionFactory)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"十二届{n + 1}次会议")
    year = 2022
    opened_on = date(2022, 1, 16)
    plenary_months = 3
    interim_months = 3
    hard_cap_months = 6
    co_opinion_months = 1


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    name = factory.Sequence(lambda n: f"委员{n}")
    sector = "科学技术界"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"吉林省第{n}厅")
    short_name = factory.Sequence(lambda n: f"第{n}厅")
    doc_prefixes = factory.Sequence(lambda n: [f"吉{n}发"])


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal
        skip_postgeneration_save = True

    session = factory.SubFactory(SessionFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"关于第{n}项工作的建议")
    submitted_on = date(2022, 1, 16)
    status = Proposal.Status.REGISTERED

    @factory.post_generation
    def proposers(self, create, extracted, **kwargs):
        if not create:
            return
        for position, member in enumerate(extracted or [MemberFactory()], start=1):
            Proposer.objects.create(proposal=self, member=member, position=position)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    proposal = factory.SubFactory(ProposalFactory, status=Proposal.Status.ASSIGNED)
    department = factory.SubFactory(DepartmentFactory)
    role = Assignment.Role.LEAD
    assigned_on = date(2022, 4, 1)
    due_on = factory.LazyAttribute(lambda a: compute_deadlines(
        session=a.proposal.session, made_at=a.proposal.made_at, role=a.role, assigned_on=a.assigned_on).due_on)
    hard_due_on = factory.LazyAttribute(lambda a: compute_deadlines(
        session=a.proposal.session, made_at=a.proposal.made_at, role=a.role,
        assigned_on=a.assigned_on).hard_due_on)


class ReplyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reply

    assignment = factory.SubFactory(AssignmentFactory, status=Assignment.Status.REPLIED)
    version = 1
    doc_number = factory.Sequence(lambda n: f"吉科发〔2022〕{n + 1}号")
    reply_date = date(2022, 7, 6)
    submitted_at = factory.LazyFunction(timezone.now)


class ReleasedReplyFactory(ReplyFactory):
    released_at = factory.LazyFunction(timezone.now)


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    reply = factory.SubFactory(ReleasedReplyFactory)
    member = factory.LazyAttribute(lambda f: f.reply.assignment.proposal.proposer_links.first().member)
    rating = Feedback.Rating.SATISFIED


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = User.Role.STAFF
    # a one-committee deployment's office and supervisors: every committee; tests of scoping give committees instead
    all_committees = factory.LazyAttribute(lambda user: user.role in (User.Role.STAFF, User.Role.SUPERVISOR))
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def saved(self, create, extracted, **kwargs):
        if create:
            self.save()


class DepartmentUserFactory(UserFactory):
    role = User.Role.DEPARTMENT
    department = factory.SubFactory(DepartmentFactory)


class MemberUserFactory(UserFactory):
    """A member account acting for its own new member (委员)."""

    role = User.Role.MEMBER
    member = factory.SubFactory(MemberFactory)
