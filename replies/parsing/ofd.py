"""Text of an OFD file (GB/T 33190, the 版式 format Chinese offices export): a zip of XML read directly.

OFD.xml names the document (DocBody/DocRoot); its Document.xml lists the pages in order (Pages/Page/@BaseLoc);
each page's Content.xml holds TextObjects, placed by Boundary="x y w h" (millimetres, y downwards), whose
TextCodes carry the characters at X/Y inside that box. The text is put back in reading order: glyph runs grouped
into lines by their baseline, lines top to bottom, runs left to right. Namespaces are ignored: producers differ.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from .errors import ParseError

__all__ = ["is_ofd", "ofd_text"]

_CORRUPT = "OFD 文件已损坏，无法读取（corrupt .ofd）"


def is_ofd(archive: zipfile.ZipFile) -> bool:
    return "OFD.xml" in archive.namelist()


@dataclass(frozen=True)
class _Run:
    x: float
    baseline: float
    size: float
    text: str

    @property
    def right(self) -> float:
        return self.x + sum(1.0 if ord(c) > 0x2E7F else 0.5 for c in self.text) * self.size


def ofd_text(archive: zipfile.ZipFile, max_xml_bytes: int) -> tuple[str, int]:
    """The text of every page (joined by form feeds) and the page count. Raises ParseError when unreadable."""
    reader = _Reader(archive, max_xml_bytes)
    root = reader.xml("OFD.xml")
    doc_root = _first_text(root, "DocRoot")
    if not doc_root:
        raise ParseError(_CORRUPT)
    doc_path = _resolve("", doc_root)
    document = reader.xml(doc_path)
    base = posixpath.dirname(doc_path)
    pages = [_resolve(base, el.get("BaseLoc", "")) for el in document.iter() if _local(el.tag) == "Page"
             and el.get("BaseLoc")]
    if not pages:
        raise ParseError("OFD 文件没有页面（OFD has no pages）")
    texts = [_page_text(reader.xml(page)) for page in pages]
    return "\f".join(texts), len(pages)


class _Reader:
    """Parts of the package as XML, all of them together inflating to no more than max_xml_bytes (a zip bomb
    guard that also holds for hundreds of pages)."""

    def __init__(self, archive: zipfile.ZipFile, max_xml_bytes: int):
        self.archive = archive
        self.budget = max_xml_bytes

    def xml(self, name: str):
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            raise ParseError(f"OFD 文件缺少 {name}，无法读取（corrupt .ofd: {name} missing）") from None
        self.budget -= info.file_size
        if self.budget < 0:
            raise ParseError("OFD 文件内容过大（.ofd content too large）")
        try:
            return ElementTree.fromstring(self.archive.read(info))
        except (ElementTree.ParseError, DefusedXmlException):
            raise ParseError(_CORRUPT) from None
        except Exception:  # zipfile and zlib raise many types on damaged archives; all mean the same here
            raise ParseError(_CORRUPT) from None


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _first_text(root, name: str) -> str:
    for el in root.iter():
        if _local(el.tag) == name and el.text and el.text.strip():
            return el.text.strip()
    return ""


def _resolve(base: str, location: str) -> str:
    """A BaseLoc relative to the part that names it, or absolute from the package root."""
    location = location.strip().replace("\\", "/")
    path = location.lstrip("/") if location.startswith("/") else posixpath.join(base, location)
    return posixpath.normpath(path)


def _numbers(value: str | None) -> list[float]:
    try:
        return [float(v) for v in (value or "").split()]
    except ValueError:
        return []


def _page_text(page) -> str:
    runs: list[_Run] = []
    for obj in page.iter():
        if _local(obj.tag) != "TextObject":
            continue
        box = _numbers(obj.get("Boundary"))
        if len(box) < 2:
            continue
        size = (_numbers(obj.get("Size")) or [box[3] if len(box) > 3 else 3.5])[0]
        for code in obj:
            if _local(code.tag) != "TextCode" or not code.text:
                continue
            x = (_numbers(code.get("X")) or [0.0])[0]
            y = (_numbers(code.get("Y")) or [size])[0]
            runs.append(_Run(box[0] + x, box[1] + y, size, code.text))
    return _lines(runs)


def _lines(runs: list[_Run]) -> str:
    """Runs on one baseline (within half a glyph) make a line; a gap wider than two glyphs becomes a space."""
    lines: list[list[_Run]] = []
    for run in sorted(runs, key=lambda r: (r.baseline, r.x)):
        if lines and abs(run.baseline - lines[-1][0].baseline) <= lines[-1][0].size / 2:
            lines[-1].append(run)
        else:
            lines.append([run])
    out = []
    for line in lines:
        line.sort(key=lambda r: r.x)
        text = line[0].text
        for before, run in zip(line, line[1:], strict=False):
            text += (" " if run.x - before.right > 2 * run.size else "") + run.text
        out.append(text)
    return "\n".join(out)
