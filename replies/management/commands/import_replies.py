import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from replies.models import Reply
from replies.services import reply_import

WAITING = (Reply.ParseStatus.QUEUED, Reply.ParseStatus.PARSING)


def pdfs_under(paths: list[str]) -> list[Path]:
    found = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf"))
        elif path.is_file():
            found.append(path)
        else:
            raise CommandError(f"找不到 {path}（no such file or folder）")
    return found


class Command(BaseCommand):
    help = ("Queue every reply PDF under the given files and folders, match each to its proposal and department "
            "from its parsed header, and report per file: matched, ambiguous, unmatched or refused. "
            "Unmatched files are kept for staff to assign by hand.")

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")
        parser.add_argument("--no-wait", action="store_true", help="queue and return without waiting for the worker")
        parser.add_argument("--timeout", type=int, default=3600, help="seconds to wait for the worker")

    def handle(self, *args, paths, no_wait, timeout, **options):
        queued: dict[int, Path] = {}
        for path in pdfs_under(paths):
            try:
                reply, refused = reply_import(path=path)
            except Exception as error:  # one file's trouble (unreadable, storage, database) is reported; on to the next
                self.stdout.write(f"error      {path}  {type(error).__name__}: {error}")
                continue
            if reply is None:
                self.stdout.write(f"refused    {path}  {refused}")
            else:
                queued[reply.pk] = path
        # a task the broker did not take (Redis down) is sent by the requeue task once it is back: not waited for
        unsent = set(Reply.objects.filter(pk__in=queued, parse_status=Reply.ParseStatus.QUEUED,
                                          parse_task_sent_at__isnull=True).values_list("pk", flat=True))
        for pk in unsent:
            self.stdout.write(f"queued     {queued.pop(pk)}  解析任务未能送达消息队列，恢复后自动解析"
                              "（broker unavailable: parsed once it is back）")
        if no_wait:
            for path in queued.values():
                self.stdout.write(f"queued     {path}")
            return
        deadline = time.monotonic() + timeout
        while Reply.objects.filter(pk__in=queued, parse_status__in=WAITING).exists():
            if time.monotonic() > deadline:
                raise CommandError("等待解析超时（timed out waiting for the worker）; the files stay queued.")
            time.sleep(1)
        for reply in Reply.objects.filter(pk__in=queued).select_related("assignment"):
            path = queued[reply.pk]
            if reply.parse_status == Reply.ParseStatus.FAILED:
                self.stdout.write(f"failed     {path}  {reply.parse_error}")
            else:
                self.stdout.write(f"{reply.match_status:<10} {path}  {reply.match_note}")
