"""The public surface is what __all__ says, and nothing heavy is imported to get it."""

from __future__ import annotations

import subprocess
import sys

import cloudrun_acceptance


def test_all_names_exist_and_are_sorted():
    assert sorted(cloudrun_acceptance.__all__) == cloudrun_acceptance.__all__
    for name in cloudrun_acceptance.__all__:
        assert hasattr(cloudrun_acceptance, name), name


def test_importing_the_plugin_loads_no_google_fastapi_or_uvicorn():
    code = (
        "import sys, cloudrun_acceptance.plugin.hooks; "
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in {'fastapi', 'uvicorn'} or m.startswith('google.cloud')); "
        "print(heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
