"""English through Django's i18n: the Chinese msgids are translated in locale/en, and the pages switch language.

The catalogue tests need no GNU gettext: they read the .po and the committed .mo with Python alone. After adding
or changing a marked string, run `manage.py makemessages -l en --ignore=.venv --ignore=build --ignore=media`,
translate the new entries in locale/en/LC_MESSAGES/django.po and run `manage.py compilemessages`.
"""

import ast
import gettext as gnu_gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

BASE_DIR = Path(settings.BASE_DIR)
PO_PATH = BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

# The folders makemessages is told to skip (see the module docstring), and others that hold no project source.
SKIPPED_DIRS = {".venv", "venv", "build", "media", "staticfiles", "node_modules", "__pycache__"}
GETTEXT_FUNCTIONS = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy", "pgettext",
                     "pgettext_lazy", "npgettext", "npgettext_lazy"}
pytestmark = pytest.mark.django_db

PLACEHOLDER = re.compile(r"%\([^)]+\)[#0\- +]*\d*(?:\.\d+)?[a-zA-Z]|\{[^{}]*\}")


# ---------------------------------------------------------------------------------------------------------------
# The catalogue
# ---------------------------------------------------------------------------------------------------------------

def _unquote(text: str) -> str:
    assert text.startswith('"') and text.endswith('"'), text
    escapes = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), text[1:-1])


