"""A locked login says why and for how long; staff lift the lock from the app."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_locked_login_is_explained_and_staff_lift_it(page, settings, log_in, both_widths):
    settings.AXES_FAILURE_LIMIT = 3
    for username, role in (("clerk", "staff"), ("alice", "supervisor")):
        user = UserFactory(username=username, role=role)
        user.set_password(f"{username}-pass-2026")
        user.save()

    for _ in range(4):
        log_in(page, "alice", "wrong")
    assert "登录失败 3 次" in page.text_content("[data-testid=lock-reason]")
    assert "分钟后自动解除锁定" in page.text_content("[data-testid=lock-time-left]")
    both_widths(page, "login-locked")

    log_in(page, "clerk", "clerk-pass-2026")
    page.goto("/accounts/locks/")
    assert "alice" in page.text_content("[data-testid=lock-list]")
    both_widths(page, "login-lock-list")
    page.click("[data-testid=lock-list] button")
    page.wait_for_selector("[data-testid=no-locks]")
    assert "已解除账号 alice 的登录锁定" in page.text_content(".messages")
    page.click("header form[action$='/logout/'] button")

    log_in(page, "alice", "alice-pass-2026")
    assert page.url.endswith("/proposals/")
