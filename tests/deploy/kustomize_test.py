#!/usr/bin/env python3
"""Renders every kustomization under deploy/kubernetes/ with each kustomize at
hand (`kubectl kustomize`, Debian's kubectl 1.20 or a newer one, and a
standalone `kustomize build`) and checks the objects: kinds, one namespace,
selectors that match the pod's labels, the recommended labels, the
kube-prometheus-stack release label, the dashboards for Grafana's sidecar (the
mixin renders deploy/kubernetes/dashboards/ with dashboards/; ops.mixin_rendered
checks both are current), the
security context, the NetworkPolicy, the image tag, and the configuration: the
real exporter loads the rendered config.yml and answers its probes' paths on
the container's port.

    kustomize_test.py EXPORTER_BIN

Exits 77 (skipped) when no kustomize is installed; scripts/install-deps.sh
installs Debian's kubernetes-client. COINW_KUSTOMIZE="cmd1;cmd2" adds renderers
(each a command to which the directory is appended).
"""
import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys

import yaml

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "e2e"))
import harness  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "kubernetes"
LAYOUTS = {"base": K8S / "base", "kube-prometheus-stack": K8S}
RECOMMENDED = ("app.kubernetes.io/name", "app.kubernetes.io/part-of")
BASE_KINDS = ["ConfigMap", "Deployment", "Namespace", "NetworkPolicy", "PersistentVolumeClaim", "Service"]
STACK_KINDS = sorted(BASE_KINDS + ["ConfigMap"] * 3 + ["PrometheusRule", "ServiceMonitor"])


def renderers():
    found = []
    if shutil.which("kubectl"):
        found.append(["kubectl", "kustomize"])
    if shutil.which("kustomize"):
        found.append(["kustomize", "build"])
    found += [shlex.split(c) for c in os.environ.get("COINW_KUSTOMIZE", "").split(";") if c.strip()]
    return found


def project_version():
    return re.search(r"project\(coinw_exporter VERSION ([0-9.]+)", (ROOT / "CMakeLists.txt").read_text()).group(1)


def image_uid():
    users = re.findall(r"^USER (\d+)", (ROOT / "Dockerfile").read_text(), re.M)
    return int(users[-1])


