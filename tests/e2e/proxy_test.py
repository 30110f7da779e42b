#!/usr/bin/env python3
"""The outbound proxy for real: the exporter reaches the simulator over TLS
through tinyproxy (CONNECT, basic auth with the password from a file), and the
simulator sees every request arrive from the proxy's outgoing address
(127.0.0.2), none carrying the proxy's credentials. A proxy that refuses the
credentials or the CONNECT, one that is down and one that accepts but never
answers each make requests fail with reason `proxy`, counted, within the scrape.

    proxy_test.py EXPORTER_BIN SIM_BIN TINYPROXY_BIN
"""
import json
import os
import re
import socket
import ssl
import subprocess
import sys
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402

EXPORTER, SIM, TINYPROXY = sys.argv[1], sys.argv[2], sys.argv[3]
PASSWORD = "PXPW-5e1f0c7a9b3d4e28"
PROXY_OUT = "127.0.0.2"  # tinyproxy's Bind: where proxied requests come from

CONFIG = """
global:
  http:
    connect_timeout: 2s
    read_timeout: {read_timeout}
    ca_file: {ca}
    proxy_url: {proxy_url}
    proxy_password_file: {password_file}
accounts:
  - name: main
    base_url: {sim}
    api_key: demo-key
    secret_key: demo-secret
    invitee_assets: {{ quotes: [usdt], min_refresh_interval: 1s }}
    sub_accounts: {{ min_refresh_interval: 1s }}
"""


