"""Reading scanned reports: page images through OCR into the same rows as a PDF's text layer.

Each page: the red seal lifted, the page turned upright and levelled, the ruling lines found (OpenCV),
the text boxes found and read (RapidOCR), each doubtful table cell read again on its despeckled crop;
then :func:`parsers.ruling.page_rows` puts each word in its cell as for a PDF. A number read with doubt is
:data:`~parsers.values.UNREADABLE_MARK` (null with a warning) with its reading after it, which a table
keeps only where the template's sums, read everywhere else, confirm it: never a guess on its own. Why
each step and rule: docs/parser.md, "Scans (OCR)".
"""

from __future__ import annotations

import io
import itertools
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import numpy as np

from . import template
from .layout import Layout
from .ruling import Page, add_pages, add_segment, page_rows
from .unruled import Box, places, to_part
from .values import (
    GLUED_NUMBER,
    HAN,
    SIGN_UNREAD_MARK,
    SPECK_READINGS,
    UNIT_ALONE,
    UNIT_CHARACTERS,
    UNITS,
    UNREADABLE_MARK,
    doubted,
    is_value,
    is_words,
)

#: Pages OCR'd per document (a report has a handful; ~5 s each): the rest are named in a warning.
MAX_PAGES = 12
#: Resolution pages are read at: a scanned PDF's page is rendered at its image's own resolution, capped
#: here (more costs time and gains nothing at the template's 10.5 pt type).
MAX_DPI = 200
#: The places of unruled tables read again on one page, at most (~10 ms each; a table page has a few
#: hundred places and reads far fewer): a page of specks as high as digits must not hold the parse.
MAX_SLOT_READS = 400
MIN_DPI = 100
#: An image larger than this (pixels) is refused before it is decoded (a decompression bomb).
MAX_PIXELS = 60_000_000
#: A page image narrower than this (pixels, its short side) is refused unread: an A4 page under ~85 dpi
#: draws the template's 10.5 pt type under 12 pixels high, which the recogniser reads as noise, slowly.
MIN_SHORT_SIDE = 700
#: A number read with a lower confidence is not used. A lone "0" scores lower (the recogniser hesitates
#: between 0, O, 〇 and 。, all zero in a number cell): on generated scans every lone 0 read at 0.3–0.8
#: was right, while the wrong numbers seen had two or more characters (bench/scan_ocr.py).
MIN_NUMBER_CONFIDENCE = 0.8
#: A printed digit's width and the space after it, as a share of the page's digit height (the detector's
#: box of a number, about an em: the fonts reports use print digits half an em wide).
DIGIT_ADVANCE = 0.5
#: The narrowest blank between two values of a lone line of numbers (table 4 in one row), as a share of
#: the digit height: the digits of one number, letter-spaced to fill a cell, stand closer.
VALUE_GAP = 1.0
#: ... and this share of the median gap between the detector's boxes on that line.
LINE_GAP_SHARE = 0.7
#: A box this many times as wide as it is high holds more than a unit (件) alone: a digit and its unit.
UNIT_AND_DIGIT = 1.5
#: How far past a box's ends its ink is looked for when it is read again, as a share of the digit height.
DIGIT_MARGIN = 0.2
#: The narrowest blank between two columns' values run into one box, as a share of the digit height
#: (the digits of one number stand a tenth apart or touch).
COLUMN_GAP = 0.25
MIN_ZERO_CONFIDENCE = 0.3
#: Boxes RapidOCR keeps: low enough that doubtful numbers are seen (and marked), not silently dropped.
MIN_BOX_SCORE = 0.3
#: How much darker than the paper around it a rule's pixel is (text is found by the OCR, not by this).
RULE_CONTRAST = 8
#: How much redder than green and blue (levels) a pixel of a seal's ink is: seal red is ~(200, 30, 30).
SEAL_REDNESS = 60
#: The red channel under a seal is scaled up by at most this much (ink at least this red is lifted).
MAX_SEAL_SCALE = 1.6
#: Largest skew corrected (degrees); a page turned further is read as it is.
MAX_SKEW = 5.0
#: A page's long side (pixels) when its text direction is found, and the lines read to choose the way up.
ORIENTATION_SIDE = 1000
ORIENTATION_LINES = 8


class ScanError(ValueError):
    """The scan cannot be read: an undecodable or oversized image, or nothing readable on it."""


class OcrUnavailable(ScanError):
    """The OCR libraries cannot be loaded (OpenCV needs the system's libGL and GLib)."""

    reason = "unsupported"


@lru_cache(maxsize=1)
def _engine() -> Any:
    """RapidOCR with one thread (a build parses several documents at once, one per core)."""
    try:
        import cv2  # noqa: F401
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as exc:
        raise OcrUnavailable(
            f"OCR unavailable ({exc}): OpenCV needs libGL and GLib (Debian: apt-get install libgl1 libglib2.0-0)"
        ) from None
    # one crop a run: batched crops are padded to the widest, which is time spent on nothing (上海 2019's
    # dense page: the recogniser 13% faster alone) and makes a crop's reading depend on its neighbours
    # (a point read in 2019.年 only beside wider crops)
    engine = RapidOCR(use_cls=False, intra_op_num_threads=1, inter_op_num_threads=1, rec_batch_num=1)
    # the same models with their arithmetic folded (parsers/ocrgraph.py): a third less time a page
    engine.text_det.infer.session = _lighter_session(engine.text_det.infer.session)
    engine.text_rec.session.session = _lighter_session(engine.text_rec.session.session)
    return engine


def _lighter_session(session: Any) -> Any:
    """``session``'s model, folded, in a session with its options and providers."""
    import onnxruntime

    from .ocrgraph import lighter  # onnx loads with the engine, not with the parser

    path = getattr(session, "_model_path", None)  # where RapidOCR loaded it from; unset: kept as it is
    if not path:
        return session
    model = Path(path).read_bytes()
    return onnxruntime.InferenceSession(
        lighter(model), sess_options=session.get_session_options(), providers=session.get_providers()
    )


def read_scanned_pdf(doc: Any) -> Layout:
    """Read a PDF whose pages are images (no text layer).

    Args:
        doc: an open ``pymupdf.Document``.
    """
    import pymupdf

    _engine()
    layout = Layout()
    if doc.page_count > MAX_PAGES:
        layout.warnings.append(f"scan: only the first {MAX_PAGES} of {doc.page_count} pages read (OCR)")
    pages = []
    for number in range(min(doc.page_count, MAX_PAGES)):
        page = doc[number]
        dpi = _native_dpi(page)
        pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csRGB, alpha=False)
        rgb = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.h, pix.w, 3)
        pages.append(_read_page(rgb, dpi, layout, number + 1))
    return _finish(layout, pages)


def read_images(images: Sequence[bytes]) -> Layout:
    """Read a report published as page images (PNG, JPEG, TIFF with one or more pages, …), in order.

    Args:
        images: each image file's bytes, in page order.

    Raises:
        ScanError: an image cannot be decoded or is too large.
    """
    _engine()
    layout = Layout()
    pages: list[Page] = []
    for rgb, dpi in _decode_all(images, layout):
        pages.append(_read_page(rgb, dpi, layout, len(pages) + 1))
    return _finish(layout, pages)


def _finish(layout: Layout, pages: list[Page]) -> Layout:
    if not any(items for items, _ in pages):
        raise ScanError("no text found on the scanned pages")
    add_pages(layout, pages)
    layout.scanned = True
    return layout


def _native_dpi(page: Any) -> int:
    """The resolution of the largest image on a page, within [MIN_DPI, MAX_DPI] and at most
    :data:`MAX_PIXELS` for the page (a page drawn 10 m wide must not become a 700-megapixel image)."""
    best = 0.0
    for info in page.get_image_info():
        width_pt = info["bbox"][2] - info["bbox"][0]
        if width_pt > 0:
            best = max(best, info["width"] * 72 / width_pt)
    area_in = max(1e-6, page.rect.width * page.rect.height / 72**2)
    fits = math.sqrt(MAX_PIXELS / area_in)
    return max(1, round(min(fits, MAX_DPI, max(MIN_DPI, best or MAX_DPI))))


def _decode_all(images: Sequence[bytes], layout: Layout) -> Iterator[tuple[np.ndarray, float]]:
    from PIL import Image, ImageSequence

    count = 0
    for index, data in enumerate(images, start=1):
        try:
            image = Image.open(io.BytesIO(data))
        except Exception as exc:  # Pillow raises UnidentifiedImageError, OSError, SyntaxError, …
            raise ScanError(f"image {index} cannot be decoded: {exc}") from None
        with image:
            for frame in ImageSequence.Iterator(image):
                if count == MAX_PAGES:
                    layout.warnings.append(f"scan: only the first {MAX_PAGES} pages read (OCR)")
                    return
                width, height = frame.size
                if width * height > MAX_PIXELS:
                    raise ScanError(f"image {index} too large: {width}×{height} pixels")
                if min(width, height) < MIN_SHORT_SIDE:
                    raise ScanError(
                        f"image {index} too small to read: {width}×{height} pixels "
                        f"(a page needs at least {MIN_SHORT_SIDE} pixels across, about 85 dpi)"
                    )
                try:
                    rgb = np.asarray(frame.convert("RGB"))
                except Exception as exc:
                    raise ScanError(f"image {index} cannot be decoded: {exc}") from None
                dpi = frame.info.get("dpi", (0, 0))[0] or _guess_dpi(width, height)
                count += 1
                yield rgb, float(dpi)


def _guess_dpi(width: int, height: int) -> float:
    """An image without a resolution is taken for an A4 page (595 × 842 pt) across its short side."""
    return min(width, height) * 72 / 595


# --- one page -------------------------------------------------------------------------------------


def _read_page(rgb: np.ndarray, dpi: float, layout: Layout, number: int) -> Page:
    turns, slope = _text_lines(rgb)
    if turns:
        rgb = np.ascontiguousarray(np.rot90(rgb, turns))
        layout.warnings.append(f"scan page {number}: printed sideways (a landscape page), turned upright to read")
    gray = _deskew(_lift_seal(rgb), slope)
    h_rules, v_rules = _rules(gray)
    scale = 72.0 / dpi
    horizontal: list[tuple[float, float, float]] = []
    vertical: list[tuple[float, float, float]] = []
    for y, x0, x1 in h_rules:
        add_segment(x0 * scale, y * scale, x1 * scale, y * scale, horizontal, vertical)
    for x, y0, y1 in v_rules:
        add_segment(x * scale, y0 * scale, x * scale, y1 * scale, horizontal, vertical)
    clean = _without_rules(gray, h_rules, v_rules)  # a rule's edge must never be read as a "1"
    boxes = list(_ocr(gray, clean, v_rules, layout, number))
    gray = clean
    cells = _grid(h_rules, v_rules)
    raw = _binary(gray)
    digit_height = _digit_height(boxes)
    opened = _opened(raw)
    boxes = _cell_values(_reread_cells(gray, raw, opened, cells, boxes, digit_height), cells)
    words = []
    doubtful = 0
    joined = _join_digits(_split_at_units(_part_glued(boxes, cells, opened, digit_height), cells), v_rules, opened)
    slotted = 0  # the last boxes of joined: read where an unruled table's column prints (its ink judged there)
    if digit_height:
        inside = {i for mine in _members(joined, cells).values() for i in mine}
        outside, added, unread = _read_slots(
            gray, raw, opened, [b for i, b in enumerate(joined) if i not in inside], cells, digit_height
        )
        if unread:
            layout.warnings.append(f"scan page {number}: {unread} places of unruled tables not read again (too many)")
        joined = [joined[i] for i in sorted(inside)] + outside + added
        slotted = len(added)
    members = _members(joined, cells)
    in_cells = {i for mine in members.values() for i in mine}
    # a number alone in its ruled cell, or outside every cell with no words after it on its line (a value
    # of an unruled table, 88283. with a speck after it): its end marks are judged; a label's "4." is not
    alone = {mine[0] for mine in members.values() if len(mine) == 1}
    # not 0件, nor a count's unit boxed alone after its digits (seed 37000: '5 | 件, the speck stayed)
    words_on_page = [b for b in joined if is_words(b[4]) and not is_value(b[4])]
    alone |= {
        i
        for i, box in enumerate(joined)
        if i not in in_cells and any(c.isdigit() for c in box[4]) and not _words_after(words_on_page, box)
    }
    on_numbers = _specks_on_numbers(joined, raw, digit_height)
    for i, (x0, y0, x1, y1, text, score) in enumerate(joined):
        if i in on_numbers:
            continue
        # the ink and its marks are read once per number: every check below that asks the ink reads them
        # (only for readings that are numbers but for their end marks: a label's "1." needs no ink read)
        ink = _ink_of(raw, (x0, y0, x1, y1)) if is_value(_bare(text)) else None
        marks = _kinds(ink)[1] if ink is not None else []
        sign_unread = False
        if i in alone and _bare(text) != text and is_value(_bare(text)):
            text, sign_unread = _end_marks(text, marks)
        if score >= MIN_NUMBER_CONFIDENCE and _speck_off_the_line(text, marks):
            text = text.replace(".", "")
        if text[:1] == "-" and text[1:].isdigit() and not _minus_printed(marks):
            text = SIGN_UNREAD_MARK + text[1:]  # the recogniser's minus is a speck: no dash before the digits
        elif text[:1] == "-" and text[1:].isdigit() and score < MIN_NUMBER_CONFIDENCE:
            score = _digits_after_minus(gray, (x0, y0, x1, y1), marks, text[1:]) or score
        loose = is_value(text) and i not in in_cells and i < len(joined) - slotted
        if text.startswith(UNREADABLE_MARK):
            doubtful += 1  # not read, or read with doubt (its reading after the mark) by the steps before
        elif _ROUND_AMONG_DIGITS.fullmatch(text):
            # a 0 among a number's digits read as a round letter (seed 37000: 40件 read 4Q件): with doubt
            text, doubtful = _doubted_reading(text.translate(_ROUND_TO_ZERO)), doubtful + 1
        elif _THOUSANDS.fullmatch(text):
            # a thousands comma read as a point (9,564 as 9.564), or an amount: a count's digits with doubt
            text, doubtful = _doubted_reading(text.replace(".", "")), doubtful + 1
        elif loose and (span := _glyph_beside(raw, (x0, y0, x1, y1), joined)):
            text, doubtful = _with_glyph_beside(gray, raw, (x0, y0, x1, y1), span, text, digit_height), doubtful + 1
        elif _SPACED_DIGITS.fullmatch(text) and score >= MIN_NUMBER_CONFIDENCE:
            text, doubtful = _doubted_reading(text.replace(" ", "")), doubtful + 1
        elif _MISREAD.match(text) or _SPACED_DIGITS.fullmatch(text):
            text, doubtful = UNREADABLE_MARK, doubtful + 1
        elif ink is not None and _unsigned(_bare(text)) == "1" and _slash(ink, SLASH_STEEP):
            text, doubtful = UNREADABLE_MARK, doubtful + 1  # a blank cell's slash (/), read as 1
        elif (
            ink is not None and _six_or_nine(text) and (_ring(ink, digit_height) or _ring_under_blot(ink, digit_height))
        ):
            text, doubtful = _doubted_reading("0"), doubtful + 1  # a lone 6 or 9 on a 0's ring: a 0 with doubt
        elif is_value(text) and (
            score < (MIN_ZERO_CONFIDENCE if _zero(text, ink, marks, digit_height) else MIN_NUMBER_CONFIDENCE)
            or _point_misread(text, marks)
            or _digits_unlike_ink(text, marks)
        ):
            text, doubtful = _read_with_doubt(text, marks), doubtful + 1
        elif is_value(text) and text[:1].isdigit():
            text = (SIGN_UNREAD_MARK if sign_unread else _sign_before(raw, cells, (x0, y0, x1, y1))) + text
        y0, y1 = _digits_band(marks, y0, y1)
        if _COUNT_WITH_UNIT.fullmatch(text):  # (a bare number's box moved so cost 29002's table 4 a row)
            x0, x1 = _print_span(marks, x0, x1)
        words.append((x0 * scale, y0 * scale, x1 * scale, y1 * scale, text))
    if doubtful:
        said = "left null unless the table's sums confirm the reading"
        layout.warnings.append(f"scan page {number}: {doubtful} number(s) read with low confidence, {said}")
    return page_rows(words, horizontal, vertical, gray.shape[0] * scale, boxes=True)


def _specks_on_numbers(boxes: list[Box], raw: np.ndarray, digit_height: float | None) -> set[int]:
    """The boxes of marks alone (no digit, letter or character, and no reading of a value's: ``+``, not a
    stem's ``|``) that are specks at a number: less than half as high as a number's box their middle lies on
    (seed 11000, unruled speckle 150 dpi: a ``+`` over 38 joined its cell, ``38 +``, and the row was lost),
    or read as a speck or a point (:data:`_END_SPECKS`) within a digit's height of one, their ink no higher
    than a speck, and not between two numbers (seed 21003: a ``。`` above and after a 0 made its cell ``0 。``,
    read as a label's numbering ``0.``, and the row was lost; seed 21005: ``*，`` above a 0 of table 4 took
    the tall box of the 0 before it to a line of their own; seed 24000: ``?.`` between two 0s of a row made
    it a cell, and the row was lost)."""
    numbers = [b for b in boxes if any(c.isdigit() for c in b[4])]
    out = set()
    for i, box in enumerate(boxes):
        x0, y0, x1, y1, text, _ = box
        if (
            digit_height
            and _speck_read_as_character(box, digit_height, raw)
            and _beside_number(box, numbers, digit_height)
        ):
            out.add(i)
            continue
        if any(c.isalnum() for c in text):
            continue
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        if not _slot_kind(box) and any(
            b[0] <= cx <= b[2] and b[1] - (y1 - y0) <= cy <= b[3] and 2 * (y1 - y0) < b[3] - b[1] for b in numbers
        ):
            out.add(i)
        elif digit_height and text.strip(_ALONE_SPECKS) == "" and _beside_number(box, numbers, digit_height):
            # a 0 read as 。 is as high as a digit
            if _tallest(_ink_of(raw, box[:4])) < SPECK_SIZE * digit_height:
                out.add(i)
    return out


