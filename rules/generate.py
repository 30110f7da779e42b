#!/usr/bin/env python3
"""Generates the Prometheus rules of coinw-exporter: config/alerts.yml (alerting
and recording rules) and deploy/kubernetes/prometheusrule.yaml (the same groups
as a prometheus-operator PrometheusRule).

    python3 rules/generate.py                  # rewrite both files with the defaults
    python3 rules/generate.py --check          # exit 1 if a committed file differs
    python3 rules/generate.py --job=exporters --scrape-timeout=20 \\
        --runbook-url=https://wiki.example.com/coinw/runbook.md --stdout > my-alerts.yml

The committed files use the defaults below. A site whose scrape job is not
`coinw`, whose scrape timeout is not 30s or that hosts the runbook elsewhere
generates its own copy with the options.

Adding an alert: add an `alert(...)` to ALERTS below (keep the `why` comment),
a section with the alert's name as heading to docs/runbook.md (meaning, impact,
what to check and do), a promtool test to tests/rules/alerts_test.yml and a row
to the README's alert table, then run this script and commit everything.
tests/rules/lint_rules.py fails while an alert has no runbook section or the
generated files are stale.

Standard library only.
"""
import argparse
import json
import pathlib
import re
import sys
import textwrap

ROOT = pathlib.Path(__file__).resolve().parents[1]
# Where the Debian package installs docs/runbook.md. Alertmanager and Grafana
# users want a web address instead: pass --runbook-url.
DEFAULT_RUNBOOK_URL = "file:///usr/share/doc/coinw-exporter/runbook.md"
DEFAULTS = {"job": "coinw", "scrape_timeout": 30.0, "runbook_url": DEFAULT_RUNBOOK_URL,
            "state_change_window": "10m"}


