#!/usr/bin/env python3
"""Generates the Grafana dashboards in this directory.

The JSON files are committed and are what Grafana imports; this script exists so
that the three dashboards share one set of conventions (datasource variable,
account filter, units, thresholds) instead of drifting apart through hand edits.
Edit here, run `python3 dashboards/generate.py`, commit both.
Checked by tests/rules/lint_dashboards.py.
"""
import argparse
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "rules"))
import generate as rules  # noqa: E402

DS = {"type": "prometheus", "uid": "${datasource}"}
# One selector in every query, as in node-exporter-full: any job name, and the
# per-account targets of the sharded set-up (/probe) as well as plain ones.
SEL = 'job=~"$job",instance=~"$instance"'
ACC = SEL + ',account=~"$account"'
ACC_Q = ACC + ',quote=~"$quote"'
PARTIAL = (" Per-invitee series: partial under per_invitee_series: top (only the top_k invitees)"
           " and empty under none.")
PERIODS = "today|month|previous_month"
RUNBOOK_URL = rules.DEFAULT_RUNBOOK_URL  # main() may replace it (--runbook-url)


# --- building blocks ---------------------------------------------------------

def steps(*pairs):
    """Threshold steps: steps("green", (10, "yellow"), (100, "red"))."""
    base, *rest = pairs
    return {"mode": "absolute",
            "steps": [{"color": base, "value": None}] + [{"color": c, "value": v} for v, c in rest]}


NEUTRAL = steps("blue")
BAD_IF_POSITIVE = steps("green", (1, "red"))


def target(expr, legend="", instant=False, fmt="time_series", ref=None):
    t = {"datasource": DS, "expr": expr, "legendFormat": legend or "__auto",
         "range": not instant, "instant": instant, "format": fmt, "refId": ref}
    return t


def mapping(values):
    """values: {raw: (text, color)} as a Grafana value mapping."""
    return [{"type": "value", "options": {str(k): {"text": t, "color": c, "index": i}
                                          for i, (k, (t, c)) in enumerate(values.items())}}]


OK_BAD = mapping({1: ("OK", "green"), 0: ("FAILING", "red")})
FROZEN = mapping({1: ("Frozen", "red"), 0: ("Normal", "green")})
ENABLED = mapping({1: ("Enabled", "green"), 0: ("Disabled", "red")})
UP_DOWN = mapping({1: ("Up", "green"), 0: ("Down", "red")})


def panel(kind, title, targets, unit, thresholds=NEUTRAL, w=6, h=6, description="",
          mappings=None, options=None, custom=None, overrides=None, transformations=None,
          decimals=None, no_value=None, interval=None, min_=None, max_=None, alerts=()):
    """alerts: names of the alerts this panel explains; it links to their runbook sections."""
    for i, t in enumerate(targets):
        t["refId"] = t["refId"] or chr(ord("A") + i)
    defaults = {"unit": unit, "thresholds": thresholds, "mappings": mappings or [],
                "color": {"mode": "thresholds" if kind in ("stat", "bargauge", "table") else "palette-classic"}}
    if decimals is not None:
        defaults["decimals"] = decimals
    if no_value is not None:
        defaults["noValue"] = no_value
    if min_ is not None:
        defaults["min"] = min_
    if max_ is not None:
        defaults["max"] = max_
    if custom:
        defaults["custom"] = custom
    p = {"type": kind, "title": title, "description": description, "datasource": DS,
         "targets": targets, "fieldConfig": {"defaults": defaults, "overrides": overrides or []},
         "options": options or {}, "_w": w, "_h": h}
    if alerts:
        p["links"] = [{"title": f"Runbook: {a}", "url": rules.runbook_link(RUNBOOK_URL, a), "targetBlank": True}
                      for a in alerts]
    if transformations:
        p["transformations"] = transformations
    if interval:
        p["interval"] = interval
    return p


def stat(title, targets, unit, **kw):
    kw.setdefault("options", {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                              "colorMode": "value", "graphMode": "area", "textMode": "auto",
                              "justifyMode": "auto", "orientation": "auto"})
    return panel("stat", title, targets, unit, **kw)


def timeseries(title, targets, unit, bars=False, stack=False, **kw):
    custom = {"drawStyle": "bars" if bars else "line", "lineWidth": 1, "fillOpacity": 80 if bars else 10,
              "showPoints": "never", "spanNulls": False,
              "stacking": {"mode": "normal" if stack else "none", "group": "A"},
              "thresholdsStyle": {"mode": "off"}}
    kw.setdefault("custom", custom)
    kw.setdefault("options", {"legend": {"displayMode": "table", "placement": "bottom", "calcs": ["lastNotNull", "max"]},
                              "tooltip": {"mode": "multi", "sort": "desc"}})
    kw.setdefault("w", 12)
    kw.setdefault("h", 8)
    return panel("timeseries", title, targets, unit, **kw)


