"""Starts the project's binaries (and Prometheus) on free loopback ports for
end-to-end tests, and stops every process it started, also on failure."""
import contextlib
import gzip
import json
import os
import signal
import socket
import subprocess
import tempfile
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request

PROMETHEUS = shutil.which("prometheus") or "/usr/bin/prometheus"
# The start of an exporter configuration with one account, `demo`, on the
# simulator at {sim} (str.format), its collectors' settings to follow.
DEMO_ACCOUNT = """
accounts:
  - name: demo
    base_url: {sim}
    api_key: demo-key
    secret_key: demo-secret
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, headers=None, timeout=30):
    """(status, headers, body bytes); HTTP errors are answers, not exceptions."""
    req = urllib.request.Request(url, method=method, headers=headers or {})
    if method == "POST":
        req.data = b""
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def get_text(url, **kw):
    status, headers, body = http("GET", url, **kw)
    if headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return status, body.decode()


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if predicate():
                return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


class Processes:
    """A context that owns child processes and their logs."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="coinw-e2e-")
        self.children = []

    def __enter__(self):
        return self

    def start(self, name, argv):
        log = open(os.path.join(self.dir, name + ".log"), "wb")
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.children.append((name, proc, log))
        return proc

    def log(self, name):
        with open(os.path.join(self.dir, name + ".log"), errors="replace") as f:
            return f.read()

    def write(self, name, text, mode=0o600):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, mode)
        return path

    def __exit__(self, *exc):
        for name, proc, log in self.children:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
            log.close()
        if exc[0] is not None:
            for name, _, _ in self.children:
                print(f"----- {name} log -----\n{self.log(name)[-4000:]}")
        return False


def start_simulator(procs, sim_bin, *extra):
    port = free_port()
    procs.start("sim", [sim_bin, f"--listen=127.0.0.1:{port}", *extra])
    url = f"http://127.0.0.1:{port}"
    wait_for(lambda: http("GET", url + "/admin/counters")[0] == 200, 10, "the simulator")
    return url


def start_exporter(procs, exporter_bin, config_path, *extra, name="exporter", port=None):
    """port: the one to listen on, e.g. a restarted exporter's old one (default: a free one)."""
    port = port or free_port()
    proc = procs.start(name, [exporter_bin, f"--config.file={config_path}",
                              f"--web.listen-address=127.0.0.1:{port}", *extra])
    url = f"http://127.0.0.1:{port}"
    wait_for(lambda: http("GET", url + "/-/healthy")[0] == 200, 10, "the exporter")
    return proc, url


def sim_json(sim_url, path):
    return json.loads(http("GET", sim_url + path)[2])


def start_prometheus(procs, config_path, name="prometheus", *extra):
    """Debian's prometheus on a free loopback port, ready; returns its URL."""
    port = free_port()
    procs.start(name, [PROMETHEUS, f"--config.file={config_path}", f"--storage.tsdb.path={procs.dir}/{name}-tsdb",
                       f"--web.listen-address=127.0.0.1:{port}", *extra])
    url = f"http://127.0.0.1:{port}"
    wait_for(lambda: http("GET", url + "/-/ready")[0] == 200, 30, name)
    return url


def query(prom, expr):
    """The result of an instant PromQL query; a failed query raises."""
    url = prom + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    status, _, body = http("GET", url)
    answer = json.loads(body)
    if status != 200 or answer.get("status") != "success":
        raise AssertionError(f"query failed ({status}): {expr}: {answer.get('error')}")
    return answer["data"]["result"]


def report(failures, what="failure"):
    """Prints each failure and the count; returns the exit code."""
    for f in failures:
        print("FAIL", f)
    print(f"{len(failures)} {what}(s)")
    return 1 if failures else 0
