#!/usr/bin/env python3
"""Checks the rules and the Alertmanager example rendered from the mixin.

    python3 tests/rules/lint_rules.py --jsonnet /usr/bin/jsonnet --promtool /usr/bin/promtool

- the YAML files read back as exactly what the mixin holds (the renderer's
  own YAML writer loses nothing); the PrometheusRule holds the same groups as
  config/alerts.yml;
- every alert links to its runbook section, which exists in docs/runbook.md
  with meaning, impact, check and do, and every alert section has an alert;
- every alert has a promtool test that expects it to fire, and every
  sub-account alert (a group other than coinw-exporter) has a test per gap:
  "<alert> through a missed scrape", "... an exporter restart", "... a
  staleness drop";
- CoinwSubAccountFrozen pages, and the Alertmanager example routes the page
  severity to the page receiver and inhibits only alerts that exist;
- rules rendered with a site's _config (job, selector, scrape timeout,
  runbook pattern, severities) use those values only, and still load.

Needs python3-yaml. Exits non-zero and lists every problem on failure.
"""
import argparse
import json
import pathlib
import re
import subprocess
import sys
import tempfile

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
GAPS = ("a missed scrape", "an exporter restart", "a staleness drop")
SITE = {"job": "shard-a", "selector": 'cluster="eu"', "scrapeTimeout": "20s",
        "runbookURLPattern": "https://wiki.example/coinw#%(anchor)s",
        "severities": {"page": "P1", "ticket": "P3", "info": "P5"}}


