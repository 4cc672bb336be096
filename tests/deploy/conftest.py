"""The chart rendered with the helm that `make deploy-tools` builds, and the operators' CRDs it
fetches from their Go modules; versions are read from the Makefile, so there is one place to
bump them. Nothing here needs a cluster or a container engine."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "deploy" / "k8s" / "sourcer"
KUBERNETES_VERSION = "1.33.0"


def makefile_var(name: str) -> str:
    match = re.search(rf"^{name} := (\S+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert match, f"{name} not set in the Makefile"
    return match.group(1)


def tool(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"{path} missing: run `make deploy-tools`", pytrace=False)
    return path


@pytest.fixture(scope="session")
def helm() -> Path:
    version = makefile_var("HELM_VERSION")
    return tool(ROOT / ".tools" / f"helm-{version}" / "helm")


@pytest.fixture(scope="session")
def crd_dirs() -> list[Path]:
    crds = ROOT / ".tools" / "crds"
    return [
        tool(crds / f"keda-{makefile_var('KEDA_VERSION')}"),
        tool(crds / f"mongodb-{makefile_var('MONGODB_OPERATOR_VERSION')}"),
    ]


Render = Callable[..., list[dict[str, Any]]]


@pytest.fixture(scope="session")
def render(helm: Path) -> Render:
    """`render("key=value", ...)`: the chart's objects with those `--set` values."""

    def run(*values: str) -> list[dict[str, Any]]:
        args = [str(helm), "template", "sourcer", str(CHART), "--kube-version", KUBERNETES_VERSION]
        for value in values:
            args += ["--set", value]
        out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
        return [doc for doc in yaml.safe_load_all(out) if doc]

    return run


@pytest.fixture(scope="session")
def objects(render: Render) -> list[dict[str, Any]]:
    return render()


def of_kind(objects: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [o for o in objects if o["kind"] == kind]


def named(objects: list[dict[str, Any]], kind: str, suffix: str) -> dict[str, Any]:
    (found,) = [o for o in of_kind(objects, kind) if o["metadata"]["name"].endswith(suffix)]
    return found
