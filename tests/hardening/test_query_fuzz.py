"""Hostile query parameters on every list, export, dashboard, follow-up and series page answer 200 (the value
ignored) or 400, never 500: every filter field of each FilterSet, and each page's own parameters."""

import pytest
from django.urls import reverse

from indicators.filters import CommitmentFilter
from proposals.filters import ProposalFilter

pytestmark = pytest.mark.django_db

HOSTILE = ["0", "-1", "1.5", "1e400", "NaN", str(10**30), "9" * 400, "abc", "²", "", "\x00", "2024-13-45",
           "' OR 1=1 --", "-number", "unknown_choice", "🙂"]

PAGES = {
    "proposals:list": [*ProposalFilter.base_filters, "page", "per_page"],
    "proposals:export": [*ProposalFilter.base_filters, "format"],
    "proposals:queue": ["page"],
    "indicators:follow-up": [*CommitmentFilter.base_filters, "page", "format"],
}
# the overview pages are the office's and supervisors' (a department gets 403 whatever the query)
OVERVIEW_PAGES = {"proposals:dashboard": ["session", "year"], "indicators:series": ["department", "format"]}
STAFF_PAGES = {"proposals:todo": ["attach", "session", "number", "department"], **OVERVIEW_PAGES}


@pytest.fixture
def data(department_user):
    from datetime import date

    from indicators.models import Commitment
    from tests.factories import AssignmentFactory, ReleasedReplyFactory

    reply = ReleasedReplyFactory(assignment=AssignmentFactory(department=department_user.department))
    Commitment.objects.create(reply=reply, text="将持续推进。", start=0, end=5, review_status="accepted",
                              follow_up_on=date(2024, 6, 1))
    return reply


def _read(response):
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)


# Pages whose ?format=csv answers with a file: their parameters are fuzzed in the file too.
EXPORTS = {"proposals:export", "indicators:follow-up", "indicators:series"}


def _fuzz(client, pages):
    failures = []
    client.raise_request_exception = False  # a 500 is recorded with its query, and the fuzz goes on
    for name, params in pages.items():
        url = reverse(name)
        for param in params:
            for value in HOSTILE:
                queries = [{param: value}]
                if name in EXPORTS and param != "format":
                    queries.append({param: value, "format": "csv"})
                for query in queries:
                    response = client.get(url, query)
                    _read(response)
                    if response.status_code not in (200, 400):
                        failures.append((name, query, response.status_code))
    return failures


@pytest.mark.parametrize("role", ["staff_user", "department_user"])
def test_hostile_query_values_never_break_a_page(client, data, role, request):
    user = request.getfixturevalue(role)
    client.force_login(user)
    pages = {**PAGES, **(STAFF_PAGES if user.is_office_staff else {})}
    assert _fuzz(client, pages) == []


@pytest.mark.parametrize("name", ["proposals:list", "indicators:follow-up"])
@pytest.mark.parametrize("page", ["abc", "-1", "0", "999999", str(10**30), "last"])
def test_a_bad_page_number_shows_a_page_of_the_list(client, staff_user, data, name, page):
    client.force_login(staff_user)
    assert client.get(reverse(name), {"page": page}).status_code == 200


def test_a_hostile_year_is_ignored_not_applied(client, staff_user, data):
    client.force_login(staff_user)
    for year in ("0", "-1", str(10**30), "abc"):
        response = client.get(reverse("indicators:follow-up"), {"year": year})
        assert response.status_code == 200 and len(response.context["commitments"]) == 1
    assert len(client.get(reverse("indicators:follow-up"), {"year": "2024"}).context["commitments"]) == 1
    assert len(client.get(reverse("indicators:follow-up"), {"year": "2023"}).context["commitments"]) == 0
