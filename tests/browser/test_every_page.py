"""Show it: every page as each role (staff, supervisor, department, member) and the anonymous public pages, at desktop
and phone width, on the demo data, in Chinese and in English.

Each page: nothing wider than the viewport, no axe-core violation of impact serious or critical, a title naming the
page, and a screenshot under build/screenshots/every-page/. In English no Chinese is left on the page but data: a run
of Chinese characters passes only where it is part of a value stored in the database (a title, a name, a number, a
reply's text), so a UI label left untranslated (or never marked for translation) fails the walk."""

import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models

from indicators.models import Commitment
from proposals.models import Assignment, CoOpinion, Proposal, ProposalDraft, User
from proposals.services import user_create
from replies.models import Reply
from tests.browser.conftest import SCREENSHOTS
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = ((1366, 900), (390, 844))
SERIOUS = {"serious", "critical"}
BRANDS = ("提案答复追踪", "提案答复公开", "建议答复公开")  # the app's name and its public pages' (in the words of the bodies they hold)
ACCOUNTS = {"staff": "staff-demo-2026", "supervisor": "supervisor-demo-2026", "kjt": "kjt-demo-2026",
            "lixiuyu": "lixiuyu-demo-2026", "public": None}

# axe rules a page may still break, with the reason; empty means every rule holds everywhere.
ALLOWED_AXE_RULES: dict[str, str] = {}
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# A run this short must be a whole stored value (a name, a unit) to pass as data: a two-character UI word such as
# 状态 or 附件 is inside many stored texts and would otherwise hide.
SHORT_RUN = 3
# Elements whose text is a stored document cut into pieces by highlights; their pieces pass if they are in it.
DATA_CONTAINERS = "#reply-text, .reply-text, .body, textarea, .public-text"


def demo_pages(username: str) -> list[tuple[str, str]]:
    """(name, path) of every page the role reaches from its menu and from the demo's rows."""
    if username == "public":
        published = Reply.objects.published().first()
        return [("public-list", "/public/"), ("public-search", "/public/?q=黑土地"),
                ("public-detail", f"/public/{published.pk}/"), ("login", "/accounts/login/"),
                ("not-found", "/public/99999999/")]
    if username == "lixiuyu":
        user = User.objects.get(username=username)
        own = Proposal.objects.visible_to(user).order_by("pk")
        answered = own.filter(assignments__replies__released_at__isnull=False).first()
        draft = ProposalDraft.objects.visible_to(user).order_by("pk")
        return [("my-home", "/my/"), ("my-proposal", f"/my/proposals/{own.first().pk}/"),
                ("my-proposal-answered", f"/my/proposals/{answered.pk}/"),
                ("my-draft-new", "/my/drafts/new/"), ("my-draft", f"/my/drafts/{draft.first().pk}/"),
                ("my-notifications", "/my/notifications/"), ("password", "/accounts/password/"),
                ("not-found", "/my/proposals/99999999/"), ("internal-page", "/proposals/")]
    proposal = Proposal.objects.get(number=135)
    reply = Reply.objects.filter(assignment__proposal=proposal).order_by("-version").first()
    commitment = Commitment.objects.filter(reply=reply).first()
    lead = Assignment.objects.filter(proposal=proposal, role="lead").first()
    pages = [
        ("home", "/"),
        ("proposal-list", "/proposals/"),
        ("proposal-list-search", "/proposals/?q=科技+创新"),
        ("proposal-list-past-end", "/proposals/?page=9999"),
        ("proposal-detail", f"/proposals/{proposal.pk}/"),
        ("reply-review", f"/replies/{reply.pk}/"),
        ("reply-search", "/replies/search/?q=黑土地"),
        ("follow-up", "/rows/commitments/"),
        ("queue", "/proposals/queue/"),
        ("password", "/accounts/password/"),
        ("not-found", "/proposals/99999999/"),
    ]
    if commitment:
        pages.append(("commitment-detail", f"/rows/commitments/{commitment.pk}/"))
    user = User.objects.get(username=username)
    if opinion := CoOpinion.objects.visible_to(user).order_by("pk").first():
        pages.append(("proposal-detail-co-opinion", f"/proposals/{opinion.assignment.proposal_id}/"))
    if username in ("staff", "supervisor"):
        pages += [("dashboard", "/proposals/dashboard/"), ("series", "/rows/series/"), ("report", "/proposals/report/")]
    if username == "staff":
        pages += [("todo", "/proposals/todo/"), ("proposal-new", "/proposals/new/"),
                  ("proposal-edit", f"/proposals/{proposal.pk}/edit/"), ("import", "/proposals/import/"),
                  ("locks", "/accounts/locks/"), ("member-accounts", "/proposals/members/"),
                  ("upload", f"/replies/upload/{lead.pk}/")]
    if username == "kjt":
        pages += [("upload", f"/replies/upload/{lead.pk}/"), ("forbidden-todo", "/proposals/todo/"),
                  ("forbidden-dashboard", "/proposals/dashboard/"), ("forbidden-series", "/rows/series/")]
        co = Assignment.objects.filter(department=user.department, role="co").order_by("pk").first()
        if co:
            pages.append(("co-opinion-form", f"/proposals/assignments/{co.pk}/co-opinion/"))
    return pages


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page).response
    return [f"{v['id']} ({v['impact']}): {', '.join(n['target'][0] for n in v['nodes'][:3])}"
            for v in results["violations"] if v["impact"] in SERIOUS and v["id"] not in ALLOWED_AXE_RULES]


