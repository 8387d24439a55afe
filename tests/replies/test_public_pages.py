"""The public pages, requested by an anonymous visitor against a database where most replies are not public: only
公开 replies show, with nothing from the internal system and nothing redacted."""

import re

import pypdfium2 as pdfium
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from replies.services import redactions_propose, redactions_review_all, reply_mark_not_public, reply_publish
from tests.factories import CommitteeFactory, MemberFactory, ReleasedReplyFactory, ReplyFactory
from tests.test_isolation import named_patterns

pytestmark = pytest.mark.django_db

PUBLIC_LINES = ["关于加快高新技术产业的建议的答复", "我厅投入专项资金支持科技企业孵化器建设。", "联系人：张三",
                "联系电话：13812345678"]
REDACTED = ["张三", "13812345678"]


@pytest.fixture
def world(media_root, staff_user):
    from tests.pdfs import text_pdf

    published = ReleasedReplyFactory(
        assignment__proposal__title="关于加快高新技术产业的建议", assignment__proposal__category="science",
        text="\n".join(PUBLIC_LINES), doc_number="吉科发〔2022〕108号",
        file=ContentFile(text_pdf([PUBLIC_LINES]), name="r.pdf"))
    proposer = published.assignment.proposal.proposer_links.first().member
    proposer.phone = "13999990000"
    proposer.save()
    redactions_propose(reply=published, by=staff_user)
    redactions_review_all(reply=published, accept=True, by=staff_user)
    published = reply_publish(reply=published, by=staff_user)

    hidden = [
        ReleasedReplyFactory(assignment__proposal__title="未决定公开的提案", text="未决定公开的答复正文"),
        ReleasedReplyFactory(assignment__proposal__title="决定不公开的提案", text="决定不公开的答复正文"),
        ReplyFactory(assignment__proposal__title="尚未发布的提案", text="尚未发布的答复正文"),
        ReplyFactory(assignment__proposal__title="撤回的提案", text="撤回的答复正文", submitted_at=None,
                     withdrawn_at=timezone.now(), withdraw_reason="传错"),
        ReleasedReplyFactory(assignment__proposal__title="撤下公开的提案", text="撤下公开的答复正文"),
    ]
    reply_mark_not_public(reply=hidden[1], reason="涉及内部规划", by=staff_user)
    redactions_propose(reply=hidden[4], by=staff_user)
    reply_publish(reply=hidden[4], by=staff_user)
    reply_mark_not_public(reply=hidden[4], reason="公开后发现不宜公开", by=staff_user)
    return {"published": published, "hidden": hidden, "member_phone": proposer.phone,
            "member_name": MemberFactory._meta.model.objects.get(pk=proposer.pk).name}


def public_urls(world):
    """Every public URL, for every reply in the database, with every list filter tried."""
    published = world["published"]
    proposal = published.assignment.proposal
    replies = [published, *world["hidden"]]
    urls = {
        "public:list": [reverse("public:list"), f"{reverse('public:list')}?session={proposal.session_id}",
                        f"{reverse('public:list')}?committee={proposal.session.committee_id}",
                        f"{reverse('public:list')}?department={published.assignment.department_id}",
                        f"{reverse('public:list')}?category=science", f"{reverse('public:list')}?q=答复",
                        f"{reverse('public:list')}?page=2", f"{reverse('public:list')}?session=abc&page=x"],
        "public:detail": [reverse("public:detail", args=[r.pk]) for r in replies],
        "public:file": [reverse("public:file", args=[r.pk]) for r in replies],
    }
    assert set(urls) == {name for name, _ in named_patterns() if name.startswith("public:")}
    return urls


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_every_public_url_shows_only_the_public_reply_and_nothing_internal(client, world):
    published = world["published"]
    secrets = [*REDACTED, world["member_phone"], "涉及内部规划", "公开后发现不宜公开", "吉科发〔2022〕108号"]
    for reply in world["hidden"]:
        secrets += [reply.assignment.proposal.title, reply.text]
    for name, urls in public_urls(world).items():
        for url in urls:
            response = client.get(url)
            pk = response.resolver_match.kwargs.get("pk")
            if pk is not None and pk != published.pk:
                assert response.status_code == 404, url
                continue
            assert response.status_code == 200, url
            content = body(response)
            if name == "public:file":
                document = pdfium.PdfDocument(content)
                text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
                assert text.strip() == "", url  # image only
                continue
            page = content.decode()
            for secret in secrets:
                assert secret not in page, (url, secret)
            links = re.findall(r'(?:href|action|src)="([^"]*)"', page)
            assert links and all(link.startswith(("/public/", "/static/", "/i18n/", "?", "#")) for link in links), \
                (url, links)
            assert "退出" not in page


def test_the_public_list_and_page_show_title_departments_category_and_the_redacted_text(client, world):
    published = world["published"]
    listing = client.get(reverse("public:list")).content.decode()
    assert listing.count('data-testid="public-reply"') == 1
    assert "关于加快高新技术产业的建议" in listing and str(published.assignment.department) in listing
    page = client.get(reverse("public:detail", args=[published.pk])).content.decode()
    assert "科教文卫" in page and "我厅投入专项资金支持科技企业孵化器建设。" in page and "■■■■" in page
    assert reverse("public:file", args=[published.pk]) in page


def test_the_search_reads_the_redacted_text_so_a_redacted_string_finds_nothing(client, world):
    def found(q):
        return client.get(reverse("public:list"), {"q": q}).content.decode().count('data-testid="public-reply"')

    assert found("孵化器") == 1 and found("高新技术 建议") == 1
    assert found("13812345678") == 0 and found("张三") == 0
    assert found("未决定公开") == 0


def test_the_filters_narrow_the_list(client, world):
    published = world["published"]

    def count(**params):
        return client.get(reverse("public:list"), params).content.decode().count('data-testid="public-reply"')

    assert count(category="science") == 1 and count(category="economy") == 0
    assert count(department=published.assignment.department_id) == 1
    assert count(session=published.assignment.proposal.session_id) == 1
    committee = published.assignment.proposal.session.committee
    other = CommitteeFactory(name="吉林省人大常委会", short_name="省人大", body="npc")
    assert count(committee=committee.pk) == 1 and count(committee=other.pk) == 0


def test_the_public_list_is_paginated(client, world, staff_user):
    for number in range(21):
        reply = ReleasedReplyFactory(assignment__proposal__title=f"分页提案{number}", text="普通答复正文")
        redactions_propose(reply=reply, by=staff_user)
        reply_publish(reply=reply, by=staff_user)
    first = client.get(reverse("public:list")).content.decode()
    second = client.get(reverse("public:list"), {"page": 2}).content.decode()
    assert first.count('data-testid="public-reply"') == 20 and second.count('data-testid="public-reply"') == 2


def test_an_anonymous_visitor_opens_nothing_internal_of_a_public_reply(client, world):
    published = world["published"]
    for url in (reverse("replies:detail", args=[published.pk]), reverse("replies:file", args=[published.pk]),
                reverse("proposals:detail", args=[published.assignment.proposal_id]), reverse("proposals:list")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url
