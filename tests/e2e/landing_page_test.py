#!/usr/bin/env python3
"""The exporter's landing page and its runbook page in a real browser: headless
Chromium from Debian loads them (with a non-default telemetry path, so that
relative links are put to the test) and dumps the DOM it built. The landing
page must render (a title, a heading, the version, each account), every link
to the exporter must answer 200, every in-page anchor must name an element of
the page, and nothing secret may be in either DOM: not the API key, not the
secret, not one full nickname of the simulator's dataset. The markup itself is
free to change.

    landing_page_test.py EXPORTER_BIN SIM_BIN CHROMIUM_BIN
"""
import html.parser
import subprocess
import sys
import tempfile
import urllib.parse

import harness

API_KEY = "AKEY-b1e6c0d9-7f24-4e3a-8c55-2d90e1f4a7b3"
SECRET = "SSEC-4c8e2a7f90d1b356-e7a0-91bd5f3c28e6"
CONFIG = """
accounts:
  - name: main
    base_url: {sim}
    api_key: {key}
    secret_key_file: {secret}
    invitee_assets: {{ quotes: [usdt] }}
  - name: spot-only
    base_url: {sim}
    api_key: {key}
    secret_key_file: {secret}
    invitee_assets: {{ enabled: false }}
"""


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.links, self.text, self.title, self.ids = [], [], [], "", set()
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in_title = tag == "title"
        self.ids.update(v for k, v in attrs if k in ("id", "name") and v)
        href = dict(attrs).get("href")
        if tag == "a" and href is not None:
            self.links.append(href)

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        self.text.append(data)
        if self._in_title:
            self.title += data


def dump_dom(chromium, url):
    with tempfile.TemporaryDirectory(prefix="coinw-chromium-") as profile:
        res = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--dump-dom", url],
            capture_output=True, text=True, timeout=120)
    if res.returncode != 0 or "<html" not in res.stdout:
        raise AssertionError(f"chromium could not load {url} (exit {res.returncode}): {res.stderr[-1500:]}")
    return res.stdout


def main(exporter, sim_bin, chromium):
    failures = []

    def expect(ok, what):
        if not ok:
            failures.append(what)

    with harness.Processes() as procs:
        sim_secret = procs.write("sim_secret", SECRET + "\n")
        sim = harness.start_simulator(procs, sim_bin, f"--api-key={API_KEY}", f"--secret-key-file={sim_secret}",
                                      "--invitees=20")
        nicks = [s["nickName"] for s in harness.sim_json(sim, "/admin/dataset")["subAccounts"]]
        config = procs.write("config.yml", CONFIG.format(sim=sim, key=API_KEY, secret=sim_secret))
        _, url = harness.start_exporter(procs, exporter, config, "--web.telemetry-path=/custom/metrics")
        status, _ = harness.get_text(url + "/custom/metrics")  # collectors get a status to show
        expect(status == 200, f"/custom/metrics answered {status}")

        secrets = [("API key", API_KEY), ("secret", SECRET)] + [("nickname", n) for n in nicks if len(n) > 3]
        checked = set()

        def visit(path):
            """Loads a page in the browser; checks its links and that it holds no secret."""
            dom = dump_dom(chromium, url + path)
            page = Page()
            page.feed(dom)
            for href in page.links:
                target = urllib.parse.urljoin(url + path, href)
                base, _, anchor = target.partition("#")
                if base == url + path and anchor:
                    expect(anchor in page.ids, f"{path}: the anchor #{anchor} names nothing on the page")
                elif target.startswith(url + "/") and base not in checked:
                    checked.add(base)
                    status = harness.http("GET", base)[0]
                    expect(status == 200, f"{path}: link {base} answers {status}")
            for name, value in secrets:
                expect(value not in dom, f"{path}: the DOM holds the {name} {value[:6]}...")
            return dom, page

        dom, page = visit("/")
        text = " ".join(page.text)
        expect(page.title.strip(), "the page has no title")
        expect("h1" in page.tags, "the page has no heading")
        expect("0.1.0" in text or "version" in text.lower(), "the page does not show the version")
        for account in ("main", "spot-only"):
            expect(account in text, f"account {account} is not on the page")
        expect(page.links, "the page has no links")
        resolved = {urllib.parse.urljoin(url + "/", href) for href in page.links}
        expect(url + "/custom/metrics" in resolved, f"no link to the telemetry path among {sorted(resolved)}")
        for link in sorted(resolved):
            expect(link.startswith(url + "/"), f"link {link} leaves the exporter")
        if url + "/runbook" in resolved:  # the runbook page, when the exporter serves one
            _, runbook = visit("/runbook")
            expect(runbook.title.strip() and "h2" in runbook.tags, "the runbook page renders no sections")
        print(f"landing page: {len(dom)} bytes of DOM; {len(checked)} page(s) linked answered")

    return harness.report(failures)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