def anchor(heading):
    """The fragment GitHub, GitLab and Gitea give a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def runbook_link(base, alert_name):
    return f"{base}#{anchor(alert_name)}"


# --- the rules -----------------------------------------------------------------

# Series of one sub-account from one scrape: the expected-state gauges come
# from the same exporter and target as the state they describe.
SUB = "job, instance, account, uid"


def unexpected(metric, bad):
    """Series of `metric` whose value differs from the declared expectation
    (its coinw_sub_account_expected_* twin), or equals `bad` where none is declared."""
    expected = metric.replace("coinw_sub_account_", "coinw_sub_account_expected_")
    return (f"({metric} != on ({SUB}) {expected})\n"
            f"or\n"
            f"({metric} == {bad} unless on ({SUB}) {expected})")


def alert(name, expr, for_, severity, summary, description, why):
    return {"why": why, "alert": name, "expr": expr, "for": for_, "labels": {"severity": severity},
            "annotations": {"summary": summary, "description": description}}


def record(name, expr, labels=None, why=""):
    r = {"why": why, "record": name, "expr": expr}
    if labels:
        r["labels"] = labels
    return r


def business_alerts(p):
    trading = "\nor\n".join(
        f'label_replace(\n{textwrap.indent(unexpected(f"coinw_sub_account_{m}_trade_enabled", 0), "  ")}\n'
        f', "market", "{m}", "", "")' for m in ("spot", "contract"))
    return [
        alert("CoinwSubAccountFrozen", unexpected("coinw_sub_account_frozen", 1), "2m", "warning",
              "Sub-account {{ $labels.uid }} of {{ $labels.account }} is "
              "{{ if eq $value 1.0 }}frozen{{ else }}not frozen, though declared frozen{{ end }}.",
              "CoinW reports sub-account uid {{ $labels.uid }} under master account {{ $labels.account }} as "
              "{{ if eq $value 1.0 }}frozen (instance {{ $labels.instance }}). It cannot trade or withdraw "
              "until it is unfrozen.{{ else }}not frozen (instance {{ $labels.instance }}), but "
              "sub_accounts.expected in the exporter configuration declares it frozen.{{ end }}",
              "A freeze is an operator decision on CoinW's side, so it is reported even if brief; the short "
              "`for` only rides over a single odd refresh. A sub-account declared frozen in the exporter's "
              "sub_accounts.expected alerts when it is not frozen instead."),
        alert("CoinwSubAccountTradingDisabled", trading, "2m", "warning",
              "{{ $labels.market | title }} trading is {{ if eq $value 1.0 }}enabled{{ else }}disabled{{ end }} "
              "for sub-account {{ $labels.uid }} of {{ $labels.account }}.",
              "Sub-account uid {{ $labels.uid }} under master account {{ $labels.account }} has "
              "{{ $labels.market }} trading {{ if eq $value 1.0 }}enabled, but sub_accounts.expected in the "
              "exporter configuration declares it disabled.{{ else }}disabled.{{ end }}",
              "The two flags are reported as separate series; `market` tells them apart so an account with "
              "both disabled raises two alerts instead of one hiding the other. Where the operator declared "
              "a flag in sub_accounts.expected (coinw_sub_account_expected_*), only a difference from it "
              "alerts; undeclared flags are expected to be enabled."),
        alert("CoinwSubAccountStateChanged",
              f"sum by ({SUB}, flag) (increase(coinw_sub_account_changes_total[{p['state_change_window']}])) > 0",
              "0m", "info",
              "The {{ $labels.flag }} flag of sub-account {{ $labels.uid }} of {{ $labels.account }} changed.",
              "CoinW reported a change of the {{ $labels.flag }} flag of sub-account uid {{ $labels.uid }} "
              f"under master account {{{{ $labels.account }}}} in the last {p['state_change_window']} "
              "({{ $value | printf \"%.0f\" }} change(s)).",
              "Information, not a problem: a freeze or a trading switch that is undone within one refresh "
              "is only seen by the exporter's change counter, which starts at 0 for every sub-account "
              "and flag so that increase() sees the first change."),
    ]


def exporter_alerts(p):
    job, timeout = p["job"], p["scrape_timeout"]
    up = f'up{{job="{job}"}}'
    near = round(0.8 * timeout, 3)
    return [
        alert("CoinwCollectorFailing", "coinw_collector_success == 0", "10m", "warning",
              "Collector {{ $labels.collector }} for {{ $labels.account }} is failing.",
              "The last refreshes of collector {{ $labels.collector }} for account {{ $labels.account }} on "
              "{{ $labels.instance }} have failed for more than 10 minutes. Check coinw_api_failures_total "
              "for the reason.",
              "One failed refresh is normal noise (timeouts, a rate-limit pause); ten minutes of failures "
              "means the data in Prometheus is going stale."),
        alert("CoinwDataStale", "time() - coinw_collector_last_success_timestamp_seconds > 900", "5m", "warning",
              "Data of collector {{ $labels.collector }} for {{ $labels.account }} is stale.",
              "The last successful refresh of collector {{ $labels.collector }} for account "
              "{{ $labels.account }} was {{ $value | humanizeDuration }} ago.",
              "Catches what CoinwCollectorFailing cannot: a collector that flaps between success and "
              "failure, or one that silently stopped running."),
        alert("CoinwInviteeFullRefreshStale",
              'time() - coinw_collector_last_full_refresh_timestamp_seconds{collector="invitee_assets"} > 3 * 3600',
              "15m", "info",
              "No complete invitee refresh for {{ $labels.account }} in over 3 hours.",
              "The last complete pass over all invitees of account {{ $labels.account }} finished "
              "{{ $value | humanizeDuration }} ago. Some invitee values are older than that.",
              "Invitee data is refreshed page by page across scrapes; if complete passes stop finishing, "
              "some invitees are silently served from an old cache."),
        alert("CoinwApiRateLimited",
              'sum by (account, endpoint) (increase(coinw_api_failures_total{reason="rate_limited"}[10m])) > 0',
              "15m", "warning",
              "CoinW keeps rate-limiting {{ $labels.account }} on {{ $labels.endpoint }}.",
              "CoinW answered {{ $value | printf \"%.0f\" }} request(s) for endpoint {{ $labels.endpoint }} "
              "of account {{ $labels.account }} with a rate-limit error (29001/429) in the last 10 minutes, "
              "and has done so for 15 minutes.",
              "A single 29001/429 is absorbed by the pause logic. The 10m window with a 15m `for` only "
              "fires when rate limiting keeps recurring."),
        alert("CoinwApiAuthFailing",
              'sum by (account, endpoint, reason) (increase(coinw_api_failures_total{reason=~"auth|permission"}[10m])) > 0',
              "5m", "critical",
              "CoinW rejects the API key of {{ $labels.account }} ({{ $labels.reason }}).",
              "Requests to {{ $labels.endpoint }} for account {{ $labels.account }} fail with reason "
              "{{ $labels.reason }}. Check the API key, its permissions and its IP whitelist.",
              "Auth and permission errors never heal by retrying: the key was revoked, expired, lost its "
              "IP whitelist or lacks a permission."),
        alert("CoinwUnexpectedApiFormat",
              'sum by (account, endpoint) (increase(coinw_api_invalid_fields_total[10m])) > 0\nor\n'
              'sum by (account, endpoint) (increase(coinw_api_failures_total{reason="unexpected_format"}[10m])) > 0',
              "15m", "warning",
              "CoinW's {{ $labels.endpoint }} answers for {{ $labels.account }} do not have the expected format.",
              "For 15 minutes, fields of CoinW's {{ $labels.endpoint }} answers for account "
              "{{ $labels.account }} could not be read, or refreshes failed with reason "
              "unexpected_format. coinw_api_invalid_fields_total names the fields.",
              "Drift in CoinW's format is no outage: unreadable fields are left out, a page mostly "
              "unreadable keeps the last good values. Only this shows it; a single odd row is noise, "
              "15 minutes of them is a changed API."),
        alert("CoinwExporterConfigReloadFailed", "coinw_exporter_config_last_reload_successful == 0", "5m",
              "warning",
              "coinw-exporter on {{ $labels.instance }} failed to reload its configuration.",
              "The last configuration reload on {{ $labels.instance }} failed; the exporter keeps running "
              "with the previous configuration.",
              ""),
        alert("CoinwScrapeNearTimeout", f'scrape_duration_seconds{{job="{job}"}} > {near:g}', "15m", "info",
              "Scrapes of {{ $labels.instance }} take {{ $value | humanizeDuration }}.",
              f"Scraping coinw-exporter on {{{{ $labels.instance }}}} takes close to the {timeout:g}s scrape "
              "timeout. Consider raising scrape_timeout or the refresh intervals.",
              "The scrape budget comes from the scrape timeout; getting close to it (80%) means the next "
              "slow CoinW response turns into a failed scrape. The timeout is a parameter of "
              "rules/generate.py (--scrape-timeout)."),
        alert("CoinwExporterDown", f"{up} == 0 or absent({up})", "5m", "critical",
              "coinw-exporter is down{{ with $labels.instance }} on {{ . }}{{ else }}: no target for job "
              f'"{job}"{{{{ end }}}}.',
              "{{ if $labels.instance }}Prometheus has failed to scrape coinw-exporter on "
              "{{ $labels.instance }} for 5 minutes{{ else }}Prometheus has no target for job "
              f'"{job}"; the scrape configuration or service discovery lost the exporter{{{{ end }}}}. '
              "No CoinW data is being collected.",
              "absent() covers a removed or mislabelled scrape job, which would otherwise silence every "
              "alert above without anything looking wrong. The job name is a parameter of "
              "rules/generate.py (--job)."),
    ]


BALANCE_RANGES = [("<= 0", "0"), ("> 0 <= 10", "0-10"), ("> 10 <= 100", "10-100"),
                  ("> 100 <= 1000", "100-1k"), ("> 1000 <= 10000", "1k-10k"),
                  ("> 10000 <= 100000", "10k-100k"), ("> 100000", "100k+")]
BALANCE_DISTRIBUTION = "account_quote:coinw_invitee_current_balance:count"


def recording_rules(_p):
    why = ("The balance distribution panel of the affiliate dashboard counts every per-invitee series "
           "seven times per refresh; recorded once per evaluation, the panel reads seven small series.")
    return [record(BALANCE_DISTRIBUTION,
                   f"count by (job, instance, account, quote) (coinw_invitee_current_balance {cond})",
                   {"range": name}, why if i == 0 else "")
            for i, (cond, name) in enumerate(BALANCE_RANGES)]


def groups(p):
    alerts = [("coinw-business", business_alerts(p)), ("coinw-exporter", exporter_alerts(p))]
    for _, rules in alerts:
        for r in rules:
            r["annotations"]["runbook_url"] = runbook_link(p["runbook_url"], r["alert"])
    return alerts + [("coinw-recording", recording_rules(p))]


ALERT_NAMES = [r["alert"] for _, rules in groups(DEFAULTS)[:2] for r in rules]


# --- YAML output -------------------------------------------------------------------

def scalar(value, indent):
    """A YAML scalar: block style for multi-line text, JSON-quoted otherwise."""
    if isinstance(value, str) and "\n" in value:
        return "|-\n" + textwrap.indent(value, " " * indent)
    if isinstance(value, str) and re.fullmatch(r"[A-Za-z0-9_][\w.:/-]*", value) and value not in ("true", "false"):
        return value
    return json.dumps(value, ensure_ascii=False)


def folded(text, indent, width=100):
    """Long prose as a folded scalar, which reads back as the same single line."""
    # Template actions stay on one line: protect their spaces from the wrapping.
    protected = re.sub(r"\{\{.*?\}\}", lambda m: m.group(0).replace(" ", "\0"), text)
    lines = [line.replace("\0", " ") for line in
             textwrap.wrap(protected, width - indent, break_long_words=False, break_on_hyphens=False)]
    if len(lines) == 1 and len(text) + indent < width:
        return scalar(text, indent)
    return ">-\n" + "\n".join(" " * indent + line for line in lines)


def emit_groups(p, indent=0):
    pad = " " * indent
    out = [f"{pad}groups:"]
    for name, rules in groups(p):
        out += [f"{pad}  - name: {name}", f"{pad}    rules:"]
        for r in rules:
            r8 = pad + " " * 6
            if r["why"]:
                out += [f"{r8}# {line}" for line in textwrap.wrap(r["why"], 92 - len(r8))]
            kind = "alert" if "alert" in r else "record"
            out.append(f"{r8}- {kind}: {r[kind]}")
            out.append(f"{r8}  expr: {scalar(r['expr'], len(r8) + 4)}")
            if "for" in r and r["for"] != "0m":
                out.append(f"{r8}  for: {r['for']}")
            for key in ("labels", "annotations"):
                if key in r:
                    out.append(f"{r8}  {key}:")
                    for k, v in r[key].items():
                        out.append(f"{r8}    {k}: {folded(v, len(r8) + 6) if key == 'annotations' else scalar(v, 0)}")
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


ALERTS_HEADER = """\
# Alerting and recording rules for coinw-exporter. GENERATED by rules/generate.py
# (edit there, then run it). Loaded by config/prometheus.yml (rule_files) and
# exercised by tests/rules/alerts_test.yml (`promtool test rules`).
#
# Parameters used: job "{job}", scrape timeout {scrape_timeout:g}s, runbook {runbook_url}.
# Thresholds assume the default refresh intervals (invitee assets 60s,
# sub-accounts 30s) and a 60s scrape interval. Raise the staleness limits if you
# raise min_refresh_interval in the exporter config.
"""

PROMETHEUS_RULE_HEADER = """\
# The rules of config/alerts.yml for prometheus-operator. GENERATED by
# rules/generate.py; tests/rules/lint_rules.py checks that the groups are the
# same as in config/alerts.yml. The ServiceMonitor gives the scrape job the name
# "{job}" (jobLabel), which the rules select.
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: coinw-exporter
  labels:
    app.kubernetes.io/name: coinw-exporter
    app.kubernetes.io/component: rules
