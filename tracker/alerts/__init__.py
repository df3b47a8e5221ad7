"""Alerts: tell the newsroom the moment the story moves.

events.py writes the outbox inside the transaction of each change;
subscriptions.py says who wants what and when (timing.py: digests, quiet
hours); destinations.py keeps where messages go (Apprise URLs, encrypted,
secrets.py); router.py turns events into in-app notifications and queued
items per destination; messages.py writes the short messages; sender.py
batches, claims with a lease, sends through Apprise and records each
delivery; notifications.py is the in-app list. Importing this package
imports none of them, so the write paths pay only for events.py.
"""
