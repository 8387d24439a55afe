"""Staff see earlier proposals on the same matter while they register one, and find a promise inside the replies,
opening the review page at its sentence."""

import pytest

from indicators.models import Commitment
from proposals.models import User
from proposals.services import user_create
from tests.factories import ProposalFactory, ReleasedReplyFactory, SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = "关于加强黑土地保护的答复\n一、我省已建立黑土地保护长效机制。二、下一步，我们将推广保护性耕作，力争2025年实施面积达到3000万亩。"


@pytest.fixture
def clerk():
    user_create(username="clerk", password="clerk-pass-2026", role=User.Role.STAFF,
                all_committees=True, first_name="张干事")


def test_the_registration_form_shows_similar_earlier_proposals_as_the_title_is_typed(page, clerk, log_in,
                                                                                    both_widths):
    earlier = ProposalFactory(session=SessionFactory(year=2020), title="关于加强黑土地保护的建议")
    SessionFactory(year=2024)
    log_in(page, "clerk", "clerk-pass-2026")
    page.goto("/proposals/new/")
    page.fill("#id_title", "关于切实保护好黑土地这一耕地中的大熊猫的提案")
    page.press("#id_title", "Tab")

    item = page.locator("[data-testid=similar-item]").first
    item.wait_for()
    assert earlier.title in item.text_content()
    page.locator("#similar-proposals").scroll_into_view_if_needed()
    both_widths(page, "similar-proposals-form")


def test_a_search_hit_opens_the_review_page_with_its_sentence_marked(page, clerk, log_in, both_widths):
    reply = ReleasedReplyFactory(text=TEXT, assignment__proposal__title="关于加强黑土地保护的建议")
    start = TEXT.index("二、")
    Commitment.objects.create(reply=reply, start=start, end=len(TEXT), text=TEXT[start:])
    log_in(page, "clerk", "clerk-pass-2026")
    page.goto("/replies/search/?q=保护性耕作")
    hit = page.locator("[data-testid=hit-sentence]")
    assert hit.count() == 1 and hit.locator("mark.hit").text_content() == "保护性耕作"
    both_widths(page, "reply-search")

    hit.click()
    page.wait_for_url(f"**/replies/{reply.pk}/?start={start}&end={len(TEXT)}#t-c-*")
    assert page.locator("mark.hl-focus").first.text_content().startswith("二、下一步")
    both_widths(page, "reply-search-opened")


def test_the_list_search_box_finds_every_term_in_titles_names_and_reply_words(page, clerk, log_in, both_widths):
    from tests.factories import MemberFactory

    ProposalFactory(number=1, title="关于推进科技创新的建议")
    ProposalFactory(number=2, title="关于科技馆建设的建议", proposers=[MemberFactory(name="王建国")])
    ReleasedReplyFactory(text=TEXT, assignment__proposal__number=3, assignment__proposal__title="关于耕地的建议")
    log_in(page, "clerk", "clerk-pass-2026")
    for query, titles in (("科技 创新", ["关于推进科技创新的建议"]), ("建国", ["关于科技馆建设的建议"]),
                          ("耕作", ["关于耕地的建议"])):
        page.goto("/proposals/")
        page.fill("input[name=q]", query)
        with page.expect_navigation():
            page.press("input[name=q]", "Enter")
        assert [t for t in titles if t in page.locator("main").text_content()] == titles
        assert page.get_by_test_id("count").text_content().startswith(f"{len(titles)} ")
    both_widths(page, "list-search")
