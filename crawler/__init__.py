"""Scrapy project: find 政府信息公开 annual reports on county portals and keep every original."""
