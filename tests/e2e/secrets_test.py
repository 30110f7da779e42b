"""Secrets and personal data: the real binaries with a distinctive API key and
secret, at --log.level=debug in both log formats, through startup, scrapes,
--config.check (valid and invalid), --api.check (both formats, a good and a
wrong secret), failed reloads, authentication failures, a TLS failure and a bad
web config. Everything a user can see (logs, /metrics, the landing page,
/-/reload answers, config-check output, error messages) must hold neither the
secret, nor the API key, nor any full nickname from the simulator's dataset,
nor any sub-account API key in full (or its first 12 characters), nor any key's
remark or bound IP address; --api.check's output, meant to be pasted into bug
reports, holds no uid or user code either. A secret file readable by others is
warned about by name."""
import json
import os
import re
import signal
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402

EXPORTER, SIM = sys.argv[1], sys.argv[2]
API_KEY = "AKEY-7f3c9e21-d4b8-4a6e-9c1d-55aa0b17e3f9"
SECRET = "SSEC-b9e2417d6a0c4f58-83de-2c71f90ab6d4"
WRONG_SECRET = "WSEC-0d8f2b64e1a94c37-af15-6b2e8c90d7f3"

CONFIG = """
global:
  http: {{ connect_timeout: 1s, read_timeout: 2s }}
accounts:
  - name: main
    base_url: {base}
    api_key_file: {key_file}
    secret_key_file: {secret_file}
    invitee_assets: {{ quotes: [usdt, usdc], min_refresh_interval: 1s }}
    sub_accounts:
      min_refresh_interval: 1s
      api_keys: {{ min_refresh_interval: 1s }}
      funds: {{ coins: [USDT], min_refresh_interval: 5s }}
"""
# --api.check runs with the funnel collectors on too, so that their probes' output is checked.
FUNNEL = """    invitee_registrations: {{ enabled: true }}
    invitee_trade_volume: {{ enabled: true }}
"""
# A trade booked for the check: its volume must not show.
TRADE_VOLUME = "7531.9864"
# Secrets inline next to errors: a value that must not be echoed.
BAD_CONFIGS = {
    "unknown_key": f"accounts: [ {{name: main, api_key: {API_KEY}, secret_key: {SECRET}, bogus: 1}} ]\n",
    "secret_as_list": f"accounts: [ {{name: main, api_key: {API_KEY}, secret_key: [{SECRET}]}} ]\n",
    "key_as_map": f"accounts: [ {{name: main, api_key: {{ {API_KEY}: 1 }}, secret_key: {SECRET}}} ]\n",
    "bad_page_size": (f"accounts: [ {{name: main, api_key: {API_KEY}, secret_key: {SECRET}, "
                      "invitee_assets: {page_size: 5000}} ]\n"),
    "both_secret_and_file": (f"accounts: [ {{name: main, api_key: {API_KEY}, secret_key: {SECRET}, "
                             "secret_key_file: /nonexistent} ]\n"),
    "broken_yaml": f"accounts:\n  - name: main\n    api_key: {API_KEY}\n    secret_key: \"{SECRET}\n  bad: [\n",
    "bad_url": f"accounts: [ {{name: main, base_url: 'ftp://{SECRET}@x', api_key: {API_KEY}, secret_key: {SECRET}}} ]\n",
}


def failed(url, endpoint, reason):
    metrics = harness.get_text(url + "/metrics")[1]
    return re.search(rf'coinw_api_failures_total{{account="main",endpoint="{endpoint}",reason="{reason}"}} [1-9]',
                     metrics) is not None


class Seen:
    """Everything a user saw, with where it came from."""

    def __init__(self):
        self.items = []

    def add(self, where, text):
        if isinstance(text, bytes):
            text = text.decode(errors="replace")
        self.items.append((where, text))


