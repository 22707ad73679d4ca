"""Scheduled work: the daily and nightly tasks and what they start for each tenant."""
