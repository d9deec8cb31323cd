"""Tests of the parsers: every format, the template, OCR, the real reports."""
