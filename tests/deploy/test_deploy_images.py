"""deploy/Dockerfile and deploy/compose.yaml, checked without a container engine: what they copy
exists, what they run is a console script of the workspace, the image's Python and Chromium are
the versions these tests run with, and compose publishes nothing beyond this host."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT

pytestmark = pytest.mark.deploy

DOCKERFILE = ROOT / "deploy" / "Dockerfile"
COMPOSE = ROOT / "deploy" / "compose.yaml"
SERVICES = ("gateway", "extractor", "talent", "consent", "simulator")


def stages() -> dict[str, list[str]]:
    """Stage name -> its instructions (continuation lines joined)."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    found: dict[str, list[str]] = {}
    current = "_args"
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = re.match(r"FROM\s+\S+\s+AS\s+(\S+)", line, re.IGNORECASE)
        if match:
            current = match.group(1)
        found.setdefault(current, []).append(line)
    return found


def arg_default(name: str) -> str:
    match = re.search(rf"^ARG {name}=(\S+)$", DOCKERFILE.read_text(), re.MULTILINE)
    assert match, name
    return match.group(1)


def instruction(stage: str, keyword: str) -> list[str]:
    return [line.split(None, 1)[1] for line in stages()[stage] if line.startswith(keyword + " ")]


def test_every_service_has_a_target() -> None:
    assert set(SERVICES) <= set(stages())


def test_every_copied_source_exists() -> None:
    copied = []
    for lines in stages().values():
        for line in lines:
            parts = shlex.split(line)
            if parts[0] == "COPY" and not any(p.startswith("--from") for p in parts):
                copied += parts[1:-1]
    assert "uv.lock" in copied and "services/extractor/src" in copied
    for source in copied:
        assert (ROOT / source).exists(), source
    members = sorted(
        p.parent.relative_to(ROOT).as_posix() for p in ROOT.glob("services/*/pyproject.toml")
    )
    for member in [*members, "proto", "libs/runtime"]:
        assert f"{member}/pyproject.toml" in copied, f"{member} missing from the image"
        assert f"{member}/src" in copied, f"{member} sources missing from the image"


def test_dependencies_are_installed_from_the_lock_per_package() -> None:
    for service in SERVICES:
        (run,) = instruction(f"build-{service}", "RUN")
        assert "uv sync --frozen --no-dev" in run
        assert f"--package sourcer-{service}" in run
        (copy,) = instruction(service, "COPY")
        assert copy == f"--from=build-{service} /app/.venv /app/.venv"


def console_scripts() -> dict[str, str]:
    return {ep.name: ep.value for ep in entry_points(group="console_scripts")}


@pytest.mark.parametrize("service", SERVICES)
def test_entrypoint_is_a_workspace_console_script_and_its_command_parses(service: str) -> None:
    (entrypoint,) = instruction(service, "ENTRYPOINT")
    (cmd,) = instruction(service, "CMD")
    (script,) = yaml.safe_load(entrypoint)
    assert console_scripts()[script].startswith(f"sourcer.{service}.")
    args = yaml.safe_load(cmd)
    # The arguments are ones the script accepts: with --help it exits before running anything.
    main = next(ep for ep in entry_points(group="console_scripts") if ep.name == script).load()
    with pytest.raises(SystemExit) as exited:
        main([*args, "--help"])
    assert exited.value.code == 0


@pytest.mark.parametrize("service", SERVICES)
def test_images_run_unprivileged(service: str) -> None:
    assert instruction(service, "USER") == ["10001:10001"]


def test_the_image_python_is_the_one_the_tests_run() -> None:
    running = ".".join(map(str, sys.version_info[:3]))
    assert arg_default("PYTHON_VERSION") == running


def test_the_image_chromium_is_the_major_version_the_tests_run() -> None:
    from sourcer.extractor.browser import SYSTEM_CHROMIUM

    chromium = next(p for p in SYSTEM_CHROMIUM if Path(p).exists())
    out = subprocess.run([chromium, "--version"], capture_output=True, text=True, check=True)
    major = re.search(r"(\d+)\.\d+\.\d+\.\d+", out.stdout)
    assert major, out.stdout
    assert arg_default("CHROMIUM_MAJOR") == major.group(1)


