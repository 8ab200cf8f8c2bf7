#!/usr/bin/env python3
"""Writes link/hot-text.ld: the functions a scripted call runs, placed side by side.

A release build spreads the code one `tokensmith sign` runs over about 6 MiB of its 7 MiB of
text, in whatever order the compiler emitted it, and the kernel maps a file's pages in 64 KiB
windows on first touch: the sign path touched some 50 windows, jwt-cli's about 18. build.rs
hands this linker script to the linker for release builds on Linux, and the script gathers
the functions listed into one output section, `.text.hot`, in front of the rest.

The list is made by running the scripted verbs under callgrind and keeping every function of
the binary they execute. Function names are matched without their hash (legacy mangling: the
`17h<hash>E` tail; v0 mangling, std's: crate disambiguators and back-references), so the list
survives rebuilds and dependency updates; a renamed function stops matching, which costs
speed, not correctness. Run it again after a change to the CLI's start-up path:

  cargo build --release
  python3 benches/hot_text.py            # needs valgrind

Functions used by more of the commands come first, so each command's code is as close
together as the others' allow.
"""
import bisect, collections, fnmatch, os, re, subprocess, sys, tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "target/release/tokensmith")
keys = os.path.join(root, "tests/fixtures/keys")
env = dict(os.environ, TOKENSMITH_HOME=tempfile.mkdtemp(), BS="tokensmith-hot-text-secret-0123456789")


def run(args):
    return subprocess.run([binary] + args, env=env, capture_output=True, text=True).stdout.strip()


sign_hs = ["sign", "-p", "generic-hs256", "--secret-env", "BS"]
sign_rs = ["sign", "-p", "generic-rs256", "--key-file", f"{keys}/rsa2048-pkcs8.pem"]
hs, rs = run(sign_hs), run(sign_rs)
commands = [
    sign_hs,
    sign_rs,
    ["verify", hs, "--secret-env", "BS"],
    ["verify", rs, "--key-file", f"{keys}/rsa2048-pub-spki.pem"],
    ["decode", hs],
    ["doctor", hs, "-p", "generic-hs256", "--secret-env", "BS"],
    ["diff", hs, rs],
]


def executed(args):
    """Names (mangled) of the binary's functions that ran."""
    with tempfile.NamedTemporaryFile() as out:
        subprocess.run(["valgrind", "--tool=callgrind", "--demangle=no", "--dump-instr=no",
                        f"--callgrind-out-file={out.name}", binary] + args,
                       env=env, capture_output=True, check=False)
        objects, functions, current, names = {}, {}, None, set()
        real = os.path.realpath(binary)
        for line in open(out.name, encoding="utf-8", errors="replace"):
            if m := re.match(r"(c?ob)=\((\d+)\)(?: (.*))?", line):
                if m.group(3):
                    objects[m.group(2)] = m.group(3).strip()
                if m.group(1) == "ob":
                    current = objects.get(m.group(2))
                    # valgrind names no object for code outside a section called .text,
                    # as in a binary already linked with the script
                    current = current if current == "???" else os.path.realpath(current or "")
            elif m := re.match(r"(c?fn)=\((\d+)\)(?: (.*))?", line):
                if m.group(3):
                    functions[m.group(2)] = m.group(3).strip()
                if m.group(1) == "fn" and current in (real, "???"):
                    names.add(functions[m.group(2)].split("'")[0])
        return names


def pattern(name):
    """A section-name glob for the function, free of hashes."""
    if name.startswith("0x"):
        return None  # code valgrind found no symbol for: nothing to name
    name = re.sub(r"\.\d+$", "", name)  # LLVM's suffix on a local copy
    if m := re.match(r"(_ZN.*17h)[0-9a-f]{16}E$", name):
        name = m.group(1) + "*"
    elif name.startswith("_R"):
        name = re.sub(r"Cs[0-9A-Za-z]+_", "Cs*_", name)
        name = re.sub(r"B[0-9A-Za-z]*_", "B*_", name)
    name = re.sub(r"^ring_core_\d+_\d+_\d+__", "ring_core_*__", name)
    if not re.fullmatch(r"[A-Za-z0-9_.$*]+", name):
        return None
    return re.sub(r"\*+", "*", name)


uses = collections.Counter()
for args in commands:
    for p in filter(None, map(pattern, executed(args))):
        uses[p] += 1
if not uses:
    sys.exit("callgrind saw no function of the binary run: is valgrind installed?")
# Where Rust's own start-up runs (the musl static build, other platforms), the functions that
# lead to the CLI's main; on Linux glibc the program starts in src/start.rs instead, so the
# runs above never see them.
for p in ["_ZN10tokensmith4main17h*", "_ZN3std2rt10lang_start17h*",
          "_ZN3std2rt10lang_start28_$u7b$$u7b$closure$u7d$$u7d$17h*",
          "_ZN3std3sys9backtrace28__rust_begin_short_backtrace17h*"]:
    uses[p] += 1


def instances():
    """How many of the binary's functions each pattern takes in: a generic function's name
    without its hash names every instance of it (all of `RawVec<T>::grow_one`)."""
    names = sorted(line.split()[-1] for line in subprocess.run(
        ["nm", binary], capture_output=True, text=True, check=True).stdout.splitlines()
        if len(line.split()) == 3 and line.split()[1] in "tT")
    counts = {}
    for p in uses:
        prefix = p.split("*")[0]
        first = bisect.bisect_left(names, prefix)
        last = bisect.bisect_left(names, prefix + "\U0010ffff")
        rule = re.compile(fnmatch.translate(p))
        counts[p] = sum(1 for n in names[first:last] if rule.match(n))
    return counts


# The code each command runs comes first, closest together; the patterns that also take in
# many instances no command here runs (generic functions) come after it.
many = instances()
ordered = sorted(uses, key=lambda p: (many[p] > 2, -uses[p], p))
path = os.path.join(root, "link/hot-text.ld")
os.makedirs(os.path.dirname(path), exist_ok=True)
with open(path, "w") as f:
    f.write("/* Made by benches/hot_text.py (see there): the functions the scripted verbs run,\n")
    f.write("   gathered in front of the rest of the text. build.rs passes it to the linker. */\n")
    f.write("SECTIONS\n{\n  .text.hot :\n  {\n")
    for p in ordered:
        # LLVM names a function's section .text.unlikely.NAME when it thinks the function
        # cold (#[cold], or called only on a cold path): grow_one and Once::call among them.
        f.write(f"    *(.text.{p} .text.unlikely.{p})\n")
    f.write("  }\n}\nINSERT BEFORE .text;\n")
print(f"{len(ordered)} patterns from {len(commands)} commands -> {os.path.relpath(path, root)}; "
      f"{sum(1 for p in ordered if many[p] > 2)} of them generic ({sum(many.values())} functions in all)")
