"""The list's .xlsx reads as a spreadsheet should: columns fitted, header frozen and filterable, dates as dates,
numbers as numbers; every export's file name carries its filter and the day."""

import io
from datetime import date, datetime
from urllib.parse import unquote

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import AssignmentFactory, DepartmentFactory

pytestmark = pytest.mark.django_db


def download_name(response) -> str:
    return unquote(response["Content-Disposition"].split("filename*=UTF-8''", 1)[1])


@pytest.fixture
def workbook(client, staff_user):
    AssignmentFactory(proposal__number=7, proposal__title="关于加快高新技术产业发展推动创新型省份建设的建议",
                      assigned_on=date(2022, 4, 1))
    client.force_login(staff_user)
    response = client.get("/proposals/export/")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def test_the_header_row_is_frozen_and_filterable(workbook):
    assert workbook.freeze_panes == "A2"
    assert workbook.auto_filter.ref == "A1:R2"  # 18 columns


def test_columns_are_as_wide_as_their_content(workbook):
    title_width = workbook.column_dimensions["C"].width
    assert title_width >= 2 * len("关于加快高新技术产业发展推动创新型省份建设的建议")
    assert workbook.column_dimensions["B"].width < title_width


def test_dates_are_dates_and_numbers_are_numbers(workbook):
    headers = [cell.value for cell in workbook[1]]
    row = {header: cell.value for header, cell in zip(headers, workbook[2], strict=True)}
    assert row["提案号"] == 7
    assert isinstance(row["交办日期"], datetime) and row["交办日期"].date() == date(2022, 4, 1)


def test_the_file_name_carries_the_filter_and_the_day(client, staff_user):
    department = DepartmentFactory(short_name="省科技厅")
    client.force_login(staff_user)
    today = f"{timezone.localdate():%Y%m%d}"
    response = client.get("/proposals/export/", {"department": department.pk, "overdue": "on", "format": "csv"})
    assert download_name(response) == f"提案-省科技厅-已超期-{today}.csv"
    assert download_name(client.get("/proposals/export/")) == f"提案-{today}.xlsx"