def stored_texts() -> tuple[str, set[str]]:
    """Every Chinese text value stored in the app's tables (choices left out: their labels are UI), as one string
    to search runs in, and the set of whole values."""
    values = set()
    for model in apps.get_models():
        if model._meta.app_label not in ("proposals", "replies", "indicators") or "historical" in model.__name__.lower():
            continue
        fields = [f.attname for f in model._meta.concrete_fields
                  if isinstance(f, (models.CharField, models.TextField)) and not f.choices]
        if fields:
            for row in model.objects.values_list(*fields):
                values.update(v for v in row if v and HAN.search(v))
    return "\n".join(values), values


# The page's words: every text node (hidden ones too: a closed <details> is still UI) but those of a part marked
# lang as another language, the title, and the
# placeholder, aria-label, title and alt attributes; each with whether it sits in a data container.
PAGE_WORDS = """containers => {
    const out = [[document.title, false]];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || parent.closest('script, style, template')) continue;
        const part = parent.closest('[lang]');  // a part marked as in another language (a language's own name)
        if (part && part.lang !== document.documentElement.lang) continue;
        out.push([node.textContent, !!parent.closest(containers)]);
    }
    for (const el of document.querySelectorAll('[placeholder], [aria-label], [title], [alt]'))
        for (const name of ['placeholder', 'aria-label', 'title', 'alt'])
            if (el.hasAttribute(name)) out.push([el.getAttribute(name), false]);
    return out;
}"""


def is_data(piece: str, stored: tuple[str, set[str]], *, in_container: bool) -> bool:
    """A piece of text is data when it splits into stored values, parts of one (long enough not to be a UI word, or
    inside a data container) and characters that are not Chinese: 省政协 + 十三届四次会议 (a committee and a
    session), ： + 吉科发办〔2022〕108号 (a label's colon and a document number). A shown value cut short ends in …"""
    blob, whole = stored
    piece = piece.removesuffix("…")

    def stored_part(part: str) -> bool:
        return part in whole or (part in blob and (len("".join(HAN.findall(part))) >= SHORT_RUN or in_container))

    if stored_part(piece):
        return True
    ends = {0}
    for end in range(1, len(piece) + 1):
        if (end - 1 in ends and not HAN.match(piece[end - 1])) or any(
                stored_part(piece[start:end]) for start in ends if start < end):
            ends.add(end)
    return len(piece) in ends


def untranslated(page, stored: tuple[str, set[str]]) -> list[str]:
    """Pieces of the page (split at spaces and the · separator) holding Chinese that is no stored data."""
    found = set()
    for text, in_container in page.evaluate(PAGE_WORDS, DATA_CONTAINERS):
        for piece in re.split(r"[\s·]+", text or ""):
            if HAN.search(piece) and not is_data(piece, stored, in_container=in_container):
                found.add(piece)
    return sorted(found)


