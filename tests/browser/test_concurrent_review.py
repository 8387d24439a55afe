"""Two reviewers on one reply, in a real browser: the one whose page is out of date is told 已被他人修改 in the row,
with the current values, and nothing of the other's work is overwritten."""

from decimal import Decimal

import pytest

from indicators.models import Commitment, Indicator
from indicators.services import extracted_row_review, indicator_edit
from proposals.models import User
from proposals.services import user_create
from tests.factories import ReplyFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reviewer_with_an_out_of_date_page_is_refused_in_the_row(page, screenshot):
    user_create(username="clerk", password="clerk-pass-2026", role=User.Role.STAFF,
                all_committees=True, first_name="张干事")
    other = UserFactory(role=User.Role.STAFF, is_staff=True, first_name="李干事")
    reply = ReplyFactory(text="下一步，争取认定备案高新技术企业1000户以上。补助2978.4万元。")
    indicator = Indicator.objects.create(reply=reply, metric="补助", value=Decimal("2978.4"), unit="万元", start=27,
                                         end=35)
    commitment = Commitment.objects.create(reply=reply, text="下一步，争取认定备案高新技术企业1000户以上。", start=0,
                                           end=24)

    page.goto("/accounts/login/")
    page.fill("input[name=username]", "clerk")
    page.fill("input[name=password]", "clerk-pass-2026")
    page.click("button[type=submit]")
    page.wait_for_url("**/proposals/")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"/replies/{reply.pk}/")

    page.click(f"#row-i-{indicator.pk} [data-action=edit]")
    page.wait_for_selector(f"#row-i-{indicator.pk} input[name=value]")
    # meanwhile another reviewer corrects the same row, and rejects the commitment
    indicator_edit(indicator=Indicator.objects.get(pk=indicator.pk), by=other, value=Decimal("3000"), unit="万元",
                   year=2021, metric="R&D补助", qualifier="", is_target=False, version=1)
    extracted_row_review(row=Commitment.objects.get(pk=commitment.pk), by=other, accept=False, version=1)

    page.fill(f"#row-i-{indicator.pk} input[name=value]", "2978.5")
    page.click(f"#row-i-{indicator.pk} button[type=submit]")
    conflict = page.wait_for_selector(f"#row-i-{indicator.pk} [data-testid=row-conflict]")
    assert "已被他人修改" in page.text_content(f"#row-i-{indicator.pk}")
    assert "R&D补助 3000万元" in conflict.text_content() and "李干事" in conflict.text_content()
    assert page.input_value(f"#row-i-{indicator.pk} input[name=value]") == "2978.5"  # what was typed is kept

    page.click(f"#row-c-{commitment.pk} [data-action=accept]")
    page.wait_for_selector(f"#row-c-{commitment.pk} [data-testid=row-conflict]")
    assert "已驳回" in page.text_content(f"#row-c-{commitment.pk} .review-status")
    screenshot(page, "review-conflict")
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator(f"#row-i-{indicator.pk}").scroll_into_view_if_needed()
    screenshot(page, "review-conflict-phone")

    stored = Indicator.objects.get(pk=indicator.pk)
    assert (stored.value, stored.reviewed_by, stored.version) == (Decimal("3000"), other, 2)
    assert Commitment.objects.get(pk=commitment.pk).review_status == "rejected"
