"""A department uploads its reply in the browser: a .wps file is refused with advice, a .docx is taken."""

import docx
import pytest

from proposals.models import User
from proposals.services import user_create
from replies.models import Reply
from tests.factories import AssignmentFactory, DepartmentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_wps_reply_is_refused_with_advice_and_the_docx_saved_from_it_is_taken(page, media_root, tmp_path, log_in,
                                                                               both_widths):
    department = DepartmentFactory(name="吉林省科学技术厅")
    assignment = AssignmentFactory(department=department)
    user_create(username="kjt", password="kjt-pass-2026", role=User.Role.DEPARTMENT, department=department)
    wps = tmp_path / "答复.wps"
    wps.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048))
    document = docx.Document()
    for line in ["关于省政协十二届五次会议第1号委员提案的答复", "下一步，将持续推进。"]:
        document.add_paragraph(line)
    document.save(tmp_path / "答复.docx")

    log_in(page, "kjt", "kjt-pass-2026")
    page.goto(f"/replies/upload/{assignment.pk}/")
    assert page.get_attribute("input[name=file]", "accept") == ".pdf,.docx,.ofd"
    page.set_input_files("input[name=file]", str(wps))
    page.click("form.card button[type=submit]")
    page.get_by_text("请另存为 PDF、DOCX 或 OFD").wait_for()
    both_widths(page, "upload-wps-refused")
    assert not Reply.objects.exists()

    page.set_input_files("input[name=file]", str(tmp_path / "答复.docx"))
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/replies/*/")
    assert Reply.objects.get().file.name.endswith(".docx")
