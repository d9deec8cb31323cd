"""Discovery rules: pure functions over a page that find disclosure areas, report columns, their further
pages and the reports in them, with what each portal-software family writes kept as data (``cms``)."""
