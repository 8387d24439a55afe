"""python bench/run.py: the tracker's figures at scale, on the database of DATABASE_URL (PostgreSQL).

Fill the database first (README, "Scale and benchmark"):

    createdb -h 127.0.0.1 -U postgres tracker_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench REDIS_URL=redis://127.0.0.1:6379/0
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py generate_demo --proposals 100000
    .venv/bin/python bench/run.py

Prints one figure per line, `name: value unit`. Pages are requested in-process with Django's test Client, so the
time is the server's (middleware, queries, template) without a network; p50/p95 are over --repeat requests after
--warmup. The list and the dashboard are measured twice: as an office account of one committee (`staff`, 省政协) and
as an account for all committees (`supervisor`); the other pages as the former. Query counts are taken at two page sizes and must not differ. The parse figures come from
replies.parsing.bench; the end-to-end part uploads --uploads copies of the demo reply through reply_upload and
times real `celery -A config worker` processes (--concurrency=1 each) until every one is parsed.
The end-to-end part adds a session of its own and deletes it again.
"""

from __future__ import annotations

import argparse
import atexit
import io
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# bench/settings.py: the test settings with a cache; tasks go to the queue named below.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = os.environ.setdefault("CELERY_TASK_DEFAULT_QUEUE", f"bench-{uuid.uuid4().hex[:8]}")
if "MEDIA_ROOT" not in os.environ:  # uploads of the end-to-end part go to a folder removed at exit
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-media-")
    atexit.register(shutil.rmtree, os.environ["MEDIA_ROOT"], ignore_errors=True)
MEDIA = os.environ["MEDIA_ROOT"]

SECTIONS = ("pages", "similar", "search", "export", "parse", "e2e")


def figure(name: str, value, unit: str) -> None:
    if isinstance(value, float):
        value = f"{value:.2f}" if value < 10 else f"{value:.1f}" if value < 100 else f"{value:.0f}"
    print(f"{name}: {value} {unit}", flush=True)


def machine() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0].split()[0]
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    figure("cpus", os.cpu_count(), "cores")
    figure("memory", memory, "GiB")
    figure("postgresql", server, "version")
    figure("python", platform.python_version(), "version")


def data() -> None:
    from indicators.models import Commitment, Indicator
    from proposals.models import Assignment, Department, Proposal, Session
    from replies.models import Reply

    for model in (Session, Department, Proposal, Assignment, Reply, Indicator, Commitment):
        figure(f"rows {model._meta.db_table}", model.objects.count(), "rows")


class Timer:
    """Requests through the test Client: wall time per request and queries per request."""

    def __init__(self, *, repeat: int, warmup: int):
        from django.test import Client

        self.repeat, self.warmup = repeat, warmup
        # HTTP_HOST: allowed by the default ALLOWED_HOSTS, so no test environment (and its template
        # instrumentation, which would slow every include) is needed.
        self.client = Client(HTTP_HOST="127.0.0.1")

    def login(self, user) -> None:
        self.client.force_login(user)

    def get(self, url: str):
        response = self.client.get(url, secure=True)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response, body

    def times(self, url: str) -> list[float]:
        started = time.perf_counter()
        self.get(url)
        self.first = time.perf_counter() - started
        for _ in range(self.warmup - 1):
            self.get(url)
        samples = []
        for _ in range(self.repeat):
            started = time.perf_counter()
            self.get(url)
            samples.append(time.perf_counter() - started)
        return samples

    def queries(self, url: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            self.get(url)
        return len(captured)


def percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=20, method="inclusive")
    return statistics.median(samples), cuts[18]


def report(timer: Timer, name: str, url: str, *, sizes: tuple[str, ...] = ()) -> None:
    """Time `url` ({size} is 50 there), then count its queries at each page size."""
    p50, p95 = percentiles(timer.times(url.replace("{size}", "50")))
    figure(f"{name} p50", p50 * 1000, "ms")
    figure(f"{name} p95", p95 * 1000, "ms")
    for size in sizes:
        figure(f"{name} queries at {size} per page", timer.queries(url.replace("{size}", size)), "queries")


