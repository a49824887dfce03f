"""The Cloud Run Admin API and Cloud Logging, through Google's clients (imported lazily).

Imports model and the Google libraries (inside the functions that call them); never config,
probe or pytest.
"""
