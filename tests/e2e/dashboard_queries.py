#!/usr/bin/env python3
"""Lists every PromQL query of the Grafana dashboards, ready to send to Prometheus.

Grafana template variables are replaced the way Grafana would for one concrete
selection, so an end-to-end test can ask a real Prometheus each query and check
that the dashboards show data for the metrics the exporter really emits.

    python3 tests/e2e/dashboard_queries.py dashboards/ --account=demo --quote=usdt
    python3 tests/e2e/dashboard_queries.py dashboards/coinw-exporter.json --json

As a module:

    from dashboard_queries import collect_queries
    for q in collect_queries(["dashboards"], account="demo", quote="usdt"):
        q["expr"], q["instant"], q["dashboard"], q["panel"], q["ref_id"]

Standard library only.
"""
import argparse
import json
import pathlib
import re
import sys

# Values for Grafana's built-in variables. The intervals are long enough to hold
# two samples at a 60s scrape interval, which rate()/delta() need to return data;
# the range is one hour so a freshly started Prometheus already covers part of it.
DEFAULT_BUILTINS = {
    "__rate_interval": "2m",
    "__interval": "5m",
    "__interval_ms": "300000",
    "__range": "1h",
    "__range_s": "3600",
    "__range_ms": "3600000",
}

_VAR = re.compile(r"\$\{(\w+)(?::[^}]*)?\}|\[\[(\w+)(?::[^\]]*)?\]\]|\$(\w+)")


def regex_literal(value):
    """Escapes a value for use inside a double-quoted PromQL regex matcher.

    Each regex metacharacter gets a backslash, itself escaped once more for the
    PromQL string literal (as Grafana does for multi-value variables).
    """
    return "".join("\\\\" + c if c in r"\.+*?()|[]{}^$" else c for c in value)


def _dashboard_files(paths):
    for p in map(pathlib.Path, paths):
        if p.is_dir():
            yield from sorted(p.glob("*.json"))
        else:
            yield p


def _panels(panels):
    """Yields all panels, including those nested in collapsed rows."""
    for p in panels or []:
        yield p
        yield from _panels(p.get("panels"))


def _variable_values(dashboard, account, quote, builtins, overrides=None):
    """Value of every template variable for one concrete selection."""
    values = dict(builtins)
    for v in dashboard.get("templating", {}).get("list", []):
        name = v.get("name")
        if not name or v.get("type") == "datasource":
            continue
        current = v.get("current") or {}
        value = current.get("value")
        if isinstance(value, list):
            value = value[0] if len(value) == 1 else "|".join(value)
        if value in (None, "", "$__all"):
            value = v.get("allValue") or ".*"
        values[name] = value
    # All-selected account/quote become a regex matching everything; the
    # dashboards only ever use them with =~.
    values["account"] = regex_literal(account) if account else ".*"
    if quote:
        values["quote"] = regex_literal(quote)
    elif "quote" not in values or values["quote"] == "$__all":
        values["quote"] = ".*"
    values.update(overrides or {})
    return values


def substitute(expr, values):
    """Replaces $var, ${var}, ${var:fmt} and [[var]] with their values.

    Unknown variables are left in place so that a missing substitution shows up
    as a PromQL parse error instead of a silently different query.
    """
    def repl(m):
        name = m.group(1) or m.group(2) or m.group(3)
        return values.get(name, m.group(0))
    return _VAR.sub(repl, expr)


def collect_queries(paths, account=None, quote=None, builtins=None, overrides=None):
    """Returns a list of dicts: dashboard, uid, panel, panel_id, ref_id, instant, expr, raw_expr, may_be_empty.

    overrides: values for other variables, e.g. {"job": "coinw-probe"} (used as given)."""
    builtins = {**DEFAULT_BUILTINS, **(builtins or {})}
    out = []
    for path in _dashboard_files(paths):
        dash = json.loads(path.read_text())
        values = _variable_values(dash, account, quote, builtins, overrides)
        for panel in _panels(dash.get("panels")):
            for t in panel.get("targets") or []:
                raw = t.get("expr")
                if not raw or t.get("hide"):
                    continue
                out.append({
                    "dashboard": path.name,
                    "uid": dash.get("uid"),
                    "panel": panel.get("title", ""),
                    "panel_id": panel.get("id"),
                    "ref_id": t.get("refId"),
                    # Grafana runs a query as instant when only `instant` is set.
                    "instant": bool(t.get("instant")) and not t.get("range"),
                    "expr": substitute(raw, values),
                    # Panels that say what "no data" means (a noValue text) are
                    # allowed to be empty, e.g. "no state changes in the range".
                    "may_be_empty": "noValue" in panel.get("fieldConfig", {}).get("defaults", {}),
                    "raw_expr": raw,
                })
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="+", help="dashboard JSON files or directories holding them")
    ap.add_argument("--account", help="account to select (default: all, i.e. .*)")
    ap.add_argument("--quote", help="quote currency to select (default: all)")
    ap.add_argument("--rate-interval", default=DEFAULT_BUILTINS["__rate_interval"])
    ap.add_argument("--interval", default=DEFAULT_BUILTINS["__interval"])
    ap.add_argument("--range", default=DEFAULT_BUILTINS["__range"],
                    help="dashboard time range as a PromQL duration in s, m, h or d (default 1h)")
    ap.add_argument("--json", action="store_true", help="print a JSON list instead of one query per line")
    args = ap.parse_args(argv)

    m = re.fullmatch(r"(\d+)([smhd])", args.range)
    if not m:
        ap.error("--range must look like 90s, 30m, 1h or 2d")
    range_s = int(m.group(1)) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]
    builtins = {"__rate_interval": args.rate_interval, "__interval": args.interval, "__range": args.range,
                "__range_s": str(range_s), "__range_ms": str(range_s * 1000)}

    queries = collect_queries(args.paths, args.account, args.quote, builtins)
    if args.json:
        json.dump(queries, sys.stdout, indent=2)
        print()
    else:
        for q in queries:
            kind = "instant" if q["instant"] else "range"
            empty = "may-be-empty" if q["may_be_empty"] else "data"
            print(f"{q['uid']}\t{q['panel']}\t{q['ref_id']}\t{kind}\t{empty}\t{q['expr']}")
    return 0 if queries else 1


if __name__ == "__main__":
    sys.exit(main())
