"""The demo explains itself: a short "what to try" panel per role on the first page after login, dismissible."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_demo_account_sees_its_roles_panel_until_it_dismisses_it(client, department):
    from proposals.models import User
    from proposals.services import user_create

    client.force_login(user_create(username="kjt", password="kjt-demo-2026", role=User.Role.DEPARTMENT,
                                   department=department))
    body = client.get("/proposals/queue/").content.decode()
    assert 'data-testid="demo-tips"' in body and "上传答复 PDF" in body
    client.post("/demo/tips/dismiss/", {"next": "/proposals/queue/"})
    assert 'data-testid="demo-tips"' not in client.get("/proposals/queue/").content.decode()


def test_an_account_outside_the_demo_sees_no_demo_panel(client, staff_user):
    client.force_login(staff_user)
    assert 'data-testid="demo-tips"' not in client.get("/proposals/").content.decode()
