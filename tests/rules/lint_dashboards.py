#!/usr/bin/env python3
"""Lints the Grafana dashboards (and the metric names in the alert rules).

    python3 tests/rules/lint_dashboards.py dashboards/ [--rules config/alerts.yml] [--promtool /usr/bin/promtool]

Checks, per dashboard: valid JSON; a fixed `coinw-*` uid unique across files;
no top-level id/version/iteration (they break imports into another Grafana);
a prometheus `datasource` variable and a multi-value `account` variable with
"All"; every panel and query on the `${datasource}` variable; a unit and
thresholds on every panel; every metric name in a query or variable belongs to
the exporter's metric contract below (or is recorded by the rule files); every
query carries the selector job=~"$job",instance=~"$instance" (job, instance
and account variables narrow each other); every per-account metric is filtered
by `$account`; no query turns missing data into a number (`or vector(...)`);
every query with a range over $__rate_interval or $__interval sets a min step
(`interval`), so it works whatever scrape interval the data source claims;
every panel has a description, which says when the panel reads per-invitee
series (partial under per_invitee_series); every alert of the rule files is
linked from some panel (by its runbook anchor). With --promtool, every query
and annotation (variables substituted) must parse.

Standard library only. Exits non-zero and lists every problem on failure.
"""
import argparse
import json
import pathlib
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "e2e"))
import dashboard_queries  # noqa: E402

# The exporter's metric contract: every family of the catalogue the exporter
# renders from (src/exposition/catalogue.inc), so a new metric needs no second
# list here. Every series carries `account` unless listed in NO_ACCOUNT_LABEL.
CATALOGUE = pathlib.Path(__file__).resolve().parents[2] / "src" / "exposition" / "catalogue.inc"
FAMILIES = dict(re.findall(r'COINW_FAMILY\(\w+,\s*"(\w+)",\s*"(\w+)"', CATALOGUE.read_text()))
# written by Prometheus for the scrape job
SCRAPE_SERIES = {"up", "scrape_duration_seconds", "scrape_samples_scraped"}
CONTRACT = set(FAMILIES) | SCRAPE_SERIES
HISTOGRAMS = {name for name, kind in FAMILIES.items() if kind == "histogram"}
# Written by Prometheus for the scrape, and the exporter's own (README: every
# series but the coinw_exporter_* and process_* ones has the label account).
NO_ACCOUNT_LABEL = SCRAPE_SERIES | {
    name for name in FAMILIES if name.startswith(("coinw_exporter_", "process_"))}
KNOWN = CONTRACT | {h + s for h in HISTOGRAMS for s in ("_bucket", "_sum", "_count")}

PROMQL_KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or",
                   "unless", "offset", "inf", "nan", "atan2", "start", "end"}
UNITLESS_PANELS = {"row", "text", "news", "dashlist", "alertlist"}
# Series with one per invitee: partial under per_invitee_series top or none.
PER_INVITEE = re.compile(r"\bcoinw_invitee_(total_deposit|total_withdrawal|current_balance|first_deposit_amount"
                         r"|first_deposit_timestamp_seconds|balance_update_timestamp_seconds|window_deposit"
                         r"|window_withdrawal)\b|:coinw_invitee_")
# A missing series turned into a number: a dead exporter would show a green 0.
MISSING_AS_NUMBER = re.compile(r"\bor\s+(on\s*\(\s*\)\s*)?vector\s*\(")
# The hidden variable that picks an exporter to open /runbook on: any instance will do.
ANY_TARGET_VARIABLES = {"runbook_host"}


