"""Admin API names into short names."""

from __future__ import annotations

from cloudrun_acceptance.google.convert import secret_name, short_name


def test_names_of_resources():
    assert short_name("projects/p/locations/r/services/s/revisions/s-0001") == "s-0001"
    assert secret_name("projects/123/secrets/OPENAI_API_KEY") == "OPENAI_API_KEY"
    assert secret_name("projects/123/secrets/OPENAI_API_KEY/versions/5") == "OPENAI_API_KEY"
    assert secret_name("OPENAI_API_KEY") == "OPENAI_API_KEY"
