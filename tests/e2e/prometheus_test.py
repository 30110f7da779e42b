"""End to end with a real Prometheus: the simulator, the exporter and Debian's
prometheus server on loopback ports. Every dashboard query must return data,
with calendar windows and a custom one configured, also with only the jobs of
the sharded set-up selected (config/prometheus-sharded.yml: accounts through
/probe, the exporter's own metrics through collect[]=exporter); and none may
return anything for a job that does not exist (no panel turns missing data
into a number). Freezing a sub-account at the simulator must reach Prometheus
and be selected by the CoinwSubAccountFrozen alert."""
import json
import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import harness  # noqa: E402
from dashboard_queries import collect_queries  # noqa: E402

EXPORTER, SIM = sys.argv[1], sys.argv[2]
query = harness.query

# The passes fit the invitee budget (5 requests/s): 3 pages per pass, about 2.5
# requests/s in all, so every window, the closed one too, completes within seconds.
EXPORTER_CONFIG = harness.DEMO_ACCOUNT + """    invitee_assets:
      quotes: [usdt, usdc]
      page_size: 100
      min_refresh_interval: 20s
      windows:
        - today
        - month
        - previous_month
        - {{ name: campaign, start: "2024-01-01 00:00:00", end: "2036-12-31 23:59:59" }}
      window_refresh_interval: 10s
      closed_window_grace: 0s     # previous_month at once, whatever the date the test runs
      watch: {{ uids: [10000065, 10240034], min_refresh_interval: 10s }}   # the simulator's, seed 42
    sub_accounts:
      min_refresh_interval: 1s
      api_keys: {{ min_refresh_interval: 2s }}
      funds: {{ coins: [USDT, BTC], min_refresh_interval: 10s }}   # 12 sub-accounts: 24 requests a pass
    invitee_registrations: {{ enabled: true, min_refresh_interval: 20s }}
    invitee_trade_volume: {{ enabled: true, open_day_refresh_interval: 10s, closed_day_grace: 0s }}
"""
# Short intervals so the test takes seconds; the shipped config/prometheus.yml uses 60s.
PROMETHEUS_CONFIG = """
global:
  scrape_interval: 2s
  scrape_timeout: 2s
  evaluation_interval: 1s
rule_files: [{rules}]
scrape_configs:
  - job_name: coinw
    static_configs: [{{ targets: ["{target}"] }}]
  - job_name: coinw-probe
    metrics_path: /probe
    params: {{ account: [demo] }}
    static_configs: [{{ targets: ["{target}"] }}]
    relabel_configs: [{{ target_label: instance, replacement: demo }}]
  - job_name: coinw-self
    params: {{ "collect[]": [exporter] }}
    static_configs: [{{ targets: ["{target}"] }}]
"""
SHARDED_JOBS = "coinw-probe|coinw-self"


