#!/usr/bin/env python3
"""scripts/demo.sh as a new user runs it, on ports other than the defaults:
the exporter must reach the simulator (the port is passed through to the
config), serve CoinW data, and both processes must stop with the script.

    demo_test.py SCRIPT BUILD_DIR
"""
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile

from harness import free_port, get_text, wait_for


def port_open(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def main(script, build_dir):
    sim_port, exporter_port = free_port(), free_port()
    assert 8790 not in (sim_port, exporter_port) and 9866 not in (sim_port, exporter_port)
    env = dict(os.environ, COINW_SIM_PORT=str(sim_port), COINW_EXPORTER_PORT=str(exporter_port))
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen([script, "--build-dir", build_dir], env=env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            url = f"http://127.0.0.1:{exporter_port}/metrics"
            # Sub-accounts are one request: the first scrape refreshes them.
            ok = 'coinw_collector_success{account="demo",collector="sub_accounts"} 1'
            wait_for(lambda: ok in get_text(url, timeout=20)[1], 60, "sub-account data from the simulator")
            body = get_text(url)[1]
            assert 'coinw_sub_accounts{account="demo"}' in body, "no sub-account count"
            network = re.findall(r'^coinw_api_failures_total\{[^}]*reason="network"\} [1-9].*$', body, re.M)
            assert not network, f"network failures against the simulator: {network}"
            os.kill(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
            wait_for(lambda: not port_open(sim_port) and not port_open(exporter_port), 10,
                     "both demo processes to stop")
        except BaseException:
            log.seek(0)
            print(log.read().decode(errors="replace")[-4000:])
            raise
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    print(f"demo on ports {sim_port}/{exporter_port}: scraped and stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