def test_dockerignore_lets_in_only_what_the_dockerfile_copies() -> None:
    ignore = (ROOT / "deploy" / "Dockerfile.dockerignore").read_text().splitlines()
    assert ignore[1] == "**" or "**" in ignore  # everything out, then the workspace back in
    assert "!uv.lock" in ignore and "!services/*/src/**" in ignore


# ---- compose ----


def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())


def test_compose_builds_every_service_from_its_target() -> None:
    services = compose()["services"]
    for service in SERVICES:
        build = services[service]["build"]
        assert build["dockerfile"] == "deploy/Dockerfile"
        assert build["target"] == service
        assert (COMPOSE.parent / build["context"] / build["dockerfile"]).resolve() == DOCKERFILE


def test_compose_publishes_only_on_loopback() -> None:
    for name, service in compose()["services"].items():
        for port in service.get("ports", []):
            assert port.startswith("127.0.0.1:"), f"{name} publishes {port} on every interface"
    assert "ports" not in compose()["services"]["talent"]
    assert "ports" not in compose()["services"]["extractor"]


def test_compose_broker_and_database_require_credentials() -> None:
    services = compose()["services"]
    rabbit = services["rabbitmq"]["environment"]
    mongo = services["mongodb"]["environment"]
    # `${VAR:?...}`: compose refuses to start without the value; nothing defaults to guest.
    for value in (
        rabbit["RABBITMQ_DEFAULT_USER"],
        rabbit["RABBITMQ_DEFAULT_PASS"],
        mongo["MONGO_INITDB_ROOT_USERNAME"],
        mongo["MONGO_INITDB_ROOT_PASSWORD"],
    ):
        assert re.fullmatch(r"\$\{SOURCER_[A-Z_]+:\?[^}]+\}", value), value
    config = "\n".join(line.split("#")[0] for line in COMPOSE.read_text().splitlines())
    assert "guest" not in config


def test_compose_env_writes_every_variable_compose_requires(tmp_path: Path) -> None:
    required = set(re.findall(r"\$\{([A-Z_]+):\?", COMPOSE.read_text()))
    script = tmp_path / "compose-env.sh"
    script.write_text((ROOT / "deploy" / "compose-env.sh").read_text())
    subprocess.run(["bash", str(script)], check=True, capture_output=True)
    written = dict(
        line.split("=", 1) for line in (tmp_path / ".env").read_text().splitlines() if line
    )
    assert required <= written.keys()
    assert all(written[name] for name in required)
    assert (tmp_path / ".env").stat().st_mode & 0o077 == 0  # readable by its owner only
    before = (tmp_path / ".env").read_text()
    subprocess.run(["bash", str(script)], check=True, capture_output=True)
    assert (tmp_path / ".env").read_text() == before  # never overwritten


# ---- listeners: probes and callers reach the internal port ----

BACKENDS = ("gateway", "talent", "consent", "extractor")


def settings_default(service: str, field: str) -> Any:
    (spec,) = [ep.load() for ep in entry_points(group="sourcer.services") if ep.name == service]
    return spec.settings.model_fields[field].default


@pytest.mark.parametrize("service", BACKENDS)
def test_images_bind_the_internal_listener_beyond_loopback(service: str) -> None:
    """Its default host is 127.0.0.1: in a container, probes and callers would never reach it."""
    env = " ".join(instruction(service, "ENV"))
    assert f"SOURCER_{service.upper()}_INTERNAL_HOST=0.0.0.0" in env
    assert str(settings_default(service, "internal_port")) in " ".join(
        instruction(service, "EXPOSE")
    )


@pytest.mark.parametrize("service", BACKENDS)
def test_compose_health_checks_ask_the_internal_listener(service: str) -> None:
    check = " ".join(compose()["services"][service]["healthcheck"]["test"])
    port = settings_default(service, "internal_port")
    assert f"http://127.0.0.1:{port}/readyz" in check


def test_compose_gateway_calls_the_internal_apis() -> None:
    env = compose()["services"]["gateway"]["environment"]
    for callee in ("talent", "consent", "extractor"):
        port = settings_default(callee, "internal_port")
        assert env[f"SOURCER_GATEWAY_{callee.upper()}_API_URL"] == f"http://{callee}:{port}"
