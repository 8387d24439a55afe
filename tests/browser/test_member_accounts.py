"""Staff open member accounts from the member list (the initial password is shown once) and deactivate them; a
member signs in with it and sees only the member's menu."""

import pytest

from proposals.models import User
from proposals.services import user_create
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_open_accounts_in_bulk_and_one_by_one_then_a_member_signs_in_and_is_deactivated(
        page, log_in, both_widths):
    user_create(username="clerk", password="clerk-pass-2026", role=User.Role.STAFF,
                all_committees=True, first_name="张干事")
    li, chen, party = (MemberFactory(name="李秀玉"), MemberFactory(name="陈晓梅"),
                       MemberFactory(name="民进吉林省委", kind="party"))
    log_in(page, "clerk", "clerk-pass-2026")
    page.click("header nav a:has-text('委员账号')")
    both_widths(page, "member-accounts-list")
    page.check(f"input[name=member][value='{chen.pk}']")
    page.check(f"input[name=member][value='{party.pk}']")
    page.click("[data-testid=bulk-open]")
    page.wait_for_selector("[data-testid=opened-accounts]")
    both_widths(page, "member-accounts-opened")
    assert page.locator("[data-testid=opened-username]").count() == 2
    page.goto("/proposals/members/")
    row = page.locator("[data-testid=member-row]", has_text="李秀玉")
    row.locator("input[name=username]").fill("lixiuyu")
    row.locator("form.open-one button").click()
    page.wait_for_selector("[data-testid=opened-accounts]")
    password = page.text_content("[data-testid=opened-password]").strip()
    assert len(password) == 12 and User.objects.get(username="lixiuyu").member == li
    page.goto("/proposals/members/")  # the password is not shown again
    assert password not in page.content()

    log_in(page, "lixiuyu", password)
    assert page.url.endswith("/my/")
    menu = page.text_content("header nav")
    assert "我的提案" in menu and "督办统计" not in menu and "待办" not in menu
    assert page.goto("/proposals/").status == 404
    both_widths(page, "member-home-menu")

    log_in(page, "clerk", "clerk-pass-2026")
    page.goto("/proposals/members/")
    page.locator("[data-testid=member-row]", has_text="李秀玉").locator("button:has-text('停用')").click()
    page.wait_for_selector(".messages >> text=已停用账号 lixiuyu")
    log_in(page, "lixiuyu", password)
    assert "/accounts/login/" in page.url
