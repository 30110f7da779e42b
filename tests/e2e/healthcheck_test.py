#!/usr/bin/env python3
"""coinw_healthcheck URL: 0 for a 2xx answer, 1 for anything else, including a
server that accepts the connection and never answers (the 5 s deadline).

    healthcheck_test.py HEALTHCHECK_BIN SIM_BIN
"""
import socket
import subprocess
import sys

import harness


def check(binary, *args):
    # The bound only keeps a broken deadline from hanging the suite.
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=60)


def main(binary, sim_bin):
    failures = []

    def expect(code, *args):
        res = check(binary, *args)
        if res.returncode != code:
            failures.append(f"{args}: exit {res.returncode}, expected {code}; stderr: {res.stderr.strip()}")

    with harness.Processes() as procs:
        sim = harness.start_simulator(procs, sim_bin)
        expect(0, sim + "/admin/counters")
        expect(0, sim + "/admin/dataset?unused=1")
        expect(1, sim + "/no-such-page")  # 404
    expect(1, f"http://127.0.0.1:{harness.free_port()}/-/healthy")  # nothing listens
    expect(1, "localhost:9866/-/healthy")  # not a URL
    expect(1)  # no URL
    # Accepts (the kernel completes the handshake) but never answers.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        expect(1, f"http://127.0.0.1:{silent.getsockname()[1]}/-/healthy")

    return harness.report(failures)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
