"""global.state_dir with the real binaries: the exporter runs, stops (SIGTERM),
and starts again against a CoinW that now fails; the first scrape after the
restart must already serve every value with its original fetch time. Then a
corrupt state file: warned about by name, counted, ignored, never fatal.

COINW_STATE_FIGURES=1 runs it with 100,000 invitees instead and prints the
figures for the notes (first scrape after restart, state file size and write
time); that takes about a minute and is not part of ctest."""
import os
import re
import signal
import stat
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402

EXPORTER, SIM = sys.argv[1], sys.argv[2]
FIGURES = os.environ.get("COINW_STATE_FIGURES") == "1"
INVITEES = 100000 if FIGURES else 300
SECRET = "demo-secret"

CONFIG = """
global:
  state_dir: {state_dir}
  staleness_limit: 1h
  default_scrape_timeout: {timeout}
accounts:
  - name: main
    base_url: {sim}
    api_key: demo-key
    secret_key_file: {secret_file}
    invitee_assets: {{ quotes: [usdt], page_size: {page_size} }}
"""


def series(text):
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            out[name] = float(value)
    return out


def business(s):
    """What CoinW told us, and when: everything a restart must keep."""
    keep = ("coinw_invitee", "coinw_sub_account", "coinw_collector_last_success_timestamp_seconds",
            "coinw_collector_last_full_refresh_timestamp_seconds")
    # Counters start again at 0 with the process, as every Prometheus counter does.
    counters = ("coinw_sub_account_changes_total", "coinw_invitee_pass_requests_total",
                "coinw_sub_account_api_key_changes_total", "coinw_sub_account_pass_requests_total")
    return {k: v for k, v in s.items() if k.startswith(keep) and not k.startswith(counters)}


class StateRestart(unittest.TestCase):
    def stop(self, proc):
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=60), 0)

    def test_restart_serves_everything_at_once_and_survives_a_corrupt_file(self):
        with harness.Processes() as procs:
            extra = ["--page-size-cap=1000"] if FIGURES else []
            sim = harness.start_simulator(procs, SIM, f"--invitees={INVITEES}", *extra)
            state_dir = os.path.join(procs.dir, "state")
            secret_file = procs.write("secret", SECRET + "\n")
            config = procs.write("config.yml", CONFIG.format(
                sim=sim, secret_file=secret_file, state_dir=state_dir, timeout="60s" if FIGURES else "10s",
                page_size=1000 if FIGURES else 100))
            state_file = os.path.join(state_dir, "account-main.json")

            proc, url = harness.start_exporter(procs, EXPORTER, config, "--log.level=debug", name="first")
            before = series(harness.get_text(url + "/metrics", timeout=120)[1])
            self.assertEqual(before['coinw_invitees{account="main",quote="usdt"}'], INVITEES)
            self.assertEqual(before['coinw_state_load_failures_total{account="main"}'], 0, "no file yet: no failure")
            self.assertIn("no state file yet", procs.log("first"))
            self.assertNotIn("level=warn", procs.log("first"))
            harness.wait_for(lambda: os.path.exists(state_file), 30, "the state file after a complete pass")
            self.stop(proc)

            mode = stat.S_IMODE(os.stat(state_file).st_mode)
            self.assertEqual(mode, 0o600)
            with open(state_file) as f:
                text = f.read()
            self.assertIn('"version":1', text)
            for secret in (SECRET, "demo-key"):
                self.assertNotIn(secret, text)
            written = re.findall(r'msg="state written".*', procs.log("first"))
            self.assertTrue(written, procs.log("first")[-2000:])

            # CoinW now fails every request: whatever the next scrape shows comes from the file.
            harness.http("POST", sim + "/admin/faults?rate=1&kinds=http500")
            start = time.monotonic()
            proc, url = harness.start_exporter(procs, EXPORTER, config, "--log.level=debug", name="second")
            ready = time.monotonic()
            text_after = harness.get_text(url + "/metrics", timeout=120)[1]
            first_scrape, scrape_only = time.monotonic() - start, time.monotonic() - ready
            after = series(text_after)
            self.assertEqual(business(after), business(before), "the first scrape after a restart is complete")
            self.assertEqual(after['coinw_state_load_failures_total{account="main"}'], 0)
            uids = sum(1 for k in after if k.startswith("coinw_invitee_current_balance{"))
            self.assertEqual(uids, INVITEES)
            if FIGURES:
                size = os.path.getsize(state_file)
                print(f"[figure] {INVITEES} invitees: state file {size / 1e6:.1f} MB; {written[-1]}")
                print(f"[figure] first scrape after restart: {first_scrape:.2f} s from process start "
                      f"(load and serve), the scrape itself {scrape_only:.2f} s; {uids} of {INVITEES} invitees served")
            self.stop(proc)

            # A corrupt file: a warning naming it, a counted failure, and a normal start.
            harness.http("POST", sim + "/admin/faults?rate=0")
            # Each exporter process spaces its own requests; a new one must not add to the
            # first one's within CoinW's 1-second window.
            time.sleep(1.2)
            with open(state_file, "w") as f:
                f.write(text[: len(text) // 2])
            proc, url = harness.start_exporter(procs, EXPORTER, config, name="third")
            third = series(harness.get_text(url + "/metrics", timeout=120)[1])
            self.assertEqual(third['coinw_state_load_failures_total{account="main"}'], 1)
            self.assertIn(state_file, procs.log("third"))
            self.assertEqual(third['coinw_invitees{account="main",quote="usdt"}'], INVITEES, "fresh data instead")
            self.stop(proc)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