def metric_selectors(expr):
    """Yields (metric_name, matchers_text) for every vector selector in a PromQL expression."""
    # Mask string literals and range/subquery brackets so that label values and
    # durations cannot look like metric names; keep matcher text for the checks.
    matchers = []

    def keep_braces(m):
        matchers.append(m.group(0))
        return " {%d} " % (len(matchers) - 1)
    text = re.sub(r"\{[^{}]*\}", keep_braces, expr)
    text = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`', '""', text)
    text = re.sub(r"\[[^\]]*\]", "[]", text)
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", r"\1", text)
    text = re.sub(r"\$\{[^}]*\}|\$\w+|\[\[\w+\]\]", "0", text)
    for m in re.finditer(r"(?<![\w.:$])([a-zA-Z_:][\w:]*)(\s*\(|\s*\{(\d+)\}|\s+(?:by|without)\b)?", text):
        name, follow, idx = m.group(1), m.group(2) or "", m.group(3)
        # A name followed by `(` or by a grouping clause is a function or aggregation.
        if follow.strip().startswith(("(", "by", "without")) or name.lower() in PROMQL_KEYWORDS:
            continue
        if re.fullmatch(r"\d+(e\d+)?", name):
            continue
        yield name, matchers[int(idx)] if idx is not None else ""


# The one target selector every dashboard query starts with.
SELECTOR = 'job=~"$job",instance=~"$instance"'


def check_expr(where, expr, problems, require_account=True, require=SELECTOR):
    if MISSING_AS_NUMBER.search(expr):
        problems.append(f"{where}: `or vector(...)` turns missing data into a number")
    for name, matchers in metric_selectors(expr):
        if name not in KNOWN:
            problems.append(f"{where}: metric {name!r} is not in the exporter's metric contract")
            continue
        base = next((h for h in HISTOGRAMS if name.startswith(h)), name)
        if require and require not in matchers:
            problems.append(f"{where}: {name} does not carry the selector {require}")
        if require_account and base not in NO_ACCOUNT_LABEL and 'account=~"$account"' not in matchers:
            problems.append(f"{where}: {name} is not filtered by account=~\"$account\"")


def lint_dashboard(path, seen_uids, problems, runbook_links):
    try:
        dash = json.loads(path.read_text())
    except (OSError, ValueError) as e:
        problems.append(f"{path}: not valid JSON: {e}")
        return None
    name = path.name
    uid = dash.get("uid")
    if not isinstance(uid, str) or not re.fullmatch(r"coinw-[a-z0-9-]+", uid):
        problems.append(f"{name}: uid must be a fixed string like coinw-affiliate, got {uid!r}")
    elif uid in seen_uids:
        problems.append(f"{name}: uid {uid} is also used by {seen_uids[uid]}")
    else:
        seen_uids[uid] = name
    for key in ("id", "version", "iteration"):
        if key in dash:
            problems.append(f"{name}: top-level {key!r} must not be set (it breaks imports)")
    if not dash.get("title"):
        problems.append(f"{name}: no title")
    if not isinstance(dash.get("schemaVersion"), int) or dash["schemaVersion"] < 36:
        problems.append(f"{name}: schemaVersion should be a recent integer (~39)")

    variables = {v.get("name"): v for v in dash.get("templating", {}).get("list", [])}
    ds = variables.get("datasource")
    if not ds or ds.get("type") != "datasource" or ds.get("query") != "prometheus":
        problems.append(f"{name}: needs a `datasource` variable of type datasource, query prometheus")
    for vname in ("job", "instance"):
        v = variables.get(vname)
        if not v or v.get("type") != "query" or not v.get("multi") or v.get("allValue"):
            problems.append(f"{name}: needs a multi-value `{vname}` query variable whose All means the listed values")
    acc = variables.get("account")
    if not acc or acc.get("type") != "query" or not acc.get("multi") or not acc.get("includeAll"):
        problems.append(f"{name}: needs an `account` query variable with multi and includeAll")
    for vname, v in variables.items():
        if v.get("type") == "query":
            q = v.get("query")
            q = q.get("query", "") if isinstance(q, dict) else (q or "")
            m = re.fullmatch(r"\s*label_values\((.*),\s*(\w+)\s*\)\s*", q)
            if not m:
                problems.append(f"{name}: variable {vname}: expected label_values(selector, label), got {q!r}")
            elif vname in ANY_TARGET_VARIABLES:
                check_expr(f"{name}: variable {vname}", m.group(1), problems, require_account=False, require="")
            else:
                # Each of job, instance, account narrows the next.
                check_expr(f"{name}: variable {vname}", m.group(1), problems,
                           require_account=vname not in ("job", "instance", "account"),
                           require={"job": "", "instance": 'job=~"$job"'}.get(vname, SELECTOR))
            if (v.get("datasource") or {}).get("uid") != "${datasource}":
                problems.append(f"{name}: variable {vname} must use the ${{datasource}} variable")

    panels = list(dashboard_queries._panels(dash.get("panels")))
    if not panels:
        problems.append(f"{name}: no panels")
    ids = [p.get("id") for p in panels]
    if len(ids) != len(set(ids)):
        problems.append(f"{name}: duplicate panel ids")
    for a in dash.get("annotations", {}).get("list", []):
        if a.get("builtIn"):
            continue
        where = f"{name}: annotation {a.get('name')!r}"
        if (a.get("datasource") or {}).get("uid") != "${datasource}":
            problems.append(f"{where}: datasource must be ${{datasource}}")
        if not a.get("expr"):
            problems.append(f"{where}: no expr")
        else:
            check_expr(where, a["expr"], problems,
                       require_account="coinw_sub_account" in a["expr"])
    for p in panels:
        where = f"{name}: panel {p.get('title')!r}"
        if "gridPos" not in p:
            problems.append(f"{where}: no gridPos")
        if p.get("type") in UNITLESS_PANELS:
            continue
        if not (p.get("description") or "").strip():
            problems.append(f"{where}: no description")
        per_invitee = any(PER_INVITEE.search(t.get("expr") or "") for t in p.get("targets") or [])
        if per_invitee and "per_invitee_series" not in (p.get("description") or ""):
            problems.append(f"{where}: reads per-invitee series but its description does not say it is "
                            "partial under per_invitee_series")
        for link in p.get("links") or []:
            runbook_links.add(link.get("url", ""))
        if (p.get("datasource") or {}).get("uid") != "${datasource}":
            problems.append(f"{where}: datasource must be ${{datasource}}")
        defaults = p.get("fieldConfig", {}).get("defaults", {})
        if not defaults.get("unit"):
            problems.append(f"{where}: no unit")
        if not (defaults.get("thresholds") or {}).get("steps"):
            problems.append(f"{where}: no thresholds")
        targets = p.get("targets") or []
        if not targets:
            problems.append(f"{where}: no queries")
        for t in targets:
            if (t.get("datasource") or {}).get("uid") != "${datasource}":
                problems.append(f"{where} {t.get('refId')}: query datasource must be ${{datasource}}")
            if not t.get("expr"):
                problems.append(f"{where} {t.get('refId')}: empty expr")
                continue
            check_expr(f"{where} {t.get('refId')}", t["expr"], problems)
            if re.search(r"\$__rate_interval|\[\$__interval\]", t["expr"]) and not t.get("interval"):
                problems.append(f"{where} {t.get('refId')}: a range over $__rate_interval/$__interval needs a min step "
                                "(interval), or it depends on the data source's scrape-interval setting")
    return dash


def lint_rules(path, problems):
    """Checks metric names in `expr:` of a Prometheus rules file (no YAML parser needed)."""
    text = path.read_text()
    for m in re.finditer(r"^(\s*)expr:\s*(\|[-+]?|>[-+]?)?\s*(.*)$", text, re.M):
        indent, block, first = len(m.group(1)), m.group(2), m.group(3)
        # The generator writes one-line expressions as JSON strings.
        expr = json.loads(first) if first.startswith('"') else first
        if block:
            lines = []
            for line in text[m.end():].splitlines()[1:]:
                if line.strip() and len(line) - len(line.lstrip()) <= indent:
                    break
                lines.append(line)
            expr = "\n".join(lines)
        check_expr(f"{path.name}: expr {expr.strip()[:60]!r}", expr.strip().strip("'"), problems,
                   require_account=False, require="")


def promtool_parse(promtool, queries, problems):
    """Makes promtool parse every substituted query by wrapping them in recording rules."""
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
        f.write("groups:\n  - name: dashboard-queries\n    rules:\n")
        for i, q in enumerate(queries):
            f.write(f"      - record: dashboard_query_{i}\n        expr: {json.dumps(q['expr'])}\n")
        name = f.name
    try:
        res = subprocess.run([promtool, "check", "rules", "--lint=none", name],
                             capture_output=True, text=True)
    finally:
        pathlib.Path(name).unlink()
    if res.returncode != 0:
        problems.append("promtool could not parse the dashboard queries:\n" + res.stdout + res.stderr)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="+", help="dashboard JSON files or directories")
    ap.add_argument("--rules", action="append", default=[], help="alert rule file whose metrics to check")
    ap.add_argument("--promtool", help="promtool binary; when given, every query must parse")
    args = ap.parse_args(argv)

    problems, seen, runbook_links = [], {}, set()
    # Recording rules of the rule files are metrics the dashboards may use.
    for r in args.rules:
        KNOWN.update(re.findall(r"^\s*-?\s*record:\s*(\S+)", pathlib.Path(r).read_text(), re.M))
    files = list(dashboard_queries._dashboard_files(args.paths))
    if not files:
        problems.append(f"no dashboards found in {args.paths}")
    for f in files:
        lint_dashboard(f, seen, problems, runbook_links)
    for r in args.rules:
        lint_rules(pathlib.Path(r), problems)
        # Every alert is explained by some panel that links to its runbook section.
        anchors = {url.rsplit("#", 1)[-1] for url in runbook_links}
        for alert in re.findall(r"^\s*- alert: (\w+)$", pathlib.Path(r).read_text(), re.M):
            if alert.lower() not in anchors:
                problems.append(f"no dashboard panel links to the runbook section of {alert} (#{alert.lower()})")
    if args.promtool and not problems:
        queries = dashboard_queries.collect_queries(args.paths, "demo", "usdt")
        # Annotation queries too, with the variables of their dashboard.
        for f in files:
            dash = json.loads(f.read_text())
            values = dashboard_queries._variable_values(dash, "demo", "usdt", dashboard_queries.DEFAULT_BUILTINS)
            queries += [{"expr": dashboard_queries.substitute(a["expr"], values)}
                        for a in dash.get("annotations", {}).get("list", []) if a.get("expr")]
        promtool_parse(args.promtool, queries, problems)

    for p in problems:
        print("FAIL", p)
    print(f"{len(files)} dashboard(s), {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