def office_scopes():
    """(label, user) for the two scopes the list and the dashboard are measured in: an office account working for one
    committee (the first such staff account) and an account for all committees (the supervisor)."""
    from django.db.models import Count

    from proposals.models import User

    active = User.objects.filter(is_active=True, role__in=[User.Role.STAFF, User.Role.SUPERVISOR])
    one = (active.filter(role=User.Role.STAFF, all_committees=False).annotate(n=Count("committees")).filter(n=1)
           .order_by("pk").first())
    every = active.filter(all_committees=True).order_by("-role", "pk").first()  # supervisor before staff
    scopes = []
    if one:
        scopes.append((f"one committee ({one.committees.get().short_name})", one))
    if every:
        scopes.append(("all committees", every))
    if not scopes:
        raise SystemExit("no staff or supervisor account: run manage.py generate_demo first")
    return scopes


def busiest_department(user):
    """The department with the most assignments among those `user` sees."""
    from django.db.models import Count

    from proposals.models import Assignment, Department

    row = (Assignment.objects.visible_to(user).values("department").annotate(n=Count("pk")).order_by("-n", "department")
           .first())
    return Department.objects.get(pk=row["department"]) if row else None


def pages(timer: Timer) -> None:
    from django.core.cache import cache
    from django.test.utils import override_settings

    from proposals.models import Proposal, User
    from replies.models import Reply

    scopes = office_scopes()
    for scope, user in scopes:
        timer.login(user)
        department = busiest_department(user)
        lists = [
            ("list default", "/proposals/?per_page={size}"),
            ("list overdue", "/proposals/?overdue=on&per_page={size}"),
            ("list one department", f"/proposals/?department={department.pk}&per_page={{size}}"),
            ("list search", "/proposals/?q=%E9%BB%91%E5%9C%9F%E5%9C%B0&per_page={size}"),  # 黑土地
            ("list search 2 characters", "/proposals/?q=%E6%95%99%E8%82%B2&per_page={size}"),  # 教育
            ("list search 2 terms", "/proposals/?q=%E7%A7%91%E6%8A%80+%E5%88%9B%E6%96%B0&per_page={size}"),  # 科技 创新
        ]
        visible = Proposal.objects.visible_to(user)
        figure(f"list rows ({scope})", visible.count(), "proposals")
        for name, url in lists:
            report(timer, f"{name} ({scope})", url, sizes=("50", "200"))
        report(timer, f"dashboard ({scope})", "/proposals/dashboard/")
        figure(f"dashboard first request ({scope})", timer.first * 1000, "ms")
        figure(f"dashboard queries ({scope})", timer.queries("/proposals/dashboard/"), "queries")
        # computed on every request, as when the cache has expired or a filter is not in it
        with override_settings(DASHBOARD_CACHE_SECONDS=0):
            cache.clear()
            report(timer, f"dashboard computed ({scope})", "/proposals/dashboard/")
            figure(f"dashboard computed queries ({scope})", timer.queries("/proposals/dashboard/"), "queries")
            session = visible.order_by("-session").values_list("session", flat=True).first()
            report(timer, f"dashboard one session computed ({scope})", f"/proposals/dashboard/?session={session}")
    scope, staff = scopes[0]
    timer.login(staff)
    readable = Reply.objects.visible_to(staff)
    long = readable.filter(pages__gte=40).order_by("pages", "pk").first()
    short = readable.filter(pages__lte=5, parse_status="parsed").exclude(text="").order_by("pk").first()
    if long:
        figure("review page pages", long.pages, "pages")
        figure("review page rows", long.indicators.count() + long.commitments.count(), "rows")
        report(timer, "review page", f"/replies/{long.pk}/")
        figure("review page queries", timer.queries(f"/replies/{long.pk}/"), "queries")
        if short:
            figure(f"review page queries ({short.indicators.count() + short.commitments.count()} rows)",
                   timer.queries(f"/replies/{short.pk}/"), "queries")
    department = busiest_department(scopes[-1][1])
    department_user = User.objects.filter(department=department, is_active=True).order_by("pk").first()
    if department_user:
        timer.login(department_user)
        report(timer, "list as department user", "/proposals/?per_page={size}", sizes=("50", "200"))
        report(timer, "list search as department user", "/proposals/?q=%E7%A7%91%E6%8A%80&per_page={size}")  # 科技
        # a department has no dashboard: 督办统计 is the office's and supervisors' (it answers a department 403)


