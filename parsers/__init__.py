"""Parsers for 政府信息公开工作年度报告 (open government information annual reports).

One entry point, :func:`parse_document`, reads a report in any supported
format (HTML, plain text, DOCX, PDF with a text layer) into the canonical
record of ``docs/record.md``.
"""

#: Bumped when parsing changes results; the archive build re-parses documents parsed by another version.
__version__ = "0.23.0"

from .core import build_record, parse_document, parse_page_images
from .errors import ParseError
from .record import Check, Record

__all__ = ["Check", "ParseError", "Record", "build_record", "parse_document", "parse_page_images"]
