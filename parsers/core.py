"""The entry point: one document (path or bytes) → one canonical record."""

from __future__ import annotations

import os
from collections.abc import Sequence

from . import detect
from . import template as T
from .checks import run_checks
from .errors import ParseError
from .layout import Layout
from .metadata import agency_kind, read_metadata
from .record import Record
from .sections import find_headings, region, section_texts
from .tables import read_active, read_applications, read_review
from .values import normalise_label

#: Larger inputs are refused rather than read (a 50 MB report is still read).
MAX_BYTES = 64 * 1024 * 1024
#: Reports on these years and before follow no template (free-form).
LAST_FREE_FORM_YEAR = 2018


def parse_document(
    source: str | os.PathLike[str] | bytes,
    content_type: str | None = None,
    url: str | None = None,
) -> Record:
    """Parse one report document into the canonical record.

    Args:
        source: a file path, or the document's bytes.
        content_type: the HTTP Content-Type, if known (only a hint: the
            format is told from the bytes).
        url: where the document came from, if known (only a hint).

    Returns:
        The record; values that could not be read with confidence are null
        and explained in ``warnings``.

    Raises:
        ParseError: the input is missing, empty, too large, of a format not
            read yet (DOC/WPS, images), or broken beyond reading.
    """
    data = _load(source)
    try:
        fmt = detect.sniff(data, content_type, url)
    except detect.UnsupportedFormat as exc:
        raise ParseError(str(exc), "empty" if str(exc) == "empty file" else "unsupported") from None
    except detect.TooLarge as exc:
        raise ParseError(str(exc), "too_large") from None
    layout = _read(fmt, data, content_type)
    record = build_record(layout)
    record.format = fmt
    return record


def parse_page_images(sources: Sequence[str | os.PathLike[str] | bytes]) -> Record:
    """Parse a report published as several page images (one file per page, in order) as one record.

    Args:
        sources: each page image, as a path or bytes, in page order.

    Raises:
        ParseError: a file is missing, too large, not an image, or nothing on the pages can be read.
    """
    from .ocrdoc import MAX_PAGES, read_images

    # at most one page past what is read is loaded: the reader then says pages were left (a report of
    # 10,000 images must not be loaded whole)
    images = [_load(s) for s in list(sources)[: MAX_PAGES + 1]]
    for data in images:
        try:
            fmt = detect.sniff(data)
        except detect.UnsupportedFormat as exc:
            raise ParseError(str(exc), "unsupported") from None
        if fmt != detect.IMAGE:
            raise ParseError(f"not a page image but {fmt}", "unsupported")
    try:
        layout = read_images(images)
    except ValueError as exc:  # ScanError
        raise ParseError(str(exc), getattr(exc, "reason", "broken")) from None
    record = build_record(layout)
    record.format = detect.IMAGE
    return record


def _load(source: str | os.PathLike[str] | bytes) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    else:
        try:
            # read one byte past the limit rather than trust stat(): /dev/zero and pipes have no size
            with open(source, "rb") as fh:
                data = fh.read(MAX_BYTES + 1)
        except IsADirectoryError:
            raise ParseError("is a directory, not a document", "missing") from None
        except FileNotFoundError:
            raise ParseError("no such file", "missing") from None
        except PermissionError:
            raise ParseError("permission denied", "missing") from None
        except OSError as exc:
            raise ParseError(f"cannot read file: {exc.strerror or exc}", "missing") from None
    if len(data) > MAX_BYTES:
        raise ParseError(f"document too large: more than {MAX_BYTES} bytes", "too_large")
    return data


