"""The archive: ``archive.db`` built from the raw store and the parser, published with Datasette."""