def trigram_similar_ids(title: str, *, exclude: int | None = None, limit: int = 5) -> list[int]:
    """The alternative measured against proposals.similarity: pg_trgm similarity of titles (index
    proposal_title_trgm), the title's boilerplate (关于, 的建议) stripped."""
    from django.db import connection

    core = title.removeprefix("关于").removesuffix("的建议").removesuffix("的提案").upper()
    with connection.cursor() as cursor:
        cursor.execute("SET pg_trgm.similarity_threshold = 0.1")
        cursor.execute("SELECT id FROM proposals_proposal WHERE UPPER(title) %% %s AND id <> %s "
                       "ORDER BY similarity(UPPER(title), %s) DESC, id DESC LIMIT %s", [core, exclude or 0, core, limit])
        return [row[0] for row in cursor.fetchall()]


def similar(timer: Timer) -> None:
    """Similar proposals at scale: the panel's time for each later title of the pairs kept with the tests, and
    top-5 accuracy of those pairs among every proposal of the database (the pairs are added in a transaction
    that is rolled back), for the chosen method (jieba words, tsvector) and the trigram alternative."""
    from urllib.parse import urlencode

    from django.db import transaction

    from proposals.models import Proposal, Session, User
    from proposals.similarity import similar_proposal_ids
    from tests.proposals.similar_pairs import PAIRS

    staff = User.objects.filter(role=User.Role.STAFF, is_active=True).order_by("pk").first()
    timer.login(staff)
    samples = []
    for _, later in PAIRS:  # each title once untimed, then 3 times
        url = "/proposals/similar/?" + urlencode({"title": later})
        timer.get(url)
        for _ in range(3):
            started = time.perf_counter()
            timer.get(url)
            samples.append(time.perf_counter() - started)
    p50, p95 = percentiles(samples)
    figure("similar panel p50", p50 * 1000, "ms")
    figure("similar panel p95", p95 * 1000, "ms")
    for name, lookup in (("words tsvector", lambda t, pk: similar_proposal_ids(user=staff, title=t, exclude=pk)),
                         ("trigram", lambda t, pk: trigram_similar_ids(t, exclude=pk))):
        with transaction.atomic():
            sessions = list(Session.objects.order_by("opened_on")[:2]) or []
            top = Proposal.objects.order_by("-number").values_list("number", flat=True).first() or 0
            earlier, later = {}, {}
            for offset, (first, second) in enumerate(PAIRS, start=top + 1):
                earlier[first] = Proposal.objects.create(session=sessions[0], number=offset, title=first,
                                                         submitted_on=sessions[0].opened_on).pk
                later[second] = Proposal.objects.create(session=sessions[-1], number=offset, title=second,
                                                        submitted_on=sessions[-1].opened_on).pk
            times, hits = [], 0
            for first, second in PAIRS:
                started = time.perf_counter()
                ids = lookup(second, later[second])
                times.append(time.perf_counter() - started)
                hits += earlier[first] in ids
            transaction.set_rollback(True)
        p50, p95 = percentiles(times)
        figure(f"similar {name} top-5 of {len(PAIRS)} pairs", hits, "pairs")
        figure(f"similar {name} query p50", p50 * 1000, "ms")
        figure(f"similar {name} query p95", p95 * 1000, "ms")


def search(timer: Timer) -> None:
    """The proposals list's search box for typical queries, and search inside replies and commitments, each as
    staff and as the busiest department's user."""
    from urllib.parse import urlencode

    from django.db.models import Count

    from proposals.models import Department, Member, User
    from replies.models import Reply

    staff = User.objects.filter(role=User.Role.STAFF, is_active=True).order_by("pk").first()
    department = Department.objects.annotate(n=Count("assignments")).order_by("-n", "pk").first()
    department_user = User.objects.filter(department=department, is_active=True).order_by("pk").first()
    name = Member.objects.filter(proposer_links__isnull=False).order_by("pk").values_list("name", flat=True).first()
    doc_number = (Reply.objects.filter(assignment__department=department).exclude(doc_number="")
                  .order_by("pk").values_list("doc_number", flat=True).first())
    lists = [("科技", "科技"), ("科技 创新", "科技 创新"), ("黑土地", "黑土地"), ("a number", "第135号"),
             ("a proposer's name", name), ("a 文号 fragment", doc_number.split("〕")[0] + "〕"),
             ("a whole 文号", doc_number)]
    replies = [("黑土地", {"q": "黑土地"}), ("2 words", {"q": "保护性耕作 面积"}), ("common word 教育", {"q": "教育"}),
               ("commitments only", {"q": "教育", "commitments": "on"}),
               ("one department and year", {"q": "教育", "department": department.pk, "year": 2024}),
               ("no hit", {"q": "量子计算机"})]
    for who, user in (("", staff), (" as department user", department_user)):
        if user is None:
            continue
        timer.login(user)
        for label, q in lists:
            report(timer, f"list search {label}{who}", "/proposals/?" + urlencode({"q": q, "per_page": 50}))
        for label, params in replies:
            report(timer, f"search {label}{who}", "/replies/search/?" + urlencode(params))
    timer.login(staff)


