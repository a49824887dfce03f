"""The throwaway gcloud configuration: the properties that send gcloud to the sandbox, the
exports, and a folder that goes away."""

from __future__ import annotations

import configparser
import shlex

from cloudrun_acceptance.sandbox.platform.gcloudenv import prepare_gcloud


def test_the_folder_is_a_whole_gcloud_configuration_pointed_at_the_sandbox(tmp_path):
    config = prepare_gcloud("http://127.0.0.1:4001", "http://127.0.0.1:4002", parent=tmp_path)
    assert config.folder.parent == tmp_path
    assert (config.folder / "active_config").read_text() == "default"
    written = configparser.ConfigParser()
    written.read(config.folder / "configurations" / "config_default")
    assert {section: dict(written[section]) for section in written.sections()} == {
        "core": {"disable_usage_reporting": "true"},
        "auth": {"disable_credentials": "true"},
        "api_endpoint_overrides": {
            "run": "http://127.0.0.1:4001/",
            "logging": "http://127.0.0.1:4002/",
        },
        # gcloud makes the run override regional (europe-west1-127.0.0.1): the Admin API's
        # server is its proxy, so that host needs no resolver.
        "proxy": {"type": "http", "address": "127.0.0.1", "port": "4001"},
        "component_manager": {"disable_update_check": "true"},
        "survey": {"disable_prompts": "true"},
    }
    assert config.exports() == [
        f"export CLOUDSDK_CONFIG={shlex.quote(str(config.folder))}",
        "export CLOUDSDK_CORE_DISABLE_PROMPTS=1",
    ]
    config.remove()
    assert not config.folder.exists()
    config.remove()  # twice is fine