def parse_po(path: Path) -> list[dict]:
    """The entries of a .po file (obsolete `#~` entries left out), each with its flags, msgid and msgstr(s)."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry = {"flags": set(), "msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": {}}
        field = None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif match := re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$", line):
                key, index, value = match.groups()
                field = ("msgstr", int(index or 0)) if key.startswith("msgstr") else (key, None)
                if field[0] == "msgstr":
                    entry["msgstr"][field[1]] = _unquote(value)
                else:
                    entry[key] = _unquote(value)
            elif line.startswith('"') and field:
                if field[0] == "msgstr":
                    entry["msgstr"][field[1]] += _unquote(line)
                else:
                    entry[field[0]] += _unquote(line)
        if entry["msgid"] is not None:
            entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def po_entries():
    assert PO_PATH.exists(), f"{PO_PATH} is missing: run makemessages -l en"
    entries = parse_po(PO_PATH)
    header = [e for e in entries if e["msgid"] == ""]
    assert header, "the .po file has no header entry"
    assert "fuzzy" not in header[0]["flags"], "the .po header is fuzzy: msgfmt would ignore its charset"
    return [e for e in entries if e["msgid"] != ""]


def _describe(entry: dict) -> str:
    return repr(entry["msgid"])


def test_every_msgid_has_a_translation(po_entries):
    untranslated = [_describe(e) for e in po_entries if not all(s.strip() for s in e["msgstr"].values())]
    assert not untranslated, (
        f"{len(untranslated)} msgid(s) in {PO_PATH.relative_to(BASE_DIR)} have no English translation; "
        "translate them and run `manage.py compilemessages`:\n" + "\n".join(untranslated)
    )


def test_no_fuzzy_entries(po_entries):
    fuzzy = [_describe(e) for e in po_entries if "fuzzy" in e["flags"]]
    assert not fuzzy, "fuzzy entries are not used at run time; check and unmark them:\n" + "\n".join(fuzzy)


def test_plural_entries_have_both_english_forms(po_entries):
    plurals = [e for e in po_entries if e["msgid_plural"] is not None]
    assert plurals, "expected at least one plural entry (the proposals list count)"
    for entry in plurals:
        assert sorted(entry["msgstr"]) == [0, 1], _describe(entry)


def test_translations_keep_the_placeholders(po_entries):
    wrong = []
    for entry in po_entries:
        sources = [entry["msgid"]] + ([entry["msgid_plural"]] if entry["msgid_plural"] is not None else [])
        expected = sorted(set(PLACEHOLDER.findall(" ".join(sources))))
        python_format = "python-format" in entry["flags"]
        for msgstr in entry["msgstr"].values():
            if sorted(set(PLACEHOLDER.findall(msgstr))) != expected:
                wrong.append(f"{entry['msgid']!r} -> {msgstr!r}")
            # A python-format string writes a literal percent sign as %%, as its msgid does.
            elif python_format and re.search(r"%(?!%|\()", msgstr.replace("%%", "")):
                wrong.append(f"{entry['msgid']!r} -> {msgstr!r} (a lone %)")
    assert not wrong, "placeholders differ between msgid and msgstr:\n" + "\n".join(wrong)


def test_compiled_catalogue_matches_the_po(po_entries):
    """The .mo is committed (no gettext is needed at run time), so it must be compiled from the current .po."""
    assert MO_PATH.exists(), f"{MO_PATH} is missing: run `manage.py compilemessages`"
    with MO_PATH.open("rb") as handle:
        catalogue = gnu_gettext.GNUTranslations(handle)
    stale = []
    for entry in po_entries:
        msgid = entry["msgid"] if entry["msgctxt"] is None else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if entry["msgid_plural"] is None:
            got = [catalogue._catalog.get(msgid)]
            want = [entry["msgstr"][0]]
        else:
            got = [catalogue._catalog.get((msgid, i)) for i in sorted(entry["msgstr"])]
            want = [entry["msgstr"][i] for i in sorted(entry["msgstr"])]
        if got != want:
            stale.append(f"{entry['msgid']!r}: .mo has {got!r}, .po has {want!r}")
    assert not stale, "the .mo is out of date; run `manage.py compilemessages`:\n" + "\n".join(stale)


def _source_files(suffixes: tuple[str, ...]):
    for path in sorted(BASE_DIR.rglob("*")):
        parts = path.relative_to(BASE_DIR).parts
        if any(part in SKIPPED_DIRS or part.startswith(".") for part in parts[:-1]):
            continue
        if path.suffix in suffixes and path.is_file():
            yield path


def _python_msgids(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        if name not in GETTEXT_FUNCTIONS:
            continue
        args = node.args[1:] if name.startswith(("pgettext", "npgettext")) else node.args
        if args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
            yield node.lineno, args[0].value


def _template_msgids(path: Path):
    from django.utils.translation.template import templatize

    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    literal = r"u?(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"
    for match in re.finditer(rf"\b(gettext|ngettext|pgettext|npgettext|_)\(\s*({literal})(?:\s*,\s*({literal}))?", code):
        name, first, second = match.groups()
        msgid = ast.literal_eval(second if name in ("pgettext", "npgettext") else first)
        yield code.count("\n", 0, match.start()) + 1, msgid


def test_every_marked_string_is_in_the_po(po_entries):
    """A string marked for translation after the last makemessages run is caught here, even without gettext."""
    known = {e["msgid"] for e in po_entries}
    missing = []
    for path in _source_files((".py",)):
        missing += [f"{path.relative_to(BASE_DIR)}:{line}: {msgid!r}" for line, msgid in _python_msgids(path)
                    if msgid and msgid not in known]
    for path in _source_files((".html", ".txt")):
        missing += [f"{path.relative_to(BASE_DIR)}:{line}: {msgid!r}" for line, msgid in _template_msgids(path)
                    if msgid and msgid not in known]
    assert not missing, (
        "strings marked for translation are missing from the English catalogue; run makemessages -l en, "
        "translate them and run compilemessages:\n" + "\n".join(missing)
    )


# ---------------------------------------------------------------------------------------------------------------
# The pages
# ---------------------------------------------------------------------------------------------------------------

def _switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def _page(client, name, **extra):
    response = client.get(reverse(name), **extra)
    assert response.status_code == 200
    return response.content.decode()


def _assert_all_in(page, texts):
    missing = [t for t in texts if t not in page]
    assert not missing, f"not on the page: {missing}"


def _assert_none_in(page, texts):
    present = [t for t in texts if t in page]
    assert not present, f"untranslated on the page: {present}"


LIST_ZH = ["提案", "导出 Excel", "筛选", "提案号", "办理期限", "已交办", "主办", "退出", "督办统计"]
LIST_EN = ["Proposals", "Export Excel", "Filter", "Proposal no.", "Deadline", "Assigned", "Lead", "Log out",
           "Supervision dashboard", "1 proposal", "Proposal office staff"]
DASHBOARD_ZH = ["督办统计", "办复率", "按期办复率", "满意率", "承诺办成率", "超期件数（按承办单位）"]
DASHBOARD_EN = ["Supervision dashboard", "Reply rate", "On-time reply rate", "Satisfaction rate",
                "Commitments kept rate", "Overdue assignments by department", "close to 100%;"]
LOGIN_ZH = ["提案答复追踪", "登录", "用户名", "密码"]
LOGIN_EN = ["Proposal-Reply Tracker", "Log in", "Username", "Password"]


@pytest.fixture
def staff_client(client, staff_user):
    from tests.factories import AssignmentFactory

    AssignmentFactory()
    client.force_login(staff_user)
    return client


def test_proposals_list_is_chinese_by_default(staff_client):
    page = _page(staff_client, "proposals:list")
    assert '<html lang="zh-hans">' in page
    _assert_all_in(page, LIST_ZH + ["1 件"])
    _assert_none_in(page, ["Export Excel", "Proposal no.", "Log out", "Assigned"])


def test_proposals_list_in_english_after_switching(staff_client):
    _switch_to_english(staff_client)
    page = _page(staff_client, "proposals:list")
    assert '<html lang="en">' in page
    _assert_all_in(page, LIST_EN)
    _assert_none_in(page, ["导出 Excel", "筛选", "提案号", "办理期限", "已交办", "退出", "督办统计", "件</small>"])


def test_proposals_list_plural(staff_client):
    from tests.factories import ProposalFactory

    ProposalFactory()
    _switch_to_english(staff_client)
    _assert_all_in(_page(staff_client, "proposals:list"), ["2 proposals"])


def test_dashboard_chinese_by_default(staff_client):
    page = _page(staff_client, "proposals:dashboard")
    _assert_all_in(page, DASHBOARD_ZH + ["接近100%，"])
    _assert_none_in(page, ["Reply rate", "Satisfaction rate"])


def test_dashboard_in_english_after_switching(staff_client):
    _switch_to_english(staff_client)
    page = _page(staff_client, "proposals:dashboard")
    _assert_all_in(page, DASHBOARD_EN)
    _assert_none_in(page, DASHBOARD_ZH + ["100%%"])


def test_login_page_chinese_by_default(client):
    page = _page(client, "login")
    _assert_all_in(page, LOGIN_ZH)
    _assert_none_in(page, ["Username", "Password"])


def test_login_page_in_english_from_accept_language(client):
    page = _page(client, "login", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="en">' in page
    _assert_all_in(page, LOGIN_EN)
    _assert_none_in(page, LOGIN_ZH)


def test_login_page_in_english_after_switching(client):
    _switch_to_english(client)
    page = _page(client, "login")
    _assert_all_in(page, LOGIN_EN)
    _assert_none_in(page, LOGIN_ZH)


def test_failed_login_message_in_english(client):
    _switch_to_english(client)
    response = client.post(reverse("login"), {"username": "nobody", "password": "wrong"})
    _assert_all_in(response.content.decode(), ["Incorrect username or password."])


def test_unoffered_language_falls_back_to_chinese(client):
    page = _page(client, "login", HTTP_ACCEPT_LANGUAGE="fr")
    _assert_all_in(page, LOGIN_ZH)


def test_switching_back_to_chinese(staff_client):
    _switch_to_english(staff_client)
    staff_client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    page = _page(staff_client, "proposals:list")
    _assert_all_in(page, LIST_ZH)
    _assert_none_in(page, ["Export Excel", "Log out"])


def test_language_switch_offers_both_languages_each_in_its_own_name(client):
    _assert_all_in(_page(client, "login"), ['<option value="zh-hans" lang="zh-hans" selected>简体中文</option>',
                                            '<option value="en" lang="en">English</option>'])
    _switch_to_english(client)
    _assert_all_in(_page(client, "login"), ['<option value="zh-hans" lang="zh-hans">简体中文</option>',
                                            '<option value="en" lang="en" selected>English</option>'])


def test_python_labels_and_messages_translate():
    from proposals.models import Assignment, Proposal
    from replies.models import Feedback

    with translation.override("en"):
        assert Proposal.Status.SUBMITTED.label == "Submitted"
        assert str(Proposal._meta.get_field("number").verbose_name) == "Proposal no."
        assert Assignment.Role.CO.label == "Co-handling"
        assert [str(label) for _, label in Feedback.Rating.choices] == [
            "Satisfied", "Basically satisfied", "Unsatisfied"]
    with translation.override("zh-hans"):
        assert Proposal.Status.SUBMITTED.label == "已提交"