def table(title, targets, unit, hide=(), rename=None, sort=None, **kw):
    exclude = {"Time": True, "__name__": True, "job": True, "instance": True}
    exclude.update({k: True for k in hide})
    transformations = []
    if len(targets) > 1:
        transformations.append({"id": "merge", "options": {}})
    transformations.append({"id": "organize", "options": {"excludeByName": exclude,
                                                          "renameByName": rename or {}}})
    kw.setdefault("options", {"showHeader": True, "cellHeight": "sm",
                              "footer": {"show": False, "reducer": ["sum"], "countRows": False},
                              "sortBy": [{"displayName": sort, "desc": True}] if sort else []})
    kw.setdefault("w", 12)
    kw.setdefault("h", 9)
    return panel("table", title, targets, unit, transformations=transformations, **kw)


def bargauge(title, targets, unit, **kw):
    kw.setdefault("options", {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                              "orientation": "horizontal", "displayMode": "basic", "showUnfilled": True,
                              "valueMode": "color", "namePlacement": "left"})
    return panel("bargauge", title, targets, unit, **kw)


def row(title):
    return {"type": "row", "title": title, "collapsed": False, "panels": [], "_w": 24, "_h": 1}


def override_by_name(name, props):
    return {"matcher": {"id": "byName", "options": name},
            "properties": [{"id": k, "value": v} for k, v in props.items()]}


def cell_colors(mappings):
    return {"mappings": mappings, "custom.cellOptions": {"type": "color-background", "mode": "basic"}}


# --- variables -----------------------------------------------------------------

def datasource_var():
    return {"type": "datasource", "name": "datasource", "label": "Data source", "query": "prometheus",
            "current": {}, "hide": 0, "refresh": 1, "regex": "", "options": [], "includeAll": False, "multi": False}


def query_var(name, label, query, multi=True, all_value=".*"):
    """all_value None: "All" means the listed values only (Grafana joins them), which
    keeps `up` and `scrape_duration_seconds` to the exporter's jobs."""
    return {"type": "query", "name": name, "label": label, "datasource": DS,
            "query": {"query": query, "refId": "PrometheusVariableQueryEditor-VariableQuery", "qryType": 1},
            "definition": query, "refresh": 2, "sort": 1, "regex": "", "hide": 0,
            "multi": multi, "includeAll": multi, "allValue": all_value if multi else None,
            "current": {"selected": True, "text": ["All"], "value": ["$__all"]} if multi else {},
            "options": []}


def target_vars(metric, account_metric=None):
    """job, instance and account, each narrowed by the ones before it."""
    return [query_var("job", "Job", f"label_values({metric}, job)", all_value=None),
            query_var("instance", "Instance", f'label_values({metric}{{job=~"$job"}}, instance)', all_value=None),
            query_var("account", "Account", f"label_values({account_metric or metric}{{{SEL}}}, account)")]


def custom_var(name, label, values, default):
    return {"type": "custom", "name": name, "label": label, "query": ",".join(values), "hide": 0,
            "multi": False, "includeAll": False,
            "current": {"selected": True, "text": default, "value": default},
            "options": [{"selected": v == default, "text": v, "value": v} for v in values]}


# --- layout and assembly -----------------------------------------------------

def layout(panels):
    """Flows panels left to right in a 24-column grid, starting a new line when full."""
    x = y = line_h = 0
    out = []
    for pid, p in enumerate(panels, start=1):
        w, h = p.pop("_w"), p.pop("_h")
        if x + w > 24 or p["type"] == "row":
            x, y, line_h = 0, y + line_h, 0
        p["id"] = pid
        p["gridPos"] = {"x": x, "y": y, "w": w, "h": h}
        x += w
        line_h = max(line_h, h)
        if p["type"] == "row":
            x, y, line_h = 0, y + h, 0
        out.append(p)
    return out


def annotation(name, expr, color, title, text, tags):
    return {"name": name, "datasource": DS, "enable": True, "hide": False, "iconColor": color,
            "expr": expr, "step": "60s", "titleFormat": title, "textFormat": text, "tagKeys": tags,
            "useValueForTime": False}


# Marks on every time axis: when a configuration was (re)loaded, and when a
# sub-account changed state (also a change undone within one scrape: the counter sees it).
ANNOTATIONS = [
    annotation("Config reloads",
               f"changes(coinw_exporter_config_last_reload_success_timestamp_seconds{{{SEL}}}[2m]) > 0",
               "rgba(0, 211, 255, 1)", "Configuration loaded", "{{instance}}", "instance"),
    annotation("Sub-account state changes",
               f"sum by (account, uid, flag) (increase(coinw_sub_account_changes_total{{{ACC}}}[2m])) > 0",
               "rgba(255, 152, 48, 1)", "Sub-account {{uid}}: {{flag}} changed", "{{account}}", "account,flag"),
]


