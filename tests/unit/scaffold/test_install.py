"""The workflow installs the gate as this one was installed (PEP 610's direct_url.json)."""

from __future__ import annotations

import json

import pytest

from cloudrun_acceptance.model.version import VERSION
from cloudrun_acceptance.scaffold.install import from_direct_url, install_spec
from cloudrun_acceptance.scaffold.workflow import PACKAGE_PLACEHOLDER

COMMIT = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize(
    ("origin", "requirement", "how"),
    [
        (
            {
                "url": "https://github.com/acme/cloudrun-acceptance",
                "vcs_info": {"vcs": "git", "commit_id": COMMIT},
            },
            f"cloudrun-acceptance @ git+https://github.com/acme/cloudrun-acceptance@{COMMIT}",
            f"installed from https://github.com/acme/cloudrun-acceptance at commit {COMMIT}",
        ),
        (
            {
                "url": "https://files.example.com/cloudrun_acceptance-0.1.0-py3-none-any.whl",
                "archive_info": {"hashes": {"sha256": "ab12"}},
            },
            "cloudrun-acceptance @ https://files.example.com/cloudrun_acceptance-0.1.0-py3-none-any.whl#sha256=ab12",
            "installed from https://files.example.com/cloudrun_acceptance-0.1.0-py3-none-any.whl",
        ),
        (
            {"url": "file:///src/cloudrun-acceptance", "dir_info": {"editable": True}},
            PACKAGE_PLACEHOLDER,
            "installed from the local folder /src/cloudrun-acceptance, which CI cannot reach",
        ),
        (
            {"url": "file:///tmp/cloudrun_acceptance-0.1.0-py3-none-any.whl", "archive_info": {}},
            PACKAGE_PLACEHOLDER,
            "installed from the local file /tmp/cloudrun_acceptance-0.1.0-py3-none-any.whl",
        ),
    ],
    ids=["git", "wheel-url", "folder", "wheel-file"],
)
def test_each_kind_of_origin(origin, requirement, how):
    spec = from_direct_url(origin)
    assert spec.requirement == requirement
    assert spec.how.startswith(how)
    assert spec.known is (requirement != PACKAGE_PLACEHOLDER)


def dist_info(tmp_path, direct_url: dict | None):
    folder = tmp_path / f"cloudrun_acceptance-{VERSION}.dist-info"
    folder.mkdir()
    (folder / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: cloudrun-acceptance\nVersion: {VERSION}\n"
    )
    if direct_url is not None:
        (folder / "direct_url.json").write_text(json.dumps(direct_url))
    return [str(tmp_path)]


def test_read_from_an_installed_distributions_metadata(tmp_path):
    path = dist_info(
        tmp_path,
        {
            "url": "https://git.example.com/gate.git",
            "vcs_info": {"vcs": "git", "commit_id": COMMIT},
        },
    )
    assert (
        install_spec(path).requirement
        == f"cloudrun-acceptance @ git+https://git.example.com/gate.git@{COMMIT}"
    )


def test_from_a_package_index_it_is_the_name_and_version(tmp_path):
    spec = install_spec(dist_info(tmp_path, None))
    assert (spec.requirement, spec.known) == (f"cloudrun-acceptance=={VERSION}", True)


def test_no_metadata_is_a_placeholder(tmp_path):
    assert install_spec([str(tmp_path)]).requirement == PACKAGE_PLACEHOLDER
