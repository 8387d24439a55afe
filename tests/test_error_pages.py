"""Error pages (DEBUG off, as in production) wear the app's look, say what happened in the user's language and
offer a way back; logout lands on the app's own login page."""

import pytest
from django.core.exceptions import BadRequest
from django.test import RequestFactory
from django.views.defaults import bad_request

from config.middleware import server_error

pytestmark = pytest.mark.django_db


def assert_app_error_page(response, *, status: int, heading: str) -> None:
    body = response.content.decode()
    assert response.status_code == status
    assert 'data-testid="error-page"' in body and heading in body
    assert 'class="topbar"' in body and "返回首页" in body


def test_an_unknown_proposal_answers_the_apps_404_page(client, department_user):
    client.force_login(department_user)
    assert_app_error_page(client.get("/proposals/987654/"), status=404, heading="页面不存在")


def test_an_office_page_refused_to_a_department_answers_the_apps_403_page(client, department_user):
    client.force_login(department_user)
    assert_app_error_page(client.get("/proposals/todo/"), status=403, heading="没有权限")


def test_a_bad_request_answers_the_apps_400_page():
    response = bad_request(RequestFactory().get("/"), BadRequest())
    assert_app_error_page(response, status=400, heading="请求无法处理")


def test_a_server_error_answers_the_apps_500_page():
    assert_app_error_page(server_error(RequestFactory().get("/")), status=500, heading="服务器出错了")


def test_the_404_page_is_in_english_for_an_english_reader(client, department_user):
    client.force_login(department_user)
    response = client.get("/proposals/987654/", headers={"accept-language": "en"}, follow=False)
    assert response.status_code == 404 and 'lang="en"' in response.content.decode()


def test_logout_returns_to_the_apps_login_page(client, department_user):
    client.force_login(department_user)
    response = client.post("/accounts/logout/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert 'name="username"' in response.content.decode()