def matches(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


class Check:
    def __init__(self, name):
        self.name, self.problems = name, []

    def that(self, ok, what):
        if not ok:
            self.problems.append(f"{self.name}: {what}")
        return ok


def check_objects(c, layout, objs):
    kinds = sorted(o["kind"] for o in objs)
    c.that(kinds == (STACK_KINDS if layout != "base" else BASE_KINDS), f"kinds {kinds}")
    by = {}
    for o in objs:
        by.setdefault(o["kind"], []).append(o)
    ns = by["Namespace"][0]
    c.that(ns["metadata"].get("labels", {}).get("pod-security.kubernetes.io/enforce") == "restricted",
           "the namespace does not enforce the restricted Pod Security Standard")
    for o in objs:
        meta, where = o["metadata"], f'{o["kind"]} {o["metadata"]["name"]}'
        if o["kind"] != "Namespace":
            c.that(meta.get("namespace") == ns["metadata"]["name"], f"{where} is not in namespace {ns['metadata']['name']}")
        for label in RECOMMENDED:
            c.that(label in meta.get("labels", {}), f"{where} lacks the label {label}")

    dep = by["Deployment"][0]
    pod = dep["spec"]["template"]
    labels, spec = pod["metadata"]["labels"], pod["spec"]
    c.that(matches(dep["spec"]["selector"]["matchLabels"], labels), "the Deployment's selector misses its pods")
    svc = by["Service"][0]
    c.that(matches(svc["spec"]["selector"], labels), "the Service's selector misses the pods")
    netpol = by["NetworkPolicy"][0]
    c.that(matches(netpol["spec"]["podSelector"]["matchLabels"], labels), "the NetworkPolicy misses the pods")
    (container,) = spec["containers"]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    c.that(all(p["targetPort"] in ports for p in svc["spec"]["ports"]), "a Service port targets no container port")

    # Security.
    psc, sc = spec.get("securityContext", {}), container.get("securityContext", {})
    c.that(psc.get("runAsNonRoot") is True and psc.get("runAsUser") == image_uid(),
           f"the pod must run as non-root uid {image_uid()} (the image's USER)")
    c.that((psc.get("seccompProfile") or {}).get("type") == "RuntimeDefault", "no RuntimeDefault seccomp profile")
    c.that(sc.get("readOnlyRootFilesystem") is True, "the root file system is writable")
    c.that(sc.get("allowPrivilegeEscalation") is False, "privilege escalation is allowed")
    c.that((sc.get("capabilities") or {}).get("drop") == ["ALL"], "capabilities are not all dropped")
    c.that(spec.get("automountServiceAccountToken") is False, "the service account token is mounted")
    c.that(container["image"] == f"coinw-exporter:{project_version()}",
           f"image {container['image']}, expected coinw-exporter:{project_version()}")

    # NetworkPolicy: Prometheus in, DNS and HTTPS out.
    np = netpol["spec"]
    c.that(sorted(np.get("policyTypes", [])) == ["Egress", "Ingress"], "the NetworkPolicy must restrict both ways")
    ingress_ports = [p["port"] for rule in np.get("ingress", []) for p in rule.get("ports", [])]
    c.that(ingress_ports and all(p in ports or p in ports.values() for p in ingress_ports),
           f"ingress must be limited to the metrics port, got {ingress_ports}")
    sources = [s for rule in np.get("ingress", []) for s in rule.get("from", [])]
    c.that(sources and all(s.get("podSelector", {}).get("matchLabels") for s in sources),
           "ingress must come from selected pods (Prometheus) only")
    egress = {(p.get("protocol", "TCP"), p["port"]) for rule in np.get("egress", []) for p in rule.get("ports", [])}
    c.that(egress == {("UDP", 53), ("TCP", 53), ("TCP", 443)}, f"egress must be DNS and 443 only, got {egress}")

    # Volumes: the generated config, the state on the claim at global.state_dir.
    volumes = {v["name"]: v for v in spec["volumes"]}
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    maps = {m["metadata"]["name"]: m for m in by["ConfigMap"]}
    config_map = maps.get(volumes["config"].get("configMap", {}).get("name"))
    if not c.that(config_map and "config.yml" in config_map["data"], "the config volume's ConfigMap is not rendered"):
        return None
    c.that(re.fullmatch(r"coinw-exporter-config-[a-z0-9]{10}", config_map["metadata"]["name"]),
           "the config ConfigMap has no hash suffix (a changed config would not roll the pod)")
    config = yaml.safe_load(config_map["data"]["config.yml"])
    state_dir = config["global"]["state_dir"]
    claim = volumes.get(mounts.get(state_dir), {}).get("persistentVolumeClaim", {}).get("claimName")
    c.that(claim == by["PersistentVolumeClaim"][0]["metadata"]["name"],
           f"global.state_dir {state_dir} is not the mount of the PersistentVolumeClaim")
    env = {e["name"]: e["valueFrom"]["secretKeyRef"] for e in container.get("env", [])}
    used = set(re.findall(r"\$\{(\w+)\}", config_map["data"]["config.yml"]))
    c.that(used and used <= set(env), f"config.yml uses {used}, the container's environment has {set(env)}")

    if layout != "base":
        check_monitoring(c, by, svc, labels)
    return {"config": config_map["data"]["config.yml"], "args": container["args"], "ports": ports, "env": env,
            "probes": [container[p]["httpGet"] for p in ("livenessProbe", "readinessProbe")]}


def check_monitoring(c, by, svc, pod_labels):
    mon, rule = by["ServiceMonitor"][0], by["PrometheusRule"][0]
    for o in (mon, rule):
        c.that(o["metadata"]["labels"].get("release"), f"{o['kind']} has no release label for kube-prometheus-stack")
    c.that(matches(mon["spec"]["selector"]["matchLabels"], svc["metadata"]["labels"]),
           "the ServiceMonitor's selector misses the Service")
    svc_ports = {p["name"] for p in svc["spec"]["ports"]}
    c.that(all(e["port"] in svc_ports for e in mon["spec"]["endpoints"]), "a ServiceMonitor endpoint names no port")
    job = svc["metadata"]["labels"].get(mon["spec"].get("jobLabel", ""))
    exprs = "\n".join(r.get("expr", "") for g in rule["spec"]["groups"] for r in g["rules"])
    c.that(job and f'up{{job="{job}"}}' in exprs, f"the jobLabel gives job {job!r}, which the rules do not select")
    dashboards = {m["metadata"]["name"]: m for m in by["ConfigMap"]
                  if m["metadata"].get("labels", {}).get("grafana_dashboard") == "1"}
    shipped = {p.name: p.read_text() for p in (ROOT / "dashboards").glob("*.json")}
    rendered = {name: text for m in dashboards.values() for name, text in m["data"].items()}
    c.that(rendered == shipped, f"the dashboard ConfigMaps hold {sorted(rendered)}, not dashboards/*.json as they are")


def check_exporter(c, exporter, facts):
    """The rendered config loads, and the probes' paths answer 200 on the container's port."""
    with harness.Processes() as procs:
        state = os.path.join(procs.dir, "state")
        os.mkdir(state)
        config = procs.write("config.yml", re.sub(r"(state_dir:\s*)\S+", rf"\g<1>{state}", facts["config"]))
        os.environ.update({name: "K8S-TEST-0123456789" for name in facts["env"]})  # as from the Secret
        check = subprocess.run([exporter, f"--config.file={config}", "--config.check"], capture_output=True, text=True)
        c.that(check.returncode == 0, f"--config.check of the rendered config: {check.stderr.strip()}")
        port = harness.free_port()
        args = [re.sub(r"^--config\.file=.*", f"--config.file={config}",
                       re.sub(r"^--web\.listen-address=:(\d+)$", rf"--web.listen-address=127.0.0.1:{port}", a))
                for a in facts["args"]]
        c.that(f"--web.listen-address=127.0.0.1:{port}" in args, "the container does not listen on :PORT")
        c.that(any(re.search(rf":{p}$", a) for a in facts["args"] for p in facts["ports"].values()),
               "the listen address is not the container port")
        proc = procs.start("exporter", [exporter, *args])
        url = f"http://127.0.0.1:{port}"
        try:
            harness.wait_for(lambda: harness.http("GET", url + "/-/healthy")[0] == 200, 10, "the exporter")
            harness.wait_for(lambda: harness.http("GET", url + "/-/ready")[0] == 200, 10, "readiness")
        except AssertionError as e:
            c.that(False, f"{e}: {procs.log('exporter')[-500:]}")
            return
        for probe in facts["probes"]:
            c.that(probe["port"] in facts["ports"], f"probe port {probe['port']} is no container port")
            status = harness.http("GET", url + probe["path"])[0]
            c.that(status == 200, f"probe path {probe['path']} answers {status}")
        proc.terminate()


def main(exporter):
    problems = []
    found = renderers()
    if not found:
        print("SKIP no kubectl or kustomize (scripts/install-deps.sh installs Debian's kubernetes-client)")
        return 77
    for cmd in found:
        version = subprocess.run([cmd[0], "version", "--client"] if cmd[0] == "kubectl" else [cmd[0], "version"],
                                 capture_output=True, text=True).stdout.strip().splitlines()
        print(f"rendering with {' '.join(cmd)} ({' '.join(version[:2])})")
        for layout, path in LAYOUTS.items():
            c = Check(f"{' '.join(cmd)} {layout}")
            res = subprocess.run([*cmd, str(path)], capture_output=True, text=True)
            if not c.that(res.returncode == 0, f"does not render: {res.stderr.strip()[-400:]}"):
                problems += c.problems
                continue
            objs = [o for o in yaml.safe_load_all(res.stdout) if o]
            facts = check_objects(c, layout, objs)
            if facts and cmd is found[0]:
                check_exporter(c, exporter, facts)
            problems += c.problems
            print(f"  {layout}: {len(objs)} objects, {len(c.problems)} problem(s)")
    return harness.report(problems, "problem")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