spec:
"""


def outputs(p):
    return {
        ROOT / "config" / "alerts.yml": ALERTS_HEADER.format(**p) + emit_groups(p),
        ROOT / "deploy" / "kubernetes" / "prometheusrule.yaml":
            PROMETHEUS_RULE_HEADER.format(**p) + emit_groups(p, indent=2),
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--job", default=DEFAULTS["job"], help="scrape job name of the exporter (default %(default)s)")
    ap.add_argument("--scrape-timeout", type=float, default=DEFAULTS["scrape_timeout"],
                    help="scrape timeout in seconds of that job (default %(default)g)")
    ap.add_argument("--runbook-url", default=DEFAULTS["runbook_url"],
                    help="address of docs/runbook.md; each alert links to its section (default %(default)s)")
    ap.add_argument("--state-change-window", default=DEFAULTS["state_change_window"],
                    help="how long CoinwSubAccountStateChanged stays active after a change (default %(default)s)")
    ap.add_argument("--stdout", action="store_true", help="print config/alerts.yml instead of writing files")
    ap.add_argument("--check", action="store_true", help="only report committed files that differ (defaults)")
    args = ap.parse_args(argv)
    if not re.fullmatch(r"[a-zA-Z_][\w:.-]*", args.job):
        ap.error("--job must be a plain job name")
    if args.scrape_timeout <= 0:
        ap.error("--scrape-timeout must be positive")
    if not re.fullmatch(r"\d+[smhd]", args.state_change_window):
        ap.error("--state-change-window must be a duration like 10m")
    p = {"job": args.job, "scrape_timeout": args.scrape_timeout, "runbook_url": args.runbook_url,
         "state_change_window": args.state_change_window}

    files = outputs(p)
    if args.stdout:
        sys.stdout.write(next(iter(files.values())))
        return 0
    if args.check:
        stale = [str(f.relative_to(ROOT)) for f, text in outputs(DEFAULTS).items()
                 if not f.exists() or f.read_text() != text]
        if stale:
            print("out of date, run python3 rules/generate.py:", ", ".join(stale))
        return 1 if stale else 0
    for f, text in files.items():
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(text)
        print(f"wrote {f.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
