"""Every page of the demo, seen by each demo role, shows quantities plainly: no 1E+1, no 20.000000."""

import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

EXPONENT = re.compile(r"\d(?:\.\d+)?[eE][+-]\d")
PADDED = re.compile(r"\d\.\d*000000")


def _pages(user):
    from indicators.models import Commitment, Indicator
    from proposals.models import Proposal
    from replies.models import Reply

    urls = [reverse("proposals:queue"), reverse("proposals:list"), reverse("indicators:follow-up")]
    if user.reads_by_committee:  # the overview pages are the office's and supervisors' (a department gets 403)
        urls += [reverse("proposals:dashboard"), reverse("indicators:series"), f"{reverse('indicators:series')}?format=csv"]
    urls += [reverse("proposals:detail", args=[pk]) for pk in Proposal.objects.visible_to(user).values_list("pk", flat=True)]
    urls += [reverse("replies:detail", args=[pk]) for pk in Reply.objects.visible_to(user).values_list("pk", flat=True)]
    if user.is_office_staff:
        urls += [reverse("indicators:edit", args=["indicator", pk])
                 for pk in Indicator.objects.visible_to(user).order_by("pk").values_list("pk", flat=True)[:5]]
        urls += [reverse("indicators:edit", args=["commitment", pk])
                 for pk in Commitment.objects.visible_to(user).order_by("pk").values_list("pk", flat=True)[:3]]
    if user.is_office_staff:  # a staff account that is not a superuser has the admin pages meant for staff
        urls += [reverse("proposals:todo"), reverse("admin:index"), reverse("admin:indicators_indicator_changelist"),
                 reverse("admin:indicators_commitment_changelist")]
        urls += [reverse("admin:indicators_indicator_change", args=[pk])
                 for pk in Indicator.objects.visible_to(user).order_by("pk").values_list("pk", flat=True)[:5]]
        urls += [reverse("admin:indicators_commitment_change", args=[pk])
                 for pk in Commitment.objects.visible_to(user).order_by("pk").values_list("pk", flat=True)[:2]]
    urls += [f"{reverse('indicators:follow-up')}?format=csv"]
    urls += [reverse("indicators:commitment", args=[pk])
             for pk in Commitment.objects.visible_to(user).order_by("pk").values_list("pk", flat=True)[:5]]
    return urls


def test_no_page_of_the_demo_shows_a_quantity_in_scientific_notation(client, media_root, admin_user,
                                                                    django_capture_on_commit_callbacks):
    from indicators.models import Indicator
    from proposals.models import User

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")
    # The demo's reply holds figures such as 10所, 1000万元 and 2978.4万元, stored with six decimal places; one is
    # corrected to 5E+3 万元 the way a reviewer's edit arrives.
    values = {str(v) for v in Indicator.objects.values_list("value", flat=True)}
    assert {"10.000000", "1000.000000", "2978.400000"} <= values
    Indicator.objects.filter(pk=Indicator.objects.order_by("pk").values("pk")[:1]).update(value=Decimal("5E+3"))
    checked = 0
    for username in ("staff", "supervisor", "kjt", admin_user.username):
        user = User.objects.get(username=username)
        client.force_login(user)
        for url in _pages(user):
            response = client.get(url)
            assert response.status_code == 200, (username, url, response.status_code)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            html = body.decode("utf-8-sig")
            assert not EXPONENT.search(html), (username, url, EXPONENT.search(html).group())
            assert not PADDED.search(html), (username, url, PADDED.search(html).group())
            checked += 1
    assert checked > 30
