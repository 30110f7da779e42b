"""The real coinw_exporter binary against the real coinw-sim binary: endpoints,
gzip, --config.check, SIGHUP and /-/reload, graceful SIGTERM, and no secret or
full nickname anywhere a user or operator can see."""
import json
import os
import signal
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402

EXPORTER, SIM = sys.argv[1], sys.argv[2]
SECRET = "demo-secret"

CONFIG = """
accounts:
  - name: main
    base_url: {sim}
    api_key: demo-key
    secret_key_file: {secret_file}
    invitee_assets: {{ quotes: [usdt], page_size: 100 }}
"""
SECOND = """
  - name: second
    base_url: {sim}
    api_key: demo-key
    secret_key_file: {secret_file}
    invitee_assets: {{ enabled: false }}
"""


class ExporterProcess(unittest.TestCase):
    def test_lifecycle(self):
        with harness.Processes() as procs:
            sim = harness.start_simulator(procs, SIM, "--invitees=120")
            secret_file = procs.write("secret", SECRET + "\n")
            config = procs.write("config.yml", CONFIG.format(sim=sim, secret_file=secret_file))

            check = subprocess.run([EXPORTER, f"--config.file={config}", "--config.check"],
                                   capture_output=True, text=True)
            self.assertEqual(check.returncode, 0, check.stderr)
            self.assertIn("main", check.stdout)
            self.assertNotIn(SECRET, check.stdout + check.stderr)

            proc, url = harness.start_exporter(procs, EXPORTER, config, "--log.level=debug",
                                               "--web.enable-lifecycle")
            self.assertEqual(harness.http("GET", url + "/-/ready")[0], 200)
            status, page = harness.get_text(url + "/")
            self.assertEqual(status, 200)
            self.assertIn("main", page)

            status, headers, raw = harness.http("GET", url + "/metrics", {"Accept-Encoding": "gzip"})
            self.assertEqual(status, 200)
            self.assertEqual(headers.get("Content-Encoding"), "gzip")
            status, metrics = harness.get_text(url + "/metrics")
            self.assertIn('coinw_invitees{account="main",quote="usdt"} 120', metrics)
            self.assertIn('coinw_sub_accounts{account="main"} 12', metrics)
            lint = subprocess.run(["promtool", "check", "metrics"], input=metrics, capture_output=True, text=True)
            self.assertEqual((lint.returncode, lint.stdout + lint.stderr), (0, ""))

            # SIGHUP with a second account added: it appears, the first keeps its cache.
            requests_before = harness.sim_json(sim, "/admin/counters")["endpoints"]["invitee_assets"]["requests"]
            with open(config, "a") as f:
                f.write(SECOND.format(sim=sim, secret_file=secret_file))
            proc.send_signal(signal.SIGHUP)
            harness.wait_for(lambda: 'coinw_sub_accounts{account="second"}' in harness.get_text(url + "/metrics")[1],
                             10, "the reloaded account")
            requests_after = harness.sim_json(sim, "/admin/counters")["endpoints"]["invitee_assets"]["requests"]
            self.assertEqual(requests_before, requests_after, "reload must keep account main's cached invitees")

            # A broken config on /-/reload is refused and the running one stays.
            procs.write("config.yml", "accounts: [ {name: main, api_key: demo-key, secret_key: " + SECRET + ", bogus: 1} ]")
            status, _, body = harness.http("POST", url + "/-/reload")
            self.assertEqual(status, 500)
            self.assertIn(b"bogus", body)
            self.assertNotIn(SECRET.encode(), body)
            self.assertEqual(harness.http("GET", url + "/-/reload")[0], 405)
            metrics = harness.get_text(url + "/metrics")[1]
            self.assertIn("coinw_exporter_config_last_reload_successful 0", metrics)
            self.assertIn('coinw_sub_accounts{account="second"}', metrics)

            bad = subprocess.run([EXPORTER, f"--config.file={config}", "--config.check"], capture_output=True, text=True)
            self.assertEqual(bad.returncode, 1)
            self.assertIn("accounts[0].bogus", bad.stderr)
            self.assertNotIn(SECRET, bad.stdout + bad.stderr)

            proc.send_signal(signal.SIGTERM)
            self.assertEqual(proc.wait(timeout=10), 0)
            log = procs.log("exporter")
            self.assertIn("shutting down", log)
            self.assertNotIn(SECRET, log)
            for sub in harness.sim_json(sim, "/admin/dataset")["subAccounts"]:
                if len(sub["nickName"]) > 4:
                    self.assertNotIn(sub["nickName"], metrics + page + log)

    def test_web_flags(self):
        with harness.Processes() as procs:
            sim = harness.start_simulator(procs, SIM)
            secret_file = procs.write("secret", SECRET + "\n")
            config = procs.write("config.yml", CONFIG.format(sim=sim, secret_file=secret_file))
            second = harness.free_port()
            proc, url = harness.start_exporter(procs, EXPORTER, config, "--web.telemetry-path=/coinw",
                                               f"--web.listen-address=127.0.0.1:{second}")
            for base in (url, f"http://127.0.0.1:{second}"):
                status, metrics = harness.get_text(base + "/coinw")
                self.assertEqual(status, 200, base)
                self.assertIn("process_resident_memory_bytes ", metrics)
                self.assertIn("process_open_fds ", metrics)
            self.assertEqual(harness.http("GET", url + "/metrics")[0], 404)
            self.assertIn('href="coinw"', harness.get_text(url + "/")[1])
            # Without --web.enable-lifecycle: 403, as Prometheus; SIGHUP still reloads.
            status, _, body = harness.http("POST", url + "/-/reload")
            self.assertEqual((status, body), (403, b"Lifecycle API is not enabled.\n"))
            procs.write("config.yml", "accounts: [ {name: main, bogus: 1} ]")
            proc.send_signal(signal.SIGHUP)
            harness.wait_for(lambda: "coinw_exporter_config_last_reload_successful 0"
                             in harness.get_text(url + "/coinw")[1], 10, "the failed SIGHUP reload")
            probe = harness.get_text(url + "/probe?account=main")[1]
            self.assertNotIn("process_", probe)

    def test_api_check(self):
        """--api.check in JSON: a key refused one endpoint fails that collector (exit 1); paced, never refused
        for speed; a bad --format is a flag error (exit 2)."""
        with harness.Processes() as procs:
            sim = harness.start_simulator(procs, SIM, "--invitees=120", "--deny=sub_account_list")
            secret_file = procs.write("secret", SECRET + "\n")
            config = procs.write("config.yml", CONFIG.format(sim=sim, secret_file=secret_file))
            r = subprocess.run([EXPORTER, f"--config.file={config}", "--api.check", "--format=json"],
                               capture_output=True, text=True, timeout=60)
            self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
            out = json.loads(r.stdout)
            self.assertEqual(out["exit_code"], 1)
            verdicts = {f["probe"]: f["verdict"] for f in out["accounts"][0]["findings"]}
            self.assertEqual(verdicts["sub_accounts.access"], "fail")
            self.assertEqual(verdicts["invitee_assets.access"], "ok")
            self.assertEqual(verdicts["invitee_assets.rate_limit"], "open")
            counters = harness.sim_json(sim, "/admin/counters")
            sent = sum(e["requests"] for e in counters["endpoints"].values())
            self.assertEqual(sent, out["accounts"][0]["requests"])
            self.assertLessEqual(sent, 20)
            self.assertEqual(counters["rate_limited"], 0)
            bad = subprocess.run([EXPORTER, f"--config.file={config}", "--api.check", "--format=xml"],
                                 capture_output=True, text=True)
            self.assertEqual((bad.returncode, bad.stdout), (2, ""))
            self.assertIn("--format", bad.stderr)

    def test_flags(self):
        version = subprocess.run([EXPORTER, "--version"], capture_output=True, text=True)
        self.assertEqual(version.returncode, 0)
        lines = version.stdout.splitlines()
        self.assertRegex(lines[0], r"^coinw_exporter, version \d+\.\d+\.\d+ \(branch: \S+, revision: \w+\)$")
        self.assertEqual([line.split(":")[0].strip() for line in lines[1:]],
                         ["build user", "build date", "compiler", "platform"])
        self.assertIn(b"--web.listen-address", subprocess.run([EXPORTER, "--help"], capture_output=True).stdout)
        wrong = subprocess.run([EXPORTER, "--nope"], capture_output=True, text=True)
        self.assertEqual(wrong.returncode, 2)
        self.assertIn("--nope", wrong.stderr)
        # The simulator parses with the same FlagSet: help is not an exit from the parser, bad flags are 2.
        sim_help = subprocess.run([SIM, "--help"], capture_output=True, text=True)
        self.assertEqual(sim_help.returncode, 0)
        self.assertIn("--secret-key-file=FILE", sim_help.stdout)
        sim_wrong = subprocess.run([SIM, "--invitees=many"], capture_output=True, text=True)
        self.assertEqual((sim_wrong.returncode, sim_wrong.stderr),
                         (2, "coinw-sim: flag --invitees: must be a whole number at least 0, got 'many'\n"))
        missing = subprocess.run([EXPORTER, "--config.file=/nonexistent.yml"], capture_output=True, text=True)
        self.assertEqual(missing.returncode, 1)
        self.assertIn("/nonexistent.yml", missing.stderr)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
