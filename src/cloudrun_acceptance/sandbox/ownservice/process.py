"""The team's own service in the sandbox: its command, run in its source tree as Cloud Run runs
the container, with ``$PORT``, the revision's env and Cloud Run's ``K_*`` variables.

A child process, the one part of the sandbox that is not a thread: it is the team's program.
It runs in its own process group, and every way a run ends (the cleanup, an interpreter exit)
stops the group. Its stdout and stderr lines go to the revision's log as Cloud Run writes them:
a JSON line is a structured entry (its ``severity`` and ``message``), a plain line has no
severity.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ...model.contract import SandboxRules, SecretRef
from ...model.errors import ConfigError
from ...model.exchange import Permanent
from ...model.preflight import shell_words
from ..platform.deployment import Deployment, LogStore
from .output import Tail

# Host variables the command may need to start at all; nothing else of the host leaks in.
PASSED_THROUGH = ("HOME", "LANG", "LC_ALL", "TMPDIR", "TZ", "SYSTEMROOT", "VIRTUAL_ENV")
STOP_GRACE_SECONDS = 5.0


@dataclass(frozen=True)
class OwnServiceSpec:
    """How to start the service: the process's arguments, its folder, and where they came from
    (``sandbox.command in contract.yaml``, ``Dockerfile line 9 (CMD)``), for messages."""

    argv: tuple[str, ...]
    cwd: Path
    origin: str
    rules: SandboxRules

    @property
    def shown(self) -> str:
        """The command as a person reads it."""
        if self.argv[:2] == ("/bin/sh", "-c") and len(self.argv) == 3:
            return self.argv[2]
        return " ".join(self.argv)


def placeholder(ref: SecretRef) -> str:
    """The value a secret's variable gets in the sandbox: never the secret, and says so."""
    return f"sandbox-placeholder-for-{ref.secret}-{ref.version}"


def own_service_spec(rules: SandboxRules, source: Path, contract: Path) -> OwnServiceSpec:
    """The command of the contract's ``sandbox`` section, else of the source tree's Dockerfile;
    a ConfigError naming the fix when there is none, or its program is not installed here."""
    if isinstance(rules.command, tuple):
        argv, origin = rules.command, f"sandbox.command in {contract.name}"
    elif rules.command:
        argv, origin = ("/bin/sh", "-c", rules.command), f"sandbox.command in {contract.name}"
    else:
        from ...preflight.dockerfile import read_dockerfile

        dockerfile = read_dockerfile(source)
        argv = dockerfile.argv
        origin = f"{dockerfile.where} of {source / dockerfile.name}"
        if not argv:
            problem = dockerfile.error or (
                "has no CMD or ENTRYPOINT" if dockerfile.found else "does not exist"
            )
            raise ConfigError(
                f"{contract}: the sandbox section asks --sandbox to run your own service, but "
                f"{source / dockerfile.name} {problem}; give its command as sandbox.command in "
                "the contract (such as python -m myservice), or run the gate where the service's "
                "Dockerfile is (--preflight=PATH names its source tree)."
            )
    spec = OwnServiceSpec(argv, source, origin, rules)
    program = _program(argv)
    if program and _which(program, source) is None:
        raise ConfigError(
            f"--sandbox runs your service with `{spec.shown}` ({origin}), and {program!r} is not "
            f"installed here (PATH begins with {Path(sys.executable).parent}); install the "
            "service's requirements into the gate's environment (pip install -r "
            "requirements.txt), or give sandbox.command in the contract."
        )
    return spec


def _program(argv: tuple[str, ...]) -> str:
    """The program a command runs: for ``sh -c SCRIPT``, the script's first command word."""
    words: tuple[str, ...] = argv
    if len(argv) == 3 and os.path.basename(argv[0]) in {"sh", "bash", "dash"} and argv[1] == "-c":
        words = shell_words(argv[2])
    for word in words:
        if "=" in word.split("/")[0] or word == "exec":
            continue  # VAR=value before the command, and exec
        return word if "$" not in word else ""
    return ""


def _which(program: str, cwd: Path) -> str | None:
    if "/" in program:
        path = cwd / program
        return str(path) if path.exists() else None
    return shutil.which(program, path=_path())


def _path() -> str:
    """The gate's Python environment first, so that `python` and `uvicorn` are the ones the
    service's requirements were installed into."""
    return os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])


def service_environment(spec: OwnServiceSpec, deployment: Deployment, port: int) -> dict[str, str]:
    """What the process sees: the revision's env (env.yaml), its secrets as placeholders, the
    contract's local overrides, and what Cloud Run sets (PORT and the K_* variables)."""
    env = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    env["PATH"] = _path()
    env["PYTHONUNBUFFERED"] = "1"  # lines reach the log as they are written
    env.update(deployment.env)
    env.update({ref.env: placeholder(ref) for ref in deployment.secrets})
    env.update(spec.rules.env)
    env.update(
        PORT=str(port),
        K_SERVICE=deployment.service,
        K_REVISION=deployment.revision,
        K_CONFIGURATION=deployment.service,
    )
    return env


