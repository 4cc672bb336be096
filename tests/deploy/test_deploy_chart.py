"""The Helm chart: it lints, renders, and every object passes the Kubernetes schemas (strict) or
its operator's published CRD schema; and the chart keeps the promises docs/deploy.md makes."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import CHART, KUBERNETES_VERSION, ROOT, Render, named, of_kind
from kubernetes_validate import utils as kv

pytestmark = pytest.mark.deploy

sys.path.insert(0, str(ROOT / "deploy" / "k8s"))
import consumers as chart_consumers  # noqa: E402

OPERATOR_KINDS = {"ScaledObject", "TriggerAuthentication", "MongoDBCommunity", "RabbitmqCluster"}
SERVICES = ("gateway", "talent", "consent", "extractor")


# ---- rendering and schemas ----


def test_chart_lints(helm: Path) -> None:
    result = subprocess.run([str(helm), "lint", str(CHART)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_builtin_object_passes_the_strict_kubernetes_schema(objects: list[Any]) -> None:
    builtin = [o for o in objects if o["kind"] not in OPERATOR_KINDS]
    assert {o["kind"] for o in builtin} >= {
        "Deployment",
        "Service",
        "Ingress",
        "NetworkPolicy",
        "PodDisruptionBudget",
        "ConfigMap",
        "HorizontalPodAutoscaler",
    }
    for obj in builtin:
        kv.validate(obj, KUBERNETES_VERSION, strict=True)


def test_the_strict_schema_rejects_a_misspelt_field(objects: list[Any]) -> None:
    deployment = copy.deepcopy(named(objects, "Deployment", "-gateway"))
    deployment["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = {}
    with pytest.raises(kv.ValidationError):
        kv.validate(deployment, KUBERNETES_VERSION, strict=True)


def crd_schemas(crd_dirs: list[Path]) -> dict[tuple[str, str], dict[str, Any]]:
    """(apiVersion, kind) -> the openAPIV3Schema of that CRD version, made strict: a field the
    CRD does not declare is an error (the API server would silently prune it)."""
    schemas = {}
    for directory in crd_dirs:
        for path in directory.glob("*.yaml"):
            for crd in yaml.safe_load_all(path.read_text()):
                if not crd or crd.get("kind") != "CustomResourceDefinition":
                    continue
                group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
                for version in crd["spec"]["versions"]:
                    schema = strict(version["schema"]["openAPIV3Schema"])
                    schemas[(f"{group}/{version['name']}", kind)] = schema
    return schemas


def strict(schema: Any) -> Any:
    if isinstance(schema, list):
        return [strict(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: strict(v) for k, v in schema.items()}
    if (
        "properties" in out
        and "additionalProperties" not in out
        and not out.get("x-kubernetes-preserve-unknown-fields")
    ):
        out["additionalProperties"] = False
    return out


def test_custom_resources_pass_their_operators_crd_schemas(
    objects: list[Any], crd_dirs: list[Path]
) -> None:
    schemas = crd_schemas(crd_dirs)
    checked = set()
    for obj in objects:
        if obj["kind"] == "RabbitmqCluster":
            continue  # the operator's Go module is not on the proxy: structural check below
        if obj["kind"] in OPERATOR_KINDS:
            schema = schemas[(obj["apiVersion"], obj["kind"])]
            jsonschema.validate(obj, schema)
            checked.add(obj["kind"])
    assert checked == {"ScaledObject", "TriggerAuthentication", "MongoDBCommunity"}


def test_the_crd_check_rejects_a_field_the_crd_does_not_declare(
    objects: list[Any], crd_dirs: list[Path]
) -> None:
    scaled = copy.deepcopy(named(objects, "ScaledObject", "-extractor"))
    scaled["spec"]["maxReplicas"] = 3  # the field is maxReplicaCount
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(scaled, crd_schemas(crd_dirs)[("keda.sh/v1alpha1", "ScaledObject")])


# The RabbitMQ Cluster Operator's CRD is not published as a Go module the proxy serves; these are
# the spec fields of rabbitmq.com/v1beta1 RabbitmqCluster the chart may use (operator API
# reference), checked structurally.
RABBITMQ_CLUSTER_SCHEMA = {
    "type": "object",
    "required": ["apiVersion", "kind", "metadata", "spec"],
    "properties": {
        "apiVersion": {"const": "rabbitmq.com/v1beta1"},
        "kind": {"const": "RabbitmqCluster"},
        "metadata": {"type": "object", "required": ["name"]},
        "spec": {
            "type": "object",
            "additionalProperties": False,
            "required": ["replicas"],
            "properties": {
                "replicas": {"type": "integer", "minimum": 3},
                "image": {"type": "string"},
                "resources": {"type": "object"},
                "persistence": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "storage": {"type": "string"},
                        "storageClassName": {"type": "string"},
                    },
                },
                "rabbitmq": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "additionalConfig": {"type": "string"},
                        "additionalPlugins": {"type": "array", "items": {"type": "string"}},
                        "advancedConfig": {"type": "string"},
                        "envConfig": {"type": "string"},
                    },
                },
                "override": {"type": "object"},
                "affinity": {"type": "object"},
                "tolerations": {"type": "array"},
                "service": {"type": "object"},
                "tls": {"type": "object"},
                "terminationGracePeriodSeconds": {"type": "integer"},
            },
        },
    },
}


def test_rabbitmq_cluster_is_structurally_valid_with_an_odd_node_count(objects: list[Any]) -> None:
    cluster = named(objects, "RabbitmqCluster", "rabbitmq")
    jsonschema.validate(cluster, RABBITMQ_CLUSTER_SCHEMA)
    assert cluster["spec"]["replicas"] % 2 == 1  # quorum queues need a majority
    assert "default_queue_type = quorum" in cluster["spec"]["rabbitmq"]["additionalConfig"]


def test_mongodb_is_a_three_member_replica_set_with_a_user_per_service(
    objects: list[Any],
) -> None:
    mongo = named(objects, "MongoDBCommunity", "mongodb")
    assert mongo["spec"]["type"] == "ReplicaSet"
    assert mongo["spec"]["members"] == 3
    assert sorted(u["name"] for u in mongo["spec"]["users"]) == sorted(SERVICES)


# ---- pods ----


def containers(objects: list[Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [
        (d, c)
        for d in of_kind(objects, "Deployment")
        for c in d["spec"]["template"]["spec"]["containers"]
    ]


def test_every_container_has_probes_limits_and_runs_unprivileged(objects: list[Any]) -> None:
    found = containers(objects)
    assert len(found) == len(SERVICES)
    for deployment, container in found:
        pod = deployment["spec"]["template"]["spec"]
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        resources = container["resources"]
        assert {"cpu", "memory"} <= resources["requests"].keys()
        assert {"cpu", "memory"} <= resources["limits"].keys()
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["runAsUser"] != 0
        assert container["securityContext"]["readOnlyRootFilesystem"] is True
        assert container["securityContext"]["allowPrivilegeEscalation"] is False
        assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
        assert pod["automountServiceAccountToken"] is False
        assert len(pod["topologySpreadConstraints"]) == 2


def configmap_env(objects: list[Any], deployment: dict[str, Any]) -> dict[str, str]:
    env: dict[str, str] = {}
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    for source in container["envFrom"]:
        if "configMapRef" in source:
            env.update(named(objects, "ConfigMap", source["configMapRef"]["name"])["data"])
    return env


@pytest.mark.parametrize("drain", [30, 150, 400])
def test_every_grace_period_covers_the_drain(render: Render, drain: int) -> None:
    """SIGTERM: preStop pause, then the HTTP listener and the consumers each up to a drain."""
    objects = render(*(f"{s}.drainSeconds={drain}" for s in SERVICES))
    for deployment in of_kind(objects, "Deployment"):
        pod = deployment["spec"]["template"]["spec"]
        env = configmap_env(objects, deployment)
        (drain_key,) = [k for k in env if k.endswith("_DRAIN_TIMEOUT")]
        pre_stop = int(pod["containers"][0]["lifecycle"]["preStop"]["exec"]["command"][1])
        assert float(env[drain_key]) == drain
        assert pod["terminationGracePeriodSeconds"] > pre_stop + 2 * float(env[drain_key])


def test_the_extractor_drains_longer_than_a_whole_profile(objects: list[Any]) -> None:
    from sourcer.extractor.settings import ExtractorSettings

    env = configmap_env(objects, named(objects, "Deployment", "-extractor"))
    job_timeout = ExtractorSettings.model_fields["job_timeout"].default
    assert float(env["SOURCER_EXTRACTOR_DRAIN_TIMEOUT"]) > job_timeout


def test_chromium_gets_a_memory_backed_dev_shm_and_a_writable_home(objects: list[Any]) -> None:
    extractor = named(objects, "Deployment", "-extractor")
    pod = extractor["spec"]["template"]["spec"]
    volumes = {v["name"]: v for v in pod["volumes"]}
    mounts = {m["mountPath"]: m["name"] for m in pod["containers"][0]["volumeMounts"]}
    shm = volumes[mounts["/dev/shm"]]["emptyDir"]
    assert shm["medium"] == "Memory" and shm["sizeLimit"]
    assert "/tmp" in mounts
    env = configmap_env(objects, extractor)
    assert env["HOME"] == "/tmp"
    assert mounts[env["SOURCER_EXTRACTOR_SNAPSHOT_DIR"]] == "snapshots"


# ---- scaling ----


def consumer_queues() -> dict[str, set[str]]:
    """Every queue each service consumes, from the services' own consumer specs."""
    return {
        ep.name: {spec.name for spec in ep.load().consumers}
        for ep in entry_points(group="sourcer.services")
    }


