"""Exposition parsing and lint (prometheus_client's parsers); imports model, prometheus_client."""
