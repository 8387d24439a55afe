"""Reviewers and re-parses at the same time, on PostgreSQL with one connection per thread: no acknowledged review
is lost and no one saves over another's change."""

import random
import threading
import time

import pytest
from django.db import connection
from django.db.models.signals import pre_delete

from indicators.models import Indicator, ReviewStatus
from indicators.services import RowChanged, extracted_row_review, extracted_rows_replace_pending
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
                row = rng.choice(pending)
                time.sleep(rng.random() * 0.005)
                try:
                    extracted_row_review(row=row, by=staff, accept=True, version=row.version)
                except RowChanged:
                    with lock:
                        refused.append(row.pk)
                    continue
                with lock:
                    acknowledged.append(row.pk)
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
