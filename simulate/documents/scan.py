"""Scanned reports: the printed report (a ruled PDF), stamped with a red seal, scanned.

What a county's scan looks like (the shapes the OCR reader must survive): 150–300 dpi; fed a little
crooked (skew up to ~2°); sensor noise and a grey paper tone; JPEG artefacts (portals recompress); the
red round seal (公章) stamped over the end of the text or the last table. A *clean* scan is straight,
200 dpi or more, with light noise; a *rough* one has all of the above. Returned as a PDF with one
image per page (what most portals publish) or as the page images themselves (a report posted as a
row of pictures).
"""

from __future__ import annotations

import math
import random
from typing import Any

from .pdf import render_pdf
from .records import Record

#: Seal red (RGB 0–1).
SEAL_RED = (0.86, 0.08, 0.1)


#: The noise models: ``scanner`` (sensor noise, blur, JPEG; the one the OCR reader was tuned on) and
#: ``speckle`` (dust and toner specks of a copier, uneven paper, heavy JPEG; kept out of tuning).
NOISE_MODELS = ("scanner", "speckle")


def render_scan(
    record: Record,
    rng: random.Random,
    rough: bool | None = None,
    dpi: int | None = None,
    images: bool = False,
    noise: str = "scanner",
    repeat_header: bool = False,
    sideways: bool = False,
    ruled: bool = True,
) -> bytes | list[bytes]:
    """A scan of the printed report.

    Args:
        record: the report's record.
        rng: the random source.
        rough: skew, noise and JPEG artefacts (None: at random, one scan in two).
        dpi: scanning resolution (None: 150–300 at random, ≥ 200 when clean).
        images: return the page images (JPEG) instead of a PDF of them.
        noise: one of :data:`NOISE_MODELS`.
        repeat_header: a table broken by a page repeats its header rows (see :func:`render_pdf`).
        sideways: the table pages come off the scanner on their side (see :func:`scan_pdf`).
        ruled: the tables are printed with their rules (False: columns by position alone).
    """

    rough = rng.random() < 0.5 if rough is None else rough
    dpi = dpi or (rng.choice([150, 200, 300]) if rough else rng.choice([200, 300]))
    printed = render_pdf(record, rng, ruled=ruled, repeat_header=repeat_header)
    return scan_pdf(printed, record.get("agency"), rng, rough, dpi, images, noise, sideways)


def scan_pdf(
    pdf: bytes,
    agency: str | None,
    rng: random.Random,
    rough: bool,
    dpi: int,
    images: bool = False,
    noise: str = "scanner",
    sideways: bool = False,
) -> bytes | list[bytes]:
    """Any printed PDF (a generated report, or a real one as its publisher laid it out) stamped with a
    seal on its last page and scanned (see :func:`render_scan`). ``sideways``: the pages that carry a
    table are scanned turned a quarter either way, as a landscape section's pages come off a scanner."""
    import numpy as np
    import pymupdf

    printed = pymupdf.open(stream=pdf, filetype="pdf")
    seal = pymupdf.open()
    _stamp(seal.new_page(width=printed[-1].rect.width, height=printed[-1].rect.height), agency, rng)
    pages = []
    for number in range(printed.page_count):
        pix = printed[number].get_pixmap(dpi=dpi, colorspace=pymupdf.csRGB, alpha=False)
        samples = pix.samples
        if number == printed.page_count - 1:  # stamped on the last page, over the signature
            ink = seal[0].get_pixmap(dpi=dpi, colorspace=pymupdf.csRGB, alpha=False)
            samples = _multiply(samples, ink.samples)
        width, height = pix.w, pix.h
        if sideways and len(printed[number].get_drawings()) > 20:
            turned = np.rot90(np.frombuffer(samples, np.uint8).reshape(height, width, 3), rng.choice((1, -1)))
            samples, width, height = np.ascontiguousarray(turned).tobytes(), height, width
        scanned = _speckled if noise == "speckle" else _scanned
        pages.append((scanned(samples, width, height, rng, rough), width > height))
    if images:
        return [jpeg for jpeg, _ in pages]
    out = pymupdf.open()
    for jpeg, landscape in pages:
        sheet = out.new_page(width=842, height=595) if landscape else out.new_page(width=595, height=842)
        sheet.insert_image(sheet.rect, stream=jpeg)
    return out.tobytes(garbage=1, deflate=True)


