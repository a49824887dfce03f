"""The option table, settings resolution, and contract and env.yaml loading.

Imports model, metrics (for prometheus_client's vocabulary), httpx (URL parsing) and PyYAML;
never probe, google or pytest. Problems are ConfigError; the plugin makes them usage errors.
"""
