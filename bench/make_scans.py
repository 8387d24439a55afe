"""Render a corpus reply.txt as an image-only PDF that looks like a scanner made it: python bench/make_scans.py DIR...

Each DIR holds reply.txt; reply-scan.pdf is written beside it. The page is set the way GB/T 9704 sets a reply
(A4, 16 pt type, 28 characters a line, title centred, paragraphs indented two characters) in the CJK serif font the
project installs (fonts-noto-cjk), then degraded: grey paper with uneven lighting, grey ink slightly blurred, a
skew under 1.2°, sensor noise and dust specks, JPEG compression, at 200-300 dpi. Some documents get one page fed
sideways or upside down (90°, 180° or 270°). Everything follows from the folder's name, so a rerun writes the same
file.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import re
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
FONT_INDEX_SC = 2  # Noto Serif CJK SC in the collection (JP, KR, SC, TC, HK)
A4_MM = (210, 297)
MARGINS_MM = (28, 37, 26, 35)  # left, top, right, bottom (GB/T 9704)
FONT_PT = 16
LINE_PITCH = 1.75  # of the type size: 22 lines a page


def _rng(slug: str) -> np.random.Generator:
    return np.random.default_rng(int.from_bytes(hashlib.sha256(slug.encode()).digest()[:8], "big"))


# Web copies of replies often carry ASCII punctuation; the printed page had full-width marks.
_FULL_WIDTH = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"})


def _printed(line: str) -> str:
    """ASCII punctuation next to a CJK character in its full-width form; in numbers (1,200.5) left alone."""
    return re.sub(r"(?<=[^\x00-\x7f])[,:;()!?]|[,:;()!?](?=[^\x00-\x7f])", lambda m: m[0].translate(_FULL_WIDTH), line)


def _paragraphs(text: str) -> list[tuple[str, str]]:
    """(kind, text) per non-blank line: 'title' for the first, 'para' for indented ones, 'line' otherwise."""
    out = []
    for raw in text.replace("\r", "").split("\n"):
        if not raw.strip():
            continue
        indented = raw[:1] in (" ", "\u3000", "\t")
        kind = "title" if not out else ("para" if indented else "line")
        out.append((kind, _printed(raw.strip())))
    return out


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: float, indent: float) -> list[tuple[float, str]]:
    """Lines of (x offset, text) no wider than width; CJK may break anywhere, a run of ASCII stays whole."""
    lines: list[tuple[float, str]] = []
    tokens = re.findall(r"[A-Za-z0-9.%,\-]+|.", text)
    x0, line = indent, ""
    for token in tokens:
        if line and x0 + font.getlength(line + token) > width:
            lines.append((x0, line))
            x0, line = 0.0, token.lstrip()
        else:
            line += token
    if line:
        lines.append((x0, line))
    return lines


def set_pages(text: str, dpi: int) -> list[Image.Image]:
    """The reply set on clean white A4 pages at dpi (ink 0, paper 255)."""
    px = dpi / 25.4
    size = (round(A4_MM[0] * px), round(A4_MM[1] * px))
    left, top, right, bottom = (round(m * px) for m in MARGINS_MM)
    font_px = round(FONT_PT / 72 * dpi)
    font = ImageFont.truetype(str(FONT), font_px, index=FONT_INDEX_SC)
    title_font = ImageFont.truetype(str(FONT), round(font_px * 1.3), index=FONT_INDEX_SC)
    width = size[0] - left - right
    pitch = round(font_px * LINE_PITCH)
    pages: list[Image.Image] = []
    page = draw = None
    y = 0

    def new_page():
        nonlocal page, draw, y
        page = Image.new("L", size, 255)
        draw = ImageDraw.Draw(page)
        pages.append(page)
        y = top

    new_page()
    for kind, para in _paragraphs(text):
        use = title_font if kind == "title" else font
        wrapped = _wrap(para, use, width, 2 * font_px if kind == "para" else 0)
        for x, line in wrapped:
            if y + pitch > size[1] - bottom:
                new_page()
            if kind == "title":
                x = (width - use.getlength(line)) / 2
            draw.text((left + x, y), line, font=use, fill=0)
            y += round(pitch * (1.3 if kind == "title" else 1))
        if kind == "title":
            y += pitch // 2
    return pages


def degrade(page: Image.Image, rng: np.random.Generator) -> Image.Image:
    """The clean page as a scanner sees it: paper tone and lighting, grey blurred ink, skew, noise, specks."""
    height, width = page.size[1], page.size[0]
    ink = 1.0 - np.asarray(page.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 0.9))), dtype=np.float32) / 255
    paper_level = rng.uniform(205, 235)
    gradient = np.linspace(0, rng.uniform(-18, 18), width, dtype=np.float32)[None, :]
    gradient = gradient + np.linspace(0, rng.uniform(-12, 12), height, dtype=np.float32)[:, None]
    paper = paper_level + gradient
    ink_level = rng.uniform(25, 70)
    image = paper * (1 - ink) + ink_level * ink
    image += rng.normal(0, rng.uniform(3, 6), image.shape).astype(np.float32)
    specks = rng.random(image.shape) < rng.uniform(1e-4, 6e-4)
    image[specks] = rng.uniform(0, 90, int(specks.sum()))
    out = Image.fromarray(np.clip(image, 0, 255).astype(np.uint8), "L")
    angle = rng.uniform(0.2, 1.2) * rng.choice([-1, 1])
    return out.rotate(angle, resample=Image.BICUBIC, fillcolor=int(paper_level))


def scan_pdf(text: str, slug: str) -> tuple[bytes, dict]:
    """The image-only PDF of the reply and what was done to it (dpi, the page turned and by how much)."""
    rng = _rng(slug)
    dpi = int(rng.choice([200, 240, 300]))
    pages = [degrade(page, rng) for page in set_pages(text, dpi)]
    turned = None
    if rng.random() < 0.5:
        index = int(rng.integers(len(pages)))
        angle = int(rng.choice([90, 180, 270]))
        pages[index] = pages[index].rotate(angle, expand=True)
        turned = (index + 1, angle)
    images = []
    for page in pages:
        buffer = io.BytesIO()
        page.save(buffer, "JPEG", quality=int(rng.integers(55, 75)))
        images.append(Image.open(io.BytesIO(buffer.getvalue())))
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:],
                   creationDate=None, modDate=None, producer="make_scans", title=slug)
    return out.getvalue(), {"dpi": dpi, "pages": len(pages), "turned": turned}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="+", type=Path)
    args = parser.parse_args(argv)
    for folder in args.folders:
        if folder.name.startswith(".tmp-") or not (folder / "reply.txt").is_file():
            print(f"{folder}: skipped (no finished reply.txt)", file=sys.stderr)
            continue
        data, info = scan_pdf((folder / "reply.txt").read_text(encoding="utf-8"), folder.name)
        (folder / "reply-scan.pdf").write_bytes(data)
        print(f"{folder.name}: {info['pages']} pages at {info['dpi']} dpi, turned {info['turned']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
