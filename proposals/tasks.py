from celery import shared_task


@shared_task(acks_late=True)
def reminders_send_task() -> int:
    from proposals.services import reminders_send

    return reminders_send()
