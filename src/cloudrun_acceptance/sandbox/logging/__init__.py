"""The local Cloud Logging API: ``entries:list`` over the deployment's log.

``api`` serves it (its pages, its refusals, the project's read quota); ``filter`` parses the
Logging query language, and ``terms`` compares a field's value as Cloud Logging does (severities
by rank, ``sample()``). The local Monitoring API parses its filters with ``filter`` too.

The package is named after the API: its modules import each other relatively and nothing here
imports the standard library's ``logging``, which an absolute ``import logging`` still is.
"""
