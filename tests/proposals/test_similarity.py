import random

import pytest
from django.urls import reverse

from indicators.models import Commitment
from proposals.management.commands.generate_demo import CATEGORIES, TITLE_VERBS
from proposals.similarity import similar_proposal_ids, similar_proposals
from proposals.textsearch import matter_words
from tests.factories import (
    AssignmentFactory,
    DepartmentUserFactory,
    ProposalFactory,
    ReleasedReplyFactory,
    SessionFactory,
)

from .similar_pairs import PAIRS

pytestmark = pytest.mark.django_db


def unrelated_generated_titles(count: int) -> list[str]:
    """Titles as manage.py generate_demo writes them, from its topics that share no word with any pair: the
    generated topics repeat many pairs' matters (高新技术产业发展, 老旧小区改造), and a proposal on the same matter
    ranking first is right, not noise."""
    pair_words = {w for pair in PAIRS for title in pair for w in matter_words(title)}
    topics = [t for _, _, category_topics in CATEGORIES for t in category_topics if not pair_words & set(matter_words(t))]
    rng = random.Random(18)
    return [f"关于{rng.choice(TITLE_VERBS)}{rng.choice(['', '我省'])}{rng.choice(topics)}的建议" for _ in range(count)]


def test_the_earlier_proposal_of_a_pair_is_in_the_top_five_for_at_least_80_percent(staff_user):
    earlier_session, later_session = SessionFactory(name="十二届一次会议", year=2018), SessionFactory(year=2023)
    earlier, later = {}, {}
    for number, (first, second) in enumerate(PAIRS, start=1):
        earlier[first] = ProposalFactory(session=earlier_session, number=number, title=first).pk
        later[second] = ProposalFactory(session=later_session, number=number, title=second).pk
    for number, title in enumerate(unrelated_generated_titles(300), start=len(PAIRS) + 1):
        ProposalFactory(session=earlier_session, number=number, title=title)

    found = [earlier[first] in similar_proposal_ids(user=staff_user, title=second, exclude=later[second])
             for first, second in PAIRS]

    assert len(PAIRS) >= 30
    assert sum(found) / len(found) >= 0.8, [second for (_, second), hit in zip(PAIRS, found, strict=True) if not hit]


def test_similar_proposals_exclude_the_proposal_itself_and_rank_the_closest_first(staff_user):
    own = ProposalFactory(title="关于加强黑土地保护的建议")
    close = ProposalFactory(title="关于保护黑土地的提案")
    ProposalFactory(title="关于加快老旧小区改造的建议")

    ids = similar_proposal_ids(user=staff_user, title=own.title, exclude=own.pk)

    assert ids == [close.pk]


def test_body_words_count_when_the_titles_share_none(staff_user):
    match = ProposalFactory(title="关于加强耕地保护的建议", body="东北黑土地退化严重，建议推广保护性耕作和秸秆还田。")
    ProposalFactory(title="关于推进城市更新的建议", body="老旧小区改造滞后。")

    ids = similar_proposal_ids(user=staff_user, title="关于遏制黑土退化的提案", body="推广秸秆还田，保护性耕作。")

    assert ids[0] == match.pk


def test_a_department_user_is_shown_only_similar_proposals_assigned_to_it():
    mine = AssignmentFactory(proposal__title="关于加强黑土地保护的建议")
    AssignmentFactory(proposal__title="关于保护黑土地耕地的建议")
    user = DepartmentUserFactory(department=mine.department)

    assert similar_proposal_ids(user=user, title="关于黑土地保护的提案") == [mine.proposal_id]


def test_similar_proposal_shows_its_lead_department_released_reply_and_kept_commitments(staff_user):
    reply = ReleasedReplyFactory(assignment__proposal__title="关于加强黑土地保护的建议", text="一、保护黑土地。")
    for status in ("kept", "pending"):
        Commitment.objects.create(reply=reply, start=0, end=5, text="保护黑土地", follow_up_status=status)

    [entry] = similar_proposals(user=staff_user, title="关于黑土地保护的提案")

    assert entry.proposal == reply.assignment.proposal
    assert entry.lead_departments == [reply.assignment.department]
    assert entry.replies == [reply]
    assert (entry.commitments_kept, entry.commitments) == (1, 2)


def test_proposal_page_shows_similar_panel_with_merge_button_for_the_same_session(client, staff_user):
    session = SessionFactory()
    target = ProposalFactory(session=session, title="关于加强黑土地保护的建议")
    proposal = ProposalFactory(session=session, title="关于保护黑土地的提案", status="submitted")
    client.force_login(staff_user)

    page = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()

    assert 'data-testid="similar-proposals"' in page
    assert reverse("proposals:detail", args=[target.pk]) in page
    assert f'name="into" value="{target.pk}"' in page


def test_similar_panel_answers_for_a_title_being_typed(client, staff_user):
    target = ProposalFactory(title="关于加强黑土地保护的建议")
    client.force_login(staff_user)

    page = client.get(reverse("proposals:similar"), {"title": "关于保护黑土地的提案"}).content.decode()

    assert target.title in page
    assert client.get(reverse("proposals:similar"), {"title": "的"}).content.decode().count("similar-item") == 0
