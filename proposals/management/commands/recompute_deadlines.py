from django.core.management.base import BaseCommand

from proposals.services import deadlines_recompute


class Command(BaseCommand):
    help = ("Recompute the due dates of open assignments from their session's rule, e.g. after upgrading "
            "chinese-calendar for a new year's holidays. Closed assignments and dates set by hand or by an "
            "extension keep theirs.")

    def handle(self, *args, **options):
        self.stdout.write(f"{deadlines_recompute()} assignments changed")
