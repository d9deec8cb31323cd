"""Downloader middlewares: what every request and response passes through."""
