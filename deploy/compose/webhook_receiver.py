#!/usr/bin/env python3
"""An Alertmanager webhook receiver that prints every notification it gets.

    python3 webhook_receiver.py [--listen 0.0.0.0:5001] [--json]

One line per alert of a notification: the receiver (the path Alertmanager
posted to, e.g. /page), firing or resolved, the alert name, its labels and its
summary; --json adds the whole payload. GET /-/healthy answers 200. The compose
demo runs it as service `webhook` (`docker compose logs -f webhook`), and
tests/e2e/alertmanager_test.py uses Receiver to count notifications.
Standard library only.
"""
import argparse
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def describe(path, payload):
    """The lines printed for one notification."""
    lines = []
    for alert in payload.get("alerts", []):
        labels = dict(alert.get("labels", {}))
        name = labels.pop("alertname", "?")
        summary = alert.get("annotations", {}).get("summary", "")
        pairs = " ".join(f"{k}={v}" for k, v in sorted(labels.items()))
        lines.append(f"{path} {alert.get('status', '?').upper()} {name} {pairs} :: {summary}")
    return lines


class Receiver:
    """Serves on `listen` (host:port, port 0 for any) in a thread and keeps
    every notification as (path, payload), in the order received."""

    def __init__(self, listen="127.0.0.1:0", on_notification=None):
        host, port = listen.rsplit(":", 1)
        self.notifications = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    payload = json.loads(body)
                except ValueError:
                    self.send_response(400)
                    self.end_headers()
                    return
                with receiver._lock:
                    receiver.notifications.append((self.path, payload))
                if on_notification:
                    on_notification(self.path, payload)
                self.send_response(200)
                self.end_headers()

            def do_GET(self):
                self.send_response(200 if self.path == "/-/healthy" else 404)
                self.end_headers()

            def log_message(self, *args):  # the notifications are the log
                pass

        self._server = ThreadingHTTPServer((host, int(port)), Handler)
        self.url = f"http://{host}:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
        return False

    def received(self):
        with self._lock:
            return list(self.notifications)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--listen", default="0.0.0.0:5001")
    ap.add_argument("--json", action="store_true", help="also print each payload")
    args = ap.parse_args(argv)

    def show(path, payload):
        for line in describe(path, payload):
            print(line, flush=True)
        if args.json:
            print(json.dumps(payload, indent=2), flush=True)

    with Receiver(args.listen, show) as r:
        print(f"listening on {r.url}", flush=True)
        threading.Event().wait()


if __name__ == "__main__":
    sys.exit(main())
