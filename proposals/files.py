"""Uploaded files served back: one response for every file view (replies, proposal attachments, evidence)."""

import re
import unicodedata
from pathlib import PurePosixPath
from urllib.parse import quote

from django.http import FileResponse

PDF = "application/pdf"
# Served by type for the browser's "save" dialog; nothing but a real PDF is ever shown inline.
TYPES = {".pdf": PDF, ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
         ".webp": "image/webp", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         ".txt": "text/plain; charset=utf-8", ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _base_name(name: str) -> str:
    """The last path component, without control characters: a name a client sent, never a path."""
    name = _CONTROL.sub("", name or "").replace("\\", "/")
    return PurePosixPath(name).name.strip(" .") or ""


def ascii_filename(name: str, *, default: str = "file") -> str:
    """A plain ASCII file name for old clients: accents dropped, anything else an underscore, its extension kept."""
    base = _base_name(name)
    path = PurePosixPath(base)
    suffix = _UNSAFE.sub("", path.suffix)[:10] if path.suffix else ""
    stem = "".join(c for c in unicodedata.normalize("NFKD", path.stem if suffix else base)
                   if not unicodedata.combining(c))  # café -> cafe; 答复 -> _
    stem = _UNSAFE.sub("_", stem).strip("._-")[:100]
    return f"{stem or default}{suffix}"


def content_disposition(name: str, *, inline: bool, default: str = "file") -> str:
    """inline or attachment, with a sanitised ASCII filename and the original name as RFC 5987 filename*."""
    original = _base_name(name) or ascii_filename(name, default=default)
    return (f'{"inline" if inline else "attachment"}; filename="{ascii_filename(name, default=default)}"; '
            f"filename*=UTF-8''{quote(original, safe='')}")


def file_response(field_file, *, name: str, default: str = "file") -> FileResponse:
    """A stored file for download: a real PDF opens in the browser's own viewer, anything else is an attachment;
    never cached by a shared cache or the browser, never type-sniffed."""
    handle = field_file.open("rb")  # FileNotFoundError is the caller's 404
    head = handle.read(5)
    handle.seek(0)
    suffix = PurePosixPath(field_file.name).suffix.lower()
    is_pdf = head == b"%PDF-"
    content_type = PDF if is_pdf else TYPES.get(suffix, "application/octet-stream")
    if content_type == PDF and not is_pdf:
        content_type = "application/octet-stream"  # called .pdf but is not one
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(name, inline=is_pdf, default=default)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