def _speck_read_as_character(box: Box, digit_height: float, raw: np.ndarray) -> bool:
    """A box of one character (a Han character, a letter) less than half as high and as wide as a digit's
    box, or whose ink's marks are all no higher than a speck (:data:`SPECK_SIZE` of a digit): no character
    prints so small, so it is specks read as one (平潭 2023, unruled speckle 150 dpi: a dot after a 0 of
    table 4 was boxed alone and read as 门, ``0 门`` took the row's first values for a label, and table 4
    was lost; seed 40001: three specks after a 2, boxed as one character's size, read 心, and ``2心`` was
    no value). A character's strokes join into marks of most of its height (心's hook, 小's hook)."""
    x0, y0, x1, y1, text, _ = box
    if len(text) != 1 or not text.isalpha():
        return False
    return 2 * max(x1 - x0, y1 - y0) < digit_height or _tallest(_ink_of(raw, box[:4])) < SPECK_SIZE * digit_height


def _beside_number(box: Box, numbers: list[Box], digit_height: float) -> bool:
    """Whether a box stands within a digit's height of one of ``numbers`` (after, before, above or below it),
    and not between two of them on their line (a point the detector boxed apart)."""

    def on_line(b: Box) -> bool:
        return min(b[3], box[3]) > max(b[1], box[1])

    near = any(
        box[0] < b[2] + digit_height
        and box[2] > b[0] - digit_height
        and box[1] < b[3] + digit_height
        and box[3] > b[1] - digit_height
        for b in numbers
    )
    before = any(on_line(b) and 0 <= box[0] - b[2] + 2 < digit_height for b in numbers)
    after = any(on_line(b) and 0 <= b[0] - box[2] + 2 < digit_height for b in numbers)
    return near and not (before and after)


def _words_after(words: list[Box], box: Box) -> bool:
    """Whether one of ``words`` (the page's boxes of words) stands after ``box`` on its line."""
    middle = (box[1] + box[3]) / 2
    return any(w[0] >= box[2] - 2 and w[1] < middle < w[3] for w in words)


def _read_slots(
    gray: np.ndarray,
    raw: np.ndarray,
    opened: np.ndarray,
    boxes: list[Box],
    cells: list[tuple[float, float, float, float]],
    digit_height: float,
) -> tuple[list[Box], list[Box], int]:
    """``boxes`` (those outside ruled cells) without, and then apart, the values of unruled tables the
    detector left out, read as marks or read with a digit beside them left out
    (:func:`parsers.unruled.places`), read again by the recogniser alone on each place's ink: the
    number it reads with confidence where its column prints (a guessed place: only that), a 0 when the
    ink is one mark with a 0's ring (:func:`_zero_shape`, as in a ruled cell), not read (:data:`UNREADABLE_MARK`) when a
    mark as high as a digit reads as neither. A place of dust only keeps what it held. At most
    :data:`MAX_SLOT_READS` places a page are read (a table page has a few hundred); the third value is how
    many more were left as they were."""
    dropped: set[int] = set()
    added: list[Box] = []
    boxes, reads, unread = _parted_at_columns(gray, raw, opened, boxes, digit_height)
    components = _components(opened)
    boxes, reads = _with_label_heads(gray, components, boxes, digit_height, reads)
    candidates = _with_ink_beside(opened, boxes, _ink_numbers(opened, components, boxes, cells, digit_height))
    found_places = places(candidates, _slot_kind, digit_height, partial(_print_extent, opened))
    for (x0, y0, x1, y1), held, guessed in found_places.values:
        top, left = max(0, int(y0)), max(0, int(x0))
        glyphs = _glyphs(opened[top : int(y1) + 1, left : int(x1) + 1], line=True)
        if glyphs is None:
            continue
        read = candidates[held[0]] if len(held) == 1 and _printed_number(candidates[held[0]][4]) else None
        # a number the detector read with doubt is read again on its place's glyphs alone (seed 21005: a speck
        # above 10 made its box twice a digit's height, and it read 1)
        doubted = read is not None and read[5] < MIN_NUMBER_CONFIDENCE
        if read is not None and not doubted and not _glyph_beside(raw, read[:4], [read], (int(x0), int(x1))):
            continue  # the value, read, and nothing in its column beside it
        at = (left + glyphs[0], top + glyphs[1], left + glyphs[2], top + glyphs[3])
        if not held and _another_lines_number(at, (y0, y1), candidates):
            continue
        if reads >= MAX_SLOT_READS:
            unread += 1
            continue
        reads += 1
        found = _read_glyphs(gray, raw, at, digit_height)
        if found is None:
            continue
        text, ring = found.text, found.ring
        score = _thin_one(text, found.score, ring, digit_height)
        if read is not None and not doubted and not (len(text) > len(read[4]) and read[4] in text):
            continue  # a digit beside the number that its reading again does not add to it: as it was
        if (
            _printed_number(text.rstrip(_END_SPECKS)) or _POINTED_COUNT.fullmatch(text)
        ) and score >= MIN_NUMBER_CONFIDENCE:
            # read with confidence where its column prints (its sign and point judged as every number's, and
            # a speck read after it as an unruled value's end marks: 723. with a speck after the 3); a guessed
            # place (each number's own, on a line at no regular pitch) may cut a number: a digit-high mark
            # just beside what it read that no box covers leaves it not read (seed 22001: 157 printed small,
            # its place learnt from the ink of its 1 and 5 alone, read 15 with confidence, and written)
            if guessed:
                if _glyph_beside(raw, found.bounds, [*candidates, *added]):
                    text = UNREADABLE_MARK
            elif (
                span := _glyph_beside(
                    raw,
                    found.bounds,
                    [*(b for k, b in enumerate(candidates) if k not in held), *added],
                    (int(x0), _slot_end(int(x1), text, found.bounds)),
                )
            ) and max(found.bounds[0] - span[0], span[1] - found.bounds[2]) > (found.bounds[3] - found.bounds[1]) / 3:
                # a mark in its place beside what it read, that the reading left out (seed 31003: 10 read 1, a
                # speck under its 1; the 0 found by its ink alone): read again with it, as a number the
                # detector's box cut is (a reading with doubt, or not read). The reading's own ink reaches past
                # its bounds (the despeckled ink's: a thin 1's flag and foot, 淮安 2024 with horizontal rules
                # only) by less than a third of its height: that is no mark beside it.
                text = _with_glyph_beside(gray, raw, found.bounds, span, text, digit_height)
                # the mark is this reading's now, not a glyph beside the next place's
                found = replace(found, bounds=(span[0], found.bounds[1], span[1], found.bounds[3]))
        elif doubted:
            continue  # read with doubt again: as the detector's reading was
        elif _zero_shape(text, score, ring, digit_height) and (held or not guessed):
            # one mark of a digit's height, a 0's ring, where its column prints (or a guessed place where the
            # detector found a mark): a 0, as in a ruled cell
            text, score = "0", MIN_NUMBER_CONFIDENCE
        elif guessed:
            continue
        elif (zero := _round_zero(_without_specks(text))) and _holed(ring, digit_height):
            # a round mark with a hole that is no 0's ring (a speck inside the ring's foot, 平潭 2023): a 0
            # read with doubt, as the detector's Q is (_cell_values), for the table's sums to witness
            text = zero
        elif _ring(ring, digit_height):
            # one mark with a 0's ring that the recogniser read as no round mark (seed 31000: a 0 with specks
            # about it): a 0 read with doubt, for the table's sums to witness
            text = _doubted_reading("0")
        else:
            text = UNREADABLE_MARK
        bounds = found.bounds
        if text[:1] == "+" and (
            plus := _plus_before(raw, (bounds[0] + 1, bounds[1], bounds[2], bounds[3]), inside=True)
        ):
            # a plus sign read with the digits (本年增/减 + 1 in one place): the number is the digits after it,
            # its sign judged by its shape as every number's (_sign_before)
            text, bounds = text[1:], (plus[1] + 1, bounds[1], bounds[2], bounds[3])
        dropped.update(held)
        added.append((*_floats(bounds), text, score))
    detected = [b for b in [*candidates, *added] if b[4] != _INK]  # a label's characters may be marked as ink
    # a label's place is read at most once, within the page's reads too
    spans = found_places.labels[: max(0, MAX_SLOT_READS - reads)]
    unread += len(found_places.labels) - len(spans)
    labels = _read_labels(gray, raw, detected, spans, digit_height)
    return [*(b for i, b in enumerate(boxes) if i not in dropped), *labels], added, unread


def _another_lines_number(at: tuple[int, int, int, int], line: tuple[float, float], boxes: list[Box]) -> bool:
    """Whether the glyphs of a place that holds no box (``at``, page pixels) lie half or more inside a box
    of a number (digits, or found by its ink) whose middle stands off the place's ``line`` (its top and
    foot): that number's ink, cut by the place, read already on its own line. Seed 40000 clean: a row's
    label over two lines, its first line left out by the detector, was found as ink marks that made a
    line of their own half a digit above the row's values; its places held the values' top third, read
    with confidence as 32 and six 0s, and the row had 15 values. The top of a digit may read as another."""
    area = max(1, (at[2] - at[0]) * (at[3] - at[1]))
    for b in boxes:
        if _slot_kind(b) not in ("digits", "ink") or line[0] <= (b[1] + b[3]) / 2 <= line[1]:
            continue
        inside = max(0.0, min(at[2], b[2]) - max(at[0], b[0])) * max(0.0, min(at[3], b[3]) - max(at[1], b[1]))
        if inside >= area / 2:
            return True
    return False


def _with_ink_beside(ink: np.ndarray, boxes: list[Box], found: list[Box]) -> list[Box]:
    """``boxes`` and the numbers ``found`` by their ink alone (:func:`_ink_numbers`), a found number beside a
    box of digits on its line as close as one number's letter-spaced digits stand (:func:`_join_digits`'s
    gap, and their ink no further apart than the number's own digits: :func:`_two_numbers`) joined with it:
    the box reaches over it, its reading kept with no confidence, to be read again whole where it prints
    (or with doubt, for the sums to witness). Seed 40003: the total 1 4, its 1 left out by the detector and
    found by its ink, was a value of its own, and the row had a value too many. The box stays digits the
    detector read, of which a table's columns are learnt (seed 41005: 2 and the 1 of 21 joined as ink
    alone left its table no number read, and the 0 of the row under it no place)."""
    out = list(boxes)
    for mark in found:
        for k, box in enumerate(out):
            if not box[4].isdigit():
                continue
            left, right = (box, mark) if box[0] < mark[0] else (mark, box)
            low = min(box[3] - box[1], mark[3] - mark[1])
            if _on_one_line(box, mark) and 0 <= right[0] - left[2] < 0.8 * low:
                if not _two_numbers(ink, left, right):
                    out[k] = (left[0], min(box[1], mark[1]), right[2], max(box[3], mark[3]), box[4], 0.0)
                    break
        else:
            out.append(mark)
    return out


def _slot_end(end: int, text: str, bounds: tuple[int, int, int, int]) -> int:
    """Where a digit left out of a slot's reading may begin: the slot's end, or past it as close to the
    reading as a number's own digits stand (:data:`DIGIT_GAP`) when the reading ends with a digit (seed
    38002: 133 printed small, its last 3 begun past its slot's end, was written 13; a count's unit ends
    its number, and the next column's value may begin as close after it: 49件 478件)."""
    if not text[-1:].isdigit():
        return end
    return max(end, bounds[2] + int(DIGIT_GAP * (bounds[3] - bounds[1])))


#: Characters a box's reading needs to be a label's words that marks found by their ink just before it
#: belong to (:func:`_with_label_heads`): a unit (件) boxed alone after its count's digits is none.
LABEL_CHARACTERS = 2


def _components(ink: np.ndarray) -> np.ndarray:
    """The connected marks of ``ink`` (8-connected), a row ``(x, y, width, height, area)`` each."""
    import cv2

    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    return np.asarray(stats[1:count])


def _with_label_heads(
    gray: np.ndarray, components: np.ndarray, boxes: list[Box], digit_height: float, reads: int
) -> tuple[list[Box], int]:
    """``boxes`` with each row label's box widened over the characters the detector left out before it, and
    read again there by the recogniser alone; with how many reads that took (within :data:`MAX_SLOT_READS`
    of the page, ``reads`` taken already). A row's values stand after its label: marks a character high
    before a label's box on its line, each less than a digit's height from the next, are its characters
    (seed 37000, unruled speckle 150 dpi rough: 本年新 of 本年新收政府信息公开申请数量 left out, its box read
    收政府信息公开申请数量, which names no row, and 年新 found by their ink taken for values: table 3 lost
    its first row, and the columns it teaches). The box keeps its reading when the new one is no longer or
    not words, and covers the marks either way, so none is taken for a value. Words with no number after
    them on their line are no row's label (a header's: 洪泽区 2023 printed unruled, kiro_hzq2023, lost table
    4 to 维持·纠正结果审结 widened over a stroke of the heading before it). ``components``: the page's
    marks (:func:`_components`)."""
    marks = sorted(  # right to left: each mark joining a label, the one before it may join it too
        (
            (x, y, x + w, y + h)
            for x, y, w, h, _area in components.tolist()
            if 0.55 * digit_height <= h <= 2.5 * digit_height
            and not any(b[0] <= x + w / 2 <= b[2] and b[1] <= y + h / 2 <= b[3] for b in boxes)
        ),
        key=lambda m: -m[2],
    )
    out = list(boxes)
    numbers = [b for b in boxes if any(c.isdigit() for c in b[4])]
    for i, (x0, y0, x1, y1, text, score) in enumerate(boxes):
        if len(HAN.findall(text)) < LABEL_CHARACTERS or is_value(text):
            continue
        if not any(b[0] >= x1 and y0 < (b[1] + b[3]) / 2 < y1 for b in numbers):
            continue
        start = x0
        for mx0, my0, mx1, my1 in marks:
            if 0 <= start - mx1 < digit_height and y0 < (my0 + my1) / 2 < y1:
                start = min(start, mx0)
        if start == x0:
            continue
        if reads < MAX_SLOT_READS:
            reads += 1
            margin = max(2, round((y1 - y0) * 0.1))
            reading = _recognise(gray[max(0, int(y0)) : int(y1) + 1, max(0, int(start) - margin) : int(x1) + 1])
            if reading is not None and HAN.search(reading[0]) and len(reading[0]) > len(text):
                text, score = reading[0], min(score, reading[1])
        out[i] = (float(start), y0, x1, y1, text, score)
    return out, reads


#: A label's characters are at least this share of the digit height (a copier's specks are under half).
LABEL_MARK = 0.7
#: Characters of one label stand closer than this many digit heights (a group's label beside it,
#: （三）不予公开 before 4.保护第三方合法权益, stands further off).
LABEL_GAP = 1.5


def _read_labels(
    gray: np.ndarray,
    ink: np.ndarray,
    boxes: list[Box],
    spans: list[tuple[float, float, float, float]],
    digit_height: float,
) -> list[Box]:
    """Labels of unruled tables' rows the detector left out wholly, read by the recogniser alone: in each
    span before a line's values where no word was found (:attr:`parsers.unruled.Places.labels`), the run of
    marks as high as a character nearest the values, two characters wide or more, its marks no further
    apart than :data:`LABEL_GAP` and covered by no box; kept when it reads as words (seed 21004, unruled
    speckle 150 dpi: （一）予以公开 beside 23 3 0 0 0 4 7 30 was found by no box, and its row was lost)."""
    import cv2

    out: list[Box] = []
    for x0, y0, x1, y1 in spans:
        pad = int(0.3 * digit_height)
        top, left = max(0, int(y0) - pad), max(0, int(x0) + 1)
        band = ink[top : int(y1) + pad + 1, left : int(x1)]
        if min(band.shape) < 2:
            continue
        count, _, stats, _ = cv2.connectedComponentsWithStats(np.ascontiguousarray(band), connectivity=8)
        middle = (y0 + y1) / 2 - top
        marks = sorted(
            (int(x), int(y), int(x + w), int(y + h))
            for x, y, w, h, _area in stats[1:count]
            if LABEL_MARK * digit_height <= h <= 2.5 * digit_height and y <= middle <= y + h
        )
        run: list[tuple[int, int, int, int]] = []
        for mark in reversed(marks):
            if run and run[0][0] - mark[2] >= LABEL_GAP * digit_height:
                break
            run.insert(0, mark)
        if len(run) < 2 or run[-1][2] - run[0][0] < 2 * digit_height:
            continue
        at = (left + run[0][0], top + min(m[1] for m in run), left + run[-1][2], top + max(m[3] for m in run))
        if any(b[0] < at[2] and b[2] > at[0] and b[1] < (at[1] + at[3]) / 2 < b[3] for b in boxes):
            continue  # found by the detector (a label's end past its box)
        margin = max(2, round((at[3] - at[1]) * 0.2))
        reading = _recognise(gray[max(0, at[1] - margin) : at[3] + margin, max(0, at[0] - margin) : at[2] + margin])
        if reading is not None and HAN.search(reading[0]) and reading[1] >= MIN_BOX_SCORE:
            out.append((*_floats(at), reading[0], reading[1]))
    return out


