from celery import shared_task
from django.db import OperationalError


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def commitment_reminders_send_task() -> int:
    """Daily: follow-up reminders for commitments; a second run the same day sends nothing new."""
    from .services import commitment_reminders_send

    return commitment_reminders_send()