def dashboard(uid, title, description, tags, variables, panels):
    return {
        "uid": uid, "title": title, "description": description, "tags": ["coinw"] + tags,
        "editable": True, "graphTooltip": 1, "timezone": "", "refresh": "1m",
        "schemaVersion": 39, "fiscalYearStartMonth": 0, "liveNow": False, "weekStart": "",
        "time": {"from": "now-24h", "to": "now"}, "timepicker": {},
        "annotations": {"list": [{"builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"},
                                  "enable": True, "hide": True, "iconColor": "rgba(0, 211, 255, 1)",
                                  "name": "Annotations & Alerts", "type": "dashboard"}] + ANNOTATIONS},
        "links": [{"type": "dashboards", "tags": ["coinw"], "asDropdown": True, "title": "CoinW",
                   "includeVars": True, "keepTime": True, "icon": "external link", "targetBlank": False,
                   "tooltip": "", "url": ""},
                  {"type": "link", "title": "Runbook", "url": RUNBOOK_URL, "icon": "doc", "targetBlank": True,
                   "tooltip": "What each alert means and what to do", "asDropdown": False,
                   "includeVars": False, "keepTime": False, "tags": []}],
        "templating": {"list": variables},
        "panels": layout(panels),
    }


# --- Affiliate overview --------------------------------------------------------