def test_the_generated_queue_list_is_fresh() -> None:
    committed = json.loads((CHART / "files" / "consumers.json").read_text())
    assert committed == chart_consumers.scaling_queues()


@pytest.mark.parametrize("namespace", ["", "staging."])
def test_every_scaled_object_watches_a_queue_its_service_consumes(
    render: Render, namespace: str
) -> None:
    objects = render(f"common.busNamespace={namespace}")
    declared = consumer_queues()
    watched = {}
    for scaled in of_kind(objects, "ScaledObject"):
        service = scaled["spec"]["scaleTargetRef"]["name"].removeprefix("sourcer-")
        queues = {t["metadata"]["queueName"] for t in scaled["spec"]["triggers"]}
        assert queues <= {namespace + q for q in declared[service]}
        watched[service] = queues
    assert watched["extractor"] == {namespace + "extractor"}
    assert watched["talent"] == {namespace + q for q in declared["talent"]}
    assert watched["consent"] == {namespace + q for q in declared["consent"]}


def test_the_extractor_queue_is_the_one_that_takes_sourcing_requests() -> None:
    from sourcer.extractor.bootstrap import SERVICE
    from sourcer.proto.events import EVENT_TYPES, SourcingRequested

    (spec,) = [s for s in SERVICE.consumers if EVENT_TYPES[SourcingRequested] in s.keys]
    assert chart_consumers.scaling_queues()["extractor"] == [spec.name]