def _parted_at_columns(
    gray: np.ndarray, raw: np.ndarray, opened: np.ndarray, boxes: list[Box], digit_height: float
) -> tuple[list[Box], int, int]:
    """Boxes of numbers run together across an unruled table's columns
    (:func:`parsers.unruled.to_part`) parted at the blank gap nearest each place between the columns
    (at least :data:`COLUMN_GAP` digit heights wide: digits of one number stand closer), each part read
    again by the recogniser alone. Without such a gap, or when the parts' readings do not hold every digit
    of the box's (a part read as nothing, a digit lost), the box stays whole (and no place reads it: it
    reaches into the next column). Its parts' readings count towards the page's :data:`MAX_SLOT_READS`:
    with the boxes, how many parts were read and how many boxes were left whole for want of reads."""
    out: list[Box] = []
    reads = unread = 0
    parts, lone = to_part(boxes, _slot_kind, digit_height)
    apart = _values_apart(opened, boxes, lone, digit_height)
    for i, box in enumerate(boxes):
        cuts = [_blank_near(opened, box, x, digit_height) for x in parts.get(i, [])]
        if i in apart and _slot_kind(box) in ("digits", "mark"):
            cuts = _wide_blanks(opened, box, apart[i], digit_height)
        if not cuts or None in cuts:
            out.append(box)
            continue
        if reads + len(cuts) + 1 > MAX_SLOT_READS:
            out.append(box)  # a page of marks a digit apart must not hold the parse
            unread += 1
            continue
        reads += len(cuts) + 1
        # a margin round the box: a thin 1 at a crop's edge is taken for a rule's remnant (_glyphs)
        margin = DIGIT_MARGIN * digit_height
        edges = [box[0] - margin, *(x for cut in cuts if cut for x in cut), box[2] + margin]
        read: list[Box] = []
        for left, right in zip(edges[::2], edges[1::2], strict=True):
            top, x0 = max(0, int(box[1] - margin)), max(0, int(left))
            glyphs = _glyphs(opened[top : int(box[3] + margin) + 1, x0 : int(right) + 1])
            at = glyphs and (x0 + glyphs[0], top + glyphs[1], x0 + glyphs[2], top + glyphs[3])
            found = at and _read_glyphs(gray, raw, at, digit_height)
            if not found:
                break
            read.append(
                (*_floats(found.bounds), found.text, _thin_one(found.text, found.score, found.ring, digit_height))
            )
        # every digit read once again, in one part or another (a part that lost one is no reading of it)
        whole = len(read) == len(cuts) + 1 and sum(_digit_count(b[4]) for b in read) == _digit_count(box[4])
        out += read if whole else [box]
    return out, reads, unread


def _blank_near(ink: np.ndarray, box: Box, x: float, digit_height: float) -> tuple[int, int] | None:
    """The blank run of the box's ink columns, :data:`COLUMN_GAP` digit heights wide or more, nearest to
    page x ``x`` within a digit height: ``(start, end)`` in page x, or None."""
    wide = [
        (a, b)
        for a, b in _box_blanks(ink, box[:4], SPECK_SIZE * digit_height)
        if b - a >= COLUMN_GAP * digit_height and abs((a + b) / 2 - x) <= digit_height
    ]
    return min(wide, key=lambda r: abs((r[0] + r[1]) / 2 - x), default=None)


def _values_apart(ink: np.ndarray, boxes: list[Box], lone: list[list[int]], digit_height: float) -> dict[int, float]:
    """The numbers of lone lines of numbers (``lone``, :func:`parsers.unruled.to_part`) with the narrowest
    blank that parts two values there: :data:`VALUE_GAP` digit heights, and most of the line's own gaps
    between the detector's boxes (a letter-spaced ``4 23`` in a row of seven apart keeps its one number) —
    unless parting at :data:`VALUE_GAP` alone makes the line table 4's fifteen values and the wider blank
    does not (the detector ran several of a narrow table's values into one box, so its own gaps are the
    widest: 平潭 2025's ``36 3`` stood 1.25 digit heights apart, its line's boxes 58 apart at the median)."""
    out: dict[int, float] = {}
    review = len(template.REVIEW_GROUPS) * len(template.REVIEW_COLUMNS)
    for line in lone:
        gaps = [boxes[b][0] - boxes[a][2] for a, b in itertools.pairwise(line)]
        least = max(VALUE_GAP * digit_height, LINE_GAP_SHARE * float(np.median(gaps)) if gaps else 0.0)
        # the line's values as its ink parts them (specks no ink), the ones the detector missed too
        span = [boxes[i] for i in line]
        band = (span[0][0], min(b[1] for b in span), span[-1][2], max(b[3] for b in span))
        blanks = [b - a for a, b in _box_blanks(ink, band, SPECK_SIZE * digit_height)]
        wide, narrow = (1 + sum(w >= at for w in blanks) for at in (least, VALUE_GAP * digit_height))
        if wide != review and narrow == review:
            least = VALUE_GAP * digit_height
        out.update((i, least) for i in line)
    return out


def _wide_blanks(ink: np.ndarray, box: Box, least: float, digit_height: float) -> list[tuple[int, int] | None]:
    """The blank runs of the box's ink columns ``least`` pixels wide or more, in page x (specks no ink)."""
    return [(a, b) for a, b in _box_blanks(ink, box[:4], SPECK_SIZE * digit_height) if b - a >= least]


def _box_blanks(ink: np.ndarray, box: tuple[float, float, float, float], speck: float = 0.0) -> list[tuple[int, int]]:
    """The runs ``(start, end)`` of the box's ink columns with no ink, in page x, between its first and last
    inked column (a gap between glyphs, not the box's margins). Marks lower than ``speck`` pixels are no
    ink: a speck between two values run into one box (``178·37``) leaves their gap blank."""
    import cv2

    x0, y0, x1, y1 = (int(round(v)) for v in box)
    left = max(0, x0)
    crop = ink[max(0, y0) : y1, left:x1]
    if crop.size == 0:
        return []
    if speck:
        _, labels, stats, _ = cv2.connectedComponentsWithStats(np.ascontiguousarray(crop), connectivity=8)
        low = np.flatnonzero(stats[:, cv2.CC_STAT_HEIGHT] < speck)
        crop = np.where(np.isin(labels, low[low > 0]), 0, crop)
    blank = [not inked for inked in np.any(crop, axis=0).tolist()]
    runs: list[tuple[int, int]] = []
    for x, empty in enumerate(blank):
        if empty and runs and runs[-1][1] == x:
            runs[-1] = (runs[-1][0], x + 1)
        elif empty:
            runs.append((x, x + 1))
    return [(left + a, left + b) for a, b in runs if a > 0 and b < len(blank)]


def _opened(raw: np.ndarray) -> np.ndarray:
    """The page's ink without specks of a pixel or two (a morphological opening): what glyphs and the gaps
    between them are judged on."""
    import cv2

    return cv2.morphologyEx(raw, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))


def _split_at_units(boxes: list[Box], cells: list[tuple[float, float, float, float]]) -> list[Box]:
    """Boxes outside ruled cells holding counts each printed with its unit (``0件0件0件``: the detector
    ran an unruled row's values together, as the generated reports print half their tables) parted at
    each unit, which ends its value; each part's x span is its share of the box, a full-width unit
    counted as two digits; specks read before or after a unit are none of a count's (a count has no
    point: ``2.件`` is 2件). Inside a ruled cell the cell's rules part them."""
    inside = {i for mine in _members(boxes, cells).values() for i in mine}
    out: list[Box] = []
    for i, (x0, y0, x1, y1, text, score) in enumerate(boxes):
        counts = _SPECKS_AFTER_UNIT.sub("", _SPECKS_BEFORE_UNIT.sub("", text))  # 0件.0件, 0.件: specks read
        if i not in inside and _COUNT_WITH_UNIT.fullmatch(counts):
            text = counts  # one count and its unit, a speck read before it as a point (2.件: seed 22004)
        if i in inside or not _COUNTS_WITH_UNITS.fullmatch(counts):
            out.append((x0, y0, x1, y1, text, score))
            continue
        parts = _UNIT_ENDED.findall(counts)
        widths = [len(p) + 1 for p in parts]  # the unit is full width
        at = x0
        for part, width in zip(parts, widths, strict=True):
            right = at + (x1 - x0) * width / sum(widths)
            # a unit whose digits the box left out (``件5件``: seed 37000, the 1 of 1件 boxed alone) is a
            # count not read, for its place to read again
            out.append((at, y0, right, y1, part if part[0].isdigit() else UNREADABLE_MARK, score))
            at = right
    return out


#: A label with an amount run into its end, and specks read between a label and its number (:func:`_part_glued`).
_GLUED_AMOUNT = re.compile(r"^(?P<label>.*[\u4e00-\u9fff）)])(?P<number>\d+\.\d+)$")
_SPECKS_AFTER_LABEL = re.compile(r"(?<=[\u4e00-\u9fff）)”])[" + re.escape(SPECK_READINGS + ".。") + r"]+(?=\d+$)")


def _part_glued(
    boxes: list[Box], cells: list[tuple[float, float, float, float]], ink: np.ndarray, digit_height: float | None
) -> list[Box]:
    """Boxes outside ruled cells holding a label with a number or an amount run into its end
    (``…政府信息公开67``, ``行政事业性收费4166.241619``: on an unruled page the detector joins a value to a
    label that ends close to it) parted where the ink leaves a gap before the number's digits (each about
    :data:`DIGIT_ADVANCE` of the digit height wide, a point half that): the number keeps its own place, as
    the table's other values do. No gap near there: the box stays whole. A count with its unit is not
    parted; specks read after the number (``公开301+``) or between it and the label (``禁止公开.，0``) are
    no print of it."""
    if not digit_height:
        return boxes
    inside = {i for mine in _members(boxes, cells).values() for i in mine}
    out: list[Box] = []
    for i, (x0, y0, x1, y1, text, score) in enumerate(boxes):
        bare = _SPECKS_AFTER_LABEL.sub("", text.rstrip("+." + SPECK_READINGS))
        glued = GLUED_NUMBER.match(bare) or _GLUED_AMOUNT.match(bare)
        number = glued["number"] if glued and glued["number"].replace(".", "", 1).isdigit() else None
        width = len(number) - number.count(".") / 2 if number else 0.0
        at = _gap_before_digits(ink, (x0, y0, x1, y1), width, digit_height) if number else None
        if i in inside or glued is None or number is None or at is None:
            out.append((x0, y0, x1, y1, text, score))
            continue
        out += [(x0, y0, at[0], y1, glued["label"], score), (at[1], y0, x1, y1, number, score)]
    return out


def _gap_before_digits(
    ink: np.ndarray, box: tuple[float, float, float, float], digits: float, digit_height: float
) -> tuple[float, float] | None:
    """The blank columns of the box's ink nearest to where its last ``digits`` digits begin, as page x
    ``(start, end)``; None when none lies within half a digit height of there."""
    expected = min(int(round(box[2])), ink.shape[1]) - digits * DIGIT_ADVANCE * digit_height
    near = [r for r in _box_blanks(ink, box) if abs(r[1] - expected) <= digit_height / 2]
    return min(near, key=lambda r: abs(r[1] - expected), default=None)


#: What a number found by its ink alone stands for among the detector's boxes (:func:`_ink_numbers`).
_INK = "\u25a1"


def _printed_number(text: str) -> bool:
    """A number read as printed: signed, with a point or thousands commas, a count with its unit, or an
    amount with its own (上海 2019's 采购总金额 ``251000元``, read again in its unruled place with
    confidence, was left not read)."""
    return bool(_PLAIN_NUMBER.fullmatch(text) or _COUNT_WITH_UNIT.fullmatch(text) or _AMOUNT_WITH_UNIT.fullmatch(text))


def _slot_kind(box: Box) -> str:
    """What a box is to an unruled table's places (:func:`parsers.unruled.places`): digits, alone or
    with a count's unit (their confidence is judged as every number's, in :func:`_read_page`), a number
    found by its ink, another reading of a value (not read, letter-spaced, a stem read as ``[``, a round
    mark), or none."""
    text = box[4]
    if text.isdigit() or _COUNT_WITH_UNIT.fullmatch(text):
        return "digits"
    if text == _INK:
        return "ink"
    round_mark = _without_specks(text) in ROUND_READINGS  # O. for a 0 and a speck
    marks = _SPACED_DIGITS.fullmatch(text) or _DIGIT_GROUPS.fullmatch(text) or text in STEM_READINGS or round_mark
    # a count's unit read alone in a box as wide as a digit and the unit: its digit lost (a speck over the 0)
    lost = len(text) == 1 and text in _COUNT_UNITS and box[2] - box[0] >= UNIT_AND_DIGIT * (box[3] - box[1])
    return "mark" if is_value(text) or text.startswith(UNREADABLE_MARK) or marks or lost else ""


def _ink_numbers(
    ink: np.ndarray,
    components: np.ndarray,
    boxes: list[Box],
    cells: list[tuple[float, float, float, float]],
    digit_height: float,
) -> list[Box]:
    """Numbers the detector left out wholly, found by their ink: marks as high as a digit (its ink is
    ~0.6-0.7 of the detector's box; table 4 printed larger, up to ~1.5) and no wider than two, outside
    every box and every ruled cell (read again there as a whole: :func:`_reread_cells`); marks of one
    line a digit's height apart or less, or two apart with a comma or point between, are one number
    (letter-spaced print, 1 1 , 0 5 0). On a real report printed without rules the detector found none of
    the small 0s of a page of table 3: a column of them, or a row of nothing else, had no place to be read
    in (:func:`parsers.unruled.places` learns places from these too, and reads every place holding
    one). ``components``: the marks of ``ink`` (:func:`_components`). Boxes ``(x0, y0, x1, y1, _INK, 0.0)``."""
    # every row of a table begins with its label: a mark left of every word the page prints stands in its
    # margin (seed 32004: a speck by the paper's edge joined a row of values and parted its table in two)
    margin = min((b[0] for b in boxes if HAN.search(b[4]) and not is_value(b[4])), default=0.0)
    marks = []
    for x, y, w, h, _area in components.tolist():
        if not 0.55 * digit_height <= h <= 1.8 * digit_height or w > 2 * digit_height or x + w < margin:
            continue
        cx, cy = x + w / 2, y + h / 2
        if any(b[0] - 2 <= cx <= b[2] + 2 and b[1] - 2 <= cy <= b[3] + 2 for b in boxes):
            continue
        if any(c[0] < cx < c[2] and c[1] < cy < c[3] for c in cells):
            continue
        marks.append((float(x), float(y), float(x + w), float(y + h)))

    def comma_between(left: list[float], right: list[float]) -> bool:
        # a thousands comma or a point on the baseline between two letter-spaced digits (1 1 , 0 5 0):
        # ink in the gap at the digits' foot and nowhere above it (a speck between two columns' values)
        foot = int(max(left[3], right[3]) - 0.3 * digit_height)
        gap = ink[int(min(left[1], right[1])) : int(max(left[3], right[3])) + 3, int(left[2]) + 1 : int(right[0])]
        cut = foot - int(min(left[1], right[1]))
        return gap.size > 0 and bool(gap[cut:].any()) and not gap[:cut].any()

    lines: list[list[tuple[float, float, float, float]]] = []
    for mark in sorted(marks, key=lambda m: m[1] + m[3]):
        if lines and abs(lines[-1][-1][1] + lines[-1][-1][3] - mark[1] - mark[3]) < digit_height * 2 / 3:
            lines[-1].append(mark)
        else:
            lines.append([mark])
    numbers: list[list[float]] = []
    for line in lines:
        # marks a digit's height apart or less are one number's; then a number joins the one before it
        # across a comma when it is a thousands group: three marks (a speck between two columns' lone 0s
        # had joined them, and the next column's value too, into one number across three columns)
        groups: list[list[tuple[float, float, float, float]]] = []
        for mark in sorted(line):
            if groups and mark[0] - groups[-1][-1][2] < digit_height:
                groups[-1].append(mark)
            else:
                groups.append([mark])
        start = len(numbers)
        for group in groups:
            box = [group[0][0], min(m[1] for m in group), group[-1][2], max(m[3] for m in group)]
            if (
                len(numbers) > start
                and len(group) == 3
                and box[0] - numbers[-1][2] < 2 * digit_height
                and comma_between(numbers[-1], box)
            ):
                last = numbers[-1]
                last[1:] = [min(last[1], box[1]), box[2], max(last[3], box[3])]
            else:
                numbers.append(box)
    # wider than any count's print: a row of values run together (0件 0件 …), or a rule's remnant
    return [(x0, y0, x1, y1, _INK, 0.0) for x0, y0, x1, y1 in numbers if x1 - x0 <= 6 * digit_height]


def _doubted_reading(text: str) -> str:
    """A number read with doubt as its cell is written: :data:`UNREADABLE_MARK`, then the reading when it is
    a whole number (``�17``; :func:`parsers.values.doubted`), never used unless a sum confirms it."""
    marked = UNREADABLE_MARK + text
    return marked if doubted(marked) is not None else UNREADABLE_MARK


def _read_with_doubt(text: str, marks: Marks) -> str:
    """A number read with doubt or unlike its ink (its marks, :func:`_kinds`), as its cell is written: not
    read, with the reading for the table's sums to witness (:func:`_doubted_reading`). A point the ink does
    not print is a speck's (15 read as 1.5), not part of the reading."""
    unprinted = text.count(".") == 1 and not _point_printed(marks, text)
    return _doubted_reading(text.replace(".", "") if unprinted else text)


def _digit_height(boxes: list[Box]) -> float | None:
    """The page's digit height: the median height of the detector's boxes of numbers read with confidence
    (a digit's ink is ~0.6-0.7 of its box), with their unit or not (``0件``), or None for a page without one."""
    sure = [b[3] - b[1] for b in boxes if b[4].rstrip(UNIT_CHARACTERS).isdigit() and b[5] >= MIN_NUMBER_CONFIDENCE]
    return float(np.median(sure)) if sure else None


