#!/usr/bin/env python3
"""Checks the deployment files for the properties the operations docs promise.

    python3 tests/rules/lint_deploy.py

- docker-compose.yml: every published port is bound to 127.0.0.1; every
  depends_on waits for service_healthy, and the service waited for has a
  health check (its own, or the HEALTHCHECK of the Dockerfile target it builds);
- Dockerfile: numeric USER, REVISION build argument passed to CMake as
  COINW_REVISION, VERSION defaulting to the project's version, OCI labels
  (source, url and documentation among them), no VOLUME, a HEALTHCHECK through
  coinw_healthcheck in both the `sim` and the `exporter` target.

deploy/kubernetes/ is rendered and checked by tests/deploy/kustomize_test.py.

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
    version = re.search(r"project\(coinw_exporter VERSION ([0-9.]+)", (ROOT / "CMakeLists.txt").read_text()).group(1)
    if f"ARG VERSION={version}\n" not in text:
        problems.append(f"Dockerfile: ARG VERSION must default to the project's version {version}")
    if re.search(r"^\s*VOLUME\b", text, re.M):
        problems.append("Dockerfile: VOLUME leaves an anonymous volume behind every run; document the mount instead")
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
        for key in ("title", "description", "licenses", "revision", "version", "source", "url", "documentation"):
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


def main():
    problems = []
    targets = lint_dockerfile(problems)
    lint_compose(problems, targets)
    for p in problems:
        print("FAIL", p)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
