from celery import shared_task


@shared_task(acks_late=True)
def reminders_send_task() -> int:
    from proposals.services import reminders_send

    return reminders_send()


@shared_task
def dashboard_refresh_task() -> None:
    from proposals.selectors import dashboard_refresh

    dashboard_refresh()