def _six_or_nine(text: str) -> bool:
    """A reading of a lone 6 or 9, signed or not: a 0 the recogniser read as one with confidence (its ink
    is a ring, :func:`_ring`) is a disagreement, left null. (A 5 whose bowl a blur closed may pass for a
    ring; the recogniser reads it right.)"""
    return _unsigned(text) in ("6", "9")


def _unsigned(text: str) -> str:
    """A reading without the sign read before it: ``+``, ``-`` or the sign left unread (``∓``)."""
    return text.lstrip("+-" + SIGN_UNREAD_MARK)


def _zero(
    text: str, ink: np.ndarray | None = None, marks: Marks | None = None, digit_height: float | None = None
) -> bool:
    """A lone 0, with or without a sign read before it (``+0``, ``-0``: a speck; 0 has no sign), which the
    recogniser reads with less confidence than other digits (:data:`MIN_ZERO_CONFIDENCE`); or a 0 and its
    unit (``0件``) whose ink's first digit-high mark is a 0's ring (:func:`_ring`): a thin 1 lost before it
    (10件 read as 0件) would be that first mark."""
    bare = _unsigned(text)
    if bare == "0":
        return True
    if bare.rstrip(UNIT_CHARACTERS) != "0" or ink is None:
        return False
    first = min((box for box, kind in marks or [] if kind == "digit"), default=None)
    if first is None:
        return False
    x, y, w, h = first
    return _ring(np.pad(ink[y : y + h, x : x + w], 1), digit_height)


def _glyph_beside(
    raw: np.ndarray,
    box: tuple[float, float, float, float],
    boxes: list[Box],
    within: tuple[int, int] | None = None,
) -> tuple[int, int] | None:
    """A mark as high as a digit just before or after a number outside any ruled cell that no box of the
    page covers: a digit the detector left out (the thin 1 of 11 and of 16 in one row of an unruled
    table, whose sum still held with both read as 1 and 6). Returns the number's x span widened to those
    marks, or None when there is none. Looked for within two digits' height of the number (4,430 printed
    letter-spaced read as 430 on an unruled speckle scan, seed 16005), or within one and ``within`` an
    unruled column's slot: a mark counts that begins there, seen whole. Inside a ruled cell the cell is read
    again whole instead (:func:`_reread_cells`)."""
    import cv2

    x0, y0, x1, y1 = (int(v) for v in box)
    height = y1 - y0
    if height <= 0:
        return None
    start, end = x0, x1
    plus: tuple[int, int] | None = None  # looked for once, only where a mark before the number would count
    # letter-spaced print with a thousands comma (4 , 430) sets a digit two heights before the rest
    reach = 2 * height
    span = (x0 - reach, x1 + reach)
    if within:
        reach, span = height, (max(within[0], x0 - height), min(within[1], x1 + height))
    for left, right in ((max(0, x0 - reach), x0), (x1, min(raw.shape[1], x1 + reach))):
        if right - left < 2:
            continue
        count, _, stats, _ = cv2.connectedComponentsWithStats(
            np.ascontiguousarray(raw[y0:y1, left:right]), connectivity=8
        )
        for x, _y, w, h, _area in stats[1:count]:
            if h < GLYPH_BESIDE * height:
                continue  # a speck or a JPEG dot
            if (left + x + w <= span[0]) if right == x0 else (left + x >= span[1]):
                continue  # beyond the span: another column's
            centre, middle = left + x + w / 2, (y0 + y1) / 2
            covered = any(b[0] - 1 <= centre <= b[2] + 1 and b[1] < middle < b[3] for b in boxes) or any(
                # another number's ink reaching past its box, cut at the span's end (seed 11003: a 0 read
                # again at its place, its box the recogniser's tighter bounds, was a glyph beside the 0 before)
                b[0] < left + x + w
                and left + x < b[2]
                and b[1] < middle < b[3]
                and tuple(int(v) for v in b[:4]) != (x0, y0, x1, y1)
                for b in boxes
            )
            if covered:
                continue
            if right == x0:
                # a plus sign before it is no digit (本年增/减 printed + 5: its sign is judged by _sign_before)
                plus = plus or _plus_before(raw, (x0, y0, x1, y1)) or (-1, -1)
                if plus[0] <= centre <= plus[1]:
                    continue
            start, end = min(start, left + x), max(end, left + x + w)
    return (start, end) if (start, end) != (x0, x1) else None


def _with_glyph_beside(
    gray: np.ndarray,
    raw: np.ndarray,
    box: tuple[float, float, float, float],
    span: tuple[int, int],
    text: str,
    digit_height: float | None = None,
) -> str:
    """A number read with a digit the detector left out beside it (:func:`_glyph_beside`), as its cell is
    written: read again with that digit by the recogniser alone, a reading with doubt (``�10`` for a 10 whose
    thin 1 was lost) when it reads the detector's digits and more with confidence, or when each side's marks
    read alone are digits (or a 0's ring); the number as read, with doubt, when the marks are lower than a
    digit (dust by their height, not for certain); not read otherwise. No rule says whether the mark is this
    number's digit (letter-spaced, 分散对齐) or a tight column's value: the table's sums witness the reading
    (:func:`parsers.values.doubted`)."""
    x0, y0, _, y1 = (int(v) for v in box)
    found = _read_glyphs(gray, raw, (span[0], y0, span[1], y1), None)
    if found is not None:
        again, score = found.text, found.score
        if _PLAIN_NUMBER.fullmatch(again) and "." not in again:
            again = again.lstrip("+").replace(",", "")  # 4,430: its digits
        widened = again.endswith(text) if span[0] < x0 else again.startswith(text)
        if again.isdigit() and len(again) > len(text) and widened and score >= MIN_NUMBER_CONFIDENCE:
            return _doubted_reading(again)
    # seed 31003: 10, a speck under its 1, read 1 with its 0 too; its 0 alone reads 0
    x1, (height, width) = int(box[2]) + 1, gray.shape
    sides = [
        _read_glyphs(gray, raw, (left, y0, right, y1), None, (bound[0], 0, bound[1], height)) if right > left else None
        for (left, right), bound in (((span[0], x0), (0, x0)), ((x1, span[1]), (x1, width)))
    ]
    if any(sides) and all(
        side is None
        or side.text.isdigit()
        and (side.score >= MIN_NUMBER_CONFIDENCE or _zero_shape(side.text, side.score, side.ring, digit_height))
        for side in sides
    ):
        before, after = (side.text if side else "" for side in sides)
        return _doubted_reading(before + text + after)
    if _tallest_beside(raw, box, span) < DIGIT_SHARE * (y1 - y0):
        # seed 31000: a speck half a 0's height beside it; 31001: a lifted seal's stroke
        return _doubted_reading(text)
    return UNREADABLE_MARK


def _tallest_beside(raw: np.ndarray, box: tuple[float, float, float, float], span: tuple[int, int]) -> int:
    """The height of the tallest mark in ``span`` outside the box, within the box's rows (pixels)."""
    import cv2

    x0, y0, x1, y1 = (int(v) for v in box)
    tallest = 0
    for left, right in ((span[0], x0), (x1, span[1])):
        if right - left >= 1:
            count, _, stats, _ = cv2.connectedComponentsWithStats(
                np.ascontiguousarray(raw[y0:y1, left:right]), connectivity=8
            )
            tallest = max([tallest, *(int(h) for h in stats[1:count, cv2.CC_STAT_HEIGHT])])
    return tallest


