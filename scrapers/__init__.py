"""Fetching and parsing per kind of source.

Parsers are pure (bytes in, records out) and never touch the database, so
each is tested on saved files; `tracker.ingest` turns records into rows.
"""
