"""Pre-flight judgements of the Dockerfile: the container's command runs the contract's app, and
it listens on $PORT. Each failure names the Dockerfile, the line and the fix."""

from __future__ import annotations

import os

from ..model.contract import PreflightRules
from ..model.preflight import Dockerfile, Form, Instruction, SourceTree, shell_words
from ..model.verdict import Verdict, failed, passed

SHELLS = {"sh", "bash", "dash"}


def effective_command(dockerfile: Dockerfile) -> tuple[tuple[str, ...], Form]:
    """The container's command; ``sh -c SCRIPT`` in exec form is the script, in shell form."""
    words, form, _ = dockerfile.command
    if form == "exec" and words and os.path.basename(words[0]) in SHELLS and "-c" in words:
        script = words[words.index("-c") + 1 :]
        if script:
            return shell_words(script[0]), "shell"
    return words, form


def _where(sources: tuple[Instruction, ...]) -> str:
    return " and ".join(f"{item.keyword} on line {item.line}" for item in sources)


def _lines(tree: SourceTree, sources: tuple[Instruction, ...]) -> list[str]:
    name = tree.dockerfile.name
    return [f"{name} line {item.line}: {item.keyword} {item.text}" for item in sources]


def _fix(rules: PreflightRules) -> str:
    parts = [rules.command or "your-server"]
    parts += [f"--app-dir {rules.app_dir}"] if rules.app_dir else []
    parts += [rules.app] if rules.app else []
    return f"CMD exec {' '.join(parts)} --host 0.0.0.0 --port ${{PORT:-{rules.port}}}"


def _option(words: tuple[str, ...], name: str) -> str | None:
    for index, word in enumerate(words):
        if word == name and index + 1 < len(words):
            return words[index + 1]
        if word.startswith(f"{name}="):
            return word.split("=", 1)[1]
    return None


def judge_dockerfile(*, tree: SourceTree, rules: PreflightRules) -> Verdict:
    """The Dockerfile has a command, and it runs the app the contract names, from a file that
    the upload set carries."""
    dockerfile = tree.dockerfile
    name = dockerfile.name
    if not dockerfile.found:
        return failed(
            f"there is no {name} at {tree.root}",
            advice="gcloud run deploy --source builds the Dockerfile at the root of the source "
            f"(without one it uses buildpacks, which do not know your command): add one, ending "
            f"with `{_fix(rules)}`.",
        )
    if dockerfile.error:
        return failed(f"{name} could not be parsed: {dockerfile.error}", advice="fix its syntax.")
    _, _, sources = dockerfile.command
    words, _ = effective_command(tree.dockerfile)
    if not words:
        return failed(
            f"{name} has no CMD or ENTRYPOINT in its final stage: the container would run the base "
            "image's command",
            advice=f"end the Dockerfile with `{_fix(rules)}`.",
        )
    problems = []
    missing = ""
    if rules.command and not any(os.path.basename(word) == rules.command for word in words):
        problems.append(f"it does not run {rules.command}")
    app_dir = _option(words, "--app-dir")
    if rules.app_dir and (app_dir or "").strip("/") != rules.app_dir:
        problems.append(f"--app-dir is {app_dir or 'not given'}, the contract says {rules.app_dir}")
    if rules.app and rules.app not in words:
        problems.append(f"it does not name the app {rules.app}")
    elif rules.app:
        missing = _module_missing(tree, rules, (app_dir or rules.app_dir).strip("/"))
        if missing:
            problems.append(missing)
    shown = " ".join(words)
    if problems == [missing]:
        return failed(
            f"{name} ({_where(sources)}) runs `{shown}`, but {missing}",
            evidence=_lines(tree, sources),
            advice="the app's module must be uploaded with the source: change the ignore rule "
            "named above (see test_upload_set_holds_what_the_image_needs), or the container "
            "fails at start with ModuleNotFoundError.",
        )
    if problems:
        return failed(
            f"{name} ({_where(sources)}) runs `{shown}`, but {'; '.join(problems)}",
            evidence=_lines(tree, sources),
            advice=f"run the app as the contract says (preflight.command, app_dir, app), for "
            f"example `{_fix(rules)}`.",
        )
    return passed(f"{name} ({_where(sources)}) runs `{shown}`", evidence=_lines(tree, sources))


def _module_missing(tree: SourceTree, rules: PreflightRules, base: str) -> str:
    module = rules.app.split(":", 1)[0].replace(".", "/")
    prefix = f"{base}/" if base else ""
    candidates = [f"{prefix}{module}.py", f"{prefix}{module}/__init__.py"]
    if any(path in tree.upload.files for path in candidates):
        return ""
    rule = next((tree.upload.excluded[p] for p in candidates if p in tree.upload.excluded), None)
    if rule is not None:
        return f"its module {candidates[0]} is left out of the upload by {rule}"
    return f"its module {candidates[0]} does not exist in the source tree"


def judge_port(*, tree: SourceTree, rules: PreflightRules) -> Verdict:
    """The container listens on ``$PORT`` (Cloud Run sends traffic there), not on a fixed port."""
    _, _, sources = tree.dockerfile.command
    words, form = effective_command(tree.dockerfile)
    if not words:
        return failed(
            f"{tree.dockerfile.name} has no command, so no port to check",
            advice="see test_dockerfile_runs_the_app.",
        )
    value = _option(words, "--port")
    bind = _option(words, "--bind") or _option(words, "-b")
    if value is None and bind is not None:
        value = bind.rsplit(":", 1)[-1]
    lines, fix = _lines(tree, sources), _fix(rules)
    uses_port = value is not None and ("$PORT" in value or "${PORT" in value)
    if uses_port and form == "exec":
        return failed(
            f"the command passes the port as the literal text {value!r}: exec form (a JSON list) "
            "does not expand variables",
            evidence=lines,
            advice=f"use the shell form, which does (`{fix}`), or read the PORT variable in the "
            "app itself.",
        )
    if uses_port:
        return passed(
            f"the container listens on $PORT ({value}), as Cloud Run asks", evidence=lines
        )
    if value is None:
        if any(os.path.basename(word) == "uvicorn" for word in words):
            return failed(
                "the command gives uvicorn no --port, so it listens on its default 8000; Cloud "
                f"Run sends traffic to $PORT ({rules.port} unless the deploy says otherwise)",
                evidence=lines,
                advice=f"the container must listen on $PORT: `{fix}`.",
            )
        return passed(
            "the command names no port: the program must read PORT itself", evidence=lines
        )
    if value == str(rules.port):
        return passed(
            f"the container listens on {value}, the PORT Cloud Run sets unless the deploy says "
            "otherwise",
            evidence=lines,
        )
    return failed(
        f"the container listens on the fixed port {value}; Cloud Run sends traffic to $PORT "
        f"({rules.port} unless the deploy says otherwise)",
        evidence=lines,
        advice=f"the container must listen on $PORT: `{fix}`.",
    )
