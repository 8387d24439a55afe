"""RapidOCR (PP-OCR models in ONNX, shipped inside the rapidocr-onnxruntime wheel): pages upright, then read as lines.

Runs in the OCR worker processes that extract.py starts; one engine a process, one ONNX thread each, since the
pool already runs several pages at once. Nothing is downloaded: the wheel carries its three models.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

__all__ = ["available", "read_page", "upright_turns"]

# The detector sees the page at most this long: 16 pt type stays ~25 px high on A4, where it finds lines as
# well as at full size in a third of the time; lines are cut from the full image for recognition.
MAX_SIDE = 1600
# Orientation is judged on a smaller copy: only line shapes and the classifier's 0/180 votes are needed.
ORIENTATION_SIDE = 960
# A line whose glyphs are this much taller than the body's is display type: a title.
DISPLAY_RATIO = 1.15
# A box this much taller than wide is a line of text set sideways.
TALL_RATIO = 1.5

_engine = None


def available() -> bool:
    """Whether the RapidOCR package (and so its models) can be imported here."""
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def _get_engine():
    global _engine
    if _engine is None:
        from rapidocr_onnxruntime import RapidOCR

        _engine = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1, max_side_len=MAX_SIDE,
                           print_verbose=False)
    return _engine


def _rgb(image: Image.Image) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(image.convert("RGB")))


def _boxes(engine, array: np.ndarray) -> list[np.ndarray]:
    boxes, _ = engine.text_det(array)
    return [] if boxes is None else list(boxes)


def _box_size(box: np.ndarray) -> tuple[float, float]:
    width = float(max(np.linalg.norm(box[0] - box[1]), np.linalg.norm(box[2] - box[3])))
    height = float(max(np.linalg.norm(box[0] - box[3]), np.linalg.norm(box[1] - box[2])))
    return width, height


def upright_turns(image: Image.Image) -> int:
    """Quarter turns counter-clockwise (0-3) that make the page's text upright.

    Lines set sideways are tall boxes, so a page turned by 90° or 270° is turned a quarter first; then the
    engine's own direction classifier votes, weighted by its confidence, whether the lines are upside down.
    """
    engine = _get_engine()
    small = image.copy()
    small.thumbnail((ORIENTATION_SIDE, ORIENTATION_SIDE))
    array = _rgb(small)
    boxes = _boxes(engine, array)
    if not boxes:
        return 0
    sizes = [_box_size(box) for box in boxes]
    tall = sum(h >= TALL_RATIO * w for w, h in sizes)
    wide = sum(w >= TALL_RATIO * h for w, h in sizes)
    turns = 0
    if tall > wide:
        turns = 1
        array = np.ascontiguousarray(np.rot90(array))
        boxes = _boxes(engine, array)
        if not boxes:
            return turns
    crops = engine.get_crop_img_list(array, engine.sorted_boxes(np.array(boxes)))
    _, votes, _ = engine.text_cls(crops)
    flipped = sum(score for label, score in votes if label == "180")
    upright = sum(score for label, score in votes if label == "0")
    if flipped > upright:
        turns += 2
    return turns % 4


def read_page(image: Image.Image) -> str:
    """The page's text, upright, one output line per printed line, top to bottom."""
    turns = upright_turns(image)
    if turns:
        image = image.rotate(90 * turns, expand=True)
    result, _ = _get_engine()(_rgb(image), use_cls=False)
    if not result:
        return ""
    return _lines([(np.array(box, dtype=np.float32), text) for box, text, _score in result])


def _lines(items: list[tuple[np.ndarray, str]]) -> str:
    """Boxes grouped into printed lines by vertical overlap, each line read left to right.

    Pieces of one line far apart (a table row, a signature beside a date) are kept apart by a space.
    """
    rows: list[list[tuple[float, float, float, float, str, float]]] = []
    for box, text in sorted(items, key=lambda item: float(item[0][:, 1].mean())):
        top, bottom = float(box[:, 1].min()), float(box[:, 1].max())
        left, right = float(box[:, 0].min()), float(box[:, 0].max())
        middle = (top + bottom) / 2
        row = rows[-1] if rows else None
        if row is not None:
            row_top = sum(piece[0] for piece in row) / len(row)
            row_bottom = sum(piece[1] for piece in row) / len(row)
            if row_top <= middle <= row_bottom:
                row.append((top, bottom, left, right, text, _box_size(box)[1]))
                continue
        rows.append([(top, bottom, left, right, text, _box_size(box)[1])])
    out: list[str] = []
    heights = [_row_height(row) for row in rows]
    body = sorted(heights)[len(heights) // 2] if heights else 0.0
    for index, row in enumerate(rows):
        row.sort(key=lambda piece: piece[2])
        line = row[0][4]
        for before, piece in zip(row, row[1:], strict=False):
            height = piece[5]
            line += (" " if piece[2] - before[3] > height else "") + piece[4]
        # A title set larger than the body and wrapped is one line, as in a text rendition of the reply.
        if index and _continues_title(rows[index - 1], rows[index], heights[index - 1], heights[index], body):
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out)


def _row_height(row: list[tuple[float, float, float, float, str, float]]) -> float:
    """The line's glyph height: its boxes' own height, which a skewed scan does not inflate as it does the span
    of the box's corners."""
    return sorted(piece[5] for piece in row)[len(row) // 2]


def _continues_title(above, row, above_height: float, height: float, body: float) -> bool:
    """Both lines in display type of one size (not a larger 文件 head above a title), one right below the other."""
    if body <= 0 or min(above_height, height) < DISPLAY_RATIO * body:
        return False
    same_size = abs(above_height - height) <= 0.15 * max(above_height, height)
    gap = min(piece[0] for piece in row) - max(piece[1] for piece in above)
    return same_size and gap < height