@pytest.mark.parametrize(
    ("sessions", "concurrency", "expected"), [(20, 2, 10), (21, 2, 11), (5, 4, 2), (1, 2, 1)]
)
def test_extractor_max_replicas_is_what_the_connected_sessions_can_use(
    render: Render, sessions: int, concurrency: int, expected: int
) -> None:
    objects = render(
        f"extractor.keda.connectedSessions={sessions}", f"extractor.concurrency={concurrency}"
    )
    scaled = named(objects, "ScaledObject", "-extractor")
    assert scaled["spec"]["maxReplicaCount"] == expected
    env = configmap_env(objects, named(objects, "Deployment", "-extractor"))
    assert env["SOURCER_EXTRACTOR_CONCURRENCY"] == str(concurrency)


def test_the_gateway_scales_on_cpu(objects: list[Any]) -> None:
    hpa = named(objects, "HorizontalPodAutoscaler", "-gateway")
    (metric,) = hpa["spec"]["metrics"]
    assert metric["resource"]["name"] == "cpu"
    assert hpa["spec"]["scaleTargetRef"]["name"] == "sourcer-gateway"
    gateway = named(objects, "Deployment", "-gateway")
    assert "replicas" not in gateway["spec"]  # the HPA owns it


# ---- exposure ----


# ---- listeners: what the services serve where ----


def settings_names(service: str) -> set[str]:
    """The environment names a service reads: its settings and the shared auth settings."""
    from sourcer.runtime.auth import AuthSettings

    (spec,) = [ep.load() for ep in entry_points(group="sourcer.services") if ep.name == service]
    names: set[str] = set()
    for settings in (spec.settings, AuthSettings):
        prefix = settings.model_config.get("env_prefix", "")
        for field, info in settings.model_fields.items():
            names.add(f"{prefix}{field}".upper())
            names.update(alias_names(info))
    return names


def alias_names(info: Any) -> set[str]:
    alias = info.validation_alias
    if isinstance(alias, str):
        return {alias.upper()}
    return {c.upper() for c in getattr(alias, "choices", ()) if isinstance(c, str)}