def _read(fmt: str, data: bytes, content_type: str | None) -> Layout:
    # Imported here so that reading text does not pay for PyMuPDF and python-docx.
    try:
        if fmt == detect.HTML:
            from .htmldoc import read_html

            return read_html(data, content_type)
        if fmt == detect.TEXT:
            from .textdoc import read_text

            return read_text(data, content_type)
        if fmt == detect.DOCX:
            from .docxdoc import read_docx

            return read_docx(data)
        if fmt in detect.LEGACY:
            from .convert import ConversionError, convert
            from .docxdoc import read_docx

            try:
                return read_docx(convert(data, f".{fmt}"))
            except ConversionError as exc:
                raise ParseError(str(exc), "unsupported" if exc.missing else "broken") from None
        if fmt == detect.OFD:
            from .ofddoc import read_ofd

            return read_ofd(data)
        if fmt == detect.IMAGE:
            from .ocrdoc import read_images

            return read_images([data])
        if fmt in detect.SHEETS:
            from .sheetdoc import read_sheet

            return read_sheet(data)
        from .pdfdoc import read_pdf

        return read_pdf(data)
    except UnicodeError as exc:
        raise ParseError(f"cannot decode text: {exc}", "undecodable") from None
    except RecursionError:
        raise ParseError("document nested too deeply to read", "too_deep") from None
    except ValueError as exc:  # DocxError, PdfError, SheetError, OfdError, ScanError (OCR missing: "unsupported")
        raise ParseError(str(exc), getattr(exc, "reason", "broken")) from None


def build_record(layout: Layout) -> Record:
    """Turn a read document into a record: metadata, sections, tables, checks.

    Args:
        layout: the document as rows (from any format reader).
    """
    lines = layout.lines()
    record = Record(warnings=list(layout.warnings))
    meta = read_metadata(layout.title_hints, lines)
    record.title, record.agency, record.year = meta.title, meta.agency, meta.year
    record.agency_kind = agency_kind(meta.agency)
    record.published = layout.published
    headings = find_headings(lines)
    rows = layout.rows

    def rows_of(section: str):
        start, end = region(headings, section, len(rows))
        return rows[start:end]

    template = _template(rows_of("2") + rows_of("3"))
    applications = read_applications(rows_of("3"), template, layout.scanned)
    if template is None and applications.values:
        template = _template_from_rows(applications.values, record.year)
    free_form = template is None or (record.year is not None and record.year <= LAST_FREE_FORM_YEAR)
    record.sections = section_texts(rows, headings, without_tables=() if free_form else T.TABLE_SECTIONS)
    if free_form:
        if applications.values:
            record.warnings.append("statistics ignored: no national template for this report")
        if not lines:
            record.warnings.append("no text found")
        elif not record.title and not record.sections:
            record.warnings.append("does not look like an annual report: no report title, sections or tables")
        return record
    assert template is not None  # free_form otherwise
    record.template = template
    active = read_active(rows_of("2"), template)
    review = read_review(rows_of("4"), layout.scanned)
    record.applications = applications.values
    record.active_disclosure = active.values
    record.review_litigation = review.values
    record.warnings += active.warnings + applications.warnings + review.warnings
    template_rows: tuple[tuple[dict, str, list[str]], ...] = (
        (active.values, "table 2", [item.key for item in T.ACTIVE_ITEMS[template]]),
        (applications.values, "table 3", T.application_keys(template)),
        (review.values, "table 4", []),
    )
    for table, name, keys in template_rows:
        missing = [key for key in keys if key not in table]
        if not table:
            record.warnings.append(f"{name} not found")
        elif missing:  # a label misprinted or misread: its values are null, and the record says why
            record.warnings.append(f"{name}: no row labelled as the template's {', '.join(missing)}, left null")
    record.checks = run_checks(record)
    return record


def _template(rows) -> str | None:
    """Tell the template by the words only one of them prints."""
    text = normalise_label("".join(r.text for r in rows))
    scores = {t: len(set(p.findall(text))) for t, p in T.TEMPLATE_MARKERS.items()}
    if scores[T.TEMPLATE_2021] != scores[T.TEMPLATE_2019]:
        return max(scores, key=scores.get)  # type: ignore[arg-type]
    return None


def _template_from_rows(applications: dict, year: int | None) -> str | None:
    if "other_processing" in applications:
        return T.TEMPLATE_2019
    if any(k in applications for k in ("other_overdue_correction", "other_overdue_fee", "other_misc")):
        return T.TEMPLATE_2021
    if year is None:
        return None
    return T.TEMPLATE_2021 if year >= 2021 else T.TEMPLATE_2019
