"""Two reviewers on one row: a review or an edit based on a version someone else has changed since is refused with
"已被他人修改" and the current values, never saved over theirs."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Commitment, Indicator, ReviewStatus
from indicators.services import (
    RowChanged,
    commitment_edit,
    extracted_row_review,
    extracted_rows_replace_pending,
    extracted_rows_review_bulk,
    indicator_edit,
)
from proposals.models import User
from tests.factories import ReplyFactory, UserFactory

pytestmark = pytest.mark.django_db

EDIT = {"value": Decimal("3000"), "unit": "万元", "year": 2021, "metric": "补助", "qualifier": "", "is_target": False}


@pytest.fixture
def other_staff(db):
    return UserFactory(role=User.Role.STAFF, is_staff=True, first_name="李")


@pytest.fixture
def rows():
    reply = ReplyFactory(text="下一步，争取认定备案高新技术企业1000户以上。补助2978.4万元。")
    indicator = Indicator.objects.create(reply=reply, value=Decimal("2978.4"), unit="万元", start=27, end=35)
    commitment = Commitment.objects.create(reply=reply, text="下一步，争取认定备案高新技术企业1000户以上。", start=0,
                                           end=24)
    return reply, indicator, commitment


def test_every_review_and_edit_raises_the_rows_version(staff_user, rows):
    _reply, indicator, commitment = rows
    assert (indicator.version, commitment.version) == (1, 1)
    extracted_row_review(row=indicator, by=staff_user, accept=True, version=1)
    indicator_edit(indicator=indicator, by=staff_user, version=2, **EDIT)
    commitment_edit(commitment=commitment, by=staff_user, text="建成基地。", deadline=None, version=1)
    assert Indicator.objects.get(pk=indicator.pk).version == 3
    assert Commitment.objects.get(pk=commitment.pk).version == 2


def test_a_second_edit_based_on_the_old_version_is_refused_with_the_current_values(staff_user, other_staff, rows):
    _reply, indicator, commitment = rows
    first, second = Indicator.objects.get(pk=indicator.pk), Indicator.objects.get(pk=indicator.pk)
    indicator_edit(indicator=first, by=other_staff, version=first.version, **EDIT)

    with pytest.raises(RowChanged) as refused:
        indicator_edit(indicator=second, by=staff_user, version=1, **{**EDIT, "value": Decimal("9")})
    assert "已被他人修改" in refused.value.messages[0]
    assert (refused.value.current.value, refused.value.current.reviewed_by) == (Decimal("3000"), other_staff)
    stored = Indicator.objects.get(pk=indicator.pk)
    assert (stored.value, stored.reviewed_by, stored.version) == (Decimal("3000"), other_staff, 2)

    commitment_edit(commitment=commitment, by=other_staff, text="建成50个基地。", deadline=date(2024, 12, 31), version=1)
    with pytest.raises(RowChanged):
        commitment_edit(commitment=Commitment.objects.get(pk=commitment.pk), by=staff_user, text="别的。",
                        deadline=None, version=1)
    assert Commitment.objects.get(pk=commitment.pk).text == "建成50个基地。"


def test_accepting_or_rejecting_a_row_changed_since_it_was_seen_is_refused(staff_user, other_staff, rows):
    _reply, indicator, commitment = rows
    indicator_edit(indicator=Indicator.objects.get(pk=indicator.pk), by=other_staff, version=1, **EDIT)
    for accept in (True, False):
        with pytest.raises(RowChanged, match="已被他人修改"):
            extracted_row_review(row=indicator, by=staff_user, accept=accept, version=1)
    assert Indicator.objects.get(pk=indicator.pk).review_status == ReviewStatus.EDITED
    extracted_row_review(row=commitment, by=other_staff, accept=False, version=1)
    with pytest.raises(RowChanged):
        extracted_row_review(row=commitment, by=staff_user, accept=True, version=1)
    assert Commitment.objects.get(pk=commitment.pk).review_status == ReviewStatus.REJECTED


def test_reviewing_a_row_a_reparse_replaced_is_refused(staff_user, rows):
    reply, indicator, _commitment = rows
    extracted_rows_replace_pending(reply=reply, result={"indicators": [], "commitments": []})
    with pytest.raises(RowChanged, match="重新解析") as refused:
        extracted_row_review(row=indicator, by=staff_user, accept=True, version=1)
    assert refused.value.current is None and not Indicator.objects.exists()


def test_a_bulk_review_with_a_changed_row_changes_nothing(staff_user, other_staff, rows):
    reply, indicator, commitment = rows
    extracted_row_review(row=Commitment.objects.get(pk=commitment.pk), by=other_staff, accept=False)
    with pytest.raises(RowChanged, match="1 条已被他人修改"):
        extracted_rows_review_bulk(reply=reply, by=staff_user, indicator_ids=[indicator.pk],
                                   commitment_ids=[commitment.pk], accept=True,
                                   versions={("indicator", indicator.pk): 1, ("commitment", commitment.pk): 1})
    assert Indicator.objects.get(pk=indicator.pk).review_status == ReviewStatus.PENDING
    assert Commitment.objects.get(pk=commitment.pk).review_status == ReviewStatus.REJECTED
    assert extracted_rows_review_bulk(reply=reply, by=staff_user, indicator_ids=[indicator.pk],
                                      commitment_ids=[commitment.pk], accept=True,
                                      versions={("indicator", indicator.pk): 1, ("commitment", commitment.pk): 2}) == 2
    assert Commitment.objects.get(pk=commitment.pk).review_status == ReviewStatus.ACCEPTED


def _edit_post(version, value):
    return {"metric": "补助", "value": value, "unit": "万元", "year": "2021", "qualifier": "", "version": version}


def test_the_edit_form_carries_the_version_and_a_stale_save_shows_the_current_values(client, staff_user, other_staff,
                                                                                        rows):
    _reply, indicator, _commitment = rows
    url = reverse("indicators:edit", args=["indicator", indicator.pk])
    client.force_login(staff_user)
    form = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'name="version" value="1"' in form

    other = client.__class__()
    other.force_login(other_staff)
    assert other.post(url, _edit_post(1, "3000"), HTTP_HX_REQUEST="true").status_code == 200

    response = client.post(url, _edit_post(1, "9"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 409
    assert "已被他人修改" in html and 'data-testid="current-values">补助 3000万元' in html
    assert 'name="version" value="2"' in html and 'value="9"' in html  # what this reviewer typed is kept
    assert Indicator.objects.get(pk=indicator.pk).value == Decimal("3000")

    # saving again, with the other's values in view, is a deliberate choice
    assert client.post(url, _edit_post(2, "9"), HTTP_HX_REQUEST="true").status_code == 200
    assert Indicator.objects.get(pk=indicator.pk).value == Decimal("9")


def test_the_row_buttons_carry_the_version_and_a_stale_accept_is_refused(client, staff_user, other_staff, rows):
    reply, indicator, commitment = rows
    client.force_login(staff_user)
    page = client.get(reverse("replies:detail", args=[reply.pk])).content.decode()
    assert '''hx-vals='{"version": "1"}\'''' in page and f'value="indicator-{indicator.pk}-1"' in page
    indicator_edit(indicator=Indicator.objects.get(pk=indicator.pk), by=other_staff, version=1, **EDIT)

    url = reverse("indicators:review", args=["indicator", indicator.pk, "accept"])
    response = client.post(url, {"version": "1"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 409 and "已被他人修改" in html and "3000" in html and "已修改" in html
    assert '''hx-vals='{"version": "2"}\'''' in html  # the row as it stands, ready to be reviewed again
    response = client.post(url, {"version": "1"}, follow=True)
    assert "已被他人修改" in response.content.decode()
    assert Indicator.objects.get(pk=indicator.pk).review_status == ReviewStatus.EDITED

    response = client.post(reverse("indicators:bulk", args=[reply.pk]), {
        "action": "reject", "rows": [f"indicator-{indicator.pk}-1", f"commitment-{commitment.pk}-1"]}, follow=True)
    assert "已被他人修改" in response.content.decode()
    assert Indicator.objects.get(pk=indicator.pk).review_status == ReviewStatus.EDITED
    assert Commitment.objects.get(pk=commitment.pk).review_status == ReviewStatus.PENDING

    assert client.post(url, {"version": "2"}, HTTP_HX_REQUEST="true").status_code == 200
    assert Indicator.objects.get(pk=indicator.pk).review_status == ReviewStatus.ACCEPTED


def test_accepting_the_remaining_rows_leaves_a_row_reviewed_meanwhile_as_it_was(staff_user, other_staff, rows):
    reply, indicator, commitment = rows
    ids = [indicator.pk]  # read as pending, then corrected by another reviewer before the rows are locked
    indicator_edit(indicator=Indicator.objects.get(pk=indicator.pk), by=other_staff, version=1, **EDIT)
    assert extracted_rows_review_bulk(reply=reply, by=staff_user, indicator_ids=ids, commitment_ids=[commitment.pk],
                                      accept=True, pending_only=True) == 1
    stored = Indicator.objects.get(pk=indicator.pk)
    assert (stored.review_status, stored.reviewed_by) == (ReviewStatus.EDITED, other_staff)
    assert Commitment.objects.get(pk=commitment.pk).review_status == ReviewStatus.ACCEPTED


def test_a_correction_in_the_admin_raises_the_version_too(rf, staff_user, rows):
    from django.contrib import admin

    _reply, indicator, _commitment = rows
    request = rf.post("/")
    request.user = staff_user
    indicator.metric = "改正的指标"
    admin.site._registry[Indicator].save_model(request, indicator, None, True)
    assert Indicator.objects.get(pk=indicator.pk).version == 2
    with pytest.raises(RowChanged):
        indicator_edit(indicator=indicator, by=staff_user, version=1, **EDIT)