def affiliate():
    money = "currencyUSD"
    by_q = lambda m: f"sum by (quote) ({m}{{{ACC_Q}}})"
    # The exporter reports 0 for invitees who never deposited.
    recent = f"coinw_invitee_first_deposit_timestamp_seconds{{{ACC_Q}}} > 0"
    distribution = rules.BALANCE_DISTRIBUTION
    panels = [
        row("Overview"),
        stat("Invitees", [target(by_q("coinw_invitees"), "{{quote}}")], "short", w=4,
             description="Direct invitees of the last complete refresh pass, counted by the exporter, per quote "
                         "currency. Complete under every per_invitee_series setting."),
        stat("Depositors", [target(by_q("coinw_invitees_depositors"), "{{quote}}")], "short", w=4,
             description="Invitees who have ever deposited. Complete under every per_invitee_series setting."),
        stat("Total deposits", [target(by_q("coinw_invitees_deposits"), "{{quote}}")], money, w=4, decimals=2,
             description="Sum of all invitees' deposits, per quote currency. Complete under every "
                         "per_invitee_series setting."),
        stat("Total withdrawals", [target(by_q("coinw_invitees_withdrawals"), "{{quote}}")], money, w=4,
             decimals=2, description="Sum of all invitees' withdrawals, per quote currency. Complete under "
                                     "every per_invitee_series setting."),
        stat("Net flow", [target(f"{by_q('coinw_invitees_deposits')} - {by_q('coinw_invitees_withdrawals')}",
                                 "{{quote}}")], money, w=4, decimals=2,
             thresholds=steps("red", (0, "green")),
             description="Deposits minus withdrawals over all invitees; negative means more money left than came in."),
        stat("Invitee balances", [target(by_q("coinw_invitees_balance"), "{{quote}}")], money, w=4, decimals=2,
             description="Sum of all invitees' current balances, per quote currency. Complete under every "
                         "per_invitee_series setting."),

        row("Periods"),
        table("Deposits, withdrawals and net by period",
              [target(f'sum by (window, quote) (coinw_invitees_window_deposits{{{ACC_Q},window=~"{PERIODS}"}})',
                      instant=True, fmt="table", ref="A"),
               target(f'sum by (window, quote) (coinw_invitees_window_withdrawals{{{ACC_Q},window=~"{PERIODS}"}})',
                      instant=True, fmt="table", ref="B"),
               target(f'sum by (window, quote) (coinw_invitees_window_deposits{{{ACC_Q},window=~"{PERIODS}"}})'
                      f' - sum by (window, quote) (coinw_invitees_window_withdrawals{{{ACC_Q},window=~"{PERIODS}"}})',
                      instant=True, fmt="table", ref="C")],
              money, rename={"window": "Period", "quote": "Quote", "Value #A": "Deposits",
                             "Value #B": "Withdrawals", "Value #C": "Net"}, decimals=2, w=10, h=7,
              description="Exact totals of the commission periods (windows today, month and previous_month), "
                          "from the last complete pass of each period: absent for a period until its first pass "
                          "completes. Enable them with invitee_assets.windows. Complete under every "
                          "per_invitee_series setting."),
        stat("Depositors this month",
             [target(f'sum by (quote) (coinw_invitees_window_depositors{{{ACC_Q},window="month"}})', "{{quote}}")],
             "short", w=4, h=7, decimals=0,
             description="Invitees with a deposit in the current calendar month (window month, in "
                         "global.time_zone). Complete under every per_invitee_series setting."),
        table("Top invitees this month",
              [target(f'sort_desc(topk($topn, coinw_invitee_window_deposit{{{ACC_Q},window="month"}}))',
                      instant=True, fmt="table")],
              money, hide=("window",), rename={"Value": "Deposited this month", "uid": "UID"},
              sort="Deposited this month", decimals=2, w=10, h=7,
              description="The $topn invitees who deposited most in the current month (window month)." + PARTIAL),
        table("Watch list",
              [target(f"coinw_invitee_current_balance{{{ACC_Q}}} and on (account, quote, uid) "
                      f"coinw_invitee_watched{{{ACC_Q}}}", instant=True, fmt="table", ref="A"),
               target(f"coinw_invitee_total_deposit{{{ACC_Q}}} and on (account, quote, uid) "
                      f"coinw_invitee_watched{{{ACC_Q}}}", instant=True, fmt="table", ref="B"),
               target(f"coinw_invitee_total_withdrawal{{{ACC_Q}}} and on (account, quote, uid) "
                      f"coinw_invitee_watched{{{ACC_Q}}}", instant=True, fmt="table", ref="C")],
              money, rename={"uid": "UID", "Value #A": "Balance", "Value #B": "Total deposit",
                             "Value #C": "Total withdrawal"}, sort="Balance", decimals=2, w=24, h=7,
              description="The invitees of invitee_assets.watch: fetched one by one every "
                          "watch.min_refresh_interval, so fresher than the full passes. Always complete, whatever "
                          "per_invitee_series says."),

        row("Trends"),
        timeseries("Deposits, withdrawals and balances",
                   [target(by_q("coinw_invitees_deposits"), "deposits {{quote}}"),
                    target(by_q("coinw_invitees_withdrawals"), "withdrawals {{quote}}"),
                    target(by_q("coinw_invitees_balance"), "balance {{quote}}")], money,
                   description="Totals over all invitees over time, per quote currency."),
        timeseries("Net flow per account",
                   [target(f"sum by (account, quote) (coinw_invitees_deposits{{{ACC_Q}}})"
                           f" - sum by (account, quote) (coinw_invitees_withdrawals{{{ACC_Q}}})",
                           "{{account}} {{quote}}")], money, thresholds=steps("red", (0, "green")),
                   description="Deposits minus withdrawals of each affiliate account's invitees over time."),
        timeseries("New first depositors",
                   [target(f"sum by (quote) (clamp_min(delta(coinw_invitees_depositors{{{ACC_Q}}}[$__interval]), 0))",
                           "{{quote}}")], "short", bars=True, interval="5m", decimals=0,
                   description="Growth of the depositor count per interval (minimum 5m), from the sums of "
                               "complete refresh passes only, so a pass in progress or a restart shows no false spike."),
        timeseries("Invitees", [target(f"sum by (account, quote) (coinw_invitees{{{ACC_Q}}})",
                                       "{{account}} {{quote}}"),
                                target(f"sum by (account, quote) (coinw_invitees_reported{{{ACC_Q}}})",
                                       "{{account}} {{quote}} as CoinW reports")], "short", decimals=0,
                   description="Invitees of the last complete pass, and CoinW's own count, which may differ."),
        stat("First deposits in time range",
             [target(f"count by (quote) (coinw_invitee_first_deposit_timestamp_seconds{{{ACC_Q}}} > time() - $__range_s)"
                     " or on() vector(0)", "{{quote}}")], "short", w=6, h=8, decimals=0,
             description="Invitees whose first deposit falls in the selected time range." + PARTIAL),
        bargauge("Invitee balance distribution", [
            target(f'sum({distribution}{{{ACC_Q},range="{name}"}}) or on() vector(0)', name, instant=True)
            for _, name in rules.BALANCE_RANGES],
                 "short", w=18, h=8, decimals=0,
                 description="Number of invitees per balance range (quote currency), from the recording rule "
                             f"{distribution} in config/alerts.yml: load those rules where this data source "
                             "evaluates them." + PARTIAL),

        row("Top invitees"),
        table("Top invitees by balance",
              [target(f"sort_desc(topk($topn, coinw_invitee_current_balance{{{ACC_Q}}}))", instant=True, fmt="table")],
              money, rename={"Value": "Balance", "uid": "UID"}, sort="Balance", decimals=2,
              description="The $topn invitees with the largest current balance." + PARTIAL),
        table("Top invitees by total deposit",
              [target(f"sort_desc(topk($topn, coinw_invitee_total_deposit{{{ACC_Q}}}))", instant=True, fmt="table")],
              money, rename={"Value": "Total deposit", "uid": "UID"}, sort="Total deposit", decimals=2,
              description="The $topn invitees who deposited most in total." + PARTIAL),
        table("Top invitees by net withdrawal",
              [target(f"sort_desc(topk($topn, coinw_invitee_total_withdrawal{{{ACC_Q}}}"
                      f" - coinw_invitee_total_deposit{{{ACC_Q}}}))", instant=True, fmt="table")],
              money, rename={"Value": "Withdrawn minus deposited", "uid": "UID"},
              sort="Withdrawn minus deposited", decimals=2, thresholds=steps("green", (0.01, "orange")),
              description="The $topn invitees who withdrew most beyond what they deposited (orange: more out "
                          "than in)." + PARTIAL),
        table("Most recent first deposits",
              [target(f"1000 * max by (account, quote, uid) (topk($topn, {recent}))",
                      instant=True, fmt="table", ref="A"),
               target(f"max by (account, quote, uid) (coinw_invitee_first_deposit_amount{{{ACC_Q}}}"
                      f" and on (account, quote, uid) topk($topn, {recent}))",
                      instant=True, fmt="table", ref="B")],
              "dateTimeAsIso", rename={"Value #A": "First deposit", "Value #B": "Amount", "uid": "UID"},
              sort="First deposit",
              overrides=[override_by_name("Amount", {"unit": money, "decimals": 2})],
              description="The $topn most recent first deposits with their amounts." + PARTIAL),

        row("Freshness"),
        stat("Last successful refresh",
             [target(f"time() - max by (account) (coinw_collector_last_success_timestamp_seconds"
                     f"{{{ACC},collector=\"invitee_assets\"}})", "{{account}}")],
             "s", w=8, thresholds=steps("green", (300, "yellow"), (900, "red")),
             description="Age of the invitee data; CoinwDataStale fires above 15 minutes.",
             alerts=["CoinwDataStale"]),
        stat("Last complete pass over all invitees",
             [target(f"time() - max by (account) (coinw_collector_last_full_refresh_timestamp_seconds"
                     f"{{{ACC},collector=\"invitee_assets\"}})", "{{account}}")],
             "s", w=8, thresholds=steps("green", (3600, "yellow"), (10800, "red")),
             description="Large networks are refreshed over several scrapes; this is when the last full pass ended.",
             alerts=["CoinwInviteeFullRefreshStale"]),
        stat("Oldest invitee balance",
             [target(f"time() - min by (account, quote) (coinw_invitee_balance_update_timestamp_seconds{{{ACC_Q}}} > 0)",
                     "{{account}} {{quote}}")],
             "s", w=8, thresholds=steps("green", (86400, "yellow"), (7 * 86400, "orange")),
             description="Time since CoinW last updated the balance of the least recently updated invitee."
                         + PARTIAL),
    ]
    variables = [datasource_var(), *target_vars("coinw_invitees"),
                 query_var("quote", "Quote", f"label_values(coinw_invitees{{{ACC}}}, quote)"),
                 custom_var("topn", "Top N", ["5", "10", "20", "50", "100"], "10")]
    return dashboard("coinw-affiliate", "CoinW / Affiliate overview",
                     "Deposits, withdrawals and balances of direct invitees, per affiliate account.",
                     ["affiliate"], variables, panels)