def test_the_english_check_passes_stored_data_and_catches_a_ui_word_left_in_chinese():
    blob = "省政协\n十三届四次会议\n吉科发办〔2022〕108号\n关于加快高新技术产业的建议\n办理状态良好\n李秀玉"
    stored = (blob, set(blob.split("\n")))
    for data in ("省政协十三届四次会议", "：吉科发办〔2022〕108号", "关于加快高新技术产业…", "李秀玉（lead", "Lead：李秀玉"):
        assert is_data(data, stored, in_container=False), data
    for ui in ("状态", "第1号", "附件（可选：PDF）", "李秀玉的提案"):  # 状态 is inside a stored text, but a UI word
        assert not is_data(ui, stored, in_container=False), ui
    assert is_data("状态", stored, in_container=True)  # a piece of a reply's text between two highlights


@pytest.fixture
def demo(db):
    call_command("load_demo")
    if not Reply.objects.published().exists():  # the public pages need one 公开 reply
        from replies import services

        staff = User.objects.get(username="staff")
        reply = Reply.objects.filter(released_at__isnull=False, withdrawn_at__isnull=True,
                                     assignment__isnull=False).order_by("pk").first()
        services.redactions_propose(reply=reply, by=staff)
        services.redactions_review_all(reply=reply, accept=True, by=staff)
        services.reply_publish(reply=reply, by=staff)


def walk(page, username: str, password: str | None, *, base_url: str, log_in, screenshot, stored) -> list[str]:
    problems = []
    page.context.clear_cookies()
    if password:
        log_in(page, username, password)
    for language in ("zh-hans", "en"):  # chosen as the language menu does: Django's language cookie
        page.context.add_cookies([{"name": "django_language", "value": language, "url": base_url}])
        for name, path in demo_pages(username):
            page.set_viewport_size({"width": 1366, "height": 900})
            response = page.goto(path)
            where = f"{username} {language} {path}"
            expected = 403 if name.startswith("forbidden") else 404 if name in ("not-found", "internal-page") else 200
            if response.status != expected:
                problems.append(f"{where}: HTTP {response.status}, expected {expected}")
            title = page.title()
            if language == "zh-hans" and (not any(brand in title for brand in BRANDS) or title in BRANDS):
                problems.append(f"{where}: the title names no page")
            if language == "en":
                problems += [f"{where}: untranslated {run}" for run in untranslated(page, stored)]
            for width, height in WIDTHS:
                page.set_viewport_size({"width": width, "height": height})
                if (extra := overflow(page)) > 0:
                    problems.append(f"{where} at {width}px: {extra}px wider than the screen")
                if language == "zh-hans":
                    problems += [f"{where} at {width}px: {v}" for v in serious_violations(page)]
                screenshot(page, f"every-page/{username}-{name}-{language}-{width}")
    return problems


@pytest.mark.parametrize("username", ACCOUNTS)
def test_every_page_of_a_role_fits_the_screen_passes_axe_and_reads_in_english(demo, page, live_server, log_in,
                                                                              screenshot, username):
    problems = walk(page, username, ACCOUNTS[username], base_url=live_server.url, log_in=log_in,
                    screenshot=screenshot, stored=stored_texts())
    (SCREENSHOTS / "every-page" / f"problems-{username}.txt").write_text("\n".join(problems) + "\n")
    assert not problems, "\n".join(problems)


@pytest.fixture
def department_account(db):
    user_create(username="kjt", password="kjt-pass-2026", role=User.Role.DEPARTMENT,
                department=DepartmentFactory(name="吉林省科学技术厅", short_name="省科技厅"), first_name="王科")
    return "kjt", "kjt-pass-2026"


def test_at_phone_width_the_menu_opens_from_its_button(department_account, page, log_in, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, *department_account)
    nav = page.locator("header nav")
    assert not nav.is_visible()
    page.get_by_test_id("menu-button").click()
    assert nav.is_visible()
    lines = nav.locator("a").evaluate_all("""links => links.map(a => {
        const range = document.createRange(); range.selectNodeContents(a);
        return [a.textContent.trim(), range.getClientRects().length]; })""")
    assert all(count == 1 for _, count in lines), lines  # each entry on one line: no word broken
    screenshot(page, "every-page/kjt-menu-open-390")


def test_a_department_menu_offers_only_pages_it_may_open(department_account, page, log_in):
    log_in(page, *department_account)
    hrefs = page.locator("header nav a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == ["/proposals/queue/", "/proposals/", "/rows/commitments/", "/replies/search/"]
    for href in hrefs:
        assert page.goto(href).status == 200