def _text_lines(rgb: np.ndarray) -> tuple[int, float | None]:
    """How the page's text runs, from the detector on a small copy of it (~0.2 s): the quarter turns
    (``np.rot90``'s) that set it upright, and the median slope in degrees of its long lines when it is
    upright already.

    A page whose lines run up or down it is a landscape page (a wide table 3 in a landscape section)
    printed and scanned on its side; the way to turn it is the one the recogniser reads its longest
    lines with more confidence. The lines' slope levels a page without long rules (an unruled table),
    which :func:`_deskew` cannot level by its rules."""
    import cv2

    engine = _engine()
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    scale = min(1.0, ORIENTATION_SIDE / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    quads, _ = engine(small, use_rec=False, use_cls=False)
    boxes, slopes = [], []
    for quad in [] if quads is None else quads:
        xs, ys = [p[0] for p in quad], [p[1] for p in quad]
        box = (int(min(xs)), int(min(ys)), int(max(xs)) + 1, int(max(ys)) + 1)
        boxes.append(box)
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = quad
        if box[2] - box[0] > 4 * (box[3] - box[1]) and x1 - x0 > 0 and x2 - x3 > 0:
            slopes.append(math.degrees(math.atan(((y1 - y0) / (x1 - x0) + (y2 - y3) / (x2 - x3)) / 2)))
    tall = [b for b in boxes if b[3] - b[1] > 2 * (b[2] - b[0])]
    # an upright page may hold a few vertical labels (row groups printed top to bottom), never mostly
    if len(tall) < ORIENTATION_LINES or len(tall) <= 2 * sum(b[2] - b[0] > 2 * (b[3] - b[1]) for b in boxes):
        return 0, float(np.median(slopes)) if len(slopes) >= ORIENTATION_LINES else None
    tall.sort(key=lambda b: b[1] - b[3])
    crops = [small[y0:y1, x0:x1] for x0, y0, x1, y1 in tall[:ORIENTATION_LINES]]
    scores = {}
    for turns in (1, -1):
        readings, _ = engine.text_rec([cv2.cvtColor(np.rot90(c, turns).copy(), cv2.COLOR_GRAY2BGR) for c in crops])
        scores[turns] = sum(float(score) for _, score in readings)
    return max(scores, key=lambda t: scores[t]), None


def _lift_seal(rgb: np.ndarray) -> np.ndarray:
    """The page in grey with its red ink (seal, red-header 红头) read through the red channel, scaled so
    that the ink's own red is as light as the paper: black print under the ink stays dark. (Turning red
    pixels white cut every ruling line a seal crosses: in a JPEG the red bleeds onto a thin rule.)"""
    import cv2

    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    channel = rgb[..., 0].astype(np.float32)
    # red ink: far redder than green and blue; single pixels of that are a JPEG's colour noise, not ink
    redness = channel - np.maximum(rgb[..., 1], rgb[..., 2])
    red = cv2.morphologyEx((redness >= SEAL_REDNESS).astype(np.uint8), cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    if not red.any():
        return gray
    red = red.astype(bool)
    scale = min(MAX_SEAL_SCALE, float(np.percentile(gray, 90)) / max(1.0, float(np.median(channel[red]))))
    # and the pixels around the ink: a stroke's edge, paler and less saturated, would stay a grey outline
    around = cv2.dilate(red.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    out = gray.copy()
    out[around] = np.clip(channel[around] * scale, 0, 255).astype(np.uint8)
    return out


def _binary(gray: np.ndarray, contrast: int = 15) -> np.ndarray:
    """Ink as 255: pixels darker than their neighbourhood by ``contrast`` (a blurred 1-pixel rule of a
    rough 150 dpi scan is only ~10 levels darker than the paper around it)."""
    import cv2

    return cv2.adaptiveThreshold(255 - gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 25, -contrast)


def _deskew(gray: np.ndarray, text_slope: float | None = None) -> np.ndarray:
    """Rotate the page so that its long horizontal rules are level (a scan is rarely fed straight); on a
    page without long rules, by its text lines' slope (``text_slope``, degrees) when known."""
    import cv2

    height, width = gray.shape
    lines = cv2.morphologyEx(
        _binary(gray), cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(20, width // 40), 1))
    )
    count, labels, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    angles = []
    for i in range(1, count):
        x, y, w, h, _area = stats[i]
        if w < width // 4:
            continue
        ys, xs = np.nonzero(labels[y : y + h, x : x + w] == i)
        if len(xs) > 10:
            slope = np.polyfit(xs.astype(float), ys.astype(float), 1)[0]
            angles.append(math.degrees(math.atan(slope)))
    if angles:
        angle = float(np.median(angles))
    elif text_slope is not None:
        angle = text_slope
    else:
        return gray
    if abs(angle) < 0.05 or abs(angle) > MAX_SKEW:
        return gray
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(gray, turn, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)


def _rules(gray: np.ndarray) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    """Horizontal ``(y, x0, x1)`` and vertical ``(x, y0, y1)`` ruling lines of tables, in pixels.

    A rule is a run of ink far longer than a character's stroke: an opening with a kernel of 4% of the
    page's width (horizontal) or 1.2% of its height (vertical) keeps rules and removes most text. What a
    title's big strokes leave is dropped by the grid test: a table's vertical rule crosses two horizontal
    rules or more, and a horizontal rule meets a vertical one — at both of its ends when it is shorter than
    two kernels (a label's strokes against its cell's rule meet that one alone).
    """
    import cv2

    height, width = gray.shape
    ink = _binary(gray, RULE_CONTRAST)
    found: list[list[tuple[float, float, float]]] = []
    for kernel, bridge in (((max(20, width // 25), 1), (3, 1)), ((1, max(15, int(height * 0.012))), (1, 3))):
        closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, bridge))
        mask = cv2.morphologyEx(closed, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        segments = []
        for i in range(1, count):
            x, y, w, h, _area = (float(v) for v in stats[i])
            segments.append((y + h / 2, x, x + w) if kernel[1] == 1 else (x + w / 2, y, y + h))
        found.append(segments)
    horizontal, vertical = found
    near = max(6.0, height * 0.004)

    def crossings(x: float, y0: float, y1: float) -> int:
        return sum(y0 - near <= hy <= y1 + near and x0 - near <= x <= x1 + near for hy, x0, x1 in horizontal)

    # not "ends on two rules": a speck at a rule's end, or a layout's overhang, runs it on past its table
    vertical = [v for v in vertical if crossings(*v) >= 2]

    def meets(y: float, x0: float, x1: float) -> bool:
        return any(x0 - near <= vx <= x1 + near and y0 - near <= y <= y1 + near for vx, y0, y1 in vertical)

    # a short run is a rule only between two vertical rules: a label's bottom strokes set against its
    # cell's rule (由逾, 53 pixels at 150 dpi) meet it at one end, and would part the row across the table
    shortest = 2 * max(20, width // 25)
    horizontal = [
        h
        for h in horizontal
        if meets(*h) and (h[2] - h[1] >= shortest or meets(h[0], h[1], h[1]) and meets(h[0], h[2], h[2]))
    ]
    return horizontal, vertical


def _ocr(
    gray: np.ndarray, clean: np.ndarray, v_rules: list[tuple[float, float, float]], layout: Layout, number: int
) -> Iterator[tuple[float, float, float, float, str, float]]:
    """Text boxes ``(x0, y0, x1, y1, text, confidence)``: found on the page as scanned (the rules keep
    cells apart), read on the page without its rules; a box across a column rule is read again per cell."""
    import cv2

    engine = _engine()
    quads, _ = engine(gray, use_rec=False, use_cls=False)
    if not quads:
        return
    crops = engine.get_crop_img_list(
        cv2.cvtColor(clean, cv2.COLOR_GRAY2BGR), [np.array(q, dtype=np.float32) for q in quads]
    )
    readings = _read_lines(engine, crops)
    straddling = 0
    for quad, (text, score) in zip(quads, readings, strict=True):
        if score < MIN_BOX_SCORE or not text.strip():
            continue
        xs, ys = [p[0] for p in quad], [p[1] for p in quad]
        x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
        cuts = [x for x, top, bottom in v_rules if x0 + 4 < x < x1 - 4 and top <= y0 + 3 and bottom >= y1 - 3]
        if not cuts:
            yield x0, y0, x1, y1, text, float(score)
            continue
        pieces = _read_pieces(clean, [x0, *cuts, x1], y0, y1)
        if pieces is None:
            straddling += 1
            continue
        yield from pieces
    if straddling:
        layout.warnings.append(f"scan page {number}: {straddling} text box(es) across column rules not read")


def _read_lines(engine: Any, crops: list[np.ndarray]) -> list[tuple[str, float]]:
    """The recogniser's reading ``(text, confidence)`` of each crop, a long line's read in pieces
    (:func:`_line_pieces`): the texts joined (a space where the cut gap is a word's between two digits or
    Latin letters), the confidence the pieces' own weighted by their characters, as the recogniser weighs a
    line's."""
    pieces: list[np.ndarray] = []
    owners: list[tuple[int, bool]] = []
    for i, crop in enumerate(crops):
        for piece, spaced in _line_pieces(crop):
            pieces.append(piece)
            owners.append((i, spaced))
    readings, _ = engine.text_rec(pieces)
    texts: list[list[str]] = [[] for _ in crops]
    weights = [[0.0, 0.0] for _ in crops]
    for (i, spaced), (text, score) in zip(owners, readings, strict=True):
        # a space between two values or Latin words; Chinese print leaves a wide gap after 、 or 》 too
        spaced = spaced and bool(texts[i]) and _latin_end(texts[i][-1][-1:]) and _latin_end(text[:1])
        texts[i].append((" " if spaced else "") + text)
        weights[i][0] += float(score) * max(1, len(text))
        weights[i][1] += max(1, len(text))
    return [("".join(t), w[0] / w[1]) for t, w in zip(texts, weights, strict=True)]


def _latin_end(character: str) -> bool:
    return character.isascii() and character.isalnum()


#: The widest crop, in heights, that the recogniser reads in one piece: its cost grows faster than a
#: line's length (上海 2019 printed by Chromium, 200 dpi: a page of 53 lines ~60 heights long took 31 s in
#: one piece a line, ~10 s in pieces of 16), so a longer line is cut into pieces about this long.
LINE_PIECE = 16
#: A gap where a line is cut this share of its height or wider is a space between words (or values).
SPACE_GAP = 0.5


def _line_pieces(crop: np.ndarray) -> list[tuple[np.ndarray, bool]]:
    """A line's crop as pieces of about :data:`LINE_PIECE` heights, each cut at the widest blank run of
    columns within four heights of its end (between two characters, never through one: a number's digits
    stand closer than the characters around it), with whether the gap cut is a space (:data:`SPACE_GAP`).
    A line with no blank run there stays whole from that point."""
    height, width = crop.shape[:2]
    if width <= 1.5 * LINE_PIECE * height:
        return [(crop, False)]
    gray = crop if crop.ndim == 2 else crop[..., 0]
    blank = np.asarray(_binary(np.ascontiguousarray(gray)).max(axis=0) == 0)  # columns without ink
    pieces: list[tuple[np.ndarray, bool]] = []
    start, spaced = 0, False
    while width - start > 1.5 * LINE_PIECE * height:
        target = start + LINE_PIECE * height
        lo, hi = target - 4 * height, min(width - height, target + 4 * height)
        edges = np.flatnonzero(np.diff(np.concatenate(([False], blank[lo:hi], [False])).astype(np.int8)))
        # (length, middle) of each blank run in the window
        runs = [(int(b - a), lo + int(a + b) // 2) for a, b in zip(edges[::2], edges[1::2], strict=True)]
        if not runs:
            break
        length, cut = max(runs, key=lambda r: (r[0], -abs(r[1] - target)))
        pieces.append((crop[:, start:cut], spaced))
        start, spaced = cut, length >= SPACE_GAP * height
    pieces.append((crop[:, start:], spaced))
    return pieces


#: The tallest mark, as a share of the digits' height, that may be dust rather than print when it is
#: not a point on the baseline (a copier's specks run to a third of a digit at 150 dpi).
SPECK_SIZE = 0.45
#: The largest blot, as a share of the digits' height, taken for dust when it stands apart from the digits.
BLOT_SIZE = 0.7
#: Marks this share of the tallest in a cell or more give the digits' height (their median).
TALL_SHARE = 0.7
#: A mark this share of the digits' height or more is a digit (a digit's height is the font's).
DIGIT_SHARE = 0.8
#: A cell whose tallest mark is lower than this share of the page's digit boxes holds dust, not a digit.
DUST_HEIGHT = 0.4
#: The widest a 1's stem (its flag included, its foot not) is, as a share of its height.
STEM_WIDTH = 0.4
#: A mark this share of its height wide or wider may be two digits that touch.
TWO_DIGITS = 0.8
#: The narrowest a printed digit is, as a share of its height (a 1 with its foot is about half as wide as high).
MIN_DIGIT_WIDTH = 0.25
#: The widest blank between two marks of a cell, as a share of their height, the recogniser is shown.
CLOSE_GAP = 0.3
#: A 0's hole: at least this share of its height, its middle within this span of it (see :func:`_ring`)
RING_HOLE = 0.5
RING_MIDDLE = (0.4, 0.62)
#: Ink (pixels) a cell needs to be read when the detector found nothing in it; less is scanner dust.
MIN_CELL_INK = 25


def _grid(
    h_rules: list[tuple[float, float, float]], v_rules: list[tuple[float, float, float]]
) -> list[tuple[float, float, float, float]]:
    """The table cells ``(x0, y0, x1, y1)`` the rules enclose (bands between horizontal rules, split by
    the vertical rules that cross the whole band), as :func:`parsers.ruling.page_rows` reads them."""
    ys: list[float] = []
    for y in sorted(h[0] for h in h_rules):
        if not ys or y - ys[-1] > 4:
            ys.append(y)
    cells = []
    for top, bottom in zip(ys, ys[1:], strict=False):
        xs: list[float] = []
        for x in sorted(v[0] for v in v_rules if v[1] <= top + 4 and v[2] >= bottom - 4):
            if not xs or x - xs[-1] > 4:
                xs.append(x)
        cells += [(a, top, b, bottom) for a, b in zip(xs, xs[1:], strict=False)]
    return cells


_WITHOUT_SPECKS = str.maketrans("", "", SPECK_READINGS + " ")
#: What a small or blurred 0 is read as (a round mark): in a table cell, alone, it is the number 0.
ZERO_LOOKALIKES = frozenset("0oOD〇○。°")
#: What the recogniser reads a 0 as when a speck is stuck to it or it is read with doubt: round marks (a 5
#: whose bowl a blur closed reads as S or 5, never as these)
ROUND_READINGS = ZERO_LOOKALIKES - {"0"} | frozenset("QaGθσ.·")
#: What the recogniser reads a lone 1 as with doubt, beside no other glyph: a stem (its shape decides);
#: 一 on the detector's crop of a 1's middle (洪泽区 2024, unruled speckle 150 dpi).
STEM_READINGS = frozenset("[]|lI!一")
#: Digits with marks among them and nothing else: a number misread, not words.
_DIGITS_AND_MARKS = re.compile(r"(?=.*\d)[\d+\-." + re.escape(SPECK_READINGS) + "]+")
#: What specks before or after a number are read as (a number never opens or closes with these).
_END_SPECKS = SPECK_READINGS + ".“”‘’。"
#: ... and what a speck boxed alone may be read as too (seed 24000: ``?.`` beside a 0).
_ALONE_SPECKS = _END_SPECKS + "?？"
#: Marks a speck may be read as beside a value in its cell, a sign after its unit among them (``0件+``).
_EDGE_MARKS = _END_SPECKS + "+- "
#: The units of counts (件, 个, 项 …): a count has no point, so a dot by its unit is a speck. (An amount's 元 may
#: follow a point whose last digits were lost: ``10.元``.)
_COUNT_UNITS = UNIT_CHARACTERS.replace("万", "").replace("元", "")
#: Counts with their unit run together in one box (``0件0件0件``; a unit may have lost its digits to
#: another box, but one count at least is read), and one of them.
_COUNTS_WITH_UNITS = re.compile(r"(?=.*\d)(?:\d*[" + _COUNT_UNITS + r"]){2,}")
_COUNT_WITH_UNIT = re.compile(r"\d+[" + _COUNT_UNITS + "]")
#: A count with its unit read with a point (``10.987件``): judged as every number read with one
#: (:func:`_speck_off_the_line`; otherwise read with doubt).
_POINTED_COUNT = re.compile(r"\d+\.\d+[" + _COUNT_UNITS + "]")
#: One of those, its digits left out of the box or not (``件5件``).
_UNIT_ENDED = re.compile(r"\d*[" + _COUNT_UNITS + "]")
#: Specks read after a count's unit (``0件.0件``; ``30件+24件``, seed 37000: a plus there would be the next
#: count's sign, which its own ink decides, as every unruled value's: :func:`_sign_before`).
_SPECKS_AFTER_UNIT = re.compile(r"(?<=[" + _COUNT_UNITS + r"])[" + re.escape(_END_SPECKS + "+") + "]+")
#: Specks read between a count and its unit (``0·件``, ``0.件``).
_SPECKS_BEFORE_UNIT = re.compile(r"(?<=\d)[" + re.escape(_END_SPECKS) + "]+(?=[" + _COUNT_UNITS + "])")
#: A label's characters: a reading without any (a 5 read as ``LC``, specks as ``+``) is a number not read.
#: Readings no table prints, so the number is left null: "7.377" (a thousands separator read as a
#: point — at 150 dpi a comma's tail is a pixel or two — or a decimal amount: the scan cannot tell) and
#: "01" (a leading zero: "0件" with the unit's first stroke read as a 1).
_MISREAD = re.compile(r"[+-]?(\d{1,3}\.\d{3}$|0\d)")
#: The first of those unsigned: as a count's, its digits are read with doubt (:func:`_doubted_reading`).
_THOUSANDS = re.compile(r"\d{1,3}\.\d{3}")
#: A number read as printed, signed or with a point (the detector's reading stands unless the ink says otherwise).
_DIGITS = r"(\d{1,3}(,\d{3})+|\d+)(\.\d+)?"
_PLAIN_NUMBER = re.compile(r"[+-]?" + _DIGITS)
#: An amount of money with its unit (``251000元``, ``3.5万元``).
_AMOUNT_WITH_UNIT = re.compile(_DIGITS + "万?元")
#: A gap between two digits, as a share of their height, that is more than a number's own spacing:
#: outside a ruled table it may as well part two columns.
LOOSE_GAP = 0.35
#: The furthest a bar stands before a number's first digit, as a share of its height, to be its minus
#: sign: a digit's height and a quarter (letter-spaced ``- 1`` at 300 dpi, unruled seed 11003, set it 1.05
#: away; the tuning seeds' minus at 150 dpi stood 12–15 pixels before digits 14–16 high).
MINUS_GAP = 1.25
#: A mark beside a number this share of its box's height or more is a glyph (a digit's ink is ~0.6 of
#: the detector's box; a speck or a JPEG dot is lower).
GLYPH_BESIDE = 0.45
#: Two boxes' ink this many times as far apart as their own digits stand or more holds two numbers.
APART_SHARE = 2.0
#: The widest gap between two digits of one number, as a share of their height (a column's values stand a
#: digit's height apart or more; letter-spaced print, within a slot, up to two).
DIGIT_GAP = 0.5
#: Digits apart in one box ("2 9"): outside a ruled cell, one letter-spaced number (分散对齐) or the
#: values of two tight columns; a scan cannot tell which (in a ruled cell the cell decides, as 29).
_SPACED_DIGITS = re.compile(r"\d( \d)+")
#: Runs of digits apart in one box (``30 1``), or with a speck read between (``178·37``, ``23.18.26``: a
#: speck on the baseline reads as a point, and no number prints two): letter-spaced, or two columns'
#: values close together. A count's unit may end them (``1.9.70件``, seed 37001: 1 9 7 0件 with specks).
_DIGIT_GROUPS = re.compile(r"\d+([ ." + re.escape(SPECK_READINGS) + r"]+\d+)+[" + _COUNT_UNITS + "]?")
#: A number read with a word character where its unit prints (``0体``, ``0中*`` for 0件): a unit misread.
_UNIT_MISREAD = re.compile(r"(\d+)[\u4e00-\u9fff][" + re.escape(_END_SPECKS) + "]*")
#: A value, its unit, then marks without a digit that the recogniser was not sure enough of to be dust
#: (``0件Y``): no digit follows a unit in its cell.
_AFTER_UNIT = re.compile(r"(.*?[" + _COUNT_UNITS + r"])\D{1,2}")
#: A round mark alone or before a unit (``θ``, ``Q件``): a 0 read with doubt. Not a point or a dot: a
#: speck in a cell printed blank reads so.
_ROUND_ZERO = re.compile("[" + "".join(sorted(ROUND_READINGS - frozenset(".·。°"))) + "](" + UNIT_ALONE.pattern + ")?")


#: A number with a 0 among its digits read as a round letter (``4Q件``, ``1O5``), its unit or not.
_ROUND_LETTERS = "".join(sorted(ZERO_LOOKALIKES - frozenset("0。°"))) + "Q"
_ROUND_AMONG_DIGITS = re.compile(
    r"(?=.*\d)(?=.*[" + _ROUND_LETTERS + r"])[\d" + _ROUND_LETTERS + r"]{2,}(" + UNIT_ALONE.pattern + ")?"
)
_ROUND_TO_ZERO = str.maketrans(_ROUND_LETTERS, "0" * len(_ROUND_LETTERS))


def _round_zero(text: str) -> str | None:
    """A round mark alone or before a unit (:data:`_ROUND_ZERO`) as its cell is written: a 0 (and its
    unit) read with doubt; None for any other reading."""
    zero = _ROUND_ZERO.fullmatch(text)
    return _doubted_reading("0" + (zero.group(1) or "")) if zero else None


#: A short reading of no label's characters before a value's unit (``Q件``, ``o·件``).
_MARKS_AND_UNIT = re.compile(r"[^\u3400-\u9fff]{1,3}(?:" + "|".join(u for u in UNITS if u not in "%％") + ")")
#: Characters of the template's column headers, less those a blurred digit is read as and the units.
_HEADER_CHARACTERS = frozenset(
    "".join(
        [*template.COLUMN_LABELS.values(), *template.REVIEW_LABELS.values(), *template.ACTIVE_COLUMN_LABELS.values()]
    )
) - frozenset("一二十口日目工丈寸了己巳乙干土（）件个项次条元")


def _too_few_digits(text: str, parts: list[Box]) -> bool:
    """A number whose ink is too wide for the digits read: some were lost ("275" read as "7", the thin 1
    of "10" dropped). A digit is at most ~0.65 of its height wide, and letter-spacing adds at most
    ~0.75 of it between digits; any other character (a unit 件, a sign, a separator) up to a full height
    and a spacing. The detector pads its box by a few pixels on every side, which at 150 dpi makes a lone
    0's box ~0.9 of its height wide."""
    digits = _digit_count(text)
    others = len(text.replace(" ", "")) - digits
    width = max(p[2] for p in parts) - min(p[0] for p in parts)
    height = max(p[3] - p[1] for p in parts)
    return height > 0 and width > (digits * 0.65 + (digits - 1) * 0.75 + others * 1.75 + 0.35) * height


def _label_character(text: str, score: float) -> bool:
    """One character of the template's column headers read with confidence: the last line of a header
    wrapped in a narrow cell (结果维 / 持), not a number. Characters a blurred digit is read as (丈, 日,
    一, …) are never taken for one."""
    return len(text) == 1 and text in _HEADER_CHARACTERS and score >= MIN_NUMBER_CONFIDENCE


def _members(boxes: list[Box], cells: list[tuple[float, float, float, float]]) -> dict[int, list[int]]:
    """Cell index → indexes of the boxes whose centre lies in it."""
    out: dict[int, list[int]] = {}
    for i, box in enumerate(boxes):
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        j = next((j for j, (x0, y0, x1, y1) in enumerate(cells) if x0 < cx < x1 and y0 < cy < y1), None)
        if j is not None:
            out.setdefault(j, []).append(i)
    return out


def _cell_values(boxes: list[Box], cells: list[tuple[float, float, float, float]]) -> list[Box]:
    """Each table cell whose reading is short and holds a digit or a round mark made one box: the number
    when its pieces make one ("1" "7" → 17), 0 for a lone zero read as a round mark (o, 〇, 。), and
    :data:`UNREADABLE_MARK` for anything else that short (a 4 read as 丈, "寸0"): a number that was not
    read. Cells of words (labels, and a header's wrapped last character) keep their boxes."""
    members = _members(boxes, cells)
    merged: dict[int, Box] = {}
    dropped: set[int] = set()
    for mine in members.values():
        mine.sort(key=lambda i: boxes[i][0])
        # a value's unit ends it: what the recogniser doubts after it (a speck read as 1 at 0.17) is dust
        ends = [boxes[i][4].rstrip(_EDGE_MARKS)[-1:] for i in mine]
        unit = next((n for n, end in enumerate(ends) if end and end in UNIT_CHARACTERS), None)
        if unit is not None:
            dust = [i for i in mine[unit + 1 :] if boxes[i][5] < MIN_ZERO_CONFIDENCE]
            dropped.update(dust)
            mine = [i for i in mine if i not in dust]
        joined = _SPECKS_BEFORE_UNIT.sub("", "".join(boxes[i][4] for i in mine).replace(" ", ""))
        parts = [boxes[i] for i in mine]
        # a speck's own box (·, ，, + after a unit) says nothing of how surely the number beside it was read
        score = min(p[5] for p in [p for p in parts if p[4].strip(_EDGE_MARKS)] or parts)
        if is_value(_bare(joined)):
            # marks read at its ends widen its box: the ink judges those readings (see _end_marks)
            text = joined if _bare(joined) != joined or not _too_few_digits(joined, parts) else _doubted_reading(joined)
        elif len(joined) == 1 and joined in ZERO_LOOKALIKES and score >= MIN_NUMBER_CONFIDENCE:
            text = "0"  # the recogniser is sure it saw a round mark (a blurred 9 or 6 is not)
        elif _label_character(joined, score):
            continue
        elif zero := _round_zero(joined):
            text = zero  # Q件, θ: a 0 read with doubt
        elif (value := _AFTER_UNIT.fullmatch(joined)) and is_value(value.group(1)):
            text = _doubted_reading(value.group(1))
        elif len(joined) <= 3 and (any(c.isdigit() for c in joined) or len(joined) == 1 or not HAN.search(joined)):
            # digits, then a character where a unit prints (0件 read as 0体): the digits, read with doubt
            misread = _UNIT_MISREAD.fullmatch(joined)
            text = _doubted_reading(misread.group(1)) if misread else UNREADABLE_MARK
        elif _MARKS_AND_UNIT.fullmatch(joined):
            text = UNREADABLE_MARK  # a 0 with a speck read as Q, then its unit (Q件): a number not read
        elif _DIGITS_AND_MARKS.fullmatch(joined):
            text = UNREADABLE_MARK  # a speck between digits read as a sign (153 as 15-3): no number prints so
        else:
            continue
        merged[mine[0]] = (
            min(p[0] for p in parts),
            min(p[1] for p in parts),
            max(p[2] for p in parts),
            max(p[3] for p in parts),
            text,
            score,
        )
        dropped.update(mine[1:])
    return [merged.get(i, b) for i, b in enumerate(boxes) if i not in dropped]


#: How far from a found rule's middle its ink is looked for, in pixels (a rule is 1-3 pixels wide at 150-300
#: dpi, and its middle is found within a pixel or two); and the length of the stretches it is looked at in:
#: short enough that a rule skewed by a pixel stays in one column, long enough that a digit's stroke beside
#: it is dark in under half of one.
RULE_REACH = 5
RULE_STRETCH = 48
#: A pixel this dark or darker is a glyph's stroke, not a rule's grey edge (a blurred rule's edge is ~200).
GLYPH_DARK = 160


def _without_rules(
    gray: np.ndarray, h_rules: list[tuple[float, float, float]], v_rules: list[tuple[float, float, float]]
) -> np.ndarray:
    """The page with its ruling lines painted white, a band 7 pixels wide over each, but for the strokes of
    glyphs printed against a vertical rule: dark ink in its band, not the rule's own (:func:`_rule_ink`),
    that joins ink outside every band. (The band alone took the left side of 80 and 81 set a pixel from
    their cell's rule, and they read B0 and B1: 平潭 2023's page printed by Chromium, 150 dpi.) Beside a
    horizontal rule the band goes whole: a blot running down into the rule under a 0 would make the 0 too
    tall to be judged by its ring."""
    import cv2

    across, down = np.zeros_like(gray), np.zeros_like(gray)  # the bands of horizontal and vertical rules
    for y, x0, x1 in h_rules:
        cv2.line(across, (int(x0), int(y)), (int(x1), int(y)), 255, 7)
    for x, y0, y1 in v_rules:
        cv2.line(down, (int(x), int(y0)), (int(x), int(y1)), 255, 7)
    band = (across > 0) | (down > 0)
    ink = _binary(gray, RULE_CONTRAST)
    own = np.zeros(gray.shape, bool)
    for x, y0, y1 in v_rules:
        _rule_ink(own, ink, int(round(x)), int(y0), int(y1))
    for y, x0, x1 in h_rules:
        _rule_ink(own.T, ink.T, int(round(y)), int(x0), int(x1))
    strokes = (gray <= GLYPH_DARK) & ~own
    count, labels = cv2.connectedComponents(strokes.astype(np.uint8), connectivity=8)
    reaching = np.zeros(count, bool)  # the strokes' marks with ink outside every band, by label
    reaching[labels[strokes & ~band]] = True
    glyphs = reaching[labels] & strokes & (down > 0) & (across == 0)
    out = gray.copy()
    out[band] = 255
    out[glyphs] = gray[glyphs]
    return out


def _rule_ink(own: np.ndarray, ink: np.ndarray, x: int, y0: int, y1: int) -> None:
    """Marks in ``own`` the ink of the vertical rule at ``x`` from ``y0`` to ``y1`` (a horizontal rule's on
    the page's transpose), stretch by stretch: the run of columns next to its middle inked most of the
    stretch's length, and a pixel either side (their grey edge). It parts the glyphs beside the rule from
    each other; it is not painted out past the band, since in a narrow header cell the strokes of
    characters against the rule are inked most of a stretch too (seed 15003's table-4 headers read
    ``体田41`` when it was, and the 41 took table 4's place)."""
    height, width = ink.shape
    left, right = max(0, x - RULE_REACH), min(width, x + RULE_REACH + 1)
    if right <= left:
        return
    for top in range(max(0, y0 - 3), min(height, y1 + 4), RULE_STRETCH):
        bottom = min(height, top + RULE_STRETCH, y1 + 4)
        share = (ink[top:bottom, left:right] > 0).mean(axis=0)
        columns = np.nonzero(share >= 0.5)[0]
        if len(columns) == 0:
            continue  # faded here: the band goes
        # the run of such columns nearest the found middle: the rule, not a glyph's stroke beside it
        first = last = columns[np.argmin(np.abs(columns + left - x))]
        while first - 1 >= 0 and share[first - 1] >= 0.5:
            first -= 1
        while last + 1 < len(share) and share[last + 1] >= 0.5:
            last += 1
        own[top:bottom, max(0, left + first - 1) : min(width, left + last + 2)] = True


def _sign_before(
    raw: np.ndarray, cells: list[tuple[float, float, float, float]], box: tuple[float, float, float, float]
) -> str:
    """What stands just before a number's first digit, standing apart from any glyph to its left (the
    detector's box may hold it): ``-`` a minus sign the recogniser left out, :data:`SIGN_UNREAD_MARK` a
    small mark that may be a minus or a speck (at 150 dpi a hyphen-minus is a dot of two or three pixels,
    a speck's size), or nothing.

    In a ruled table the search stops at the cell's rule, and only a sign stands before a number there:
    a mark across the digits' middle third, up to two and a half digits before them (as far as
    letter-spaced print sets a minus), may be a minus (on a speckled 150 dpi scan the minus of -1 was a
    dot beside a speck); a bar (:func:`_bar`) within :data:`MINUS_GAP` digits' height of them is one; a
    speck above or below that third, or further away, is none. Outside a ruled cell (an unruled table) the
    same, but the last stroke of a character before a number in prose is no mark, as it stands close to
    the rest of its character. (Seed 11000, unruled at 150 dpi: a speck stuck under the minus of -1 made a
    blot taller than a dot, and 1 was written.)"""
    import cv2

    x0, y0, x1, y1 = (int(v) for v in box[:4])
    height = y1 - y0
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    cell = next((c for c in cells if c[0] < cx < c[2] and c[1] < cy < c[3]), None)
    # as far as a letter-spaced minus may stand (below): the box may be the ink's own, no taller than a digit
    left = max(int(cell[0]) + 5, x0 - 3 * height) if cell else max(0, x0 - 2 * height)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(raw[y0:y1, left:x1], connectivity=8)
    marks = [tuple(int(v) for v in k[:4]) for k in stats[1:count]]
    tallest = max((h for *_, h in marks), default=0)
    glyphs = [m for m in marks if m[3] >= 0.6 * tallest]  # digits and characters, not dots and bars
    digit = min((m for m in glyphs if m[0] >= x0 - left - height * 0.3), default=None)
    if digit is None:
        return ""
    first, top, _, size = digit
    across = [
        (first - x - w, labels[y : y + h, x : x + w] == n + 1, (y + h / 2 - top) / size)
        for n, (x, y, w, h) in enumerate(marks)
        if first - 2.5 * size <= x and x + w <= first and h < 0.6 * size and top + size / 3 < y + h
        if y < top + size * 2 / 3
        # outside a cell, a mark just after a glyph is that character's last stroke
        if cell is not None or not any(x - size * 0.8 <= gx + gw <= x + 1 for gx, _, gw, _ in glyphs if gx < x)
    ]
    # a minus is centred on the digits' middle third (0.57–0.64 of their height down on the generated
    # scans); a blot of specks 0.75 down before a real report's 1 was as straight as a minus
    if any(gap <= MINUS_GAP * size and 1 / 3 <= mid <= 2 / 3 and _bar(mark, size) for gap, mark, mid in across):
        return "-"
    # a plus sign (本年增/减 printed ``+ 5``) is as high as a small character: a cross centred on the digits
    crosses = [
        labels[y : y + h, x : x + w] == n + 1
        for n, (x, y, w, h) in enumerate(marks)
        if 0 < first - x - w <= MINUS_GAP * size and 0.4 * size <= h <= 0.85 * size
        if 1 / 3 <= (y + h / 2 - top) / size <= 2 / 3
        if cell is not None or not any(x - size * 0.8 <= gx + gw <= x + 1 for gx, _, gw, _ in glyphs if gx < x)
    ]
    if any(_cross(mark) for mark in crosses):
        return "+"
    return SIGN_UNREAD_MARK if across else ""


def _plus_before(raw: np.ndarray, box: tuple[int, int, int, int], inside: bool = False) -> tuple[int, int] | None:
    """The x span of a plus sign (:func:`_cross`) within :data:`MINUS_GAP` digits' height before a number's
    box, as high as its digits' middle, or None; ``inside``: the box holds the sign, at its start."""
    import cv2

    x0, y0, x1, y1 = box
    height = y1 - y0
    left = max(0, x0 - round((MINUS_GAP + 1) * height))
    if inside:
        left, x0 = max(0, x0 - 1), min(x1, x0 + height)  # at the box's start, no wider than a digit is high
    pad = height // 3
    crop = np.ascontiguousarray(raw[max(0, y0 - pad) : y1 + pad, left:x0])
    if min(crop.shape) < 2:
        return None
    count, labels, stats, _ = cv2.connectedComponentsWithStats(crop, connectivity=8)
    middle = (y0 + y1) / 2 - max(0, y0 - pad)
    for n, (x, y, w, h, _area) in enumerate(stats[1:count], 1):
        if y < middle < y + h and left + x + w >= x0 - MINUS_GAP * height and _cross(labels[y : y + h, x : x + w] == n):
            return left + int(x), left + int(x + w)
    return None


def _cross(mark: np.ndarray) -> bool:
    """A mark (its pixels) shaped as a plus sign: about as wide as high, its middle row and middle column
    inked across most of it, the four corners between the arms blank. A speck or a blot of specks is round:
    a disc inks its corners a third of the way in. (Seed 21004, unruled speckle 150 dpi: ``+ 5``'s plus was
    11 × 10 pixels with strokes of 3 beside digits 15 high.)"""
    height, width = mark.shape
    if not 0.7 <= width / height <= 1.4 or height < 5:
        return False
    middle_row = mark[height // 2 - 1 : height // 2 + 2].any(axis=0).mean()
    middle_column = mark[:, width // 2 - 1 : width // 2 + 2].any(axis=1).mean()
    a, b = max(1, round(height * 0.3)), max(1, round(width * 0.3))
    corners = [mark[:a, :b], mark[:a, -b:], mark[-a:, :b], mark[-a:, -b:]]
    return middle_row >= 0.8 and middle_column >= 0.8 and all(c.mean() <= 0.1 for c in corners)


def _bar(mark: np.ndarray, size: int) -> bool:
    """A mark (its pixels) shaped as a minus sign beside digits ``size`` high: half as long again as it is
    thick, a quarter of a digit long, no thicker than a third of one, and straight — the columns inked in
    each of its rows span half its length. The generated reports' minus at 150 dpi is 5–7 × 2–4 pixels
    beside digits 14–16 high; the specks of a copier are round (3 × 3 to 6 × 6, none of 147 beside counts
    half as long again as thick), and two that touch make a slanting blot (7 × 4 on seed 8111, no column
    inked in all its rows)."""
    height, width = mark.shape
    straight = int(mark.all(axis=0).sum()) >= width / 2
    return width >= 1.5 * height and size / 4 <= width and height <= size / 3 and straight


def _reread_cells(
    gray: np.ndarray,
    raw: np.ndarray,
    ink: np.ndarray,
    cells: list[tuple[float, float, float, float]],
    boxes: list[Box],
    digit_height: float | None,
) -> list[Box]:
    """Boxes with each table cell the detector read badly read again as a whole: a cell with ink and no
    box (a lone digit in a wide cell is often missed), a number whose ink reaches past its boxes (the
    "1" of a letter-spaced "1 7" missed), or a lone number or round mark read with doubt.

    The crop is the cell's glyphs with a margin of a fifth of their height: specks of scanner noise are
    left out of it (a crop three times the glyph's size shows the recogniser a small round blob, which it
    reads as 。 rather than 0)."""
    inside = _members(boxes, cells)
    dropped: set[int] = set()
    added: list[Box] = []
    for j, (x0, y0, x1, y1) in enumerate(cells):
        left, top, right, bottom = int(x0) + 5, int(y0) + 5, int(x1) - 4, int(y1) - 4
        if right - left < 6 or bottom - top < 6:
            continue
        glyphs = _glyphs(ink[top:bottom, left:right])
        if glyphs is None:
            continue
        ink_x0, ink_y0, ink_x1, ink_y1 = left + glyphs[0], top + glyphs[1], left + glyphs[2], top + glyphs[3]
        mine = inside.get(j, [])
        texts = [boxes[i][4] for i in mine]
        if mine:
            if any(is_words(t) for t in texts):
                continue  # a label: the detector's lines are right
            slack = (ink_y1 - ink_y0) * 0.2
            # the detector's box may hold only part of a glyph: the top of a 4, read as 1
            covered = (
                min(boxes[i][0] for i in mine) - ink_x0 < slack
                and ink_x1 - max(boxes[i][2] for i in mine) < slack
                and min(boxes[i][1] for i in mine) - ink_y0 < slack
                and ink_y1 - max(boxes[i][3] for i in mine) < slack
            )
            read = boxes[mine[0]][4]
            sure = (
                is_value(read)
                and boxes[mine[0]][5] >= MIN_NUMBER_CONFIDENCE
                and "." not in read
                and not _too_few_digits(read, [boxes[mine[0]]])  # a speck beside it widened its box
                and not _digits_unlike_ink(read, _kinds(_ink_of(raw, boxes[mine[0]][:4]))[1])
            )
            if covered and len(mine) == 1 and sure:
                continue  # one number read with confidence, whose box covers the ink
        cell = (int(x0), int(y0), int(x1) + 1, int(y1) + 1)
        found = _read_glyphs(gray, raw, (ink_x0, ink_y0, ink_x1, ink_y1), digit_height, cell)
        if found is None:
            continue
        text, score, ring = found.text, found.score, found.ring
        # a mark that is no 0 by its shape leaves the detector's reading as it was
        zero_shape = _zero_shape(text, score, ring, digit_height)
        if not (_number_like(text) or zero_shape):
            continue  # words: the detector reads labels, and a crop of a cell split by a rule reads as noise
        seen = boxes[mine[0]][4] if len(mine) == 1 else ""
        lost = seen.replace(".", "") if found.despeckled else seen  # a point that was a speck may be lost
        # a minus the detector read, when the ink prints one
        minus = (
            any("-" in boxes[i][4] for i in mine) and "-" not in text and _minus_printed(_kinds(raw[found.window])[1])
        )
        if minus and seen == "-" + text and score >= MIN_NUMBER_CONFIDENCE:
            text = seen  # the digits read again with confidence (the detector was unsure of its minus), the minus inked
        elif minus or (is_value(seen) and (len(text) < len(lost) or _digit_count(text) < _digit_count(seen))):
            # the crop lost a mark the detector saw: a thin minus sign taken for a speck, a thin 1 at the
            # cell's edge taken for a rule's remnant (18651.06 read again as 8651.06, its point kept)
            continue
        if text == seen:  # the same number: the detector's confidence stands (a speck beside it sent it here)
            score = max(score, boxes[mine[0]][5])
        if zero_shape:
            text, score = "0", MIN_NUMBER_CONFIDENCE
        else:
            score = _thin_one(text, score, ring, digit_height)
        dropped.update(mine)
        added.append((*_floats(found.bounds), text, score))
    return [b for i, b in enumerate(boxes) if i not in dropped] + added


def _digit_count(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _zero_shape(text: str, score: float, ring: np.ndarray, digit_height: float | None) -> bool:
    """One mark read again as no digit (a 0 with a speck stuck to it reads as Q, a, G, θ), or as a 0, 6 or
    9 with doubt, whose ink (``ring``) is a 0's ring: a 0. Specks read beside it (``0.``, ``O:``) are none of
    its print: the ring is one mark."""
    bare = _without_specks(text) or text
    return (
        bare in ROUND_READINGS or (bare in ("0", "6", "9") and (score < MIN_NUMBER_CONFIDENCE or bare != text))
    ) and _ring(ring, digit_height)


def _without_specks(text: str) -> str:
    """A reading without the specks read among and around its mark (``O.``, ``0:``)."""
    return text.translate(_WITHOUT_SPECKS).strip(".")


def _thin_one(text: str, score: float, ring: np.ndarray, digit_height: float | None) -> float:
    """The confidence of a reading again: a thin 1 read with doubt whose ink is a 1's stem is a 1."""
    if text == "1" and MIN_ZERO_CONFIDENCE <= score < MIN_NUMBER_CONFIDENCE and _stem(ring, digit_height):
        return MIN_NUMBER_CONFIDENCE
    return score


def _floats(bounds: tuple[int, int, int, int]) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = bounds
    return float(x0), float(y0), float(x1), float(y1)


@dataclass
class _Glyphs:
    """What the recogniser read on a crop of glyphs (:func:`_read_glyphs`)."""

    text: str  #: the reading, without spaces
    score: float  #: its confidence
    ring: np.ndarray  #: the ink it read, specks taken out
    bounds: tuple[int, int, int, int]  #: that ink's bounds on the page: the number's own width
    window: tuple[slice, slice]  #: the crop on the page: the glyphs and a margin
    despeckled: bool  #: specks were taken out of the crop


def _read_glyphs(
    gray: np.ndarray,
    raw: np.ndarray,
    glyphs: tuple[int, int, int, int],
    digit_height: float | None,
    within: tuple[int, int, int, int] | None = None,
) -> _Glyphs | None:
    """The recogniser alone on the glyphs at ``glyphs`` (page pixels, ``x0, y0, x1, y1``), or None for dust
    only (no mark as high as a digit: a digit's ink is ~0.6 of its box) or nothing read.

    The crop is the glyphs with a margin of a fifth of their height: specks of scanner noise are left out
    of it (a crop three times the glyph's size shows the recogniser a small round blob, which it reads as
    。 rather than 0). The margin stays ``within`` a ruled cell (its rules): past them is the next cell's
    print (平潭 2023: a speck by a rule, with the margin, took in the first stroke of the label across it,
    and 止 read as a 1)."""
    x0, y0, x1, y1 = glyphs
    margin = max(2, round((y1 - y0) * 0.2))
    left, top, right, bottom = within or (0, 0, gray.shape[1], gray.shape[0])
    box = (
        slice(max(top, y0 - margin), min(bottom, y1 + margin)),
        slice(max(left, x0 - margin), min(right, x1 + margin)),
    )
    if digit_height and _tallest(raw[box]) < DUST_HEIGHT * digit_height:
        return None
    crop, specks, kept = _despeckled(gray[box], raw[box])
    ring = raw[box]
    if specks is not None and kept is not None:
        # the number alone, as the recogniser reads best: a small 0 in a wide white crop reads as 。
        ring = np.where(specks, 0, ring).astype(np.uint8)
        pad = max(2, round((kept[3] - kept[1]) * 0.2))
        tight = (slice(max(0, kept[1] - pad), kept[3] + pad), slice(max(0, kept[0] - pad), kept[2] + pad))
        crop, ring = crop[tight], ring[tight]
        top, left = box[0].start, box[1].start
        x0, y0, x1, y1 = left + kept[0], top + kept[1], left + kept[2], top + kept[3]
    reading = _recognise(_closed_up(crop, ring))
    if reading is None:
        return None
    return _Glyphs(reading[0].replace(" ", ""), reading[1], ring, (x0, y0, x1, y1), box, specks is not None)


def _closed_up(crop: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """A cell's crop with the blank runs between its marks wider than :data:`CLOSE_GAP` of their height
    cut to that: letter-spaced digits (分散对齐 sets 11 as ``1      1``) are read with doubt when far
    apart, and with confidence as one number. In a ruled cell every mark is the one number's; a point
    keeps a space of its own."""
    inked = np.flatnonzero(ink.any(axis=0))
    rows = np.flatnonzero(ink.any(axis=1))
    if len(inked) < 2:
        return crop
    keep_to = max(2, round(CLOSE_GAP * (rows[-1] - rows[0] + 1)))
    keep = np.ones(crop.shape[1], bool)
    for a, b in zip(inked, inked[1:], strict=False):
        if b - a - 1 > keep_to:
            keep[a + 1 + keep_to : b] = False
    return crop if keep.all() else np.ascontiguousarray(crop[:, keep])


def _lone_mark(ink: np.ndarray, digit_height: float | None) -> tuple[Any, Any, int] | None:
    """The one mark of a crop's ink of the page's digit height (``digit_height``: the median height of the
    detector's boxes of numbers read with confidence; a digit's ink is ~0.7 of its box): the contours, their
    hierarchy and that mark's index, or None for a crop of no such mark or of two (a speck, a blot)."""
    import cv2

    contours, hierarchy = cv2.findContours(ink, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None or digit_height is None:
        return None
    outer = [i for i, h in enumerate(hierarchy[0]) if h[3] == -1]
    tallest = max(cv2.boundingRect(contours[i])[3] for i in outer)
    big = [i for i in outer if cv2.boundingRect(contours[i])[3] >= tallest / 2]
    if len(big) != 1 or not 0.5 * digit_height <= cv2.boundingRect(contours[big[0]])[3] <= 1.05 * digit_height:
        return None
    return contours, hierarchy, big[0]


def _holes(contours: Any, hierarchy: Any, mark: int) -> list[Sequence[int]]:
    """The bounds of a mark's holes (:func:`_lone_mark`), but for holes a speck's size (JPEG pinholes)."""
    import cv2

    height = cv2.boundingRect(contours[mark])[3]
    holes = [cv2.boundingRect(contours[i]) for i, k in enumerate(hierarchy[0]) if k[3] == mark]
    return [hole for hole in holes if hole[3] >= 0.15 * height]


def _holed(ink: np.ndarray, digit_height: float | None) -> bool:
    """One mark of the page's digit height (:func:`_lone_mark`) with a hole in it: no stem (a 1 read as a
    round mark is none), wherever the hole is."""
    found = _lone_mark(ink, digit_height)
    return found is not None and bool(_holes(*found))


def _ring(ink: np.ndarray, digit_height: float | None) -> bool:
    """The shape of a 0: one mark of the page's digit height (:func:`_lone_mark`), not a stem, with one
    hole down most of its height and about its middle (:data:`RING_HOLE`, :data:`RING_MIDDLE`): a 6's
    hole sits low, a 9's high, an 8 has two, a 4's is small. On the ink of digits read with confidence
    in scans at 150 dpi with specks, a 0's hole spans 0.57-0.8 of its height (0.5 when blurred nearly
    shut), its middle at 0.41-0.61 of it; the roundest 6 and 9 have theirs at 0.67 and 0.33. A 0's ring
    is about as thick over its hole as under it; a 6's bowl may reach the middle (0.62 at 200 dpi) with
    the ring three times as thick over it. A speck stuck outside the ring (read as Q, a, G) widens the
    mark but not its hole, so the mark's width is not judged beyond a stem's; holes a speck's size (JPEG
    pinholes) are not counted."""
    import cv2

    found = _lone_mark(ink, digit_height)
    if found is None:
        return False
    contours, hierarchy, mark = found
    x, y, w, h = cv2.boundingRect(contours[mark])
    if w < 0.35 * h:
        return False
    holes = _holes(contours, hierarchy, mark)
    if len(holes) != 1:
        return False
    _, hy, hw, hh = holes[0]
    middle = (hy + hh / 2 - y) / h
    above, below = hy - y, y + h - (hy + hh)  # the ring's thickness over and under its hole
    return (
        hh >= RING_HOLE * h
        and hw >= 0.25 * hh
        and RING_MIDDLE[0] <= middle <= RING_MIDDLE[1]
        # as thick over its hole as under it, but for a hole too big for a 6's or a 9's
        and (hh >= 0.7 * h or max(above, below) <= 2 * min(above, below) + 1)
    )


def _ring_under_blot(ink: np.ndarray, digit_height: float | None) -> bool:
    """A 0's ring with a blot stuck on its top or its foot: one mark taller than the page's digits (up to
    :data:`BLOT_REACH` of their height), whose top or lowest digit's height of rows is a 0's ring
    (:func:`_ring`). A 6 or a 9 is no taller than the digits beside it, so only a blot makes one so (平潭
    2022, speckle 150 dpi: a blot on a 0's top read 6, and the row's sums could not witness a 6)."""
    if digit_height is None:
        return False
    rows = np.flatnonzero(ink.any(axis=1))
    if rows.size == 0 or not 1.05 * digit_height < rows[-1] + 1 - rows[0] <= BLOT_REACH * digit_height:
        return False
    keep = round(digit_height)
    for window in (slice(rows[-1] + 1 - keep, rows[-1] + 1), slice(rows[0], rows[0] + keep)):
        part = np.zeros_like(ink)
        part[window] = ink[window]
        if _ring(part, digit_height):
            return True
    return False


#: The tallest a 0 with a blot stuck on it stands, as a share of the page's digit height.
BLOT_REACH = 1.5


def _slash(ink: np.ndarray, lean: float | None = None) -> bool:
    """A mark that leans as a slash does: above its foot (the lowest fifth: a serif), its middle moves left
    by more than ``lean`` (:data:`SLASH_LEAN`) of a pixel a row going down (a 1's flag, at its top left,
    leans it the other way). The mark is the crop's largest; specks apart from it are none of it."""
    import cv2

    count, labels, stats, _ = cv2.connectedComponentsWithStats(np.ascontiguousarray(ink), connectivity=8)
    if count < 2:
        return False
    mark = labels == 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    rows = np.flatnonzero(mark.any(axis=1))
    if rows.size < 6:
        return False
    body = mark[rows[0] : rows[0] + max(2, round(0.8 * (rows[-1] + 1 - rows[0])))]
    ys, middles = [], []
    for y, row in enumerate(body):
        inked = np.flatnonzero(row)
        if inked.size:
            ys.append(y)
            middles.append((inked[0] + inked[-1]) / 2)
    return len(ys) >= 4 and float(np.polyfit(ys, middles, 1)[0]) < -(SLASH_LEAN if lean is None else lean)


#: How far a mark read as 1, however sure, must lean to be a slash: a blank cell's slash leans 0.3-0.35
#: at 150 dpi (generated seeds 28000 and 30004, read as 1 at up to 0.94); a font's 1 may lean as an
#: italic does (~0.2), and a first rule at :data:`SLASH_LEAN` for every 1 cost five real cells of the
#: nine layouts.
SLASH_STEEP = 0.25
#: How far a slash's middle moves left a row going down, at the least (pixels a pixel), for a mark not to
#: be taken for a 1's stem; a printed 1 stands upright (an italic one read with doubt leans ~0.2 and is
#: left null, never another number).
SLASH_LEAN = 0.15


def _stem(ink: np.ndarray, digit_height: float | None) -> bool:
    """The shape of a 1: one mark of the page's digit height (:func:`_lone_mark`), without a hole, whose
    rows above its foot (the lowest fifth: a serif) are all at most :data:`STEM_WIDTH` of its height wide.
    A 7's bar, a 4's crossbar and diagonal, a 2's or a 3's curves are wider; a thin 1 at 150 dpi is read
    with doubt. A mark that leans as a slash (:func:`_slash`) is none: a blank cell printed ``/`` is read as
    1 with doubt, and its stroke is as thin as a stem (generated seed 28000, blanks printed ``/``, speckle
    150 dpi: ten cells written 1 unruled, ten ruled)."""
    import cv2

    if _slash(ink):
        return False
    found = _lone_mark(ink, digit_height)
    if found is None:
        return False
    contours, hierarchy, mark = found
    if any(k[3] == mark for k in hierarchy[0]):
        return False
    x, y, w, h = cv2.boundingRect(contours[mark])
    filled = np.zeros_like(ink)
    cv2.drawContours(filled, contours, mark, 1, thickness=-1)
    rows = filled[y : y + h - max(1, round(h / 5)), x : x + w]
    return bool(rows.any(axis=1).all()) and int(rows.sum(axis=1).max()) <= STEM_WIDTH * h


def _number_like(text: str) -> bool:
    """A reading that is a number, a round mark, or a short one with a digit ("3*", "0°", "'0", "： 0 **":
    a number with specks read beside it)."""
    bare = text.translate(_WITHOUT_SPECKS).strip(".")  # a point never opens or closes a number
    return (
        is_value(text)
        or text in ZERO_LOOKALIKES
        or (len(text) <= 3 and any(c.isdigit() for c in text))
        or (bare != text and is_value(bare))
    )


def _tallest(ink: np.ndarray) -> int:
    """The height in pixels of the tallest mark in a crop's ink."""
    import cv2

    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    return int(stats[1:count, cv2.CC_STAT_HEIGHT].max()) if count > 1 else 0


#: A number's ink as marks, each ``((x, y, w, h), kind)`` (see :func:`_kinds`).
Marks = list[tuple[tuple[int, int, int, int], str]]


def _kinds(ink: np.ndarray) -> tuple[np.ndarray, Marks]:
    """A number's ink as labelled marks, each ``((x, y, w, h), kind)`` with kind ``digit``, ``point``,
    ``speck`` or ``other`` (a minus sign, a mark between digits too big for dust): see :func:`_despeckled`.
    """
    import cv2

    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    marks = [(int(k[0]), int(k[1]), int(k[2]), int(k[3])) for k in stats[1:count]]
    if not marks:
        return labels, []
    # the digits' line: the tallest mark's, and the height and edges of the tall marks on it by their
    # median. A speck stuck to one digit makes it the tallest (the 6 of 96171.6 hung 4 px below the
    # line, and its point was no longer on it); a blot three quarters of a digit high above the line is
    # on no digit's line, whatever its height.
    _, ty, _, th = max(marks, key=lambda m: m[3])
    line = [m for m in marks if m[3] >= TALL_SHARE * th and _overlap(m, ty, ty + th) >= 0.5 * min(m[3], th)]
    height = float(np.median([m[3] for m in line]))
    top, bottom = float(np.median([m[1] for m in line])), float(np.median([m[1] + m[3] for m in line]))
    digits = [m for m in marks if m[3] >= DIGIT_SHARE * height and _overlap(m, top, bottom) >= 0.5 * m[3]]
    if not digits:
        return labels, []
    left, right = min(m[0] for m in digits), max(m[0] + m[2] for m in digits)
    out = []
    for x, y, w, h in marks:
        if (x, y, w, h) in digits:
            out.append(((x, y, w, h), "digit"))
            continue
        # a digit is tall; a minus sign a bar at least twice as long as it is thick
        small = h <= height * SPECK_SIZE and w <= height * 0.6 and w < 2 * h
        point = (
            abs(y + h - bottom) <= max(2.0, height * 0.12)
            and left < x
            and x + w < right
            # in a space of its own: a dot under a digit (or under two joined by a speck) is dust
            and all(dx + dw <= x + 1 or dx >= x + w - 1 for dx, _, dw, _ in digits)
            and not _spaced_as_digits(x, w, digits)
        )
        blot = h <= height * BLOT_SIZE and w <= height * BLOT_SIZE and w < 2 * h
        minus = w >= 2 * h and x + w <= left and top + height / 4 <= y + h / 2 <= top + height * 3 / 4
        # nothing of a number's print stands after its last digit, or before its first but a minus
        outside = x >= right or (x + w <= left and not minus)
        if (small and not point) or (blot and not top <= y + h / 2 <= bottom) or outside:
            out.append(((x, y, w, h), "speck"))
        else:
            out.append(((x, y, w, h), "point" if small and point else "other"))
    return labels, out


def _spaced_as_digits(x: int, w: int, digits: list[tuple[int, int, int, int]]) -> bool:
    """Whether a mark at ``x``, ``w`` wide, stands in a gap between two of a number's ``digits`` (marks
    ``(x, y, w, h)``) no wider than the number's other gaps and half its own width: not a point's. A
    printed point is a glyph with its own advance, so its gap is wider than the others; a speck in a
    letter-spaced number's gap (``7 3 8`` read 73.8, generated seed 36000) leaves it as wide as they are.
    (The points of real reports scanned at 150-200 dpi stood in gaps of 7-12 px where the same number's
    other gaps were 3-5 px.) With two digits there is no other gap to tell by: False."""
    spans = sorted((dx, dx + dw) for dx, _, dw, _ in digits)
    around: list[int] = []
    others: list[int] = []
    for (_, a), (b, _) in itertools.pairwise(spans):
        (around if a <= x + 1 and b >= x + w - 1 else others).append(b - a)
    return bool(around and others) and around[0] <= max(others) + w / 2


def _overlap(mark: tuple[int, int, int, int], top: float, bottom: float) -> float:
    """How many pixel rows of a mark ``(x, y, w, h)`` lie between ``top`` and ``bottom``."""
    return max(0.0, min(mark[1] + mark[3], bottom) - max(mark[1], top))


def _despeckled(
    crop: np.ndarray, ink: np.ndarray
) -> tuple[np.ndarray, np.ndarray | None, tuple[int, int, int, int] | None]:
    """A cell's crop with its specks painted as paper, the specks' mask (None when there were none), and
    the bounding box ``(x0, y0, x1, y1)`` of the marks kept (None when nothing was painted).

    A speck is a mark under :data:`SPECK_SIZE` of the digits' height that is not a bar (a minus sign), a
    blot under :data:`BLOT_SIZE` of it above or below the digits' line (a worn copier's toner dots are half
    a digit high at 150 dpi), or any mark lower than a digit after the last digit or before the first
    (there, only a minus sign is print). A decimal point is as small, but a printed point is a glyph *on
    the baseline, in its own space between two digits*; a speck anywhere else (above the baseline, under a
    digit, before the first digit or after the last) is dust or a JPEG dot, which the recogniser would
    read as a point (336 → 3.36) or a minus (63 → -6.3)."""
    import cv2

    labels, marks = _kinds(ink)
    specks = np.zeros(ink.shape, np.uint8)
    for label, (_, kind) in enumerate(marks, start=1):
        if kind == "speck":
            specks[labels == label] = 1
    kept = [(x, y, x + w, y + h) for (x, y, w, h), kind in marks if kind != "speck"]
    if not specks.any() or not kept:
        return crop, None, None
    # the speck's paler rim too, never a pixel of what is kept
    grown = cv2.dilate(specks, np.ones((3, 3), np.uint8)).astype(bool)
    rim = grown & ((labels == 0) | specks.astype(bool))
    out = crop.copy()
    out[rim] = int(np.percentile(crop, 90))
    box = (min(k[0] for k in kept), min(k[1] for k in kept), max(k[2] for k in kept), max(k[3] for k in kept))
    return out, specks.astype(bool), box


def _ink_of(raw: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """The page's ink inside a box (pixels)."""
    x0, y0, x1, y1 = (max(0, int(v)) for v in box)
    return np.ascontiguousarray(raw[y0 : y1 + 1, x0 : x1 + 1])


def _bare(text: str) -> str:
    """A reading without the specks read at its ends: marks no number opens or closes with (``.178``,
    ``*0``, ``56-``: a point, a star, a quote, a sign after the digits). A sign before the digits stays:
    本年增/减 prints ``+5``."""
    return text.strip(_END_SPECKS).rstrip("+-")


def _end_marks(text: str, marks: Marks) -> tuple[str, bool]:
    """A reading that is a number but for marks read at its ends (:func:`_bare`) without them, when its
    ink's marks (:func:`_kinds`) hold no more digits than the rest of the reading and a point only where the rest has one; and
    whether a mark was dropped before the digits: it may have been a minus (a short dash read as ``·``),
    so the sign is unread: a count is the number, a signed column null. Otherwise the rest read with doubt
    (:func:`_doubted_reading`): a digit misread as a mark (40 as ``'0``, 12.5 as ``12.``) leaves a
    digit-high mark in the ink that the rest of the reading does not have."""
    bare = _bare(text)
    kinds = [kind for _, kind in marks]
    # a unit's character is a digit-high mark (件's 亻 and 牛 touch at 150-300 dpi); one printed apart is a
    # mark more, and the reading is not judged so: a thin 1 lost before a 0 must not pass for a unit's part
    printed = _digit_count(bare) + sum(c in UNIT_CHARACTERS for c in bare)
    if kinds.count("digit") <= printed and _point_printed(marks, bare) == ("." in bare):
        return bare, not text.startswith(bare[:1])
    return _doubted_reading(bare), False


def _digits_unlike_ink(text: str, marks: Marks) -> bool:
    """A reading of digits alone that its ink (its marks, :func:`_kinds`) cannot print: fewer digits than the ink has digit-high
    marks (one was lost: 141 read as 14 in a box that holds all three; a letter-spaced number's box is
    wide enough for two digits and a gap, so its width alone does not tell; digits that touch make one
    mark, never more), or more digits than the width of its digits' ink holds at :data:`MIN_DIGIT_WIDTH`
    of their height each (a speck read as a digit). A count with its unit (件: marks of a digit's height
    and more) is judged by the digit-high marks before the unit's em only: fewer of them than its digits,
    none wide enough for two, is a mark that is no digit read as one (seed 23000: ``+ 3件`` with a speck
    stuck to the plus read ``43件``)."""
    boxes = [box for box, kind in marks if kind == "digit"]
    if not boxes:
        return False
    digits = _digit_count(text)
    if _COUNT_WITH_UNIT.fullmatch(text):
        before = _before_unit(boxes)
        return 0 < len(before) < digits and all(w < TWO_DIGITS * h for _, _, w, h in before)
    if not _unsigned(text).replace(",", "").replace(".", "").isdigit():
        return False
    if len(boxes) > digits:
        return True
    height = max(h for _, _, _, h in boxes)
    width = max(x + w for x, _, w, _ in boxes) - min(x for x, _, _, _ in boxes)
    return width < digits * MIN_DIGIT_WIDTH * height


def _before_unit(digits: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Of a count's digit-high marks ``(x, y, w, h)``, those before its unit: the ink's last em (as wide as
    the tallest mark is high; 件's 亻 and 牛 one mark or two)."""
    em = max(h for _, _, _, h in digits)
    end = max(x + w for x, _, w, _ in digits) - em
    return [m for m in digits if m[0] + m[2] <= end]


def _minus_printed(marks: Marks) -> bool:
    """Whether a number's ink (its marks, :func:`_kinds`) holds a dash before its first digit: a mark at
    the digits' mid-height, longer than it is thick and at least a quarter of a digit long. A blurred
    minus is under twice as long as thick (7 × 4 pixels beside digits 19 high at 200 dpi), so this is
    looser than :func:`_kinds`'s bar; a speck, which the recogniser may also read as a minus, is round."""
    digits = [box for box, kind in marks if kind == "digit"]
    if not digits:
        return False
    first = min(x for x, _, _, _ in digits)
    top = float(np.median([y for _, y, _, _ in digits]))
    height = float(np.median([h for _, _, _, h in digits]))
    return any(
        x + w <= first and w >= 1.4 * h and w >= height / 4 and top + height / 4 <= y + h / 2 <= top + height * 3 / 4
        for (x, y, w, h), kind in marks
        if kind != "digit"
    )


def _digits_after_minus(
    gray: np.ndarray, box: tuple[float, float, float, float], marks: Marks, digits: str
) -> float | None:
    """The confidence of a minus sign's number whose ink prints the minus (:func:`_minus_printed`), when the
    recogniser, unsure of it as a whole, reads its digits alone as the same digits with confidence: at 150
    dpi a minus is a short bar that halves the confidence of a reading it opens (``-3`` at 0.70, ``3``
    alone at 0.99; a speck after them read as a point is no part of them). None when the digits alone read
    otherwise or with doubt."""
    inked = [box for box, kind in marks if kind == "digit"]
    if not inked:
        return None
    # the digits' own ink and a fifth of their height about it, as the cells are read again (a speck after
    # the digits in a wider crop is read as a point)
    left, top = min(x for x, _, _, _ in inked), min(y for _, y, _, _ in inked)
    right, bottom = max(x + w for x, _, w, _ in inked), max(y + h for _, y, _, h in inked)
    margin = max(2, round((bottom - top) * 0.2))
    x0, y0 = int(box[0]), int(box[1])
    crop = np.full((bottom - top + 2 * margin, right - left + 2 * margin), 255, np.uint8)
    crop[margin:-margin, margin:-margin] = gray[y0 + top : y0 + bottom, x0 + left : x0 + right]
    reading = _recognise(crop)
    if reading is None or _bare(reading[0].strip()) != digits or reading[1] < MIN_NUMBER_CONFIDENCE:
        return None
    return reading[1]


def _point_printed(marks: Marks, text: str) -> bool:
    """Whether a number's ink (its marks, :func:`_kinds`) holds a decimal point of its own: a point between
    two of its digit-high marks. For a count with its unit (``0件``) only between its first and its last
    digit read: the mark after those is the unit's, and a dot by a count's unit is a speck."""
    xs = sorted(x for (x, _, _, _), kind in marks if kind == "digit")
    if text.rstrip(_END_SPECKS)[-1:] in tuple(_COUNT_UNITS):
        xs = xs[: _digit_count(text)]
    return len(xs) > 1 and any(kind == "point" and xs[0] < x < xs[-1] for (x, _, _, _), kind in marks)


def _point_misread(text: str, marks: Marks) -> bool:
    """A reading whose point the ink does not print, or whose ink prints a point the reading lacks: a
    speck stuck to the digits read as one (7545 as 75.45: a dot of toner at the foot of the 5 and 4), or
    a printed point lost (96171.6 as 961716). A comma's tail sits on the line as a point does, and a count
    printed with its unit (件) is whole: a point its ink holds is a speck or such a tail (seed 37001: a speck
    in its own space before the 9 of 1 9 7 0件). ``marks``: the number's ink as :func:`_kinds` reads it."""
    if "," in text or "，" in text or _COUNT_WITH_UNIT.fullmatch(text):
        return False
    printed = _point_printed(marks, text)
    return ("." in text) != printed or (printed and not _point_where_read(text, marks))


def _point_where_read(text: str, marks: Marks) -> bool:
    """Whether a reading's point stands where its ink prints one (:func:`_point_printed`): after as many
    digits as the ink has digit-high marks before it. Told only where the ink has a mark for each digit
    read (digits that touch make one mark). Seed 41000: 1 2 7 4 letter-spaced, a one-pixel dot on the line
    between 1 and 2 and a speck stuck to the 2's foot, read ``1.2.74`` and again ``12.74``: the ink's
    point is after one digit, the reading's after two, so neither point is known to be printed."""
    digits = sorted(x for (x, _, _, _), kind in marks if kind == "digit")
    if len(digits) != _digit_count(text):
        return True
    before = _digit_count(text.split(".", 1)[0])
    return any(
        kind == "point" and digits[0] < x < digits[-1] and sum(d < x for d in digits) == before
        for (x, _, _, _), kind in marks
    )


def _band(marks: Marks) -> tuple[int, int] | None:
    """The top and foot of a number's digits in its ink (``marks``: :func:`_kinds`), or None without a digit."""
    digits = [(y, y + h) for (_, y, _, h), kind in marks if kind == "digit"]
    return (min(a for a, _ in digits), max(b for _, b in digits)) if digits else None


def _digits_band(marks: Marks, y0: float, y1: float) -> tuple[float, float]:
    """A number's box, its top and foot, as its digits' ink stands when a speck made the detector's box half as
    tall again or more (seed 31004: a speck over a 2 moved its box's middle up a line, and the 2 joined no
    row): the number's line is its digits'. ``marks``: the box's ink (:func:`_kinds`, from ``int(y0)``)."""
    band = _band(marks)
    if band is None:
        return y0, y1
    top, foot = int(y0) + band[0], int(y0) + band[1]
    return (top, foot) if y1 - y0 >= 1.5 * (foot - top) else (y0, y1)


def _print_span(marks: Marks, x0: float, x1: float) -> tuple[float, float]:
    """A count's box, its left and right, as its print stands (its digits, unit, point and sign, not the
    specks :func:`_kinds` finds beside them): an unruled value's place is its centre, and a speck in the
    detector's box moved it (seed 37000 clean: 1件 with a speck after it stood a quarter of a column off,
    and its row, whose sums hold, was no row of columns). Only a side the box reaches past the print by half
    the digits' height or more: a pixel or two is the detector's margin (a speck boxed apart on a 0 reads
    before or after it by their boxes). ``marks``: the box's ink, from ``int(x0)``."""
    kept = [(x, x + w) for (x, _, w, _), kind in marks if kind != "speck"]
    band = _band(marks)
    if not kept or band is None:
        return x0, x1
    left, right, reach = int(x0) + min(a for a, _ in kept), int(x0) + max(b for _, b in kept), (band[1] - band[0]) / 2
    return (left if left - x0 >= reach else x0), (right if x1 - right >= reach else x1)


def _speck_off_the_line(text: str, marks: Marks) -> bool:
    """A number read with a point where its ink prints each of its digits and beside them nothing but specks
    wholly under the digits' foot or over their top (seed 31000: 6919 read 69.19, a speck under its 9 and 1)
    or in a gap of the digits' own width (:func:`_spaced_as_digits`): a point stands on the line in a space
    of its own, so none prints, and the digits are the reading. A count printed with its unit (件) is whole:
    its point is a speck or a thousands comma, and where the marks before the unit's em are its digits (no
    more, and fewer only where digits touch: :func:`_digits_unlike_ink`) they are the reading (seed 37001:
    1 0 9 8 7件 read 10.987件, a speck stuck to the 0's foot). No count begins with 0 (0.5 with its point
    lost is no 05)."""
    number = text[:-1] if text and text[-1] in _COUNT_UNITS else text
    bare = number.replace(".", "", 1)
    band = _band(marks)
    if number.count(".") != 1 or not bare.isdigit() or bare.startswith("0") or band is None:
        return False
    digits = [m for m, kind in marks if kind == "digit"]
    if number != text:
        return len(_before_unit(digits)) <= len(bare) and not _digits_unlike_ink(bare + text[-1], marks)
    if len(digits) != len(bare):
        return False
    top, foot = band
    return all(
        kind == "speck" and (y >= foot or y + h <= top or _spaced_as_digits(x, w, digits))
        for (x, y, w, h), kind in marks
        if kind != "digit"
    )


def _glyphs(ink: np.ndarray, line: bool = False) -> tuple[int, int, int, int] | None:
    """The bounding box ``(x0, y0, x1, y1)`` of the marks in a cell's ink that are a fifth of the largest
    one's area or more (scanner specks are smaller) and not a rule's remnant at the edge, or None for a cell
    without :data:`MIN_CELL_INK`. A ``line``'s crop (an unruled table's place) is bounded above and below
    by its line of print, not by rules: a mark at its top or bottom is its own (the upper half of a 2 the
    blur had cut, at the top of a place learnt from ink, had been dropped: 26 read as 6)."""
    import cv2

    if min(ink.shape) < 2:
        return None  # an empty crop (OpenCV crashes the process on some, rather than raising)
    count, _, stats, _ = cv2.connectedComponentsWithStats(np.ascontiguousarray(ink), connectivity=8)
    if count < 2 or int(stats[1:, cv2.CC_STAT_AREA].sum()) < MIN_CELL_INK:
        return None
    height, width = ink.shape
    marks = list(stats[1:count])
    largest = max(int(k[cv2.CC_STAT_AREA]) for k in marks)

    def glyph(x: int, y: int, w: int, h: int, area: int) -> bool:
        # specks are small; what is left of a rule where two cross sits at the crop's edge
        at_edge = x <= 3 or x + w >= width - 3 or not line and (y <= 3 or y + h >= height - 3)
        return area * 5 >= largest and not (at_edge and area * 2 < largest)

    kept = [k for k in marks if glyph(*(int(v) for v in k[:5]))]
    return (
        int(min(k[0] for k in kept)),
        int(min(k[1] for k in kept)),
        int(max(k[0] + k[2] for k in kept)),
        int(max(k[1] + k[3] for k in kept)),
    )


def _join_digits(boxes: list[Box], v_rules: list[tuple[float, float, float]], ink: np.ndarray) -> list[Box]:
    """Digits of one number detected as separate boxes ("1" "7" for 17, printed letter-spaced) joined into
    one box, when nothing but a small gap (no column rule) lies between them on one line, and their ink
    stands no further apart than each box's own digits may (:func:`_two_numbers`)."""
    boxes = sorted(boxes, key=lambda b: (round((b[1] + b[3]) / 2 / 8), b[0]))
    out: list[Box] = []
    for box in boxes:
        if out:
            prev = out[-1]
            height = max(prev[3] - prev[1], box[3] - box[1])
            same_line = _on_one_line(prev, box)
            # a gap is judged by the lower box: a speck above a digit makes its box tall (seed 21005: 10's box
            # twice a digit's height joined the next column's 4)
            low = min(prev[3] - prev[1], box[3] - box[1])
            gap = box[0] - prev[2]
            ruled = any(prev[2] - 2 <= x <= box[0] + 2 and y0 <= box[1] and y1 >= box[3] for x, y0, y1 in v_rules)
            in_table = any(y0 <= box[1] and y1 >= box[3] for _, y0, y1 in v_rules)
            digits = prev[4].isdigit() and box[4].isdigit() and not (gap > 0 and _two_numbers(ink, prev, box))
            if same_line and digits and not in_table and low * LOOSE_GAP <= gap < low * 0.8:
                # no rule says whether this gap is letter-spacing (分散对齐: 3 1 for 31) or a tight
                # column's (103 | 3): one box "3 1", read as one number with doubt (_read_page) for the
                # table's sums to witness, or read again where its column prints (_read_slots)
                out[-1] = (
                    prev[0],
                    min(prev[1], box[1]),
                    box[2],
                    max(prev[3], box[3]),
                    prev[4] + " " + box[4],
                    min(prev[5], box[5]),
                )
                continue
            # boxes of one number may overlap (the detector splits it): a column never overlaps the next
            if same_line and -height * 0.5 < gap < low * 0.8 and not ruled and digits:
                out[-1] = (
                    prev[0],
                    min(prev[1], box[1]),
                    box[2],
                    max(prev[3], box[3]),
                    prev[4] + box[4],
                    min(prev[5], box[5]),
                )
                continue
        out.append(box)
    return out


def _on_one_line(a: Box, b: Box) -> bool:
    """Whether two boxes' middles stand within 0.4 of the taller one's height: one line of print."""
    return abs((a[1] + a[3]) / 2 - (b[1] + b[3]) / 2) < max(a[3] - a[1], b[3] - b[1]) * 0.4


def _two_numbers(ink: np.ndarray, left: Box, right: Box) -> bool:
    """Two boxes of digits on a line whose ink stands more than :data:`APART_SHARE` times as far apart between
    them as any two of their digit marks do within either: two numbers printed close, not one letter-spaced
    (分散对齐 sets every digit as far apart). Seed 37003: 26 | 28 in tight unruled columns, the boxes' gap under a digit's
    height, the ink's 1.7; seed 38005: a subtotal's 4 (its 1 read as 、) and the total 1 4 beside it, boxed as
    1 (its 4 half outside). None of it when the boxes hold no two marks to measure a number's own spacing by."""
    heights = (left[3] - left[1], right[3] - right[1])
    low, middle = min(heights), (left[2] + right[0]) / 2
    top, bottom = min(left[1], right[1]), max(left[3], right[3])
    # the marks the boxes cut, whole; each as high as a digit's part of its own box (a speck is none)
    found = _mark_spans(ink, (left[0] - low, top, right[2] + low, bottom), GLYPH_BESIDE * low)
    marks = [
        (a, b)
        for a, b, h in found
        if b > left[0] and a < right[2] and h >= GLYPH_BESIDE * heights[(a + b) / 2 > middle]
    ]
    parted = [k for k, (a, b) in enumerate(itertools.pairwise(marks)) if a[1] <= middle <= b[0]]
    gaps = [b[0] - a[1] for a, b in itertools.pairwise(marks)]
    if len(parted) != 1 or len(gaps) < 2:
        return False
    between = gaps.pop(parted[0])
    return between > APART_SHARE * max(*gaps, 1)


def _print_extent(ink: np.ndarray, box: Box) -> tuple[float, float]:
    """Where a number read with a speck at its end (``32.``) prints: the x span of its box's marks as high as
    a digit's part (:data:`GLYPH_BESIDE` of the box), without the speck. Any other box's own span: a box
    parted from a wider one (``49件`` of ``…49件478件``, :func:`_split_at_units`) stands where its
    characters' share puts it, and its ink there may be a neighbour's."""
    specks = tuple(_END_SPECKS)
    if not (box[4].endswith(specks) or box[4].startswith(specks)) or not any(c.isdigit() for c in box[4]):
        return box[0], box[2]
    marks = _mark_spans(ink, box[:4], GLYPH_BESIDE * (box[3] - box[1]))
    return (marks[0][0], marks[-1][1]) if marks else (box[0], box[2])


def _mark_spans(ink: np.ndarray, box: tuple[float, float, float, float], least: float) -> list[tuple[int, int, int]]:
    """The marks in ``box`` (page pixels) at least ``least`` high, left to right, those that overlap across x
    as one: ``(x0, x1, height)`` each."""
    x0, y0, x1, y1 = (max(0, int(v)) for v in box)
    spans: list[tuple[int, int, int]] = []
    for x, _y, w, h, _area in sorted(_components(np.ascontiguousarray(ink[y0:y1, x0:x1])).tolist()):
        if h < least:
            continue
        if spans and x0 + x < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], x0 + x + w), max(spans[-1][2], h))
        else:
            spans.append((x0 + x, x0 + x + w, h))
    return spans


def _read_pieces(
    gray: np.ndarray, edges: list[float], y0: float, y1: float
) -> list[tuple[float, float, float, float, str, float]] | None:
    """Read each part of a box between column rules with the recogniser alone."""
    out = []
    top, bottom = int(max(0, y0)), int(min(gray.shape[0], y1 + 1))
    for a, b in zip(edges, edges[1:], strict=False):
        left, right = int(a) + 3, int(b) - 2
        if right - left < 4:
            continue
        reading = _recognise(gray[top:bottom, left:right])
        if reading is not None:
            out.append((float(left), y0, float(right), y1, *reading))
    return out or None


def _recognise(crop: np.ndarray) -> tuple[str, float] | None:
    """The recogniser alone on one crop: (text, confidence), or None when it reads nothing."""
    found, _ = _engine()(np.ascontiguousarray(crop), use_det=False, use_cls=False)
    if not found or not found[0][0].strip():
        return None
    return found[0][0], float(found[0][1])
