from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from replies.models import Reply
from replies.services import reply_reparse


class Command(BaseCommand):
    help = ("Parse replies again, e.g. after a parser upgrade. Only rows nobody reviewed are replaced. "
            "Default: every parsed or failed reply with a file.")

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="reply ids (default: all)")
        parser.add_argument("--failed", action="store_true", help="only replies whose parse failed")

    def handle(self, *args, ids, failed, **options):
        replies = Reply.objects.exclude(file="").filter(
            parse_status__in=[Reply.ParseStatus.FAILED] if failed else [Reply.ParseStatus.PARSED,
                                                                         Reply.ParseStatus.FAILED])
        if ids:
            replies = replies.filter(pk__in=ids)
        queued = 0
        for reply in replies.order_by("pk").iterator():
            try:
                reply_reparse(reply=reply)
                queued += 1
            except ValidationError as error:
                self.stderr.write(f"#{reply.pk}: {' '.join(error.messages)}")
        self.stdout.write(f"queued {queued} replies for parsing")
