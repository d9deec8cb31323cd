"""Tests of the crawler: discovery rules, the farm crawled end to end, the frontier, Scrapyd."""
