#!/usr/bin/env python3
"""Start-up and idle memory of one journalpump run, for aot-vs-jit.sh.

    startup.py --output FILE --expect N [--idle 2] -- COMMAND...

Listens on a NOTIFY_SOCKET of its own, starts COMMAND with it, and times READY=1 (sd_notify) and the
first stderr line containing "started". Waits until FILE holds N lines, lets the process idle for
--idle seconds, samples /proc/<pid>/smaps_rollup (Rss, Anonymous), sends SIGTERM and waits for the
exit. Prints one line of key=value pairs; exits non-zero on a timeout, a bad exit or a wrong line count.
"""
import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--output", required=True)
    ap.add_argument("--expect", type=int, required=True)
    ap.add_argument("--idle", type=float, default=2.0)
    ap.add_argument("command", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.command[1:] if a.command[:1] == ["--"] else a.command

    path = os.path.join(tempfile.mkdtemp(prefix="jp-notify-"), "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(30)
    env = dict(os.environ, NOTIFY_SOCKET=path)
    t0 = time.time()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    started = {}

    def read_stderr():
        for line in p.stderr:
            if "t" not in started and b"started" in line:
                started["t"] = time.time()

    threading.Thread(target=read_stderr, daemon=True).start()
    ready = float("nan")
    failed = []
    try:
        while True:
            msg = sock.recv(4096)
            if b"READY=1" in msg.split(b"\n"):
                ready = time.time() - t0
                break
    except socket.timeout:
        failed.append("no-READY")

    deadline = time.time() + 60
    lines = 0
    while time.time() < deadline:
        with open(a.output, "rb") as f:
            lines = f.read().count(b"\n")
        if lines >= a.expect:
            break
        time.sleep(0.01)
    time.sleep(a.idle)
    rss = anon = 0
    with open(f"/proc/{p.pid}/smaps_rollup", "rb") as f:
        for line in f:
            if line.startswith(b"Rss:"):
                rss = int(line.split()[1])
            elif line.startswith(b"Anonymous:"):
                anon = int(line.split()[1])
    p.send_signal(signal.SIGTERM)
    try:
        code = p.wait(30)
    except subprocess.TimeoutExpired:
        p.kill()
        code = "timeout"
    sock.close()
    os.unlink(path)
    os.rmdir(os.path.dirname(path))
    with open(a.output, "rb") as f:
        lines = f.read().count(b"\n")
    if code != 0:
        failed.append(f"exit={code}")
    if lines != a.expect:
        failed.append(f"lines={lines}/{a.expect}")
    started_s = started["t"] - t0 if "t" in started else float("nan")
    with open("/proc/loadavg") as f:
        load = f.read().split()[0]
    print(
        f"ready_s={ready:.3f} started_s={started_s:.3f} idle_rss_kb={rss} idle_anon_kb={anon} lines={lines} "
        f"load1={load} status={'ok' if not failed else ','.join(failed)}",
        flush=True,
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
