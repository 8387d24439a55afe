"""The demo explains itself: a short "what to try" panel per role on the first page after login, dismissible; and
its reviewed rows make 指标历史 show series from the first visit."""

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


def test_the_demos_accepted_rows_make_series_in_the_indicator_history(media_root):
    from django.core.management import call_command

    from indicators.selectors import indicator_series
    from proposals.models import User

    call_command("load_demo")
    series = {s["metric"]: [p["year"] for p in s["points"]]
              for s in indicator_series(user=User.objects.get(username="supervisor"))}
    assert series["高新技术企业"] == [2020, 2022]
    assert series["知识产权质押融资额"] == [2020, 2021]
