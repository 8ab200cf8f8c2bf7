#!/usr/bin/env python3
"""Benchmark harness for tokensmith's interactive workbench, with jwt-ui beside it.

Not a test: it times what a user feels and prints one Markdown table. The figures belong in
the issue notes, not in tests (they depend on the machine and would only make tests flaky).

    cargo build --release
    python3 benches/tui.py [--idle-seconds N] [--jwt-ui PATH]

Options: --idle-seconds (default 30), --jwt-ui PATH (or env JWT_UI; default /tmp/jwtui/bin/jwtui;
its rows are skipped when it is missing), --tokensmith PATH (default target/release/tokensmith),
--starts N (default 20), --saves N (default 20; each save cycle types 3 characters).

jwt-ui is never a dependency: install it into a temp root for the comparison:
    cargo install jwt-ui --version 1.3.0 --root /tmp/jwtui

How it measures: every program runs under its own pseudo-terminal (120x40, TERM=xterm-256color).
The harness keeps draining the pty master and feeds what it reads into a small screen model
(cursor moves, clears, printable characters), so "on screen" means the rendered cells contain
the text, not merely that some bytes went by (ratatui only writes the cells that changed).

1. Start -> first output, and start -> the signed, decoded token on screen (tokensmith:
   `expires in` for Ticketping/HS256, `"isLoggedIn": true` for Orlo/RS256; jwt-ui: a payload
   string of the token given on its command line). Also the time to exit with the hidden
   `--exit-after-first-frame` flag, as a cross-check. Median and p90 (nearest rank).
2. Keystroke -> redrawn frame, with the email claim in edit mode: time from writing one
   character to the pty until the field on screen shows it; and time from writing Enter (save,
   re-sign) until the decoded payload on screen shows the new email.
3. Idle CPU with the countdown on screen: 2 s after start, utime+stime from /proc/<pid>/stat over
   --idle-seconds, as % of one core; also the bytes the program writes per second meanwhile.
4. Peak RSS: VmHWM from /proc/<pid>/status just before quitting (tokensmith: after the
   keystroke test; jwt-ui: after the idle test).
"""

from __future__ import annotations

import argparse
import base64
import codecs
import errno
import fcntl
import hashlib
import hmac
import json
import math
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
import unicodedata
from pathlib import Path

ROWS, COLS = 40, 120
TIMEOUT = 10.0
ROOT = Path(__file__).resolve().parent.parent

HOME_KEY = "\x1b[H"
DELETE_KEY = "\x1b[3~"
ESC = "\x1b"
# Letters bound to nothing in the Claims pane's Normal mode, so a stray one is harmless.
SAFE_LETTERS = "bfhlmoptuwxz"


