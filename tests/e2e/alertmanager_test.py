"""End to end from a frozen sub-account to a notification: the simulator, the
exporter, an HA pair of Debian's prometheus (config/prometheus-ha.yml, replica
A and B) and Debian's prometheus-alertmanager, with the rules and the
Alertmanager configuration rendered from the mixin (short `for`, hold and
group intervals, so the test takes minutes), notifying the webhook receiver of
the compose demo (deploy/compose/webhook_receiver.py).

Freezing a sub-account at the simulator delivers exactly one notification,
naming the sub-account's code, with one alert (the pair's replicas are one
alert); its runbook link opens the exporter's /runbook at the alert's section;
a 90 s exporter restart while it is frozen sends no "resolved"; unfreezing
resolves it, once."""
import json
import os
import shutil
import subprocess
import sys
import time
import unittest

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "deploy", "compose"))
import harness  # noqa: E402
from webhook_receiver import Receiver  # noqa: E402

EXPORTER, SIM = sys.argv[1], sys.argv[2]
ALERTMANAGER = shutil.which("prometheus-alertmanager") or "/usr/bin/prometheus-alertmanager"
ALERT = "CoinwSubAccountFrozen"
RESTART_SECONDS = 90
# Alertmanager sends a group's changes at most every group_interval: waiting
# this long after a change sees any notification it causes.
GROUP_INTERVAL = 5
SETTLE = 3 * GROUP_INTERVAL

EXPORTER_CONFIG = harness.DEMO_ACCOUNT + """    invitee_assets: {{ enabled: false }}
    sub_accounts:
      min_refresh_interval: 1s
      # The sub-accounts the simulator seeds frozen are declared so: only ours alerts.
      expected: {expected}
"""
# The mixin's _config for this test: short delays, the same shape of rules.
MIXIN_CONFIG = """
{{
  frozenFor: '5s',
  keepFiringFor: '10s',
  holdFor: '5m',            // longer than the restart
  exporterDownFor: '10m',   // its inhibition is not what is tested here
  alertmanager+: {{
    groupWait: '1s',
    groupInterval: '{group_interval}s',
    repeatInterval: '1h',
    webhooks: {{ page: '{hook}/page', ticket: '{hook}/ticket', info: '{hook}/info' }},
  }},
}}
"""


