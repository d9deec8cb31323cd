"""Tests of the raw store: WARC records, bodies, replay in pywb."""