class PrometheusEndToEnd(unittest.TestCase):
    def test_dashboards_and_frozen_alert(self):
        with harness.Processes() as procs:
            sim = harness.start_simulator(procs, SIM)
            config = procs.write("exporter.yml", EXPORTER_CONFIG.format(sim=sim))
            _, exporter = harness.start_exporter(procs, EXPORTER, config)

            prom_config = procs.write("prometheus.yml", PROMETHEUS_CONFIG.format(
                rules=os.path.join(ROOT, "config", "alerts.yml"), target=exporter.split("//")[1]))
            prom = harness.start_prometheus(procs, prom_config)
            harness.wait_for(lambda: query(prom, 'up{job="coinw"} == 1'), 30, "a successful scrape")

            # Prometheus asks for gzip; the exporter joins separately compressed
            # pieces into one gzip member. Every sample must arrive: as many as an
            # identity GET shows (the data is cached, so both see the same set).
            def samples_match():
                _, text = harness.get_text(exporter + "/metrics")
                served = sum(1 for line in text.splitlines() if line and not line.startswith("#"))
                scraped = query(prom, 'scrape_samples_scraped{job="coinw"}')
                return scraped and int(float(scraped[0]["value"][1])) == served
            harness.wait_for(samples_match, 30, "Prometheus to read every sample of the gzip body")

            # Freeze a sub-account that is not frozen yet.
            subs = harness.sim_json(sim, "/admin/dataset")["subAccounts"]
            uid = next(s["spotUid"] for s in subs if s["frozenFlag"] == 0)
            self.assertEqual(harness.http("POST", f"{sim}/admin/sub-accounts/{uid}/freeze")[0], 200)
            harness.wait_for(lambda: query(prom, f'coinw_sub_account_frozen{{uid="{uid}"}} == 1'), 30,
                             "Prometheus to see the frozen sub-account")
            harness.wait_for(lambda: query(prom, f'ALERTS{{alertname="CoinwSubAccountFrozen",uid="{uid}"}}'), 30,
                             "the CoinwSubAccountFrozen alert to select it")

            # The recording rule behind the balance distribution, per target.
            harness.wait_for(lambda: query(prom, 'account_quote:coinw_invitee_current_balance:count'
                                                 '{job="coinw-probe",instance="demo"}'), 30,
                             "the balance distribution recording rule")

            # Every window's sums, the custom one's included, before the panels are asked.
            windows = {"today", "month", "previous_month", "campaign"}
            harness.wait_for(lambda: {r["metric"]["window"] for r in query(
                prom, 'coinw_invitees_window_deposits{job="coinw",quote="usdt"}')} == windows, 60,
                f"the sums of the windows {sorted(windows)}")

            # A complete funds pass (24 requests beside the list and the keys, at 3/s in all).
            harness.wait_for(lambda: {r["metric"]["coin"] for r in query(
                prom, 'coinw_sub_accounts_transferable{job="coinw"}')} == {"USDT", "BTC"}, 60,
                "the sums of a complete funds pass")
            # The funnel: a sign-up today who deposits and trades, so the period's
            # conversion and every volume figure have something to show.
            status, _, body = harness.http("POST", f"{sim}/admin/signups")
            self.assertEqual(status, 200)
            signup = json.loads(body)["uid"]
            self.assertEqual(harness.http("POST", f"{sim}/admin/invitees/{signup}/deposit?amount=100")[0], 200)
            self.assertEqual(harness.http("POST", f"{sim}/admin/invitees/{signup}/trade?volume=2500")[0], 200)
            harness.wait_for(lambda: {r["metric"]["window"] for r in query(
                prom, 'coinw_invitees_window_trade_volume{job="coinw"}')} == windows, 90,
                f"the trading volume of the windows {sorted(windows)}")

            # Every panel of every dashboard shows data (rate() needs a few scrapes),
            # with all jobs selected and with only the sharded set-up's jobs.
            dashboards = [os.path.join(ROOT, "dashboards")]
            queries = collect_queries(dashboards, account="demo", quote="usdt")
            queries += collect_queries(dashboards, account="demo", quote="usdt",
                                       overrides={"job": SHARDED_JOBS, "instance": ".+"})
            self.assertGreater(len(queries), 60)
            deadline = time.monotonic() + 60
            empty = queries
            while empty and time.monotonic() < deadline:
                empty = [q for q in empty if not query(prom, q["expr"])]
                if empty:
                    time.sleep(2)
            self.assertEqual([f"{q['dashboard']}: {q['panel']}: {q['expr']}" for q in empty], [])

            # A dead or unknown target shows "No data", never a reassuring 0.
            absent = collect_queries(dashboards, account="demo", quote="usdt",
                                     overrides={"job": "no-such-job", "instance": ".+"})
            filled = [q for q in absent if query(prom, q["expr"])]
            self.assertEqual([f"{q['dashboard']}: {q['panel']}: {q['expr']}" for q in filled], [])
            print(f"{len(queries)} dashboard queries returned data, {len(absent)} none for a missing job; "
                  f"sub-account {uid} frozen and alerted")


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
