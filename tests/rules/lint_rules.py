#!/usr/bin/env python3
"""Checks the generated Prometheus rules against their runbook and their
Kubernetes copy, and the generator's parameters.

    python3 tests/rules/lint_rules.py [--promtool /usr/bin/promtool]

- every alert of config/alerts.yml has a runbook_url pointing to a section of
  docs/runbook.md named after it, with meaning, impact, check and do;
- deploy/kubernetes/prometheusrule.yaml holds exactly the groups of
  config/alerts.yml (so the two cannot drift apart);
- rules generated with another job name and scrape timeout select that job and
  that threshold only, and (with --promtool) still load.

Needs python3-yaml. Exits non-zero and lists every problem on failure.
"""
import argparse
import pathlib
import re
import subprocess
import sys
import tempfile

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "rules"))
import generate  # noqa: E402


def runbook_sections(text):
    """{heading: body} of the `## ` sections."""
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def alerts_of(groups):
    return [r for g in groups for r in g["rules"] if "alert" in r]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--promtool")
    args = ap.parse_args(argv)
    problems = []

    rules = yaml.safe_load((ROOT / "config" / "alerts.yml").read_text())
    sections = runbook_sections((ROOT / "docs" / "runbook.md").read_text())
    alerts = alerts_of(rules["groups"])
    if not alerts:
        problems.append("config/alerts.yml has no alerts")
    for a in alerts:
        name = a["alert"]
        url = a.get("annotations", {}).get("runbook_url", "")
        if url != generate.runbook_link(generate.DEFAULT_RUNBOOK_URL, name):
            problems.append(f"{name}: runbook_url {url!r} does not point to its runbook section")
        body = sections.get(name)
        if body is None:
            problems.append(f"{name}: no '## {name}' section in docs/runbook.md")
            continue
        for part in ("**Meaning.**", "**Impact.**", "**Check.**", "**Do.**"):
            if part not in body:
                problems.append(f"docs/runbook.md, {name}: no {part} paragraph")
    names = {a["alert"] for a in alerts}
    for heading in sections:
        if heading.startswith("Coinw") and heading not in names:
            problems.append(f"docs/runbook.md: section {heading} has no alert")

    k8s = yaml.safe_load((ROOT / "deploy" / "kubernetes" / "prometheusrule.yaml").read_text())
    if k8s.get("kind") != "PrometheusRule" or k8s.get("apiVersion") != "monitoring.coreos.com/v1":
        problems.append("prometheusrule.yaml: not a monitoring.coreos.com/v1 PrometheusRule")
    if k8s.get("spec", {}).get("groups") != rules["groups"]:
        problems.append("prometheusrule.yaml: spec.groups differ from config/alerts.yml; run rules/generate.py")

    # A site's own parameters: nothing of the defaults may remain.
    site = generate.outputs({**generate.DEFAULTS, "job": "shard-a", "scrape_timeout": 20.0,
                             "runbook_url": "https://wiki.example/rb.md"})
    text = site[ROOT / "config" / "alerts.yml"]
    site_alerts = {a["alert"]: a for a in alerts_of(yaml.safe_load(text)["groups"])}
    jobs = set(re.findall(r'job="([^"]*)"', "\n".join(a["expr"] for a in site_alerts.values())))
    if jobs != {"shard-a"}:
        problems.append(f"--job=shard-a: rules select jobs {sorted(jobs)}")
    near = site_alerts["CoinwScrapeNearTimeout"]
    if near["expr"] != 'scrape_duration_seconds{job="shard-a"} > 16' or \
            "20s scrape timeout" not in near["annotations"]["description"]:
        problems.append("--scrape-timeout=20: CoinwScrapeNearTimeout does not use 16s / 20s")
    if text.count("https://wiki.example/rb.md#") != len(alerts):
        problems.append("--runbook-url: not every alert links to the given runbook")
    if args.promtool:
        with tempfile.NamedTemporaryFile("w", suffix=".yml") as f:
            f.write(text)
            f.flush()
            res = subprocess.run([args.promtool, "check", "rules", f.name], capture_output=True, text=True)
            if res.returncode != 0:
                problems.append("rules generated with other parameters do not load:\n" + res.stdout + res.stderr)

    for p in problems:
        print("FAIL", p)
    print(f"{len(alerts)} alert(s), {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
