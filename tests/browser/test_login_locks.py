"""A locked login says why and for how long; staff lift the lock from the app."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _login(page, username, password):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def _both_widths(page, screenshot, name):
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        screenshot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1366, "height": 900})


def test_a_locked_login_is_explained_and_staff_lift_it(page, screenshot, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for username, role in (("clerk", "staff"), ("alice", "supervisor")):
        user = UserFactory(username=username, role=role)
        user.set_password(f"{username}-pass-2026")
        user.save()

    for _ in range(4):
        _login(page, "alice", "wrong")
    assert "登录失败 3 次" in page.text_content("[data-testid=lock-reason]")
    assert "分钟后自动解除锁定" in page.text_content("[data-testid=lock-time-left]")
    _both_widths(page, screenshot, "login-locked")

    _login(page, "clerk", "clerk-pass-2026")
    page.goto("/accounts/locks/")
    assert "alice" in page.text_content("[data-testid=lock-list]")
    _both_widths(page, screenshot, "login-lock-list")
    page.click("[data-testid=lock-list] button")
    page.wait_for_selector("[data-testid=no-locks]")
    assert "已解除账号 alice 的登录锁定" in page.text_content(".messages")
    page.click("header form[action$='/logout/'] button")

    _login(page, "alice", "alice-pass-2026")
    assert page.url.endswith("/proposals/")
