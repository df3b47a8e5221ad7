"""Newsroom Tracker: follow a developing story from coverage to a public evidence timeline."""

__version__ = "0.1.0"