def _stamp(page: Any, agency: str | None, rng: random.Random) -> None:
    """A round red seal with the agency's name and a star, somewhere over the lower half of a blank page
    (multiplied over the printed page, as ink over toner)."""
    import pymupdf

    radius = 60
    centre = pymupdf.Point(rng.uniform(300, 480), rng.uniform(460, 740))
    shape = page.new_shape()
    shape.draw_circle(centre, radius)
    shape.draw_circle(centre, radius - 4)
    star = [
        centre + (math.cos(math.radians(90 + 144 * k)) * 18, -math.sin(math.radians(90 + 144 * k)) * 18)
        for k in range(5)
    ]
    shape.draw_polyline([*star, star[0]])
    shape.finish(color=SEAL_RED, fill=None, width=2.2)
    shape.commit()
    name = (agency or "人民政府")[:10]
    size = min(13.0, 100 / max(1, len(name)))
    page.insert_text(
        centre + (-len(name) * size / 2, 40),
        name,
        fontname="china-s",
        fontsize=size,
        color=SEAL_RED,
    )


def _multiply(page: bytes, ink: bytes) -> bytes:
    """Stamp ink over print as on paper: colours multiply (red ink over black toner stays black)."""
    import numpy as np

    a = np.frombuffer(page, dtype=np.uint8).astype(np.uint16)
    b = np.frombuffer(ink, dtype=np.uint8).astype(np.uint16)
    return bytes((a * b // 255).astype(np.uint8).tobytes())


def _scanned(samples: bytes, width: int, height: int, rng: random.Random, rough: bool) -> bytes:
    """The page as a scanner and a portal leave it: skewed, noisy, grey, JPEG-compressed."""
    import cv2
    import numpy as np

    page: Any = np.frombuffer(samples, dtype=np.uint8).reshape(height, width, 3).astype(np.float32)
    skew = rng.uniform(-2.0, 2.0) if rough else rng.uniform(-0.3, 0.3)
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), skew, 1.0)
    page = cv2.warpAffine(page, turn, (width, height), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    tone = rng.uniform(225, 245) if rough else 250.0  # paper is not white
    page = page * (tone / 255.0)
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, 9 if rough else 3, page.shape)
    page = np.clip(page + noise, 0, 255).astype(np.uint8)
    if rough:
        page = cv2.GaussianBlur(page, (3, 3), 0.6)
    quality = rng.randint(45, 70) if rough else 90
    ok, jpeg = cv2.imencode(".jpg", cv2.cvtColor(page, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return bytes(jpeg.tobytes())


def _speckled(samples: bytes, width: int, height: int, rng: random.Random, rough: bool) -> bytes:
    """The page as a worn copier and a portal leave it: dark specks of dust and toner of one to three
    pixels all over the page (between digits too), paper lit unevenly, skew, heavy JPEG."""
    import cv2
    import numpy as np

    nprng = np.random.default_rng(rng.randrange(2**32))
    page: Any = np.frombuffer(samples, dtype=np.uint8).reshape(height, width, 3).astype(np.float32)
    skew = rng.uniform(-1.5, 1.5) if rough else rng.uniform(-0.3, 0.3)
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), skew, 1.0)
    page = cv2.warpAffine(page, turn, (width, height), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    light = np.linspace(rng.uniform(215, 235), rng.uniform(235, 250), width, dtype=np.float32)
    page = page * (light[None, :, None] / 255.0)
    count = int(width * height * (rng.uniform(4e-4, 1.2e-3) if rough else rng.uniform(5e-5, 2e-4)))
    xs, ys = nprng.integers(0, width, count), nprng.integers(0, height, count)
    radii, inks = nprng.choice([0, 1, 1, 2], count), nprng.uniform(20, 140, count)
    for x, y, r, ink in zip(xs.tolist(), ys.tolist(), radii.tolist(), inks.tolist(), strict=True):
        cv2.circle(page, (x, y), r, (ink, ink, ink), -1)
    page = np.clip(page + nprng.normal(0, 4, page.shape), 0, 255).astype(np.uint8)
    quality = rng.randint(35, 60) if rough else 80
    ok, jpeg = cv2.imencode(".jpg", cv2.cvtColor(page, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return bytes(jpeg.tobytes())