class AlertmanagerEndToEnd(unittest.TestCase):
    def about(self, receiver, uid, status):
        """The notifications that carry our alert for `uid` with `status`."""
        return [(path, n) for path, n in receiver.received()
                if any(a["labels"].get("alertname") == ALERT and a["labels"].get("uid") == str(uid)
                       and a["status"] == status for a in n.get("alerts", []))]

    def test_one_notification_per_freeze_through_a_restart(self):
        with harness.Processes() as procs, Receiver("127.0.0.1:0") as receiver:
            sim = harness.start_simulator(procs, SIM)
            subs = harness.sim_json(sim, "/admin/dataset")["subAccounts"]
            target = next(s for s in subs if s["frozenFlag"] == 0 and "@" in s["nickName"])
            uid, code = target["spotUid"], target["userCode"]
            expected = json.dumps({str(s["spotUid"]): {"frozen": True} for s in subs if s["frozenFlag"]})
            config = procs.write("exporter.yml", EXPORTER_CONFIG.format(sim=sim, expected=expected))
            exporter_proc, exporter = harness.start_exporter(procs, EXPORTER, config)
            address = exporter.split("//")[1]

            rendered = os.path.join(procs.dir, "rendered")
            mixin_config = procs.write("mixin.jsonnet", MIXIN_CONFIG.format(
                hook=receiver.url, group_interval=GROUP_INTERVAL))
            subprocess.run([os.path.join(ROOT, "scripts", "render-mixin.sh"), "--out", rendered,
                            "--config", mixin_config], check=True, stdout=subprocess.DEVNULL)

            am_port = harness.free_port()
            procs.start("alertmanager", [
                ALERTMANAGER, f"--config.file={rendered}/config/alertmanager.yml",
                f"--storage.path={procs.dir}/alertmanager", f"--web.listen-address=127.0.0.1:{am_port}",
                "--cluster.listen-address="])
            harness.wait_for(lambda: harness.http("GET", f"http://127.0.0.1:{am_port}/-/ready")[0] == 200, 30,
                             "Alertmanager")

            # The shipped HA configuration, pointed at this test's processes and sped up.
            ha = yaml.safe_load(open(os.path.join(ROOT, "config", "prometheus-ha.yml")))
            self.assertIn({"action": "labeldrop", "regex": "replica"}, ha["alerting"]["alert_relabel_configs"])
            ha["global"].update(scrape_interval="1s", scrape_timeout="1s", evaluation_interval="1s")
            ha["rule_files"] = [f"{rendered}/config/alerts.yml"]
            ha["scrape_configs"][0]["static_configs"] = [{"targets": [address]}]
            ha["alerting"]["alertmanagers"] = [{"static_configs": [{"targets": [f"127.0.0.1:{am_port}"]}]}]
            proms = []
            for replica in "AB":
                ha["global"]["external_labels"]["replica"] = replica
                path = procs.write(f"prometheus-{replica}.yml", yaml.safe_dump(ha))
                # A firing alert is sent again every 15 s and valid for four times
                # that: a Prometheus slowed down by a busy machine does not let it lapse.
                proms.append(harness.start_prometheus(procs, path, f"prometheus-{replica}",
                                                      "--rules.alert.resend-delay=15s"))
            for prom in proms:
                harness.wait_for(lambda: harness.query(prom, f'coinw_sub_account_frozen{{uid="{uid}"}} == 0'), 60,
                                 "both servers to scrape the sub-accounts")

            # Freeze: one notification, naming the code, with one alert.
            self.assertEqual(harness.http("POST", f"{sim}/admin/sub-accounts/{uid}/freeze")[0], 200)
            harness.wait_for(lambda: self.about(receiver, uid, "firing"), 120, "the notification of the freeze")
            time.sleep(SETTLE)
            firing = self.about(receiver, uid, "firing")
            self.assertEqual(len(firing), 1, firing)
            path, notification = firing[0]
            self.assertEqual(path, "/page", "CoinwSubAccountFrozen pages")
            self.assertEqual(len(notification["alerts"]), 1, "the replicas of the HA pair are one alert")
            alert = notification["alerts"][0]
            self.assertEqual(alert["labels"]["user_code"], code)
            self.assertNotIn("replica", alert["labels"])
            self.assertIn(code, alert["annotations"]["summary"])
            self.assertIn("Its alias is", alert["annotations"]["description"])
            self.assertNotIn(target["nickName"], json.dumps(notification), "the alias is masked")
            # The runbook link opens on the exporter, at the alert's section.
            url = alert["annotations"]["runbook_url"]
            self.assertEqual(url, f"{exporter}/runbook#{ALERT.lower()}")
            status, page = harness.get_text(url.split("#")[0])
            self.assertEqual(status, 200)
            self.assertIn(f'id="{ALERT.lower()}"', page)

            # The exporter is away for 90 s: the alert holds, nothing is resolved.
            exporter_proc.terminate()
            exporter_proc.wait(timeout=30)
            for prom in proms:
                harness.wait_for(lambda: harness.query(prom, f'up{{instance="{address}"}} == 0'), 30,
                                 "both servers to notice the exporter is gone")
            time.sleep(RESTART_SECONDS)
            harness.start_exporter(procs, EXPORTER, config, name="exporter-restarted",
                                   port=int(address.rsplit(":", 1)[1]))
            for prom in proms:
                harness.wait_for(lambda: harness.query(prom, f'coinw_sub_account_frozen{{uid="{uid}"}} == 1'), 60,
                                 "both servers to scrape the restarted exporter")
            time.sleep(SETTLE)
            self.assertEqual(self.about(receiver, uid, "resolved"), [], "no resolved across the restart")
            self.assertEqual(len(self.about(receiver, uid, "firing")), 1, "no second page after the restart")

            # Unfreeze: resolved, once.
            self.assertEqual(harness.http("POST", f"{sim}/admin/sub-accounts/{uid}/unfreeze")[0], 200)
            harness.wait_for(lambda: self.about(receiver, uid, "resolved"), 120, "the resolved notification")
            time.sleep(SETTLE)
            self.assertEqual(len(self.about(receiver, uid, "resolved")), 1)
            self.assertEqual(len(self.about(receiver, uid, "firing")), 1)
            print(f"sub-account {code} (uid {uid}): 1 page, held through a {RESTART_SECONDS} s exporter restart, "
                  f"1 resolved; {len(receiver.received())} notification(s) in all")


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
