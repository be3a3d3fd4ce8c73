#!/usr/bin/env python3
"""Runs one command and measures it, for pump-vs-journalctl.sh and pump-to-kafka.sh.

    measure.py --expect N --output FILE [--stdout-to-output] [--ready TEXT] [--stop] -- COMMAND...
    measure.py --expect N --until 'WATCHER...' [--side-pid PID] [--ready TEXT] [--stop] -- COMMAND...

Starts COMMAND (stdout into FILE with --stdout-to-output, else to /dev/null), and every 20 ms counts
the newlines added to FILE (reading only the new bytes); every 100 ms it samples the process's
/proc/<pid>/smaps_rollup (Rss, Anonymous) and /proc/<pid>/stat (utime + stime). The run is complete
when FILE holds N newlines. Then:

- without --stop (journalctl) it waits for the process to exit and takes the CPU time from wait4();
- with --stop (the daemon) it reads the CPU time from /proc/<pid>/stat while the process is still
  running (idle by then), sends SIGTERM, waits for the exit (30 s at most) and checks that no line
  came after the N-th.

--ready TEXT times the first stderr line containing TEXT (journalpump logs "started" once every
reader opened its journal). Prints one line of key=value pairs; exits non-zero when the command
failed, timed out (600 s) or wrote another number of lines than N.

--until WATCHER (a command line, split as the shell would) replaces counting lines in FILE, for
output that is not a file (Kafka): WATCHER is started first; once it printed its first line on stdout
(it is ready) COMMAND is started and the clock runs; the run is complete when WATCHER prints its
second line (the time it arrives is the end time), and fails unless WATCHER then exits 0. The line
says what WATCHER saw (`until=`, no spaces kept); WATCHER's own CPU time is `until_cpu_s`. N is then
only the count for the rates. --side-pid PID adds `side_cpu_s`: the CPU time the process PID (a
server COMMAND talks to) used between the start of COMMAND and the end time.
"""
import argparse
import os
import shlex
import signal
import subprocess
import sys
import threading
import time

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat", "rb") as f:
        stat = f.read()
    fields = stat[stat.rindex(b")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime (fields 14 and 15 of the whole line)


def smaps(pid):
    rss = anon = 0
    with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
        for line in f:
            if line.startswith(b"Rss:"):
                rss = int(line.split()[1])
            elif line.startswith(b"Anonymous:"):
                anon = int(line.split()[1])
    return rss, anon


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--expect", type=int, required=True)
    ap.add_argument("--output")
    ap.add_argument("--until")
    ap.add_argument("--side-pid", type=int)
    ap.add_argument("--stdout-to-output", action="store_true")
    ap.add_argument("--ready")
    ap.add_argument("--stop", action="store_true")
    ap.add_argument("--stderr", default=os.devnull)
    ap.add_argument("command", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.command[1:] if a.command[:1] == ["--"] else a.command
    if (a.output is None) == (a.until is None) or (a.until is not None and a.stdout_to_output):
        ap.error("either --output FILE or --until WATCHER (without --stdout-to-output)")

    watcher = None
    until = {}
    if a.until is not None:
        watcher = subprocess.Popen(shlex.split(a.until), stdout=subprocess.PIPE)
        if not watcher.stdout.readline():
            watcher.kill()
            watcher.wait()
            print("status=watcher-failed", flush=True)
            return 1

        def read_watcher():
            line = watcher.stdout.readline()
            if line:
                until["t"] = time.time()
                until["line"] = line.decode(errors="replace").strip()
            watcher.stdout.read()  # until it exits

        threading.Thread(target=read_watcher, daemon=True).start()

    if a.output is not None and not a.stdout_to_output:
        open(a.output, "wb").close()
    stdout = open(a.output, "wb") if a.stdout_to_output else subprocess.DEVNULL
    side_cpu0 = cpu_seconds(a.side_pid) if a.side_pid else None
    t0 = time.time()
    p = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE)
    if stdout is not subprocess.DEVNULL:
        stdout.close()

    ready = {}
    err_log = open(a.stderr, "wb")

    def read_stderr():
        for line in p.stderr:
            err_log.write(line)
            if a.ready and "t" not in ready and a.ready.encode() in line:
                ready["t"] = time.time()
        err_log.close()

    threading.Thread(target=read_stderr, daemon=True).start()

    fd = os.open(a.output, os.O_RDONLY) if a.output is not None else None
    lines = 0
    side_cpu = None
    t_last = None
    peak_rss = peak_anon = 0
    cpu = None
    rusage = None
    status = None
    i = 0
    deadline = t0 + 600
    while True:
        while fd is not None:  # count what was added since the last look
            chunk = os.read(fd, 1 << 22)
            if not chunk:
                break
            lines += chunk.count(b"\n")
        now = time.time()
        if t_last is None and fd is not None and lines >= a.expect:
            # the mtime of the last write, when it is earlier than this look (20 ms polling)
            t_last = min(now, os.fstat(fd).st_mtime)
        if t_last is None and "t" in until:
            t_last = until["t"]
        if t_last is not None and side_cpu is None and side_cpu0 is not None:
            side_cpu = cpu_seconds(a.side_pid) - side_cpu0
        if status is None and (i % 5 == 0 or t_last is not None):
            try:
                rss, anon = smaps(p.pid)
                peak_rss, peak_anon = max(peak_rss, rss), max(peak_anon, anon)
                if t_last is not None and a.stop:
                    cpu = cpu_seconds(p.pid)
            except (FileNotFoundError, ProcessLookupError):
                pass
        if status is None:
            pid, st, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                status, rusage = st, ru
                p.returncode = os.waitstatus_to_exitcode(st)
        if t_last is not None and (a.stop or status is not None):
            break
        if status is not None and t_last is None:
            if fd is None:
                break
            # exited before writing everything: read what is left once more, then give up
            chunk = os.read(fd, 1 << 30)
            lines += chunk.count(b"\n")
            if lines < a.expect:
                break
            continue
        if now > deadline:
            break
        i += 1
        time.sleep(0.02)

    failed = []
    if a.stop and status is None:
        time.sleep(0.2)  # a moment to catch extra lines
        p.send_signal(signal.SIGTERM)
        try:
            _, st, ru = os.wait4(p.pid, 0) if p.poll() is None else (0, 0, None)
        except ChildProcessError:
            st, ru = 0, None
        status, rusage = st, ru
        p.returncode = os.waitstatus_to_exitcode(st) if ru is not None else p.returncode
    elif status is None:
        p.kill()
        p.wait()
        failed.append("timeout")
    while fd is not None:
        chunk = os.read(fd, 1 << 22)
        if not chunk:
            break
        lines += chunk.count(b"\n")
    if fd is not None:
        os.close(fd)

    until_cpu = float("nan")
    if watcher is not None:
        if "t" not in until:
            watcher.kill()
        _, st, ru = os.wait4(watcher.pid, 0)
        watcher.returncode = os.waitstatus_to_exitcode(st)
        until_cpu = ru.ru_utime + ru.ru_stime
        if "t" not in until or watcher.returncode != 0:
            failed.append(f"until={watcher.returncode}")

    if cpu is None and rusage is not None:
        cpu = rusage.ru_utime + rusage.ru_stime
    total_cpu = rusage.ru_utime + rusage.ru_stime if rusage is not None else float("nan")
    maxrss = rusage.ru_maxrss if rusage is not None else 0
    if p.returncode != 0:
        failed.append(f"exit={p.returncode}")
    if fd is not None and (lines != a.expect or t_last is None):
        failed.append(f"lines={lines}/{a.expect}")
    elif t_last is None and not any(f.startswith("until=") for f in failed):
        failed.append("until=none")

    wall = (t_last - t0) if t_last is not None else float("nan")
    startup = (ready["t"] - t0) if "t" in ready else float("nan")
    after_ready = a.expect / (t_last - ready["t"]) if "t" in ready and t_last is not None else float("nan")
    cpu = cpu if cpu is not None else float("nan")
    with open("/proc/loadavg") as f:
        load = f.read().split()[0]
    if watcher is not None:
        done = f"until={until.get('line', '').replace(' ', '_') or '-'} "
        extra = f"until_cpu_s={until_cpu:.2f} "
    else:
        done, extra = f"lines={lines} ", ""
    if side_cpu0 is not None:
        extra += f"side_cpu_s={side_cpu if side_cpu is not None else float('nan'):.2f} "
    print(
        f"{done}wall_s={wall:.3f} startup_s={startup:.3f} entries_per_sec={a.expect / wall:.0f} "
        f"entries_per_sec_after_start={after_ready:.0f} "
        f"cpu_s={cpu:.2f} cpu_total_s={total_cpu:.2f} cpu_us_per_entry={cpu / a.expect * 1e6:.2f} "
        f"peak_rss_kb={peak_rss} peak_anon_kb={peak_anon} maxrss_kb={maxrss} load1={load} {extra}"
        f"status={'ok' if not failed else ','.join(failed)}",
        flush=True,
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