class Screen:
    """Just enough of a VT100 to follow ratatui/crossterm output: CUP and relative moves,
    erase, printable characters (wide ones take two cells); styles and modes are ignored."""

    def __init__(self, rows: int, cols: int) -> None:
        self.rows, self.cols = rows, cols
        self.cells = [[" "] * cols for _ in range(rows)]
        self.row = self.col = 0
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.state = "text"
        self.seq = ""
        self.replies: list[bytes] = []  # answers to terminal queries, to write back

    def clear(self) -> None:
        self.cells = [[" "] * self.cols for _ in range(self.rows)]

    def text(self) -> str:
        return "\n".join("".join(c for c in row if c) for row in self.cells)

    def feed(self, data: bytes) -> None:
        for ch in self.decoder.decode(data):
            st = self.state
            if st == "text":
                if ch == "\x1b":
                    self.state, self.seq = "esc", ""
                elif ch == "\r":
                    self.col = 0
                elif ch == "\n":
                    self.row = min(self.row + 1, self.rows - 1)
                elif ch == "\b":
                    self.col = max(self.col - 1, 0)
                elif ch == "\t":
                    self.col = min((self.col // 8 + 1) * 8, self.cols - 1)
                elif ch < " " or ch == "\x7f":
                    pass
                else:
                    self.put(ch)
            elif st == "esc":
                if ch == "[":
                    self.state = "csi"
                elif ch == "]":
                    self.state = "osc"
                elif ch in "()*+#":
                    self.state = "esc1"  # charset designation: one more byte
                else:
                    self.state = "text"
            elif st == "esc1":
                self.state = "text"
            elif st == "csi":
                if "\x40" <= ch <= "\x7e":
                    self.csi(self.seq, ch)
                    self.state = "text"
                else:
                    self.seq += ch
            elif st == "osc":
                if ch == "\x07":
                    self.state = "text"
                elif ch == "\x1b":
                    self.state = "osc_esc"
            elif st == "osc_esc":
                self.state = "text" if ch == "\\" else "osc"

    def put(self, ch: str) -> None:
        if unicodedata.combining(ch):
            return
        width = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        if self.col >= self.cols:
            self.col = self.cols - 1
        self.cells[self.row][self.col] = ch
        if width == 2 and self.col + 1 < self.cols:
            self.cells[self.row][self.col + 1] = ""
        self.col += width

    def csi(self, params: str, final: str) -> None:
        private = params.startswith("?")
        nums = [int(p) if p.isdigit() else 0 for p in params.lstrip("?>=").split(";")] if params else []
        n = nums[0] if nums and nums[0] else 1
        if private:
            return
        if final in "Hf":
            r = nums[0] if len(nums) > 0 and nums[0] else 1
            c = nums[1] if len(nums) > 1 and nums[1] else 1
            self.row, self.col = min(r, self.rows) - 1, min(c, self.cols) - 1
        elif final == "A":
            self.row = max(self.row - n, 0)
        elif final == "B":
            self.row = min(self.row + n, self.rows - 1)
        elif final == "C":
            self.col = min(self.col + n, self.cols - 1)
        elif final == "D":
            self.col = max(self.col - n, 0)
        elif final == "G":
            self.col = min(n, self.cols) - 1
        elif final == "d":
            self.row = min(n, self.rows) - 1
        elif final == "J":
            mode = nums[0] if nums else 0
            if mode in (2, 3):
                self.clear()
            elif mode == 0:
                self.cells[self.row][self.col:] = [" "] * (self.cols - self.col)
                for r in range(self.row + 1, self.rows):
                    self.cells[r] = [" "] * self.cols
            elif mode == 1:
                for r in range(self.row):
                    self.cells[r] = [" "] * self.cols
                self.cells[self.row][: self.col + 1] = [" "] * (self.col + 1)
        elif final == "K":
            mode = nums[0] if nums else 0
            line = self.cells[self.row]
            if mode == 0:
                line[self.col:] = [" "] * (self.cols - self.col)
            elif mode == 1:
                line[: self.col + 1] = [" "] * (self.col + 1)
            else:
                self.cells[self.row] = [" "] * self.cols
        elif final == "X":
            end = min(self.col + n, self.cols)
            self.cells[self.row][self.col:end] = [" "] * (end - self.col)
        elif final == "n" and nums and nums[0] == 6:
            self.replies.append(f"\x1b[{self.row + 1};{self.col + 1}R".encode())


class Timeout(Exception):
    pass


class App:
    """One program under a pty. Every wait drains the master, so the program never blocks."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.screen = Screen(ROWS, COLS)
        self.out_bytes = 0
        self.first_output: float | None = None
        self.exited = False
        self.status: int | None = None
        self.t_spawn = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # child: size the terminal before the program asks for it
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))

    def pump(self, timeout: float) -> bool:
        """Reads what is there (waiting up to `timeout`); False on end of output."""
        if self.fd < 0:
            time.sleep(max(timeout, 0))
            return False
        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0))
        if not ready:
            return True
        try:
            data = os.read(self.fd, 65536)
        except OSError as e:
            if e.errno != errno.EIO:
                raise
            data = b""
        if not data:
            os.close(self.fd)
            self.fd = -1
            return False
        if self.first_output is None:
            self.first_output = time.perf_counter()
        self.out_bytes += len(data)
        self.screen.feed(data)
        for reply in self.screen.replies:
            os.write(self.fd, reply)
        self.screen.replies.clear()
        return True

    def wait_for(self, pred, what: str, timeout: float = TIMEOUT) -> float:
        """Pumps until `pred(screen_text)` holds; returns perf_counter() at the read that did it."""
        deadline = time.perf_counter() + timeout
        while True:
            if pred(self.screen.text()):
                return time.perf_counter()
            left = deadline - time.perf_counter()
            if left <= 0 or (self.fd < 0 and self.poll_exit()):
                raise Timeout(f"timed out waiting for {what}; screen:\n{self.screen.text()}")
            self.pump(min(left, 0.5))

    def wait_text(self, text: str, timeout: float = TIMEOUT) -> float:
        return self.wait_for(lambda s: text in s, repr(text), timeout)

    def settle(self, quiet: float = 0.05, most: float = 1.0) -> None:
        """Drains until the program has been silent for `quiet` seconds."""
        end = time.perf_counter() + most
        while time.perf_counter() < end and self.fd >= 0:
            before = self.out_bytes
            self.pump(quiet)
            if self.out_bytes == before:
                return

    def drain_for(self, seconds: float) -> None:
        end = time.perf_counter() + seconds
        while (left := end - time.perf_counter()) > 0:
            self.pump(min(left, 0.5))

    def write(self, text: str) -> None:
        os.write(self.fd, text.encode())

    def poll_exit(self) -> bool:
        if self.exited:
            return True
        pid, status = os.waitpid(self.pid, os.WNOHANG)
        if pid:
            self.exited, self.status = True, status
        return self.exited

    def cpu_ticks(self) -> int:
        stat = Path(f"/proc/{self.pid}/stat").read_text()
        fields = stat[stat.rindex(")") + 2 :].split()
        return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)

    def vm_hwm_kib(self) -> int | None:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        return None

    def wait_exit(self, timeout: float) -> bool:
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            if self.poll_exit():
                return True
            self.pump(0.02)
        return self.poll_exit()

    def quit(self, keys: str = "q", timeout: float = 3.0) -> bool:
        """Quits with `keys`; kills on timeout. True if it quit by itself."""
        if not self.poll_exit() and self.fd >= 0:
            try:
                self.write(keys)
            except OSError:
                pass
        clean = self.wait_exit(timeout)
        if not clean:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.exited = True
        while self.fd >= 0 and self.pump(0.05):
            pass
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        return clean


# ---------------------------------------------------------------------------------------------


def base_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TMUX", "SSH_TTY", "SSH_CONNECTION")}
    env.update({"TERM": "xterm-256color", "LINES": str(ROWS), "COLUMNS": str(COLS)})
    env.update(extra)
    return env


def prepare_home(ts: str) -> Path:
    home = Path(tempfile.mkdtemp(prefix="tokensmith-tui-bench-"))
    for args in (
        ["keys", "gen", "demo", "--kind", "hmac", "--profile", "ticketping"],
        ["keys", "gen", "orlo", "--kind", "rsa2048", "--profile", "orlo"],
    ):
        subprocess.run([ts, "--home", str(home), *args], check=True, capture_output=True, env=base_env({}))
    return home


def set_session(home: Path, profile: str) -> None:
    (home / "data").mkdir(parents=True, exist_ok=True)
    (home / "data" / "session.json").write_text(json.dumps({"profile": profile, "profiles": {}}))


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[max(0, math.ceil(q * len(s)) - 1)]


def fmt_ms(values: list[float]) -> str:
    if not values:
        return "n/a"
    ms = [v * 1000 for v in values]
    return f"{statistics.median(ms):.1f} / {pct(ms, 0.9):.1f} ms (n={len(ms)})"


class Scenario:
    def __init__(self, label: str, profile: str, marker: str, email_row: int, email_default: str | None):
        self.label, self.profile, self.marker = label, profile, marker
        self.email_row, self.email_default = email_row, email_default


TS_SCENARIOS = [
    Scenario("tokensmith HS256 (Ticketping)", "ticketping", "expires in", 1, "alice@example.com"),
    Scenario("tokensmith RS256 (Orlo)", "orlo", '"isLoggedIn": true', 2, None),
]


def start_runs(ts: str, home: Path, sc: Scenario, n: int, results: dict) -> None:
    env = base_env({"TOKENSMITH_HOME": str(home)})
    first, decoded, exit_times = [], [], []
    for _ in range(n):
        set_session(home, sc.profile)
        app = App([ts, "--no-mouse"], env)
        t = app.wait_text(sc.marker) - app.t_spawn
        first.append(app.first_output - app.t_spawn)
        decoded.append(t)
        app.quit()
    for _ in range(n):
        set_session(home, sc.profile)
        app = App([ts, "--no-mouse", "--exit-after-first-frame"], env)
        if not app.wait_exit(TIMEOUT):
            app.quit()
            raise Timeout("--exit-after-first-frame did not exit")
        exit_times.append(time.perf_counter() - app.t_spawn)
        while app.fd >= 0 and app.pump(0.05):
            pass
        if sc.marker not in app.screen.text():
            results.setdefault("notes", []).append(
                f"{sc.label}: the --exit-after-first-frame frame lacks {sc.marker!r}"
            )
    results["first output"] = fmt_ms(first)
    results["decoded"] = fmt_ms(decoded)
    results["exit-after-first-frame"] = fmt_ms(exit_times)


def tag_for(i: int) -> str:
    a = SAFE_LETTERS
    return a[i % len(a)] + a[(i * 5 + 3) % len(a)] + a[(i * 7 + 7) % len(a)]


def keystroke_run(ts: str, home: Path, sc: Scenario, saves: int, results: dict) -> None:
    env = base_env({"TOKENSMITH_HOME": str(home)})
    set_session(home, sc.profile)
    app = App([ts, "--no-mouse"], env)
    try:
        app.wait_text(sc.marker)
        app.settle()
        app.write("2")
        app.settle()
        for _ in range(sc.email_row):
            app.write("j")
            app.settle()
        editing = lambda s: "Esc cancel" in s  # the footer while a field is edited
        old = sc.email_default
        if old is None:  # warm-up: give the unset email a value first (not timed)
            old = "alice@example.com"
            app.write("\r")
            app.wait_for(editing, "edit mode")
            app.write(old)
            app.wait_text(old)
            app.write("\r")
            app.wait_text(f'"email": "{old}"')
            app.settle()
        typed, saved = [], []
        for i in range(saves):
            tag = tag_for(i)
            if tag == old.split("@")[0]:
                tag = tag[::-1]
            app.write("\r")
            app.wait_for(editing, "edit mode")
            app.write(HOME_KEY)
            app.settle()
            for k in range(len(tag)):
                want = tag[: k + 1] + old  # unique on screen: the payload has a quote before `old`
                t0 = time.perf_counter()
                app.write(tag[k])
                typed.append(app.wait_text(want) - t0)
                app.settle(0.02)
            local = old.split("@")[0]
            app.write(DELETE_KEY * len(local))
            new = tag + "@" + old.split("@", 1)[1]
            app.wait_for(lambda s: new in s and editing(s), f"field {new!r}")
            app.settle()
            t0 = time.perf_counter()
            app.write("\r")
            saved.append(app.wait_text(f'"email": "{new}"') - t0)
            app.settle()
            old = new
        results["keystroke"] = fmt_ms(typed)
        results["save"] = fmt_ms(saved)
        hwm = app.vm_hwm_kib()
        results["rss"] = f"{hwm / 1024:.1f} MiB" if hwm else "n/a"
    finally:
        clean = app.quit(ESC + "q" if "Esc cancel" in app.screen.text() else "q")
        if not clean:
            results.setdefault("notes", []).append(f"{sc.label}: did not quit on q; killed")


def idle_run(argv: list[str], env: dict[str, str], marker: str, idle: float, results: dict) -> None:
    app = App(argv, env)
    try:
        app.wait_text(marker)
        app.drain_for(2.0)
        tick = os.sysconf("SC_CLK_TCK")
        c0, b0, t0 = app.cpu_ticks(), app.out_bytes, time.perf_counter()
        app.drain_for(idle)
        c1, b1, t1 = app.cpu_ticks(), app.out_bytes, time.perf_counter()
        results["idle cpu"] = f"{100 * (c1 - c0) / tick / (t1 - t0):.2f} %"
        results["idle bytes"] = f"{(b1 - b0) / (t1 - t0):.0f} B/s"
        if "rss" not in results:
            hwm = app.vm_hwm_kib()
            results["rss"] = f"{hwm / 1024:.1f} MiB" if hwm else "n/a"
    finally:
        app.quit()


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hs256_token(secret: str, email: str) -> str:
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    now = int(time.time())
    payload = {"external_id": "123", "email": email, "display_name": "alice", "exp": now + 3600}
    body = header + "." + b64(json.dumps(payload, separators=(",", ":")).encode())
    sig = hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest()
    return body + "." + b64(sig)


def jwtui_runs(jwtui: str, n: int, idle: float, results: dict) -> None:
    secret, email = "tokensmith-bench-secret-0123456789abcdef", "alice@example.com"
    env = base_env({})
    first, decoded = [], []
    for _ in range(n):
        app = App([jwtui, "-d", "-S", secret, hs256_token(secret, email)], env)
        t = app.wait_text(email) - app.t_spawn
        first.append(app.first_output - app.t_spawn)
        decoded.append(t)
        if not app.quit():
            results.setdefault("notes", []).append("jwt-ui did not quit on q; killed")
    results["first output"] = fmt_ms(first)
    results["decoded"] = fmt_ms(decoded)
    idle_run([jwtui, "-d", "-S", secret, hs256_token(secret, email)], env, email, idle, results)


ROWS_OUT = [
    ("first output", "Start → first output (median / p90)"),
    ("decoded", "Start → signed, decoded token on screen (median / p90)"),
    ("exit-after-first-frame", "Start → exit with `--exit-after-first-frame` (median / p90)"),
    ("keystroke", "Claim keystroke → character redrawn in the field (median / p90)"),
    ("save", "Enter (save, re-sign) → new claim in decoded payload (median / p90)"),
    ("idle cpu", "Idle CPU, % of one core"),
    ("idle bytes", "Idle terminal output"),
    ("rss", "Peak RSS (VmHWM)"),
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--idle-seconds", type=float, default=30.0)
    ap.add_argument("--jwt-ui", default=os.environ.get("JWT_UI", "/tmp/jwtui/bin/jwtui"))
    ap.add_argument("--tokensmith", default=str(ROOT / "target" / "release" / "tokensmith"))
    ap.add_argument("--starts", type=int, default=20)
    ap.add_argument("--saves", type=int, default=20)
    args = ap.parse_args()
    ts = args.tokensmith
    if not os.access(ts, os.X_OK):
        print(f"no {ts}: run `cargo build --release` first", file=sys.stderr)
        return 2

    home = prepare_home(ts)
    columns: dict[str, dict] = {}
    try:
        for sc in TS_SCENARIOS:
            res: dict = {}
            columns[sc.label] = res
            print(f"… {sc.label}: start-up", file=sys.stderr)
            start_runs(ts, home, sc, args.starts, res)
            print(f"… {sc.label}: keystrokes", file=sys.stderr)
            keystroke_run(ts, home, sc, args.saves, res)
            if sc.profile == "ticketping":
                print(f"… {sc.label}: idle {args.idle_seconds:g} s", file=sys.stderr)
                set_session(home, sc.profile)
                env = base_env({"TOKENSMITH_HOME": str(home)})
                idle_run([ts, "--no-mouse"], env, sc.marker, args.idle_seconds, res)
            else:
                res["idle cpu"] = res["idle bytes"] = "— (no countdown)"
    finally:
        shutil.rmtree(home, ignore_errors=True)

    if args.jwt_ui and os.access(args.jwt_ui, os.X_OK):
        res = {}
        columns["jwt-ui 1.3 HS256"] = res
        print("… jwt-ui: start-up and idle", file=sys.stderr)
        jwtui_runs(args.jwt_ui, args.starts, args.idle_seconds, res)
        res["exit-after-first-frame"] = res["keystroke"] = res["save"] = "—"
    else:
        print(f"jwt-ui not found at {args.jwt_ui!r}: skipping its column", file=sys.stderr)

    names = list(columns)
    print(f"| Measure ({COLS}x{ROWS} pty, idle {args.idle_seconds:g} s) | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for key, label in ROWS_OUT:
        print(f"| {label} | " + " | ".join(columns[n].get(key, "n/a") for n in names) + " |")
    notes = [note for n in names for note in columns[n].get("notes", [])]
    for note in notes:
        print(f"\nNote: {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