def export(timer: Timer, repeat: int) -> None:
    from openpyxl import load_workbook

    from proposals.models import Proposal, User

    timer.login(User.objects.filter(role=User.Role.STAFF, is_active=True).order_by("pk").first())
    category = "agriculture"
    url = f"/proposals/export/?category={category}"
    _, body = timer.get(url)
    rows = sum(1 for _ in load_workbook(io.BytesIO(body), read_only=True)["提案"].iter_rows()) - 1
    figure("export xlsx rows", rows, "rows")
    figure("export xlsx size", len(body) / 2**20, "MiB")
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        timer.get(url)
        samples.append(time.perf_counter() - started)
    figure("export xlsx time", statistics.median(samples), "s")
    figure("export xlsx time max", max(samples), "s")
    figure(f"export xlsx queries ({rows} rows)", timer.queries(url), "queries")
    session = Proposal.objects.filter(category=category).values_list("session", flat=True).first()
    small = f"{url}&session={session}"
    figure(f"export xlsx queries ({Proposal.objects.filter(category=category, session=session).count()} rows)",
           timer.queries(small), "queries")


def parse() -> None:
    try:
        from replies.parsing import bench
    except ImportError:
        figure("parse", "unavailable", "")
        return
    bench.main(["--repeat", "3"])


class Worker:
    def __init__(self, index: int, log: Path):
        from django.db import connection

        settings_dict = connection.settings_dict
        url = (f"postgres://{settings_dict['USER'] or 'postgres'}"
               f"{':' + settings_dict['PASSWORD'] if settings_dict.get('PASSWORD') else ''}"
               f"@{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}")
        self.name = f"bench{index}-{uuid.uuid4().hex[:6]}"
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", QUEUE, "--concurrency=1",
                   "--loglevel=WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat",
                   f"--hostname={self.name}@%h"]
        env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": MEDIA, "CELERY_TASK_DEFAULT_QUEUE": QUEUE}
        with log.open("a") as handle:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
                                            start_new_session=True)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def wait_ready(workers: list[Worker], log: Path, timeout: float = 120) -> None:
    from config.celery import app

    names = {w.name for w in workers}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answered = {name.split("@")[0] for reply in app.control.ping(timeout=0.5) for name in reply}
        if names <= answered:
            return
    raise SystemExit(f"workers did not start; their log:\n{log.read_text(errors='replace')[-4000:]}")


def e2e_fixture(count: int, token: str):
    """`count` proposals assigned to departments that have a user, in a session of their own."""
    from django.utils import timezone

    from proposals import services
    from proposals.models import Committee, Member, Session, User

    today = timezone.localdate()
    committee = Committee.objects.order_by("pk").first()
    session = Session.objects.create(committee=committee, name=f"基准测试{token}", year=today.year, opened_on=today)
    members = list(Member.objects.filter(kind=Member.Kind.PERSON).order_by("pk")[:count])
    users = list(User.objects.filter(role=User.Role.DEPARTMENT, is_active=True).select_related("department")
                 .order_by("pk")[:50])
    pairs = []
    for number in range(1, count + 1):
        proposal = services.proposal_create(session=session, number=number, title=f"关于基准测试第{number}项的建议",
                                            submitted_on=today, proposers=[members[number % len(members)]])
        services.proposal_register(proposal=proposal)
        user = users[number % len(users)]
        pairs.append((services.assignment_create(proposal=proposal, department=user.department,
                                                 assigned_on=today), user))
    return session, pairs


def e2e_cleanup(session) -> None:
    from indicators.models import Commitment, Indicator
    from proposals.models import Assignment, Proposal
    from replies.models import Reply

    replies = Reply.objects.filter(assignment__proposal__session=session)
    Indicator.objects.filter(reply__in=replies).delete()
    Commitment.objects.filter(reply__in=replies).delete()
    replies.delete()
    Assignment.objects.filter(proposal__session=session).delete()
    Proposal.objects.filter(session=session).delete()
    session.delete()