# --- Sub-accounts --------------------------------------------------------------

def subaccounts():
    info = f"max by (account, uid, user_code, nick_name) (coinw_sub_account_info{{{ACC}}})"
    joined = lambda m: f"max by (account, uid) ({m}{{{ACC}}}) * on (account, uid) group_left (user_code, nick_name) {info}"
    disabled_any = (f"coinw_sub_account_spot_trade_enabled{{{ACC}}} == 0"
                    f" or coinw_sub_account_contract_trade_enabled{{{ACC}}} == 0")
    panels = [
        row("Overview"),
        stat("Sub-accounts", [target(f"sum(coinw_sub_accounts{{{ACC}}})", "sub-accounts")], "short", w=5, decimals=0,
             description="Sub-accounts of the selected master accounts, as listed by CoinW."),
        stat("Frozen", [target(f"sum(coinw_sub_account_frozen{{{ACC}}}) or on() vector(0)", "frozen")],
             "short", w=5, decimals=0, thresholds=BAD_IF_POSITIVE,
             description="Sub-accounts CoinW reports as frozen (declared or not).",
             alerts=["CoinwSubAccountFrozen"]),
        stat("Spot trading disabled",
             [target(f"count(coinw_sub_account_spot_trade_enabled{{{ACC}}} == 0) or on() vector(0)", "spot")],
             "short", w=5, decimals=0, thresholds=steps("green", (1, "orange")),
             description="Sub-accounts with spot trading disabled (declared or not).",
             alerts=["CoinwSubAccountTradingDisabled"]),
        stat("Contract trading disabled",
             [target(f"count(coinw_sub_account_contract_trade_enabled{{{ACC}}} == 0) or on() vector(0)", "contract")],
             "short", w=5, decimals=0, thresholds=steps("green", (1, "orange")),
             description="Sub-accounts with contract trading disabled (declared or not).",
             alerts=["CoinwSubAccountTradingDisabled"]),
        stat("Data age",
             [target(f"time() - max(coinw_collector_last_success_timestamp_seconds{{{ACC},collector=\"sub_accounts\"}})",
                     "age")], "s", w=4, thresholds=steps("green", (120, "yellow"), (900, "red")),
             description="Time since the sub-account list was last fetched successfully.",
             alerts=["CoinwDataStale"]),

        row("Sub-accounts"),
        table("All sub-accounts",
              [target(joined("coinw_sub_account_frozen"), instant=True, fmt="table", ref="A"),
               target(joined("coinw_sub_account_spot_trade_enabled"), instant=True, fmt="table", ref="B"),
               target(joined("coinw_sub_account_contract_trade_enabled"), instant=True, fmt="table", ref="C")],
              "none", w=24, h=12,
              rename={"account": "Master account", "uid": "UID", "user_code": "User code", "nick_name": "Nickname",
                      "Value #A": "State", "Value #B": "Spot trading", "Value #C": "Contract trading"},
              overrides=[override_by_name("State", cell_colors(FROZEN)),
                         override_by_name("Spot trading", cell_colors(ENABLED)),
                         override_by_name("Contract trading", cell_colors(ENABLED))],
              description="Every sub-account with its state; nicknames are masked unless the exporter is told otherwise.",
              alerts=["CoinwSubAccountFrozen", "CoinwSubAccountTradingDisabled"]),

        row("Changes"),
        timeseries("Frozen and trading-disabled sub-accounts",
                   [target(f"sum by (account) (coinw_sub_account_frozen{{{ACC}}})", "frozen {{account}}"),
                    target(f"count by (account) ({disabled_any})", "trading disabled {{account}}")],
                   "short", decimals=0, thresholds=BAD_IF_POSITIVE,
                   description="Frozen and trading-disabled sub-accounts per master account over time."),
        timeseries("State changes",
                   [target(f"sum by (account) (changes(coinw_sub_account_frozen{{{ACC}}}[$__interval]))",
                           "frozen/unfrozen {{account}}"),
                    target(f"sum by (account) (changes(coinw_sub_account_spot_trade_enabled{{{ACC}}}[$__interval]))",
                           "spot flag {{account}}"),
                    target(f"sum by (account) (changes(coinw_sub_account_contract_trade_enabled{{{ACC}}}[$__interval]))",
                           "contract flag {{account}}")],
                   "short", bars=True, stack=True, interval="5m", decimals=0,
                   description="Number of state flips per interval (minimum 5m) as scraped; a flip undone "
                               "between two scrapes shows in the annotations and CoinwSubAccountStateChanged.",
                   alerts=["CoinwSubAccountStateChanged"]),
        table("Sub-accounts that changed state in the time range",
              [target(f"sum by (account, uid) (changes(coinw_sub_account_frozen{{{ACC}}}[$__range])"
                      f" + changes(coinw_sub_account_spot_trade_enabled{{{ACC}}}[$__range])"
                      f" + changes(coinw_sub_account_contract_trade_enabled{{{ACC}}}[$__range])) > 0",
                      instant=True, fmt="table")],
              "short", w=24, h=8, rename={"Value": "Changes", "uid": "UID"}, sort="Changes",
              no_value="No state changes in the selected range",
              description="Sub-accounts with at least one flag change in the selected range, as scraped, "
                          "with the number of changes.",
              alerts=["CoinwSubAccountStateChanged"]),
    ]
    variables = [datasource_var(), *target_vars("coinw_sub_accounts")]
    return dashboard("coinw-subaccounts", "CoinW / Sub-accounts",
                     "State of every sub-account of the configured master accounts.",
                     ["sub-accounts"], variables, panels)


