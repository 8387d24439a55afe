import pytest
from django.urls import reverse

from indicators.models import Commitment
from replies.search import reply_search
from tests.factories import DepartmentUserFactory, ReleasedReplyFactory

pytestmark = pytest.mark.django_db

TEXT = ("关于加强黑土地保护的答复\n经认真研究，现答复如下：一、我省已建立黑土地保护长效机制。"
        "二、下一步，我们将推广保护性耕作，力争2025年实施面积达到3000万亩。三、其他工作。")


def released_reply(**kwargs):
    reply = ReleasedReplyFactory(text=TEXT, **kwargs)
    start = TEXT.index("下一步")
    end = TEXT.index("。", start) + 1
    commitment = Commitment.objects.create(reply=reply, start=start, end=end, text=TEXT[start:end])
    return reply, commitment


def test_search_finds_the_sentence_with_every_word_highlighted(staff_user):
    reply, commitment = released_reply()

    [hit] = reply_search(user=staff_user, query="保护性耕作 面积")

    assert hit.reply == reply
    [sentence] = hit.sentences
    assert TEXT[sentence.start:sentence.end].startswith("二、下一步")
    assert sentence.commitment_id == commitment.pk
    assert '<mark class="hit">保护性耕作</mark>' in sentence.html and '<mark class="hit">面积</mark>' in sentence.html


def test_a_part_of_a_word_finds_it(staff_user):
    released_reply()

    assert reply_search(user=staff_user, query="土地保护")


def test_replies_without_every_word_are_not_found(staff_user):
    released_reply()

    assert reply_search(user=staff_user, query="黑土地 老旧小区") == []


def test_search_sees_only_the_replies_the_user_may_see():
    reply, _ = released_reply()
    released_reply()
    user = DepartmentUserFactory(department=reply.assignment.department)

    assert [hit.reply for hit in reply_search(user=user, query="黑土地")] == [reply]


def test_filters_by_year_department_and_category(staff_user):
    reply, _ = released_reply(assignment__proposal__category="agriculture")
    released_reply(assignment__proposal__category="economy")

    by_category = reply_search(user=staff_user, query="黑土地", category="agriculture")
    by_department = reply_search(user=staff_user, query="黑土地", department=reply.assignment.department_id)
    by_year = reply_search(user=staff_user, query="黑土地", year=reply.assignment.proposal.session.year + 1)

    assert [h.reply for h in by_category] == [reply] == [h.reply for h in by_department]
    assert by_year == []


def test_commitments_only_keeps_sentences_inside_a_commitment(staff_user):
    released_reply()

    [hit] = reply_search(user=staff_user, query="黑土地", commitments_only=True)

    assert hit.sentences == []
    [hit] = reply_search(user=staff_user, query="耕作", commitments_only=True)
    assert [s.commitment_id is not None for s in hit.sentences] == [True]


def test_search_page_links_each_sentence_to_its_span_on_the_review_page(client, staff_user):
    reply, commitment = released_reply()
    client.force_login(staff_user)

    page = client.get(reverse("replies:search"), {"q": "长效机制"}).content.decode()

    start = TEXT.index("一、")
    end = TEXT.index("。", start) + 1
    assert f'{reverse("replies:detail", args=[reply.pk])}?start={start}&amp;end={end}#t-focus' in page
    assert '<mark class="hit">长效机制</mark>' in page


def test_search_page_says_what_is_wrong_with_a_bad_year(client, staff_user):
    client.force_login(staff_user)

    page = client.get(reverse("replies:search"), {"q": "黑土地", "year": "二〇二二"}).content.decode()

    assert "年度" in page and 'role="alert"' in page


def test_a_co_handler_finds_the_lead_reply_of_its_proposal_but_not_after_returning_it():
    from tests.factories import AssignmentFactory

    lead_reply, _ = released_reply()
    other_reply, _ = released_reply()
    co = AssignmentFactory(proposal=lead_reply.assignment.proposal, role="co")
    returned = AssignmentFactory(proposal=other_reply.assignment.proposal, role="co", department=co.department,
                                 status="returned", return_reason="不属于本单位职责")
    user = DepartmentUserFactory(department=co.department)

    assert returned.department == co.department
    assert [hit.reply for hit in reply_search(user=user, query="黑土地")] == [lead_reply]