def mixin(jsonnet, expr, config=None):
    """Evaluates `expr` over the mixin `m` (with a site's _config) to JSON."""
    code = "local m = (import 'mixin.libsonnet') + { _config+:: %s }; %s" % (json.dumps(config or {}), expr)
    out = subprocess.run([jsonnet, "-J", str(ROOT / "mixin"), "-e", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def runbook_sections(text):
    """{heading: body} of the `## ` sections."""
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def alerts_of(groups):
    return [r for g in groups for r in g["rules"] if "alert" in r]


def check_round_trip(jsonnet, problems):
    groups = mixin(jsonnet, "m.prometheusAlerts.groups + m.prometheusRules.groups")
    rules = yaml.safe_load((ROOT / "config/alerts.yml").read_text())
    if rules != {"groups": groups}:
        problems.append("config/alerts.yml does not read back as the mixin's rules (render again, or the YAML writer is wrong)")
    k8s = yaml.safe_load((ROOT / "deploy/kubernetes/prometheusrule.yaml").read_text())
    if k8s.get("kind") != "PrometheusRule" or k8s.get("apiVersion") != "monitoring.coreos.com/v1":
        problems.append("prometheusrule.yaml: not a monitoring.coreos.com/v1 PrometheusRule")
    if k8s.get("spec", {}).get("groups") != groups:
        problems.append("prometheusrule.yaml: spec.groups differ from config/alerts.yml")
    am = mixin(jsonnet, "m.alertmanagerConfig")
    if yaml.safe_load((ROOT / "config/alertmanager.yml").read_text()) != am:
        problems.append("config/alertmanager.yml does not read back as the mixin's alertmanagerConfig")
    return groups, am


def check_runbook(groups, problems):
    sections = runbook_sections((ROOT / "docs/runbook.md").read_text())
    alerts = alerts_of(groups)
    for a in alerts:
        name = a["alert"]
        want = f"http://{{{{ $labels.instance }}}}/runbook#{name.lower()}"
        if a["annotations"].get("runbook_url") != want:
            problems.append(f"{name}: runbook_url {a['annotations'].get('runbook_url')!r}, expected {want!r}")
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


def check_tests(groups, problems):
    tests = yaml.safe_load((ROOT / "tests/rules/alerts_test.yml").read_text())["tests"]
    fired = {}  # alert -> names of the test groups expecting it to fire
    for t in tests:
        for case in t.get("alert_rule_test", []):
            if case.get("exp_alerts"):
                fired.setdefault(case["alertname"], set()).add(t.get("name", ""))
    for g in groups:
        for a in (r for r in g["rules"] if "alert" in r):
            name = a["alert"]
            if name not in fired:
                problems.append(f"{name}: no promtool test expects it to fire")
                continue
            if g["name"] == "coinw-exporter":
                continue
            for gap in GAPS:
                if f"{name} through {gap}" not in fired[name]:
                    problems.append(f"{name}: no test '{name} through {gap}' in which it keeps firing")


def check_alertmanager(groups, am, problems):
    names = {a["alert"] for a in alerts_of(groups)}
    frozen = next((a for a in alerts_of(groups) if a["alert"] == "CoinwSubAccountFrozen"), {})
    severity = frozen.get("labels", {}).get("severity")
    if severity != "critical":
        problems.append(f"CoinwSubAccountFrozen has severity {severity!r}: it must page (critical)")
    if not any(r.get("receiver") == "page" and f'severity="{severity}"' in r.get("matchers", [])
               for r in am["route"].get("routes", [])):
        problems.append("config/alertmanager.yml: the page severity does not reach the page receiver")
    for rule in am["inhibit_rules"]:
        text = " ".join(rule["source_matchers"] + rule["target_matchers"])
        for alternatives in re.findall(r'alertname(?:=|=~|!=)"([^"]*)"', text):
            for name in alternatives.split("|"):
                if name != "Coinw.+" and name not in names:
                    problems.append(f"config/alertmanager.yml: inhibition names {name}, which is no alert")


def check_site(jsonnet, promtool, problems):
    groups = mixin(jsonnet, "m.prometheusAlerts.groups + m.prometheusRules.groups", SITE)
    alerts = alerts_of(groups)
    exprs = "\n".join(r["expr"] for g in groups for r in g["rules"])
    jobs = set(re.findall(r'job="([^"]*)"', exprs))
    if jobs != {"shard-a"}:
        problems.append(f"site job shard-a: rules select jobs {sorted(jobs)}")
    # Every selector of an exporter or scrape series carries the site's selector.
    for m in re.finditer(r"\b((?:coinw|process|scrape|up)\w*)(\{[^}]*\})?(?=[\s\[)]|$)", exprs):
        name, matchers = m.group(1), m.group(2) or ""
        if (name.startswith(("coinw_", "process_", "scrape_")) or name == "up") and 'cluster="eu"' not in matchers:
            problems.append(f"site selector: {name}{matchers} does not carry cluster=\"eu\"")
    near = next(a for a in alerts if a["alert"] == "CoinwScrapeNearTimeout")
    if not near["expr"].endswith("> 16") or "20s scrape timeout" not in near["annotations"]["description"]:
        problems.append("site scrapeTimeout 20s: CoinwScrapeNearTimeout does not use 16s / 20s")
    for a in alerts:
        if not a["annotations"]["runbook_url"].startswith("https://wiki.example/coinw#coinw"):
            problems.append(f"site runbookURLPattern: {a['alert']} links to {a['annotations']['runbook_url']}")
        if a["labels"]["severity"] not in SITE["severities"].values():
            problems.append(f"site severities: {a['alert']} has severity {a['labels']['severity']}")
    with tempfile.NamedTemporaryFile("w", suffix=".yml") as f:
        json.dump({"groups": groups}, f)
        f.flush()
        res = subprocess.run([promtool, "check", "rules", f.name], capture_output=True, text=True)
        if res.returncode != 0:
            problems.append("rules rendered with a site's _config do not load:\n" + res.stdout + res.stderr)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jsonnet", default="jsonnet")
    ap.add_argument("--promtool", default="promtool")
    args = ap.parse_args(argv)
    problems = []
    groups, am = check_round_trip(args.jsonnet, problems)
    check_runbook(groups, problems)
    check_tests(groups, problems)
    check_alertmanager(groups, am, problems)
    check_site(args.jsonnet, args.promtool, problems)
    for p in problems:
        print("FAIL", p)
    print(f"{len(alerts_of(groups))} alert(s), {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
