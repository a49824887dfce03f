"""The gate's built-in checks, collected from the installed package with a team's contract.

The plugin collects these modules below the contract (cloudrun_acceptance/gate/test_*.py in
the test ids), so a repository holds only its own files: pytest.ini, the contract, env.yaml,
its CI workflow and its own checks. They import only the public surface (``judges``, the
fixtures), as a team's own check would.
"""