def container_ports(deployment: dict[str, Any]) -> dict[str, int]:
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    return {p["name"]: p["containerPort"] for p in container["ports"]}


@pytest.mark.parametrize("service", SERVICES)
def test_every_configmap_setting_is_one_the_service_reads(objects: list[Any], service: str) -> None:
    """A renamed setting in the code must not leave the chart setting a name nobody reads."""
    env = configmap_env(objects, named(objects, "Deployment", f"-{service}"))
    unread = {k for k in env if k.startswith("SOURCER_")} - settings_names(service)
    assert not unread, unread


@pytest.mark.parametrize("service", SERVICES)
def test_probes_and_metrics_reach_the_internal_listener(objects: list[Any], service: str) -> None:
    deployment = named(objects, "Deployment", f"-{service}")
    env = configmap_env(objects, deployment)
    ports = container_ports(deployment)
    prefix = f"SOURCER_{service.upper()}_"
    # The internal listener binds to loopback unless told otherwise: probes would never answer.
    assert env[f"{prefix}INTERNAL_HOST"] == "0.0.0.0"
    assert int(env[f"{prefix}INTERNAL_PORT"]) == ports["internal"]
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert container[probe]["httpGet"]["port"] == "internal"
    annotations = deployment["spec"]["template"]["metadata"]["annotations"]
    assert int(annotations["prometheus.io/port"]) == ports["internal"]
    service_object = named(objects, "Service", f"-{service}")
    assert {p["targetPort"] for p in service_object["spec"]["ports"]} == set(ports)


def test_only_the_gateway_and_consent_have_a_public_listener(objects: list[Any]) -> None:
    public = {
        service
        for service in SERVICES
        if "http" in container_ports(named(objects, "Deployment", f"-{service}"))
    }
    assert public == {"gateway", "consent"}
    for service in public:
        deployment = named(objects, "Deployment", f"-{service}")
        env = configmap_env(objects, deployment)
        assert (
            int(env[f"SOURCER_{service.upper()}_HTTP_PORT"]) == container_ports(deployment)["http"]
        )
    (ingress,) = of_kind(objects, "Ingress")
    backends = [
        path["backend"]["service"]["port"]
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    ]
    assert backends == [{"name": "http"}, {"name": "http"}]


def test_the_gateway_calls_the_internal_apis_on_their_internal_ports(objects: list[Any]) -> None:
    env = configmap_env(objects, named(objects, "Deployment", "-gateway"))
    for callee in ("talent", "consent", "extractor"):
        port = container_ports(named(objects, "Deployment", f"-{callee}"))["internal"]
        assert env[f"SOURCER_GATEWAY_{callee.upper()}_API_URL"] == f"http://sourcer-{callee}:{port}"


def test_the_ingress_controller_reaches_public_ports_only(objects: list[Any]) -> None:
    for service in SERVICES:
        (policy,) = [
            p
            for p in of_kind(objects, "NetworkPolicy")
            if selects(p["spec"]["podSelector"], service)
        ]
        ports = container_ports(named(objects, "Deployment", f"-{service}"))
        for rule in policy["spec"]["ingress"]:
            from_controller = any(
                peer.get("namespaceSelector", {})
                .get("matchLabels", {})
                .get("kubernetes.io/metadata.name")
                == "ingress-nginx"
                for peer in rule["from"]
            )
            (port,) = [p["port"] for p in rule["ports"]]
            assert from_controller == (port == ports.get("http")), (service, port)


def test_only_the_api_and_the_landing_page_are_routed_from_outside(objects: list[Any]) -> None:
    (ingress,) = of_kind(objects, "Ingress")
    routes = {
        (rule["host"], path["path"], path["backend"]["service"]["name"])
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    }
    assert routes == {
        ("api.sourcer.example", "/v1", "sourcer-gateway"),
        ("consent.sourcer.example", "/c", "sourcer-consent"),
    }


def selects(selector: dict[str, Any], service: str) -> bool:
    return selector.get("matchLabels", {}).get("app.kubernetes.io/name") == f"sourcer-{service}"