def e2e_run(workers_count: int, uploads: int, log: Path) -> float:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from config.celery import app
    from replies.models import Reply
    from replies.services import reply_upload

    pdf = (ROOT / "proposals" / "demo" / "jl-kjt-2022-108.pdf").read_bytes()
    token = uuid.uuid4().hex[:6]
    session, pairs = e2e_fixture(uploads, token)
    workers = [Worker(i, log) for i in range(workers_count)]
    try:
        wait_ready(workers, log)
        started = time.perf_counter()
        # one transaction: every parse task is sent at its commit, to workers that are already waiting
        with transaction.atomic():
            ids = [reply_upload(assignment=assignment, uploaded_by=user,
                                file=SimpleUploadedFile(f"reply-{i}.pdf", pdf + f"\n%bench {token} {i}\n".encode(),
                                                        content_type="application/pdf")).pk
                   for i, (assignment, user) in enumerate(pairs)]
        uploaded = time.perf_counter()
        deadline = uploaded + 3600
        done = 0
        while time.perf_counter() < deadline:
            done = Reply.objects.filter(pk__in=ids, parse_status__in=["parsed", "failed"]).count()
            if done == len(ids):
                break
            time.sleep(0.2)
        finished = time.perf_counter()
        failed = Reply.objects.filter(pk__in=ids, parse_status="failed").count()
        if done < len(ids) or failed:
            figure(f"e2e {workers_count} workers unfinished or failed", len(ids) - done + failed, "replies")
        figure(f"e2e upload {uploads} PDFs", uploaded - started, "s")
        figure(f"e2e {workers_count} worker{'s' if workers_count > 1 else ''} all parsed", finished - uploaded, "s")
        figure(f"e2e {workers_count} worker{'s' if workers_count > 1 else ''} throughput",
               uploads / (finished - uploaded), "replies/s")
        return finished - uploaded
    finally:
        for worker in workers:
            worker.stop()
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(QUEUE)
            conn.default_channel.client.delete(f"_kombu.binding.{QUEUE}", f"_kombu.binding_permanent.{QUEUE}")
        e2e_cleanup(session)


def e2e(uploads: int, workers: list[int], rounds: int) -> None:
    """Each worker count in turn, `rounds` times over, so a slow minute of a shared machine does not land on
    one count only; the speed-up compares medians."""
    from config.celery import app

    app.conf.task_always_eager = False
    log = Path(MEDIA) / "workers.log"
    elapsed: dict[int, list[float]] = {n: [] for n in workers}
    for _ in range(rounds):
        for n in workers:
            elapsed[n].append(e2e_run(n, uploads, log))
    medians = {n: statistics.median(seconds) for n, seconds in elapsed.items()}
    for n, seconds in medians.items():
        figure(f"e2e {n} worker{'s' if n > 1 else ''} all parsed, median of {rounds}", seconds, "s")
    if 1 in medians:
        for n, seconds in medians.items():
            if n != 1:
                figure(f"e2e speed-up {n} workers over 1", medians[1] / seconds, "ratio")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python bench/run.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests first (at least 1)")
    parser.add_argument("--export-repeat", type=int, default=3)
    parser.add_argument("--uploads", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3, help="end-to-end runs of each worker count")
    parser.add_argument("--workers", type=lambda s: [int(n) for n in s.split(",")], default=[1, 2],
                        help="worker process counts to time, comma-separated (default 1,2)")
    parser.add_argument("--only", type=lambda s: s.split(","), default=list(SECTIONS),
                        help=f"sections, comma-separated: {','.join(SECTIONS)}")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.db import connection

    import config.wsgi  # noqa: F401  start up as the web server does (it also freezes start-up objects for gc)

    if connection.vendor != "postgresql":
        raise SystemExit("the benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")
    machine()
    data()
    timer = Timer(repeat=args.repeat, warmup=args.warmup)
    if "pages" in args.only:
        pages(timer)
    if "similar" in args.only:
        similar(timer)
    if "search" in args.only:
        search(timer)
    if "export" in args.only:
        export(timer, args.export_repeat)
    if "parse" in args.only:
        parse()
    if "e2e" in args.only:
        e2e(args.uploads, args.workers, args.rounds)


if __name__ == "__main__":
    main()
