"""Reviewers and re-parses at the same time, on PostgreSQL with one connection per thread: no acknowledged review
is lost and no one saves over another's change."""

import random
import threading
import time

import pytest
from django.db import connection
from django.db.models.signals import pre_delete

from indicators.models import Indicator, ReviewStatus
from indicators.services import (
    RowChanged,
    extracted_row_review,
    extracted_rows_replace_pending,
    extracted_rows_review_bulk,
    indicator_edit,
)
from proposals.models import User
from replies.models import Reply
from tests.factories import ReplyFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SPANS = list(range(0, 300, 10))


def _result():
    return {"indicators": [{"value": "12", "unit": "个", "metric": "基地", "start": start, "end": start + 8}
                           for start in SPANS], "commitments": []}


def _slow_delete(sender, **kwargs):
    """Widen the window between a re-parse choosing the rows it deletes and deleting them."""
    time.sleep(0.002)


def test_a_reparse_never_deletes_a_row_accepted_while_it_ran():
    reply = ReplyFactory()
    staff = UserFactory(role=User.Role.STAFF, is_staff=True)
    extracted_rows_replace_pending(reply=reply, result=_result())
    acknowledged, refused, errors = [], [], []
    lock, done = threading.Lock(), threading.Event()

    def reparse():
        try:
            for _ in range(40):
                extracted_rows_replace_pending(reply=Reply.objects.get(pk=reply.pk), result=_result())
                if done.is_set():
                    break
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    def reviewer(seed):
        rng = random.Random(seed)
        try:
            while True:
                pending = list(Indicator.objects.filter(reply=reply, review_status=ReviewStatus.PENDING))
                if not pending:
                    return
                chosen = rng.sample(pending, min(len(pending), 3 if seed == 0 else 1))
                time.sleep(rng.random() * 0.005)
                try:
                    if seed == 0:  # one reviewer ticks several rows and accepts them at once
                        extracted_rows_review_bulk(reply=reply, by=staff, accept=True,
                                                   indicator_ids=[row.pk for row in chosen], commitment_ids=[],
                                                   versions={("indicator", row.pk): row.version for row in chosen})
                    else:
                        extracted_row_review(row=chosen[0], by=staff, accept=True, version=chosen[0].version)
                except RowChanged:
                    with lock:
                        refused.extend(row.pk for row in chosen)
                    continue
                with lock:
                    acknowledged.extend(row.pk for row in chosen)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    pre_delete.connect(_slow_delete, sender=Indicator)
    try:
        reviewers = [threading.Thread(target=reviewer, args=(seed,)) for seed in range(4)]
        parser = threading.Thread(target=reparse)
        for thread in [parser, *reviewers]:
            thread.start()
        for thread in reviewers:
            thread.join(timeout=120)
        done.set()
        parser.join(timeout=120)
    finally:
        pre_delete.disconnect(_slow_delete, sender=Indicator)

    assert not errors
    assert acknowledged and refused  # both outcomes happened: the re-parse really ran among the accepts
    accepted = set(Indicator.objects.filter(reply=reply, review_status=ReviewStatus.ACCEPTED).values_list("pk",
                                                                                                         flat=True))
    assert set(acknowledged) <= accepted
    # and no span is stored twice: a parsed row over an accepted one is not added again
    starts = list(Indicator.objects.filter(reply=reply).values_list("start", flat=True))
    assert sorted(starts) == SPANS


def test_two_reviewers_saving_one_row_at_once_one_wins_and_the_other_is_refused():
    reply = ReplyFactory()
    first, second = (UserFactory(role=User.Role.STAFF, is_staff=True) for _ in range(2))
    row = Indicator.objects.create(reply=reply, value=12, unit="个", start=0, end=4)
    start = threading.Barrier(2)
    outcomes = {}

    def save(user, value):
        try:
            start.wait(timeout=10)
            indicator_edit(indicator=Indicator.objects.get(pk=row.pk), by=user, value=value, unit="个", year=None,
                           metric="基地", qualifier="", is_target=False, version=1)
            outcomes[user.pk] = "saved"
        except RowChanged as error:
            outcomes[user.pk] = error.messages[0]
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(first, 13)), threading.Thread(target=save, args=(second, 14))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    saved, refused = sorted(outcomes.values())  # "saved" sorts before the Chinese message
    assert saved == "saved" and "已被他人修改" in refused
    winner = next(pk for pk, outcome in outcomes.items() if outcome == "saved")
    stored = Indicator.objects.get(pk=row.pk)
    assert (stored.reviewed_by_id, stored.value, stored.version) == (winner, 13 if winner == first.pk else 14, 2)