def make_certs(d):
    """A throwaway CA and a certificate for 127.0.0.1, as tests/support/test_ca.h makes them."""
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    with open(os.path.join(d, "ext.cnf"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1\n")
    for argv in (["req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=proxy test CA"],
                 ["req", *ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"],
                 ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                  "-out", "server.pem", "-days", "1", "-extfile", "ext.cnf"]):
        subprocess.run(["openssl", *argv], cwd=d, check=True, capture_output=True)
    return [os.path.join(d, n) for n in ("ca.pem", "server.pem", "server.key")]


class Proxied(unittest.TestCase):
    def setUp(self):
        self.procs = harness.Processes().__enter__()
        self.ca, cert, key = make_certs(self.procs.dir)
        port = harness.free_port()
        self.procs.start("sim", [SIM, f"--listen=127.0.0.1:{port}", f"--tls-cert={cert}", f"--tls-key={key}",
                                 "--invitees=30", "--sub-accounts=4"])
        self.sim = f"https://127.0.0.1:{port}"
        self.tls = ssl.create_default_context(cafile=self.ca)
        harness.wait_for(lambda: self.counters() is not None, 10, "the simulator over TLS")
        self.password_file = self.procs.write("proxy_password", PASSWORD + "\n")

    def tearDown(self):
        result = self._outcome.result
        failed = any(test is self for test, _ in result.errors + result.failures)
        self.procs.__exit__(AssertionError if failed else None, None, None)  # logs on failure

    def counters(self):
        with urllib.request.urlopen(self.sim + "/admin/counters", context=self.tls, timeout=10) as r:
            return json.loads(r.read())

    def api_requests(self):
        return sum(e["requests"] for e in self.counters()["endpoints"].values())

    def start_tinyproxy(self, connect_port, password=PASSWORD):
        port = harness.free_port()
        conf = self.procs.write("tinyproxy.conf", "\n".join([
            f"Port {port}", "Listen 127.0.0.1", f"Bind {PROXY_OUT}", "Timeout 30", "MaxClients 20",
            "LogLevel Connect", f"LogFile \"{self.procs.dir}/tinyproxy-requests.log\"", "Allow 127.0.0.1",
            f"ConnectPort {connect_port}", f"BasicAuth exporter {password}", "DisableViaHeader Yes", ""]))
        self.procs.start("tinyproxy", [TINYPROXY, "-d", "-c", conf])
        harness.wait_for(lambda: socket.create_connection(("127.0.0.1", port), timeout=1).close() is None, 10,
                         "tinyproxy")
        return port

    def write_config(self, proxy_port, read_timeout="10s"):
        return self.procs.write("config.yml", CONFIG.format(
            read_timeout=read_timeout, ca=self.ca, proxy_url=f"http://exporter@127.0.0.1:{proxy_port}",
            password_file=self.password_file, sim=self.sim))

    def api_check(self, proxy_port):
        """--api.check's exit code and its connection finding."""
        r = subprocess.run([EXPORTER, f"--config.file={self.write_config(proxy_port)}", "--api.check"],
                           capture_output=True, text=True, timeout=120)
        self.assertNotIn(PASSWORD, r.stdout + r.stderr)
        line = [x for x in r.stdout.splitlines() if x.startswith("main connection ")]
        self.assertEqual(len(line), 1, f"exit {r.returncode}: {r.stdout}{r.stderr}")
        return r.returncode, line[0]

    def test_api_check_through_the_proxy(self):
        port = self.start_tinyproxy(self.sim.rsplit(":", 1)[1])
        code, line = self.api_check(port)
        self.assertEqual(code, 0, line)
        self.assertIn(f"over TLS, via proxy http://exporter:<secret>@127.0.0.1:{port} (global.http.proxy_url)", line)
        self.assertTrue(line.startswith("main connection ok:"), line)
        self.assertEqual(self.counters()["peers"], {PROXY_OUT: self.api_requests()})
        code, line = self.api_check(harness.free_port())  # a proxy that is down
        self.assertEqual(code, 1)
        self.assertRegex(line, r"^main connection FAIL: could not reach .* proxy: .*Setting: check proxy_url")

    def start_exporter(self, proxy_port, read_timeout="10s"):
        config = self.write_config(proxy_port, read_timeout)
        check = subprocess.run([EXPORTER, f"--config.file={config}", "--config.check"], capture_output=True, text=True)
        self.assertEqual(check.returncode, 0, check.stderr)
        self.assertIn(f"via proxy http://exporter:<secret>@127.0.0.1:{proxy_port} (global.http.proxy_url)", check.stdout)
        self.assertNotIn(PASSWORD, check.stdout + check.stderr)
        return harness.start_exporter(self.procs, EXPORTER, config)[1]

    def scrape(self, url):
        # A budget Prometheus would give; the answer must come within it.
        status, text = harness.get_text(url + "/metrics", headers={"X-Prometheus-Scrape-Timeout-Seconds": "8"},
                                        timeout=30)
        self.assertEqual(status, 200)
        return text

    def proxy_failures(self, text):
        return {m[0]: float(m[1]) for m in re.findall(
            r'coinw_api_failures_total\{account="main",endpoint="(\w+)",reason="proxy"\} (\S+)', text)}

    def expect_proxy_failures(self, url, what):
        text = ""
        for _ in range(3):
            text = self.scrape(url)
            if all(v > 0 for v in self.proxy_failures(text).values()):
                break
        self.assertEqual(set(self.proxy_failures(text)), {"invitee_assets", "sub_account_list", "sub_account_apikey"})
        self.assertTrue(all(v > 0 for v in self.proxy_failures(text).values()), f"{what}: {self.proxy_failures(text)}")
        self.assertEqual(self.api_requests(), 0, f"{what}: nothing may reach CoinW past the proxy")
        self.assertNotIn(PASSWORD, text + self.procs.log("exporter"))
        return text

    def test_every_request_goes_through_the_proxy(self):
        url = self.start_exporter(self.start_tinyproxy(self.sim.rsplit(":", 1)[1]))
        ok = ('coinw_collector_success{account="main",collector="invitee_assets"} 1',
              'coinw_collector_success{account="main",collector="sub_accounts"} 1')
        harness.wait_for(lambda: all(s in self.scrape(url) for s in ok), 20, "data through the proxy")
        before = self.api_requests()
        time.sleep(1.2)  # past min_refresh_interval: the next scrape asks again, through the open tunnel
        text = self.scrape(url)
        self.assertEqual(set(self.proxy_failures(text).values()), {0.0})
        c = self.counters()
        total = self.api_requests()
        self.assertGreater(total, before)
        self.assertEqual(c["peers"], {PROXY_OUT: total}, "every request must arrive from the proxy")
        self.assertEqual(c["proxy_credentials"], 0, "the proxy's credentials must not reach CoinW")
        with open(os.path.join(self.procs.dir, "tinyproxy-requests.log")) as f:
            self.assertRegex(f.read(), r"CONNECT 127\.0\.0\.1:\d+")
        # The simulator's Date header: both clocks are this machine's.
        skew = re.search(r'^coinw_api_clock_skew_seconds\{account="main"\} (\S+)$', text, re.M)
        self.assertIsNotNone(skew, "no clock skew from the Date header")
        self.assertLess(abs(float(skew.group(1))), 2)

    def test_wrong_password_is_a_proxy_failure(self):
        url = self.start_exporter(self.start_tinyproxy(self.sim.rsplit(":", 1)[1], password="another-password"))
        self.expect_proxy_failures(url, "bad credentials")
        # tinyproxy refuses them with 401 where RFC 9110 says 407: any refusal counts.
        self.assertIn("the proxy refused CONNECT: HTTP 401", self.procs.log("exporter"))

    def test_refused_connect_is_a_proxy_failure(self):
        url = self.start_exporter(self.start_tinyproxy(harness.free_port()))  # CONNECT allowed to another port only
        self.expect_proxy_failures(url, "403")
        self.assertIn("refused CONNECT: HTTP 403", self.procs.log("exporter"))

    def test_a_proxy_that_is_down_is_a_proxy_failure(self):
        url = self.start_exporter(harness.free_port())  # nothing listens
        self.expect_proxy_failures(url, "down")

    def test_a_proxy_that_never_answers_fails_within_the_scrape(self):
        with socket.socket() as silent:  # the kernel accepts; nobody reads or answers
            silent.bind(("127.0.0.1", 0))
            silent.listen(8)
            url = self.start_exporter(silent.getsockname()[1], read_timeout="1s")
            self.expect_proxy_failures(url, "silent")


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
