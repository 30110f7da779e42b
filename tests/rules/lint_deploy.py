#!/usr/bin/env python3
"""Checks the deployment files for the properties the operations docs promise.

    python3 tests/rules/lint_deploy.py

- docker-compose.yml: every published port is bound to 127.0.0.1; every
  depends_on waits for service_healthy, and the service waited for has a
  health check (its own, or the HEALTHCHECK of the Dockerfile target it builds);
- Dockerfile: numeric USER, REVISION build argument passed to CMake as
  COINW_REVISION, OCI labels, a HEALTHCHECK through coinw_healthcheck in both
  the `sim` and the `exporter` target;
- deploy/kubernetes/: the Deployment runs as a numeric non-root user with a
  read-only root file system, no privilege escalation, no capabilities, and
  its state on a volume; the Service and ServiceMonitor agree on the port and
  the job name the rules select; kustomization lists every manifest.

Needs python3-yaml. Exits non-zero and lists every problem on failure.
"""
import pathlib
import re
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]


def dockerfile_targets(text):
    """{target: [instruction lines]}, continuation lines joined."""
    text = re.sub(r"\\\n", " ", text)
    targets, current = {}, None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(r"FROM\s+(\S+)(?:\s+AS\s+(\S+))?", line, re.I)
        if m:
            current = m.group(2) or m.group(1)
            parent = targets.get(m.group(1), [])
            targets[current] = list(parent)  # a stage inherits its parent stage's settings
            continue
        if current:
            targets[current].append(line)
    return targets


def lint_dockerfile(problems):
    text = (ROOT / "Dockerfile").read_text()
    targets = dockerfile_targets(text)
    if 'COINW_REVISION="${REVISION}"' not in text or "ARG REVISION" not in text:
        problems.append("Dockerfile: the REVISION build argument does not reach -DCOINW_REVISION")
    for name in ("sim", "exporter"):
        lines = targets.get(name)
        if lines is None:
            problems.append(f"Dockerfile: no target {name}")
            continue
        users = [l.split(None, 1)[1] for l in lines if l.upper().startswith("USER ")]
        if not users or not re.fullmatch(r"[1-9]\d*(:\d+)?", users[-1]):
            problems.append(f"Dockerfile {name}: the last USER must be a numeric non-root uid, got {users[-1:]}")
        checks = [l for l in lines if l.upper().startswith("HEALTHCHECK")]
        if not checks or "coinw_healthcheck" not in checks[-1] or '["' not in checks[-1]:
            problems.append(f"Dockerfile {name}: no exec-form HEALTHCHECK with coinw_healthcheck")
        labels = " ".join(l for l in lines if l.upper().startswith("LABEL"))
        for key in ("title", "description", "licenses", "revision", "version"):
            if f"org.opencontainers.image.{key}=" not in labels:
                problems.append(f"Dockerfile {name}: no org.opencontainers.image.{key} label")
    build = targets.get("build", [])
    if not any("install-deps.sh --build-only" in l for l in build):
        problems.append("Dockerfile build stage: must install only build dependencies (--build-only)")
    if not any("--target coinw_exporter coinw-sim coinw_healthcheck" in l for l in build):
        problems.append("Dockerfile build stage: must build only the binaries")
    return targets


def lint_compose(problems, targets):
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    for name, s in services.items():
        for port in s.get("ports", []):
            if not str(port).startswith("127.0.0.1:"):
                problems.append(f"compose {name}: port {port} is not bound to 127.0.0.1")
        deps = s.get("depends_on", {})
        if isinstance(deps, list):
            problems.append(f"compose {name}: depends_on without condition")
            continue
        for dep, how in deps.items():
            if (how or {}).get("condition") != "service_healthy":
                problems.append(f"compose {name}: depends_on {dep} does not wait for service_healthy")
            other = services.get(dep, {})
            target = (other.get("build") or {}).get("target") if isinstance(other.get("build"), dict) else None
            image_check = target and any(l.upper().startswith("HEALTHCHECK") for l in targets.get(target, []))
            if "healthcheck" not in other and not image_check:
                problems.append(f"compose: {dep} has no health check for {name} to wait on")


def lint_kubernetes(problems):
    k8s = ROOT / "deploy" / "kubernetes"
    docs = {}
    for f in sorted(k8s.glob("*.yaml")):
        for d in yaml.safe_load_all(f.read_text()):
            if d and "kind" in d:
                docs.setdefault(d["kind"], d)
    kustom = docs.pop("Kustomization", {})
    listed = set(kustom.get("resources", []))
    for f in k8s.glob("*.yaml"):
        if f.name != "kustomization.yaml" and f.name not in listed:
            problems.append(f"kustomization.yaml does not list {f.name}")

    dep = docs.get("Deployment")
    if not dep:
        problems.append("deploy/kubernetes: no Deployment")
        return
    pod = dep["spec"]["template"]["spec"]
    psc = pod.get("securityContext", {})
    if psc.get("runAsNonRoot") is not True or not isinstance(psc.get("runAsUser"), int) or psc["runAsUser"] == 0:
        problems.append("Deployment: pod must set runAsNonRoot: true and a numeric non-zero runAsUser")
    c = pod["containers"][0]
    sc = c.get("securityContext", {})
    if sc.get("readOnlyRootFilesystem") is not True:
        problems.append("Deployment: readOnlyRootFilesystem must be true")
    if sc.get("allowPrivilegeEscalation") is not False:
        problems.append("Deployment: allowPrivilegeEscalation must be false")
    if (sc.get("capabilities") or {}).get("drop") != ["ALL"]:
        problems.append("Deployment: capabilities must drop ALL")
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    mounts = {m["mountPath"]: m["name"] for m in c.get("volumeMounts", [])}
    state = volumes.get(mounts.get("/var/lib/coinw-exporter"), {})
    if "persistentVolumeClaim" not in state:
        problems.append("Deployment: /var/lib/coinw-exporter (state) must be on a persistent volume")
    elif state["persistentVolumeClaim"]["claimName"] != docs.get("PersistentVolumeClaim", {}).get("metadata", {}).get("name"):
        problems.append("Deployment: the state volume's claim is not defined")
    port = next((p for p in c.get("ports", []) if p.get("name") == "metrics"), None)
    svc, mon = docs.get("Service"), docs.get("ServiceMonitor")
    if not port or not svc or not mon:
        problems.append("deploy/kubernetes: needs a `metrics` container port, a Service and a ServiceMonitor")
        return
    if not any(p.get("targetPort") == "metrics" for p in svc["spec"]["ports"]):
        problems.append("Service: no port targeting `metrics`")
    if svc["spec"]["selector"] != dep["spec"]["selector"]["matchLabels"]:
        problems.append("Service: selector differs from the Deployment's")
    if mon["spec"]["selector"]["matchLabels"].items() - svc["metadata"]["labels"].items():
        problems.append("ServiceMonitor: selector does not match the Service's labels")
    job = svc["metadata"]["labels"].get(mon["spec"].get("jobLabel", ""), None)
    rules = docs.get("PrometheusRule", {}).get("spec", {}).get("groups", [])
    exprs = "\n".join(r["expr"] for g in rules for r in g["rules"])
    if not job or f'up{{job="{job}"}}' not in exprs:
        problems.append(f"ServiceMonitor: jobLabel gives job {job!r}, which the PrometheusRule does not select")


def main():
    problems = []
    targets = lint_dockerfile(problems)
    lint_compose(problems, targets)
    lint_kubernetes(problems)
    for p in problems:
        print("FAIL", p)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
