"""The gcloud property the upload set depends on, ``gcloudignore/enabled``, read as gcloud 528
reads it (``core/properties.py``, ``core/configurations/named_configs.py``), and never written.

gcloud looks first in the environment (``CLOUDSDK_GCLOUDIGNORE_ENABLED``), then in the active
configuration's file: ``configurations/config_NAME`` under ``CLOUDSDK_CONFIG`` (else
``~/.config/gcloud``), NAME from ``CLOUDSDK_ACTIVE_CONFIG_NAME``, else the ``active_config``
file, else ``default``. Unset, it is true. gcloud's installation-wide ``properties`` file is
not read here.
"""

from __future__ import annotations

import configparser
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ENV = "CLOUDSDK_GCLOUDIGNORE_ENABLED"
TRUE = ("1", "true", "on", "yes", "y")
# gcloud's boolean validator accepts these; '' and 'none' read as false.
ACCEPTED = ("true", "1", "on", "yes", "y", "false", "0", "off", "no", "n", "", "none")
CONFIG_NAME = re.compile(r"^[a-z][-a-z0-9]*$")
NO_CONFIG = "NONE"


@dataclass(frozen=True)
class Setting:
    """The property's value as written (None: not set, gcloud's default, true), and where."""

    value: str | None = None
    source: str = ""

    @property
    def enabled(self) -> bool:
        """Whether gcloud reads .gcloudignore (and its default rules) at all."""
        return self.value is None or self.value.lower() in TRUE

    @property
    def problem(self) -> str:
        """gcloud's words when it refuses the value ("" when it takes it)."""
        if self.value is None or self.value.lower() in ACCEPTED:
            return ""
        accepted = ", ".join(word or "''" for word in ACCEPTED)
        return (
            f"The [enabled] value [{self.value}] is not valid. Possible values: [{accepted}]. "
            "(See http://yaml.org/type/bool.html)"
        )


def gcloudignore_setting(environ: Mapping[str, str]) -> Setting:
    """gcloudignore/enabled as gcloud would read it with the environment ``environ``."""
    if ENV in environ:
        return Setting(environ[ENV], f"the environment variable {ENV}")
    path = configuration_file(environ)
    if path is None or not path.is_file():
        return Setting()
    parser = configparser.ConfigParser()
    try:
        parser.read(path)
        value = parser.get("gcloudignore", "enabled", fallback=None)
    except (configparser.Error, OSError, UnicodeDecodeError):
        return Setting()
    return Setting(value, str(path)) if value is not None else Setting()


def configuration_file(environ: Mapping[str, str]) -> Path | None:
    """The active configuration's properties file (None for the reserved NONE)."""
    folder = Path(environ.get("CLOUDSDK_CONFIG") or _default_folder(environ))
    name = environ.get("CLOUDSDK_ACTIVE_CONFIG_NAME") or _active_name(folder)
    if name == NO_CONFIG:
        return None
    return folder / "configurations" / f"config_{name}"


def _default_folder(environ: Mapping[str, str]) -> Path:
    if os.name == "nt" and environ.get("APPDATA"):
        return Path(environ["APPDATA"], "gcloud")
    home = environ.get("HOME") or os.path.expanduser("~")
    return Path(home, ".config", "gcloud")


def _active_name(folder: Path) -> str:
    try:
        name = (folder / "active_config").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return "default"
    # gcloud deletes an invalid one and falls back to default; the gate only reads.
    if name == NO_CONFIG or (name and CONFIG_NAME.match(name)):
        return name
    return "default"
