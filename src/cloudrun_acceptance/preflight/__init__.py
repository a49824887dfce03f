"""Reading the service's source tree before a deploy: Dockerfile, upload set, requirements, env.

Imports model and its parsers (dockerfile-parse, packaging, PyYAML); never config,
probe, google or pytest.
"""