class OwnService:
    """The running process, on a free loopback port; ``failure()`` says why it cannot answer.

    A command that cannot be executed at all (a missing interpreter, a file without the execute
    permission) is a service that failed to start, as a container whose command fails is."""

    def __init__(self, spec: OwnServiceSpec, deployment: Deployment, log: LogStore) -> None:
        self.spec = spec
        self.log = log
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.tails = {name: Tail(name) for name in ("stderr", "stdout")}
        self.listening = False
        self._drained = False
        self._readers: list[threading.Thread] = []
        self._process: subprocess.Popen[bytes] | None = None
        self._start_error: OSError | None = None
        try:
            self._process = subprocess.Popen(
                spec.argv,
                cwd=spec.cwd,
                env=service_environment(spec, deployment, self.port),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        except OSError as err:
            self._start_error = err
            return
        atexit.register(self.stop)
        self._readers = [
            threading.Thread(target=self._read, args=(stream, name), daemon=True)
            for stream, name in ((self._process.stdout, "stdout"), (self._process.stderr, "stderr"))
        ]
        for reader in self._readers:
            reader.start()

    def _read(self, stream: IO[bytes] | None, name: str) -> None:
        if stream is None:
            return
        for raw in stream:
            line = raw.decode(errors="replace").rstrip("\r\n")
            self.tails[name].add(line)
            self.log.output(line, name)

    def _exit_code(self) -> int | None:
        return None if self._process is None else self._process.poll()

    def _running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def wait_listening(self, timeout: float) -> None:
        """Until the process accepts connections on $PORT, exits, or ``timeout`` passes."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._running():
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2),
            ):
                self.listening = True
                return
            time.sleep(0.02)

    def failure(self) -> Permanent | None:
        """Why the service will never answer: it could not be started, it exited, or it never
        listened within sandbox.start_timeout_seconds; with its last output (every line it
        wrote before it exited is read first). None while it runs and listens."""
        if self._start_error is not None:
            state = f"could not be started: {self._start_error}{self._exec_hint()}"
        elif self._running():
            if self.listening:
                return None
            state = (
                f"has not listened on $PORT={self.port} within "
                f"{self.spec.rules.start_timeout_seconds:g} s (sandbox.start_timeout_seconds)"
            )
        else:
            self._drain()
            state = f"exited with code {self._exit_code()}"
        output = (
            []
            if self._start_error
            else [*self.tails["stderr"].shown(), *self.tails["stdout"].shown()]
        )
        return Permanent(
            cause=f"your service, started with `{self.spec.shown}` ({self.spec.origin}), {state}",
            evidence=tuple(output),
            advice=(
                f"run `{self.spec.shown}` in {self.spec.cwd} with PORT set, as the sandbox "
                "does, and fix what its output names (a missing file, module or variable); "
                "or fix the command (sandbox.command in the contract, or the Dockerfile's "
                "CMD). Cloud Run would not start this revision either."
            ),
        )

    def _exec_hint(self) -> str:
        """Why exec says a file that is there does not exist: its interpreter is not."""
        error = self._start_error
        program = self.spec.cwd / self.spec.argv[0]
        if isinstance(error, FileNotFoundError) and self.spec.cwd.is_dir() and program.is_file():
            return " (the file is there: its #! line names an interpreter that is not)"
        return ""

    def problem(self) -> str | None:
        """``failure()`` as one text (the proxy's 503 answer), or None."""
        failure = self.failure()
        if failure is None:
            return None
        return "\n".join([failure.cause, *failure.evidence])

    def _drain(self) -> None:
        """Once the process has exited: let the readers take its last lines (a child that
        still holds a stream open does not hold this up for long)."""
        if not self._drained:
            for reader in self._readers:
                reader.join(timeout=1)
            self._drained = True

    def stop(self) -> None:
        """SIGTERM to the process group (as Cloud Run stops an instance), SIGKILL after a grace."""
        if self._process is None:
            return
        if self._process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._process.pid, signal.SIGTERM)
            try:
                self._process.wait(STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self._process.pid, signal.SIGKILL)
                self._process.wait()
        for reader in self._readers:
            reader.join(timeout=1)
        atexit.unregister(self.stop)


def describe(spec: OwnServiceSpec, secrets: tuple[SecretRef, ...]) -> str:
    """For the header and the report: what runs, and that its secrets are placeholders."""
    given = "; its secrets are placeholder values, never real ones" if secrets else ""
    return f"your own service, `{spec.shown}`, from {spec.origin}{given}"
