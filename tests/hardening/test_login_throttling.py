"""Login throttling locks a (username, IP) pair, never a whole address, and staff lift locks from the app."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _fail(client, username, *, times, **meta):
    for _ in range(times):
        response = client.post(reverse("login"), {"username": username, "password": "wrong"}, **meta)
    return response


def _login(client, username, **meta):
    return client.post(reverse("login"), {"username": username, "password": "pw"}, **meta)


@pytest.fixture
def office(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return UserFactory(username="alice"), UserFactory(username="bob")


def test_failures_for_one_account_do_not_lock_another_account_from_the_same_address(client, office):
    locked = _fail(client, "alice", times=4, REMOTE_ADDR="10.1.1.1")
    assert locked.status_code == 429

    response = _login(client, "bob", REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 302 and response.url == "/"


def test_an_account_locked_from_one_address_still_logs_in_from_another(client, office):
    _fail(client, "alice", times=4, REMOTE_ADDR="203.0.113.9")
    assert _login(client, "alice", REMOTE_ADDR="203.0.113.9").status_code == 429

    assert _login(client, "alice", REMOTE_ADDR="10.1.1.1").status_code == 302


def test_the_locked_page_gives_the_reason_and_the_time_left(client, office):
    response = _fail(client, "alice", times=4, REMOTE_ADDR="10.1.1.1")
    page = response.content.decode()
    assert response.status_code == 429
    assert "连续登录失败 3 次" in page and "alice" in page
    assert "约 60 分钟后自动解除锁定" in page


def test_a_spoofed_forwarded_header_is_ignored_without_a_configured_proxy(client, office, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(4):  # the attacker claims a new address each time, from one real address
        response = client.post(reverse("login"), {"username": "alice", "password": "wrong"},
                               REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}")
    assert response.status_code == 429
    from axes.models import AccessAttempt

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


def test_the_client_address_comes_from_the_forwarded_header_behind_a_configured_proxy(client, office, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    _fail(client, "alice", times=4, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    from axes.models import AccessAttempt

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.5"]
    # the same proxy forwarding another client: not locked, whatever the client prepended
    assert _login(client, "alice", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5, 10.1.1.1") \
        .status_code == 302


def test_staff_see_the_locked_account_and_lift_its_lock(client, office, staff_user):
    _fail(client, "alice", times=4, REMOTE_ADDR="10.1.1.1")
    client.force_login(staff_user)
    page = client.get(reverse("account-locks")).content.decode()
    assert "alice" in page and "10.1.1.1" in page

    response = client.post(reverse("account-locks"), {"username": "alice"}, follow=True)
    assert "已解除账号 alice 的登录锁定" in response.content.decode()
    client.logout()
    assert _login(client, "alice", REMOTE_ADDR="10.1.1.1").status_code == 302


@pytest.mark.parametrize("role", ["supervisor_user", "department_user"])
def test_supervisors_and_departments_cannot_lift_a_lock(client, office, role, request):
    _fail(client, "alice", times=4, REMOTE_ADDR="10.1.1.1")
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("account-locks")).status_code == 403
    assert client.post(reverse("account-locks"), {"username": "alice"}).status_code == 403
    client.logout()
    assert _login(client, "alice", REMOTE_ADDR="10.1.1.1").status_code == 429


def test_anonymous_users_are_sent_to_log_in_for_the_lock_list(client):
    response = client.get(reverse("account-locks"))
    assert response.status_code in (302, 403)
    assert _login(client, "nobody").status_code == 200  # a failed login, no lock page
