#!/usr/bin/env python3
"""Whole-process sign/verify timing of tokensmith's builds and jwt-cli, interleaved run by run
(the order rotates each round) so that machine drift hits all alike; hyperfine runs one
command after the other, and on this 2-core VM drift between two such runs was as large as
the differences measured. Not a test.

  cargo build --release
  cargo build --profile static --target x86_64-unknown-linux-musl     (optional)
  python3 benches/cli_interleaved.py [RUNS]

Builds: the plain release build (target/release/tokensmith) and, when built, the static one
(target/x86_64-unknown-linux-musl/static/tokensmith); $TOKENSMITH (colon-separated paths)
replaces both. jwt-cli 6.2 at $JWT_CLI (default /tmp/jwtcli/bin/jwt; install it with
`cargo install --locked jwt-cli --version 6.2.0 --root /tmp/jwtcli`).

Every binary is first copied into one fresh folder and run from there: how a file came into
the page cache changes its start-up (here the same tokensmith binary ran 0.94x of jwt-cli's
time as a fresh copy and 1.09x where the linker had written it), so all start alike.

Prints, per pair, each build's median wall time and mean CPU time (user + system, from
wait4) and their ratios to jwt-cli's.
"""
import os, shutil, statistics, sys, tempfile, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
K = os.path.join(root, "tests/fixtures/keys")
plain = os.path.join(root, "target/release/tokensmith")
static = os.path.join(root, "target/x86_64-unknown-linux-musl/static/tokensmith")
builds = os.environ.get("TOKENSMITH", "").split(":") if os.environ.get("TOKENSMITH") else [
    b for b in (plain, static) if os.path.exists(b)]
jwt = os.environ.get("JWT_CLI", "/tmp/jwtcli/bin/jwt")
N = int(sys.argv[1]) if len(sys.argv) > 1 else 400
env = dict(os.environ, TOKENSMITH_HOME=tempfile.mkdtemp(), BS="tokensmith-bench-secret-0123456789abcdef")
devnull = os.open(os.devnull, os.O_WRONLY)


def run(cmd, out=devnull):
    """Wall seconds and CPU seconds of one whole process."""
    r, w = os.pipe() if out is None else (None, out)
    start = time.perf_counter()
    pid = os.posix_spawn(cmd[0], cmd, env, file_actions=[
        (os.POSIX_SPAWN_DUP2, w, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)])
    if r is not None:
        os.close(w)
        text = b""
        while chunk := os.read(r, 65536):
            text += chunk
        os.close(r)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    assert os.waitstatus_to_exitcode(status) == 0, (cmd, status)
    return (text.decode().strip() if r is not None else None), wall, usage.ru_utime + usage.ru_stime


work = tempfile.mkdtemp()
copies = []
for i, b in enumerate(builds + [jwt]):
    copies.append(os.path.join(work, f"{i}-{os.path.basename(b)}"))
    shutil.copy2(b, copies[-1])
names = [os.path.relpath(b, root) if b.startswith(root) else b for b in builds]
builds, jwt = copies[:-1], copies[-1]
ts = builds[0]
hs = run([ts, "sign", "-p", "generic-hs256", "--secret-env", "BS"], None)[0]
rs = run([ts, "sign", "-p", "generic-rs256", "--key-file", f"{K}/rsa2048-pkcs8.pem"], None)[0]
pairs = {
    "sign HS256": (["sign", "-p", "generic-hs256", "--secret-env", "BS"],
                   ["encode", "-S", env["BS"], '{"sub":"user-123"}']),
    "sign RS256": (["sign", "-p", "generic-rs256", "--key-file", f"{K}/rsa2048-pkcs8.pem"],
                   ["encode", "-A", "RS256", "-S", f"@{K}/rsa2048-pkcs8.pem", '{"sub":"user-123"}']),
    "verify HS256": (["verify", hs, "--secret-env", "BS"], ["decode", "-S", env["BS"], hs]),
    "verify RS256": (["verify", rs, "--key-file", f"{K}/rsa2048-pub-spki.pem"],
                     ["decode", "-A", "RS256", "-S", f"@{K}/rsa2048-pub-spki.pem", rs]),
}
print(f"interleaved, {N} runs each; ratio = tokensmith / jwt-cli 6.2 (wall median; CPU mean)")
print("| pair | " + " | ".join(names) + " | jwt-cli 6.2 |")
print("|---|" + "---|" * (len(builds) + 1))
for name, (ours, theirs) in pairs.items():
    cmds = [[b] + ours for b in builds] + [[jwt] + theirs]
    walls = [[] for _ in cmds]
    cpus = [[] for _ in cmds]
    for i in range(N):
        for j in range(len(cmds)):
            k = (i + j) % len(cmds)
            _, wall, cpu = run(cmds[k])
            walls[k].append(wall)
            cpus[k].append(cpu)
    base_wall, base_cpu = statistics.median(walls[-1]), statistics.mean(cpus[-1])
    cells = [f"{statistics.median(w) * 1000:.2f} ms ({statistics.median(w) / base_wall:.2f}x; CPU "
             f"{statistics.mean(c) / base_cpu:.2f}x)" for w, c in zip(walls[:-1], cpus[:-1])]
    print(f"| {name} | " + " | ".join(cells) + f" | {base_wall * 1000:.2f} ms |")