class Secrets(unittest.TestCase):
    def scenario(self, log_format):
        seen = Seen()
        with harness.Processes() as procs:
            key_file = procs.write("api_key", API_KEY + "\n")
            secret_file = procs.write("secret", SECRET + "\n")
            sim_secret = procs.write("sim_secret", SECRET + "\n")
            sim = harness.start_simulator(procs, SIM, f"--api-key={API_KEY}", f"--secret-key-file={sim_secret}",
                                          "--invitees=150")
            subs = harness.sim_json(sim, "/admin/dataset")["subAccounts"]
            nicks = [s["nickName"] for s in subs]
            keys = [k for s in subs for k in s["apiKeys"]]
            self.assertTrue(any(k["apiWhiteList"] for k in keys) and any("@" in k["apiRemark"] for k in keys))
            flags = ["--log.level=debug", f"--log.format={log_format}", "--web.enable-lifecycle"]
            config = procs.write("config.yml", CONFIG.format(base=sim, key_file=key_file, secret_file=secret_file))

            def check(config_path, name):
                r = subprocess.run([EXPORTER, f"--config.file={config_path}", "--config.check", *flags],
                                   capture_output=True, text=True)
                seen.add(f"config.check {name} (exit {r.returncode})", r.stdout + r.stderr)
                return r

            # --config.check, valid and invalid.
            self.assertEqual(check(config, "valid").returncode, 0)
            for name, text in BAD_CONFIGS.items():
                path = procs.write(f"bad-{name}.yml", text)
                self.assertEqual(check(path, name).returncode, 1, name)

            # --api.check: a few paced requests; its output holds nothing that identifies.
            signup = harness.http("POST", sim + "/admin/signups")
            self.assertEqual(signup[0], 200)
            uid = json.loads(signup[2])["uid"]
            trade = harness.http("POST", f"{sim}/admin/invitees/{uid}/trade?volume={TRADE_VOLUME}")
            self.assertEqual(trade[0], 200)
            dataset = harness.sim_json(sim, "/admin/dataset")
            ids = [str(i["uid"]) for q in ("usdt", "usdc") for i in dataset["invitees"][q]]
            ids += [str(s["spotUid"]) for s in dataset["subAccounts"]] + [s["userCode"] for s in dataset["subAccounts"]]
            ids += [TRADE_VOLUME]
            wrong_file = procs.write("wrong_secret", WRONG_SECRET + "\n")
            check_config = procs.write("config-check.yml", (CONFIG + FUNNEL).format(
                base=sim, key_file=key_file, secret_file=secret_file))
            for name, path, code in (("text", check_config, 0), ("json", check_config, 0),
                                     ("wrong secret", procs.write("config-wrong.yml", (CONFIG + FUNNEL).format(
                                         base=sim, key_file=key_file, secret_file=wrong_file)), 1)):
                fmt = "json" if name == "json" else "text"
                r = subprocess.run([EXPORTER, f"--config.file={path}", "--api.check", f"--format={fmt}", *flags],
                                   capture_output=True, text=True, timeout=60)
                self.assertEqual(r.returncode, code, r.stdout + r.stderr)
                self.assertIn("sub_accounts.access", r.stdout)
                self.assertIn("invitee_trade_volume.access", r.stdout)
                seen.add(f"api.check {name}", r.stdout + r.stderr)
                found = [i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", r.stdout + r.stderr)]
                self.assertEqual(found, [], f"uids or user codes in --api.check ({name})")

            # Startup and successful scrapes.
            proc, url = harness.start_exporter(procs, EXPORTER, config, *flags)
            for _ in range(2):
                status, metrics = harness.get_text(url + "/metrics")
                self.assertEqual(status, 200)
                self.assertIn('coinw_sub_accounts{account="main"} 12', metrics)
                self.assertIn('coinw_collector_success{account="main",collector="invitee_assets"} 1', metrics)
                seen.add("/metrics", metrics)
            harness.wait_for(lambda: "coinw_sub_account_api_key_read_only{" in harness.get_text(url + "/metrics")[1],
                             10, "the API-key inventory")
            seen.add("/metrics with keys", harness.get_text(url + "/metrics")[1])
            for path in ("/", "/-/healthy", "/-/ready", "/nonexistent"):
                seen.add(path, harness.http("GET", url + path)[2])

            # A reload that fails, by /-/reload and by SIGHUP; the landing page after it.
            with open(config) as f:
                good = f.read()
            for name, text in BAD_CONFIGS.items():
                procs.write("config.yml", text)
                status, _, body = harness.http("POST", url + "/-/reload")
                self.assertEqual(status, 500, name)
                seen.add(f"/-/reload {name}", body)
            proc.send_signal(signal.SIGHUP)
            harness.wait_for(lambda: "reload" in procs.log("exporter").lower(), 5, "the SIGHUP reload")

            # Authentication failures: the running exporter reloads a wrong secret.
            procs.write("config.yml", good.replace(secret_file, wrong_file))
            status, _, body = harness.http("POST", url + "/-/reload")
            self.assertEqual(status, 200, body)
            seen.add("/-/reload wrong secret", body)
            harness.wait_for(lambda: failed(url, "invitee_assets", "auth") and failed(url, "sub_account_list", "auth"),
                             10, "auth failures")
            status, metrics = harness.get_text(url + "/metrics")
            self.assertRegex(metrics, r'coinw_api_failures_total\{account="main",endpoint="invitee_assets",'
                                      r'reason="auth"\} [1-9]')
            self.assertRegex(metrics, r'coinw_api_failures_total\{account="main",endpoint="sub_account_list",'
                                      r'reason="auth"\} [1-9]')
            seen.add("/metrics after auth failures", metrics)
            seen.add("/ after auth failures", harness.http("GET", url + "/")[2])

            # A TLS failure: https to the plain-HTTP simulator.
            procs.write("config.yml", good.replace(sim, sim.replace("http://", "https://")))
            self.assertEqual(harness.http("POST", url + "/-/reload")[0], 200)
            harness.wait_for(lambda: failed(url, "sub_account_list", "tls"), 10, "a TLS failure")
            status, metrics = harness.get_text(url + "/metrics")
            seen.add("/metrics after TLS failure", metrics)

            proc.send_signal(signal.SIGTERM)
            self.assertEqual(proc.wait(timeout=10), 0)
            log = procs.log("exporter")
            seen.add("exporter log", log)
            self.assertIn("collector failed", log)
            self.assertRegex(log, r'level=debug|"level":"debug"', "debug lines expected at --log.level=debug")

            # A bad web config: the exporter refuses to start.
            web = procs.write("web.yml", f"basic_auth_users:\n  prometheus: {SECRET}\nbogus: {API_KEY}\n")
            procs.write("config.yml", good)
            r = subprocess.run([EXPORTER, f"--config.file={config}", f"--web.config.file={web}",
                                "--web.listen-address=127.0.0.1:0", *flags],
                               capture_output=True, text=True, timeout=20)
            self.assertNotEqual(r.returncode, 0)
            seen.add("bad web config", r.stdout + r.stderr)

            # A secret file readable by others: a warning that names the file.
            os.chmod(secret_file, 0o644)
            r = check(config, "secret file 0644")
            self.assertEqual(r.returncode, 0)
            self.assertIn(secret_file, r.stdout + r.stderr)
            self.assertRegex(r.stdout + r.stderr, r"(?i)warn")
            p2, _ = harness.start_exporter(procs, EXPORTER, config, *flags, name="exporter-0644")
            p2.send_signal(signal.SIGTERM)
            p2.wait(timeout=10)
            log = procs.log("exporter-0644")
            self.assertIn(secret_file, log, "no warning naming the readable secret file")
            seen.add("exporter log, secret file 0644", log)

        if os.environ.get("COINW_SHOW_SEEN"):
            for where, text in seen.items:
                print(f"===== {where}\n{text[:1500]}")
        leaks = []
        for where, text in seen.items:
            for what, value in (("secret", SECRET), ("wrong secret", WRONG_SECRET), ("api key", API_KEY)):
                if value in text:
                    i = text.index(value)
                    leaks.append(f"{what} in {where}: ...{text[max(0, i - 120):i + 60]!r}...")
            for nick in nicks:
                if len(nick) > 4 and nick in text:
                    leaks.append(f"nickname {nick!r} in {where}")
            for k in keys:
                for what, value in [("sub-account api key", k["apiKey"][:12]), ("key remark", k["apiRemark"])] + \
                        [("bound IP", ip) for ip in k["apiWhiteList"]]:
                    if len(value) > 4 and value in text:
                        leaks.append(f"{what} {value!r} in {where}")
        self.assertEqual(leaks, [], "\n".join(leaks))

    def test_logfmt(self):
        self.scenario("logfmt")

    def test_json(self):
        self.scenario("json")


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
