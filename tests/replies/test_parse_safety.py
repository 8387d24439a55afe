"""Hostile files end in 失败 with a reason, within their budgets, and the process that asked survives them."""

import os
import resource
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from replies.models import Reply
from replies.parsing import ParseError
from replies.parsing.extract import MAX_OCR_PIXELS, Limits
from replies.parsing.isolated import Sandbox, parse_file_isolated
from replies.services import reply_parse, reply_upload
from tests.pdfs import text_pdf

from . import hostile
from .test_parse_service import REPLY_LINES, assignment  # noqa: F401


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    made = {"bomb": hostile.bomb_pdf(inflated_mb=1024), "huge": hostile.huge_image_pdf(),
            "shared": hostile.shared_stream_pdf()}
    for name, data in made.items():
        (folder / f"{name}.pdf").write_bytes(data)
    return folder


def _timed(path, **kwargs):
    started = time.monotonic()
    with pytest.raises(ParseError) as error:
        parse_file_isolated(path, **kwargs)
    return str(error.value), time.monotonic() - started


def test_a_decompression_bomb_hits_the_memory_ceiling_of_the_child_not_of_this_process(files):
    own_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert (files / "bomb.pdf").stat().st_size < 3 * 2**20  # 1 GB once inflated
    message, seconds = _timed(files / "bomb.pdf", sandbox=Sandbox(memory_bytes=512 * 2**20))
    assert message.startswith("文件无法安全解析") and "512 MB" in message
    assert seconds < 30
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - own_before < 200 * 1024  # KiB: nothing inflated here


def test_a_page_with_a_40000_by_40000_image_is_refused_before_it_is_decoded(files):
    message, seconds = _timed(files / "huge.pdf", sandbox=Sandbox(memory_bytes=1024 * 2**20))
    assert "40000×40000" in message and "第 1 页" in message
    assert seconds < 15


def test_500_pages_on_one_costly_stream_stop_at_the_page_budget(files):
    message, seconds = _timed(files / "shared.pdf", sandbox=Sandbox(page_seconds=2))
    assert message.startswith("文件无法安全解析") and "超过 2 秒" in message
    assert seconds < 10


def test_500_pages_on_one_costly_stream_stop_at_the_file_budget(files):
    message, seconds = _timed(files / "shared.pdf", limits=Limits(timeout=6), sandbox=Sandbox(page_seconds=60))
    assert "超时" in message
    assert seconds < 6 + 10


def test_the_child_and_its_tesseracts_are_gone_after_a_kill(files, monkeypatch):
    import subprocess

    from replies.parsing import isolated

    started, real_popen = [], subprocess.Popen

    def popen(*args, **kwargs):
        process = real_popen(*args, **kwargs)
        started.append(process.pid)
        return process

    monkeypatch.setattr(isolated.subprocess, "Popen", popen)
    _timed(files / "shared.pdf", sandbox=Sandbox(page_seconds=3))
    assert len(started) == 1
    time.sleep(0.5)
    assert _in_session(started[0]) == set()  # the child (its own session) and every tesseract it ran


def _in_session(session: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == session and fields[0] != "Z":
                found.add(int(entry))
    return found


def test_the_heartbeat_beats_while_the_child_works(files):
    beats = []
    _timed(files / "shared.pdf", sandbox=Sandbox(page_seconds=3, heartbeat_seconds=0.5),
           heartbeat=lambda: beats.append(time.monotonic()))
    assert len(beats) >= 4


def test_a_good_file_parses_in_the_child_with_its_progress(tmp_path):
    path = tmp_path / "r.pdf"
    path.write_bytes(text_pdf([REPLY_LINES, REPLY_LINES]))
    seen = []
    result = parse_file_isolated(path, progress=lambda done, total: seen.append((done, total)))
    assert result["pages"] == 2 and result["header"]["doc_number"] == "吉教函〔2022〕15号"
    assert seen[-1] == (2, 2)


def test_rendering_stays_within_the_pixel_bound_for_an_absurd_page():
    import pypdfium2 as pdfium

    from replies.parsing.extract import _render

    document = pdfium.PdfDocument.new()
    page = document.new_page(14400, 14400)  # 200 x 200 inches, the largest MediaBox PDF allows
    scan = _render(page, 300)
    assert scan.image.width * scan.image.height <= MAX_OCR_PIXELS


@pytest.mark.django_db
def test_a_reply_whose_file_is_a_bomb_fails_with_the_reason_and_the_next_one_parses(assignment, staff_user, files,  # noqa: F811
                                                                                  settings):
    settings.REPLY_PARSE_MAX_MEMORY_MB = 512
    bomb = reply_upload(assignment=assignment, uploaded_by=staff_user,
                        file=SimpleUploadedFile("bomb.pdf", (files / "bomb.pdf").read_bytes()))
    bomb = reply_parse(reply_id=bomb.pk)
    assert bomb.parse_status == Reply.ParseStatus.FAILED
    assert bomb.parse_error.startswith("文件无法安全解析") and bomb.parse_lease_until is None
    Reply.objects.filter(pk=bomb.pk).update(withdrawn_at=bomb.uploaded_at, withdraw_reason="bomb")

    good = reply_upload(assignment=assignment, uploaded_by=staff_user,
                        file=SimpleUploadedFile("r.pdf", text_pdf([REPLY_LINES])))
    assert reply_parse(reply_id=good.pk).parse_status == Reply.ParseStatus.PARSED