# --- Exporter health -----------------------------------------------------------

def exporter():
    ri = "$__rate_interval"
    panels = [
        row("Exporter"),
        stat("Targets up", [target(f"up{{{SEL}}}", "{{instance}}")], "none", w=6,
             mappings=UP_DOWN, thresholds=steps("red", (1, "green")),
             description="Whether Prometheus' last scrape of each selected target succeeded.",
             alerts=["CoinwExporterDown"]),
        table("Build", [target(f"coinw_exporter_build_info{{{SEL}}}", instant=True, fmt="table")],
              "none", w=6, h=6, hide=("Value",), rename={"instance": "Instance"},
              description="Version and revision of each exporter instance (from the /metrics targets; "
                          "/probe targets do not carry it)."),
        stat("Last config reload", [target(f"coinw_exporter_config_last_reload_successful{{{SEL}}}", "{{instance}}")],
             "none", w=6, mappings=mapping({1: ("Succeeded", "green"), 0: ("Failed", "red")}),
             thresholds=steps("red", (1, "green")),
             description="Whether the last configuration reload of each instance succeeded; a failed one "
                         "leaves the previous configuration in effect.",
             alerts=["CoinwExporterConfigReloadFailed"]),
        stat("Config loaded since",
             [target(f"time() - coinw_exporter_config_last_reload_success_timestamp_seconds{{{SEL}}}", "{{instance}}")],
             "s", w=6, description="Time since each instance last loaded its configuration successfully."),
        timeseries("Scrape duration", [target(f"scrape_duration_seconds{{{SEL}}}", "{{instance}}")], "s",
                   thresholds=steps("green", (24, "yellow"), (30, "red")),
                   description="The exporter spends at most the scrape timeout (30s in the example config).",
                   alerts=["CoinwScrapeNearTimeout"]),
        timeseries("Target up", [target(f"up{{{SEL}}}", "{{instance}}")], "none", min_=0, max_=1,
                   mappings=UP_DOWN, thresholds=steps("red", (1, "green")),
                   description="Scrape success of each selected target over time.",
                   alerts=["CoinwExporterDown"]),

        row("Collectors"),
        stat("Collector status", [target(f"coinw_collector_success{{{ACC}}}", "{{account}} {{collector}}")],
             "none", w=8, mappings=OK_BAD, thresholds=steps("red", (1, "green")),
             description="Whether the last refresh of each collector succeeded.",
             alerts=["CoinwCollectorFailing"]),
        stat("Data age", [target(f"time() - coinw_collector_last_success_timestamp_seconds{{{ACC}}}",
                                 "{{account}} {{collector}}")],
             "s", w=8, thresholds=steps("green", (300, "yellow"), (900, "red")),
             description="Time since each collector's last successful refresh.",
             alerts=["CoinwDataStale"]),
        stat("Last complete invitee pass",
             [target(f"time() - coinw_collector_last_full_refresh_timestamp_seconds{{{ACC},collector=\"invitee_assets\"}}",
                     "{{account}}")], "s", w=8, thresholds=steps("green", (3600, "yellow"), (10800, "red")),
             description="Time since the last complete pass over all invitees of each account.",
             alerts=["CoinwInviteeFullRefreshStale"]),
        timeseries("Collector duration", [target(f"coinw_collector_duration_seconds{{{ACC}}}", "{{account}} {{collector}}")],
                   "s", thresholds=steps("green", (20, "yellow"), (30, "red")),
                   description="How long each collector's last refresh took."),
        timeseries("Collector success", [target(f"coinw_collector_success{{{ACC}}}", "{{account}} {{collector}}")],
                   "none", min_=0, max_=1, mappings=OK_BAD, thresholds=steps("red", (1, "green")),
                   description="Refresh success of each collector over time.",
                   alerts=["CoinwCollectorFailing"]),

        row("CoinW API"),
        timeseries("Requests", [target(f"sum by (account, endpoint) (rate(coinw_api_requests_total{{{ACC}}}[{ri}]))",
                                       "{{account}} {{endpoint}}")], "reqps",
                   description="Requests per second to CoinW, per account and endpoint."),
        timeseries("Failures by reason",
                   [target(f"sum by (endpoint, reason) (rate(coinw_api_failures_total{{{ACC}}}[{ri}]))",
                           "{{endpoint}} {{reason}}")], "reqps", bars=False, stack=True,
                   thresholds=BAD_IF_POSITIVE,
                   description="Failed requests per second by reason: auth/permission is the key, "
                               "network/tls/timeout the path to CoinW, server_error CoinW, rate_limited another "
                               "user of the key.",
                   alerts=["CoinwCollectorFailing", "CoinwApiAuthFailing"]),
        timeseries("Failure ratio",
                   [target(f"sum by (account, endpoint) (rate(coinw_api_failures_total{{{ACC}}}[{ri}]))"
                           f" / sum by (account, endpoint) (rate(coinw_api_requests_total{{{ACC}}}[{ri}]))",
                           "{{account}} {{endpoint}}")], "percentunit", min_=0,
                   thresholds=steps("green", (0.05, "yellow"), (0.25, "red")),
                   description="Share of requests to CoinW that failed."),
        timeseries("Request latency",
                   [target(f"histogram_quantile({q}, sum by (le, endpoint) (rate(coinw_api_request_duration_seconds_bucket{{{ACC}}}[{ri}])))",
                           f"p{int(q * 100)} {{{{endpoint}}}}") for q in (0.5, 0.95, 0.99)],
                   "s", thresholds=steps("green", (2, "yellow"), (10, "red")),
                   description="Latency quantiles of CoinW requests per endpoint."),
        timeseries("Invalid rows and fields",
                   [target(f"sum by (account, endpoint) (increase(coinw_api_invalid_rows_total{{{ACC}}}[{ri}]))",
                           "{{account}} {{endpoint}} rows"),
                    target(f"sum by (account, endpoint, field) (increase(coinw_api_invalid_fields_total{{{ACC}}}[{ri}]))",
                           "{{account}} {{endpoint}} {{field}}")], "short", bars=True, thresholds=BAD_IF_POSITIVE,
                   alerts=["CoinwUnexpectedApiFormat"],
                   description="Rows skipped because their uid was unreadable, and single values left out "
                               "because they were unreadable or unexpected, by field. Steady counts mean CoinW "
                               "changed its format."),
        stat("Failures in time range",
             [target(f"sum by (reason) (increase(coinw_api_failures_total{{{ACC}}}[$__range])) > 0 or on() vector(0)",
                     "{{reason}}")], "short", w=12, h=8, decimals=0, thresholds=BAD_IF_POSITIVE,
             description="Failed requests to CoinW in the selected range, by reason."),

        row("Rate limiting"),
        timeseries("Time waiting for the local rate limiter",
                   [target(f"sum by (account, endpoint) (rate(coinw_rate_limiter_wait_seconds_total{{{ACC}}}[{ri}]))",
                           "{{account}} {{endpoint}}")], "percentunit", min_=0,
                   thresholds=steps("green", (0.5, "yellow"), (0.9, "red")),
                   description="Share of wall time spent waiting for our own limiter; near 100% means the refresh cannot keep up."),
        timeseries("Pauses after CoinW rate limiting (29001/429)",
                   [target(f"sum by (account, endpoint) (increase(coinw_rate_limit_pauses_total{{{ACC}}}[{ri}]))",
                           "pauses {{account}} {{endpoint}}"),
                    target(f"max by (account, endpoint) (coinw_rate_limit_paused{{{ACC}}})",
                           "paused now {{account}} {{endpoint}}")], "short", thresholds=BAD_IF_POSITIVE,
                   description="Pauses the exporter took after CoinW answered 29001/429, and whether it is "
                               "pausing now.",
                   alerts=["CoinwApiRateLimited"]),
    ]
    # The health series come from two kinds of target in the sharded set-up:
    # /probe (collectors) and /metrics?collect[]=exporter (build, reloads).
    variables = [datasource_var(), *target_vars('{__name__=~"coinw_collector_success|coinw_exporter_build_info"}',
                                                "coinw_collector_success")]
    return dashboard("coinw-exporter", "CoinW / Exporter health",
                     "Health of coinw-exporter: collectors, CoinW API calls, rate limiting and scrapes.",
                     ["exporter"], variables, panels)


def main(argv):
    """Writes the dashboards; with --check, only reports files that differ."""
    global RUNBOOK_URL
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="only report committed files that differ")
    ap.add_argument("--runbook-url", default=rules.DEFAULT_RUNBOOK_URL,
                    help="address of docs/runbook.md that the panels link to (default %(default)s)")
    ap.add_argument("--output-dir", type=pathlib.Path, help="write here instead of dashboards/")
    args = ap.parse_args(argv)
    RUNBOOK_URL = args.runbook_url
    here = pathlib.Path(__file__).resolve().parent
    out_dir = args.output_dir or here
    stale = []
    for name, build in (("coinw-affiliate", affiliate), ("coinw-subaccounts", subaccounts),
                        ("coinw-exporter", exporter)):
        path = out_dir / f"{name}.json"
        text = json.dumps(build(), indent=2, ensure_ascii=False) + "\n"
        if args.check:
            if not path.exists() or path.read_text() != text:
                stale.append(path.name)
        else:
            path.write_text(text)
            print(f"wrote {path}")
    if stale:
        print("out of date, run python3 dashboards/generate.py:", ", ".join(stale))
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
