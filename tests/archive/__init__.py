"""Tests of the archive: the build, Datasette (with ogi and plain), sqlite-utils, the pages."""