def test_only_gateway_and_consent_reach_the_talent_api(objects: list[Any]) -> None:
    policies = of_kind(objects, "NetworkPolicy")
    deny = named(objects, "NetworkPolicy", "-default-deny")
    assert deny["spec"]["policyTypes"] == ["Ingress", "Egress"] and "ingress" not in deny["spec"]
    talent_policies = [p for p in policies if selects(p["spec"]["podSelector"], "talent")]
    (talent,) = talent_policies
    peers = [peer for rule in talent["spec"]["ingress"] for peer in rule["from"]]
    pods = {
        p["podSelector"]["matchLabels"]["app.kubernetes.io/name"]
        for p in peers
        if "podSelector" in p
    }
    namespaces = [p["namespaceSelector"]["matchLabels"] for p in peers if "namespaceSelector" in p]
    assert pods == {"sourcer-gateway", "sourcer-consent"}
    assert namespaces == [{"kubernetes.io/metadata.name": "monitoring"}]  # /metrics scrapes only


def test_the_extractor_egress_is_dns_broker_database_and_public_https(objects: list[Any]) -> None:
    (policy,) = [
        p
        for p in of_kind(objects, "NetworkPolicy")
        if selects(p["spec"]["podSelector"], "extractor")
    ]
    ports = set()
    for rule in policy["spec"]["egress"]:
        for port in rule["ports"]:
            ports.add(port["port"])
        for peer in rule["to"]:
            if "ipBlock" in peer:
                assert "10.0.0.0/8" in peer["ipBlock"]["except"]
                assert "169.254.0.0/16" in peer["ipBlock"]["except"]
    assert ports == {53, 5672, 27017, 443}


# ---- configuration and secrets ----


def secret_settings() -> set[str]:
    """Every setting a service declares as a secret (SecretStr), as its environment name."""
    from pydantic import SecretStr

    names = set()
    for ep in entry_points(group="sourcer.services"):
        settings = ep.load().settings
        prefix = settings.model_config.get("env_prefix", "")
        for field, info in settings.model_fields.items():
            if "SecretStr" in str(info.annotation) or info.annotation is SecretStr:
                names.add(f"{prefix}{field}".upper())
    return names


def test_secrets_never_come_from_configmaps(objects: list[Any]) -> None:
    secrets = secret_settings() | {"AMQP_URL", "MONGODB_URL", "SOURCER_AUTH_JWT_SECRET"}
    assert "SOURCER_EXTRACTOR_ACCOUNTS_KEY" in secrets
    assert "SOURCER_TALENT_SUPPRESSION_KEY" in secrets
    for configmap in of_kind(objects, "ConfigMap"):
        assert not secrets & set(configmap["data"]), configmap["metadata"]["name"]
    for deployment, container in containers(objects):
        refs = [s["secretRef"]["name"] for s in container["envFrom"] if "secretRef" in s]
        service = container["name"]
        assert refs == [f"sourcer-{service}"], deployment["metadata"]["name"]


SECRET_WORDS = ("password", "secret", "token", "cookie", "credential")
SECRET_SEGMENTS = ("key", "keys", "users")
DNS_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
# Random keys (base64, urlsafe tokens) are long runs of mixed case and digits.
LOOKS_LIKE_KEY = re.compile(r"^(?=.*[A-Z])(?=.*[a-z])(?=.*[0-9])[A-Za-z0-9+/_=-]{24,}$")


def leaves(node: Any, path: str = "") -> list[tuple[str, Any]]:
    if isinstance(node, dict):
        return [leaf for key, value in node.items() for leaf in leaves(value, f"{path}.{key}")]
    if isinstance(node, list):
        return [leaf for i, value in enumerate(node) for leaf in leaves(value, f"{path}[{i}]")]
    return [(path, node)]


def names_a_secret(path: str) -> bool:
    segments = path.lower().split(".")
    return any(w in s for s in segments for w in SECRET_WORDS) or any(
        s in SECRET_SEGMENTS for s in segments
    )


def test_values_hold_no_secret_values(objects: list[Any]) -> None:
    """Where a value names a secret it is the name of a Secret object, never the secret."""
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    found = leaves(values)
    references = [(p, v) for p, v in found if names_a_secret(p)]
    assert len(references) >= 10  # secrets.*, mongodb.users.*, ingress TLS secrets
    for path, value in references:
        assert isinstance(value, str) and DNS_NAME.match(value), f"{path} holds a value"
    for path, value in found:
        if isinstance(value, str):
            assert not re.search(r"://[^/@]+@", value), f"{path}: credentials in a URL"
            assert not LOOKS_LIKE_KEY.match(value), f"{path}: looks like a key"
    assert not of_kind(objects, "Secret")  # the chart creates none
