#!/usr/bin/env python3
"""Screenshot an Odoo page as a given user, in headless Chromium.

Look at what you build the way a user sees it:

    .venv/bin/python scripts/screenshot.py http://127.0.0.1:8069/odoo/action-… \
        --login claire --password claire --out /tmp/claire.png
    .venv/bin/python scripts/screenshot.py http://127.0.0.1:8069/my --mobile \
        --login martine --password martine --wait-for ".o_portal_my_home" \
        --out /tmp/m.png

Without --login the page is taken as a visitor. The page is shot once
``--wait-for`` (a CSS selector) is present, or after ``--delay`` seconds.
Uses the Chrome DevTools protocol through websocket-client (one of Odoo's
test dependencies) and Debian's chromium; no browser is downloaded.
"""

import argparse
import base64
import itertools
import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

import requests
import websocket


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def odoo_session(base, login, password):
    """Log in through /web/login like a browser; returns the session id."""
    http = requests.Session()
    page = http.get(f"{base}/web/login", timeout=30)
    match = re.search(r'name="csrf_token"\s+value="([^"]+)"', page.text)
    if not match:
        sys.exit("no csrf_token on /web/login: is this an Odoo server?")
    answer = http.post(
        f"{base}/web/login",
        data={"login": login, "password": password, "csrf_token": match.group(1)},
        timeout=60,
    )
    if "/web/login" in answer.url and "oe_login_form" in answer.text:
        sys.exit(f"login refused for {login!r}")
    return http.cookies.get("session_id")


class Page:
    def __init__(self, ws_url):
        self.ws = websocket.create_connection(ws_url, timeout=60, suppress_origin=True)
        self.ids = itertools.count(1)

    def call(self, method, **params):
        msg_id = next(self.ids)
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == msg_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def evaluate(self, expression):
        res = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return res.get("result", {}).get("value")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--out", required=True, help="PNG file to write")
    parser.add_argument("--login")
    parser.add_argument("--password")
    parser.add_argument("--width", type=int, default=1366)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--mobile", action="store_true", help="390x844, touch")
    parser.add_argument("--full-page", action="store_true")
    parser.add_argument("--wait-for", help="CSS selector to wait for")
    parser.add_argument("--delay", type=float, default=2.0)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument(
        "--script", help="JavaScript run once the page is ready, before the shot"
    )
    args = parser.parse_args()

    parsed = urllib.parse.urlsplit(args.url)
    base = f"{parsed.scheme}://{parsed.netloc}"
    session_id = odoo_session(base, args.login, args.password) if args.login else None
    if args.mobile:
        args.width, args.height = 390, 844

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        sys.exit("chromium not found (scripts/setup.sh installs it)")
    port = free_port()
    profile = tempfile.mkdtemp(prefix="atelier-shot-")
    proc = subprocess.Popen(
        [
            chromium,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--remote-debugging-port={port}",
            f"--user-data-dir={profile}",
            f"--window-size={args.width},{args.height}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 30
        targets = None
        while time.time() < deadline:
            try:
                targets = requests.get(
                    f"http://127.0.0.1:{port}/json", timeout=2
                ).json()
                if any(t.get("type") == "page" for t in targets):
                    break
            except requests.RequestException:
                pass
            time.sleep(0.2)
        target = next(t for t in targets or [] if t.get("type") == "page")
        page = Page(target["webSocketDebuggerUrl"])
        page.call("Page.enable")
        page.call("Network.enable")
        page.call(
            "Emulation.setDeviceMetricsOverride",
            width=args.width,
            height=args.height,
            deviceScaleFactor=1,
            mobile=args.mobile,
        )
        if args.mobile:
            page.call("Emulation.setTouchEmulationEnabled", enabled=True)
        if session_id:
            page.call(
                "Network.setCookie",
                name="session_id",
                value=session_id,
                domain=parsed.hostname,
                path="/",
            )
        page.call("Page.navigate", url=args.url)
        deadline = time.time() + args.timeout
        while time.time() < deadline:
            if page.evaluate("document.readyState") == "complete":
                break
            time.sleep(0.2)
        if args.wait_for:
            selector = json.dumps(args.wait_for)
            while time.time() < deadline:
                if page.evaluate(f"!!document.querySelector({selector})"):
                    break
                time.sleep(0.2)
            else:
                print(f"warning: {args.wait_for!r} never appeared", file=sys.stderr)
        time.sleep(args.delay)
        if args.script:
            page.evaluate(args.script)
            time.sleep(args.delay)
        params = {"format": "png"}
        if args.full_page:
            metrics = page.call("Page.getLayoutMetrics")
            size = metrics.get("cssContentSize") or metrics["contentSize"]
            params["clip"] = {
                "x": 0,
                "y": 0,
                "width": size["width"],
                "height": size["height"],
                "scale": 1,
            }
            params["captureBeyondViewport"] = True
        shot = page.call("Page.captureScreenshot", **params)
        with open(args.out, "wb") as out:
            out.write(base64.b64decode(shot["data"]))
        print(f"{args.out}: {page.evaluate('document.title')!r} at {args.url}")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
