#!/usr/bin/env python3
"""bench/bench.py — Kiln's benchmark harness (`make bench`; README in bench/README.md).

    bench/bench.py [--quick] [--bench A,B] [--systems S,T] [--rounds N] [--out FILE]
    bench/bench.py harness [kiln options] <Benchmark> <outer> <inner>   (the AWFY harness for Kiln)

Runs the "Are We Fast Yet?" and Benchmarks Game ports in bench/{kiln,c,java,lua} in each
system, interleaved (round after round, benchmark after benchmark, system after
system) to resist noise on a shared machine. Each process runs warm-up plus measured
outer iterations and prints the suite's `<B>: iterations=1 runtime: <N>us` lines; the
report takes the median of the measured ones. Separately: the whole-process time of one
short run (startup included), peak RSS (wait4 rusage), hello-world startup, the Kiln
compiler's speed and the JITs' compile speed. Writes bench/RESULTS.md and
bench/results.svg. A benchmark that fails verification in any system is reported as a
failure (and makes the exit status 1), never as a data point.
"""
import argparse
import datetime
import math
import os
import platform
import pty
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
WORK = os.path.join(ROOT, "build", "bench")

# name, Kiln module file, C file (or None), inner size (full), inner size (quick)
BENCHMARKS = [
    ("Bounce", "bounce", "bounce", 100, 40),
    ("List", "list", "list", 40, 15),
    ("Mandelbrot", "mandelbrot", "mandelbrot", 500, 500),
    ("Permute", "permute", "permute", 30, 10),
    ("Queens", "queens", "queens", 100, 40),
    ("Sieve", "sieve", "sieve", 100, 40),
    ("Storage", "storage", "storage", 100, 40),
    ("Towers", "towers", "towers", 30, 10),
    ("NBody", "nbody", "nbody", 250000, 250000),
    ("Richards", "richards", None, 5, 2),
    ("DeltaBlue", "deltablue", None, 12000, 4000),
    ("Havlak", "havlak", None, 15, 1),    # the suite verifies only 15000, 1500, 150, 15, 1
    ("CD", "cd", None, 250, 100),
    ("Json", "json", None, 50, 20),
    ("BinaryTrees", "binarytrees", "binarytrees", 14, 12),
    ("FannkuchRedux", "fannkuch", "fannkuch", 9, 8),
    ("SpectralNorm", "spectralnorm", "spectralnorm", 5, 2),
    ("Fasta", "fasta", "fasta", 25000, 25000),
]
KILN_MODULES = ["harness", "som"] + [b[1] for b in BENCHMARKS]
MACRO = {"Richards", "CD", "Json", "DeltaBlue", "Havlak"}
BG = {"BinaryTrees", "FannkuchRedux", "SpectralNorm", "Fasta"}

# system id -> (label, warm-up outer iterations)
SYSTEMS = {
    "c": ("C (gcc -O2)", 1),
    "java": ("Java 17", 25),
    "java-xint": ("Java -Xint", 1),
    "luajit": ("LuaJIT", 2),
    "luajit-joff": ("LuaJIT -joff", 1),
    "lua5.4": ("Lua 5.4", 1),
    "kiln-t0": ("Kiln tier 0", 1),
    "kiln-t1": ("Kiln tier 1", 1),
    "kiln-auto": ("Kiln auto", 3),
}
ORDER = list(SYSTEMS)
LINE_RE = re.compile(r"^(\w+): iterations=1 runtime: (\S+)us\s*$")


def log(*a, end="\n"):
    print(*a, file=sys.stderr, flush=True, end=end)


def sh(cmd, **kw):
    return subprocess.run(cmd, cwd=ROOT, text=True, capture_output=True, **kw)


def first_line(cmd):
    try:
        r = subprocess.run(cmd, text=True, capture_output=True, timeout=20)
        return (r.stdout + r.stderr).strip().splitlines()[0]
    except Exception:  # noqa: BLE001 — a missing tool is just "unknown"
        return "unknown"


# ---- running one process -----------------------------------------------------------

TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def with_rss(cmd):
    """(command, file) measuring peak RSS with /usr/bin/time -f %M when available."""
    if not TIME:
        return cmd, None
    fd, path = tempfile.mkstemp(prefix="rss")
    os.close(fd)
    return [TIME, "-f", "%M", "-o", path] + cmd, path


def read_rss(path, fallback):
    if not path:
        return fallback
    try:
        with open(path) as f:
            return int(f.read().strip().splitlines()[-1])
    except (OSError, ValueError, IndexError):
        return fallback
    finally:
        os.unlink(path)


def run_plain(cmd, timeout=1800):
    """Runs cmd; returns (status, stdout lines with arrival times, wall s, maxrss KB)."""
    cmd, rssfile = with_rss(cmd)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=ROOT)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text = out.read().decode(errors="replace")
        etext = err.read().decode(errors="replace")
    return p.returncode, [(None, l) for l in text.splitlines()], wall, read_rss(rssfile, ru.ru_maxrss), etext


def run_pty(cmd):
    """Runs cmd with stdout on a pseudo-terminal (so the C stdio buffer flushes every
    line) and time-stamps each line as it arrives: for a harness that prints `runtime: ?us`
    (Kiln's did before std.sys.nanoTime existed)."""
    cmd, rssfile = with_rss(cmd)
    master, slave = pty.openpty()
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=slave, stderr=err, stdin=subprocess.DEVNULL, cwd=ROOT)
        os.close(slave)
        lines, buf = [], b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                chunk = b""
            now = time.perf_counter()
            if not chunk:
                break
            buf += chunk
            n_in_chunk = 0
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                text = line.decode(errors="replace").rstrip("\r")
                n_in_chunk += 1
                # A line read together with an earlier one has no arrival time of its own.
                lines.append((now if n_in_chunk == 1 else None, text))
        if buf:
            lines.append((time.perf_counter(), buf.decode(errors="replace")))
        os.close(master)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        err.seek(0)
        etext = err.read().decode(errors="replace")
    return os.waitstatus_to_exitcode(status), lines, wall, read_rss(rssfile, ru.ru_maxrss), etext


def iteration_times(lines):
    """Microseconds per outer iteration from the suite's lines; '?' is filled in from
    the arrival times (previous line's arrival to this one's)."""
    times, prev = [], None
    for stamp, line in lines:
        m = LINE_RE.match(line)
        if m:
            if m.group(2) == "?":
                # None: the line arrived in one read with an earlier one (the reader was
                # not scheduled in time), so this iteration's time is unknown.
                times.append((stamp - prev) * 1e6 if stamp is not None and prev is not None else None)
            else:
                times.append(float(m.group(2)))
        prev = stamp
    return times


# ---- systems -------------------------------------------------------------------------

class Setup:
    def __init__(self, quick):
        self.quick = quick
        self.notes = []
        self.available = {}
        self.kiln = os.path.join(WORK, "kiln")
        self.kar = os.path.join(WORK, "harness.kar")

    def prepare(self, systems, benches):
        os.makedirs(WORK, exist_ok=True)
        # Kiln: build, then use a private copy so a concurrent rebuild can't disturb a run.
        r = sh(["make", "--no-print-directory", "bin/kiln"])
        if r.returncode != 0:
            sys.exit("make bin/kiln failed:\n" + r.stdout + r.stderr)
        shutil.copy2(os.path.join(ROOT, "bin", "kiln"), self.kiln)
        srcs = [os.path.join(BENCH, "kiln", m + ".kl") for m in KILN_MODULES]
        r = sh([self.kiln, "build", "-o", self.kar] + srcs)
        if r.returncode != 0:
            sys.exit("compiling the Kiln benchmarks failed:\n" + r.stdout + r.stderr)
        for s in ("kiln-t0", "kiln-t1", "kiln-auto"):
            self.available[s] = True
        # C
        if "c" in systems:
            ok = shutil.which("gcc") is not None
            if ok:
                os.makedirs(os.path.join(WORK, "c"), exist_ok=True)
                for b in benches:
                    if b[2] is None:
                        continue
                    r = sh(["gcc", "-O2", "-ffp-contract=off", "-o", os.path.join(WORK, "c", b[2]),
                            os.path.join(BENCH, "c", b[2] + ".c"), "-lm"])
                    if r.returncode != 0:
                        sys.exit("gcc failed:\n" + r.stderr)
            else:
                self.notes.append("C skipped: gcc not found.")
            self.available["c"] = ok
        # Java
        if {"java", "java-xint"} & set(systems):
            ok = shutil.which("javac") is not None and shutil.which("java") is not None
            if not ok:
                self.try_apt("openjdk-17-jdk-headless")
                ok = shutil.which("javac") is not None
            if ok:
                jdir = os.path.join(WORK, "java")
                os.makedirs(jdir, exist_ok=True)
                jsrc = [os.path.join(BENCH, "java", f) for f in sorted(os.listdir(os.path.join(BENCH, "java")))
                        if f.endswith(".java")]
                r = sh(["javac", "-d", jdir] + jsrc)
                if r.returncode != 0:
                    sys.exit("javac failed:\n" + r.stderr)
            else:
                self.notes.append("Java skipped: no JDK (apt-get install openjdk-17-jdk-headless failed).")
            self.available["java"] = self.available["java-xint"] = ok
        # Lua
        for exe, pkg, ids in (("lua5.4", "lua5.4", ["lua5.4"]), ("luajit", "luajit", ["luajit", "luajit-joff"])):
            if not set(ids) & set(systems):
                continue
            if shutil.which(exe) is None:
                self.try_apt(pkg)
            ok = shutil.which(exe) is not None
            if not ok:
                self.notes.append(f"{exe} skipped: not installed and `apt-get install {pkg}` failed.")
            for i in ids:
                self.available[i] = ok

    def try_apt(self, pkg):
        if shutil.which("apt-get") is None:
            return
        log(f"installing {pkg} with apt-get ...")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        r = subprocess.run(["apt-get", "install", "-y", "-qq", pkg], capture_output=True, env=env)
        if r.returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], capture_output=True, env=env)
            subprocess.run(["apt-get", "install", "-y", "-qq", pkg], capture_output=True, env=env)

    def command(self, system, bench, outer, inner):
        name, _, cfile, _, _ = bench
        if system.startswith("kiln"):
            tier = {"kiln-t0": "--tier=0", "kiln-t1": "--tier=1", "kiln-auto": "--tier=auto"}[system]
            return [self.kiln, "run", tier, self.kar, name, str(outer), str(inner)], False
        if system == "c":
            if cfile is None:
                return None, False
            return [os.path.join(WORK, "c", cfile), str(outer), str(inner)], False
        if system in ("java", "java-xint"):
            flags = ["-Xint"] if system == "java-xint" else []
            return ["java"] + flags + ["-cp", os.path.join(WORK, "java"), "Harness", name, str(outer), str(inner)], False
        lua = os.path.join(BENCH, "lua", "harness.lua")
        if system == "lua5.4":
            return ["lua5.4", lua, name, str(outer), str(inner)], False
        if system == "luajit":
            return ["luajit", lua, name, str(outer), str(inner)], False
        if system == "luajit-joff":
            return ["luajit", "-joff", lua, name, str(outer), str(inner)], False
        raise ValueError(system)


def run_one(setup, system, bench, outer, inner):
    cmd, use_pty = setup.command(system, bench, outer, inner)
    if cmd is None:
        return None
    status, lines, wall, rss, err = (run_pty if use_pty else run_plain)(cmd)
    text = "\n".join(l for _, l in lines)
    if status != 0 or "Benchmark failed" in text:
        return {"fail": f"exit {status}: " + (text[-300:] + " " + err[-300:]).strip()}
    times = iteration_times(lines)
    if len(times) != outer:
        return {"fail": f"expected {outer} result lines, got {len(times)}: {text[-300:]}"}
    return {"times": times, "wall": wall, "rss": rss}


# ---- the extra measurements --------------------------------------------------------------

def median_wall(cmd, n, use_pty=False):
    ws = []
    for _ in range(n):
        status, _, wall, _, err = (run_pty if use_pty else run_plain)(cmd)
        if status != 0:
            return None
        ws.append(wall)
    return statistics.median(ws)


def hello_startup(setup, n):
    hdir = os.path.join(WORK, "hello")
    os.makedirs(hdir, exist_ok=True)
    res = []
    kl = os.path.join(hdir, "hello.kl")
    with open(kl, "w") as f:
        f.write('fun main() {\n    println("hi")\n}\n')
    kar = os.path.join(hdir, "hello.kar")
    sh([setup.kiln, "build", "-o", kar, kl])
    res.append(("Kiln, from source (compile + run)", median_wall([setup.kiln, "run", kl], n)))
    res.append(("Kiln, precompiled .kar", median_wall([setup.kiln, "run", kar], n)))
    if setup.available.get("c"):
        c = os.path.join(hdir, "hello.c")
        with open(c, "w") as f:
            f.write('#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n')
        sh(["gcc", "-O2", "-o", os.path.join(hdir, "hello"), c])
        res.append(("C (gcc -O2)", median_wall([os.path.join(hdir, "hello")], n)))
    if setup.available.get("java"):
        j = os.path.join(hdir, "Hello.java")
        with open(j, "w") as f:
            f.write('public final class Hello { public static void main(String[] a) { System.out.println("hi"); } }\n')
        sh(["javac", "-d", hdir, j])
        res.append(("Java 17", median_wall(["java", "-cp", hdir, "Hello"], n)))
    if setup.available.get("lua5.4"):
        res.append(("Lua 5.4", median_wall(["lua5.4", "-e", 'print("hi")'], n)))
    if setup.available.get("luajit"):
        res.append(("LuaJIT", median_wall(["luajit", "-e", 'print("hi")'], n)))
    return res


def compile_speed(setup, n):
    srcs = [os.path.join(BENCH, "kiln", m + ".kl") for m in KILN_MODULES]
    lines = sum(sum(1 for _ in open(s)) for s in srcs)
    out = os.path.join(WORK, "speed.kar")
    w = median_wall([setup.kiln, "build", "-o", out] + srcs, n)
    # subtract the VM's own start (a hello world from a .kar) as an estimate of fixed cost
    return lines, w


GC_BENCH = ["Storage", "BinaryTrees", "DeltaBlue", "Havlak"]
GC_SYSTEMS = ["java", "kiln-t0", "kiln-t1", "kiln-auto"]


def gc_count(setup, system, bench, inner):
    """Collections during one whole process of one outer iteration: Kiln's --stats
    `gc:` line (Boehm's count), Java's -Xlog:gc pauses; None if unavailable."""
    cmd, _ = setup.command(system, bench, 1, inner)
    if cmd is None:
        return None
    if system.startswith("kiln"):
        r = sh(cmd[:2] + ["--stats"] + cmd[2:])
        m = re.search(r"^gc: (\d+) collections", r.stderr, re.M)
        return int(m.group(1)) if m and r.returncode == 0 else None
    if system == "java":
        r = sh(cmd[:1] + ["-Xlog:gc"] + cmd[1:])
        if r.returncode != 0:
            return None
        return sum(1 for l in r.stdout.splitlines() if "][gc]" in l and " Pause " in l)
    return None


def stats_line(setup, tier, name, inner):
    r = sh([setup.kiln, "run", "--stats", tier, setup.kar, name, "1", str(inner)])
    for l in r.stderr.splitlines():
        if l.startswith("total:"):
            return l[len("total:"):].strip()
    return "(no --stats summary)"


# ---- the report -----------------------------------------------------------------------------

def geomean(xs):
    xs = [x for x in xs if x and x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def fmt_ms(us):
    if us is None:
        return "—"
    ms = us / 1000
    return f"{ms:.3f}" if ms < 1 else f"{ms:.2f}" if ms < 100 else f"{ms:.0f}"


def fmt_x(x):
    return "—" if x is None else f"{x:.2f}" if x < 10 else f"{x:.1f}" if x < 100 else f"{x:.0f}"


def svg_chart(path, benches, systems, med, base, base_label):
    """Grouped bars, one group per benchmark, one bar per system, log scale (ratio to base)."""
    colors = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c", "#ccb974"]
    names = [b[0] for b in benches]
    ratios = {}
    for b in names:
        for s in systems:
            if med.get((b, s)) and med.get((b, base)):
                ratios[(b, s)] = med[(b, s)] / med[(b, base)]
    if not ratios:
        return
    lo = min(0.1, min(ratios.values()))
    hi = max(ratios.values()) * 1.5
    lmin, lmax = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    W, H, left, top, bottom = 60 + len(names) * (len(systems) * 9 + 14), 420, 60, 40, 110
    ph = H - top - bottom

    def y(v):
        return top + ph - (math.log10(v) - lmin) / (lmax - lmin) * ph

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W + 170}" height="{H}" font-family="sans-serif" font-size="11">',
           f'<text x="{left}" y="20" font-size="14">Time per iteration relative to {base_label} (log scale, lower is better)</text>']
    for e in range(lmin, lmax + 1):
        yy = y(10 ** e)
        out.append(f'<line x1="{left}" x2="{W}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end">{10 ** e:g}x</text>')
    x = left + 8
    for b in names:
        gx = x
        for i, s in enumerate(systems):
            r = ratios.get((b, s))
            if r:
                y0, y1 = y(max(r, 10 ** lmin)), y(10 ** lmin)
                out.append(f'<rect x="{x}" y="{y0:.1f}" width="8" height="{y1 - y0:.1f}" fill="{colors[i % len(colors)]}">'
                           f'<title>{b} {SYSTEMS[s][0]}: {r:.2f}x</title></rect>')
            x += 9
        out.append(f'<text transform="translate({(gx + x) / 2:.0f},{top + ph + 8}) rotate(50)" font-size="11">{b}</text>')
        x += 14
    for i, s in enumerate(systems):
        out.append(f'<rect x="{W + 20}" y="{top + i * 16}" width="10" height="10" fill="{colors[i % len(colors)]}"/>')
        out.append(f'<text x="{W + 36}" y="{top + i * 16 + 9}">{SYSTEMS[s][0]}</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def machine_facts():
    cpu = "unknown"
    try:
        for l in open("/proc/cpuinfo"):
            if l.startswith("model name"):
                cpu = l.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        for l in open("/proc/meminfo"):
            if l.startswith("MemTotal"):
                mem = f"{int(l.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    commit = sh(["git", "rev-parse", "--short", "HEAD"]).stdout.strip()
    dirty = " (with uncommitted changes)" if sh(["git", "status", "--porcelain", "--untracked-files=no"]).stdout.strip() else ""
    return [
        ("date", datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")),
        ("machine", f"{platform.machine()}, {cpu}, {os.cpu_count()} CPUs, {mem} RAM, {platform.system()} {platform.release()}"),
        ("kiln", f"{first_line([os.path.join(WORK, 'kiln'), '--version'])}, git {commit}{dirty}"),
        ("gcc", first_line(["gcc", "--version"])),
        ("java", first_line(["java", "-version"])),
        ("lua5.4", first_line(["lua5.4", "-v"])),
        ("luajit", first_line(["luajit", "-v"])),
    ]


def main_bench(argv):
    ap = argparse.ArgumentParser(description="Kiln benchmarks against C, Java, Lua and LuaJIT")
    ap.add_argument("--quick", action="store_true", help="smaller sizes, 1 round, fewer iterations")
    ap.add_argument("--bench", default="", help="comma-separated benchmark names (default: all)")
    ap.add_argument("--systems", default="", help="comma-separated: " + ",".join(ORDER))
    ap.add_argument("--rounds", type=int, default=0, help="interleaved rounds (default 3, quick 1)")
    ap.add_argument("--iterations", type=int, default=0, help="measured outer iterations per process (default 5, quick 3)")
    ap.add_argument("--out", default=os.path.join(BENCH, "RESULTS.md"))
    a = ap.parse_args(argv)
    benches = [b for b in BENCHMARKS if not a.bench or b[0].lower() in a.bench.lower().split(",")]
    systems = [s for s in ORDER if not a.systems or s in a.systems.split(",")]
    if not benches or not systems:
        sys.exit("nothing to run (check --bench/--systems)")
    rounds = a.rounds or (1 if a.quick else 3)
    measured = a.iterations or (3 if a.quick else 5)
    setup = Setup(a.quick)
    setup.prepare(systems, benches)
    systems = [s for s in systems if setup.available.get(s)]
    inner = {b[0]: (b[4] if a.quick else b[3]) for b in benches}

    times, walls, rsss, fails, lost = {}, {}, {}, {}, {}
    try:  # the pty reader time-stamps Kiln's lines: let it wake up before the benchmark runs on
        os.setpriority(os.PRIO_PROCESS, 0, -5)
    except OSError:
        pass
    t_start = time.time()
    for r in range(rounds):
        for b in benches:
            for s in systems:
                if (b[0], s) in fails:
                    continue
                warm = SYSTEMS[s][1]
                log(f"[round {r + 1}/{rounds}] {b[0]:<14} {s:<12}", end="")
                res = run_one(setup, s, b, warm + measured, inner[b[0]])
                if res is None:
                    log(" (no port)")
                    continue
                if "fail" in res:
                    fails[(b[0], s)] = res["fail"]
                    log(" FAILED: " + res["fail"][:200])
                    continue
                got = res["times"][warm:]
                lost[(b[0], s)] = lost.get((b[0], s), 0) + sum(1 for t in got if t is None)
                got = [t for t in got if t is not None]
                if got:
                    times.setdefault((b[0], s), []).extend(got)
                rsss.setdefault((b[0], s), []).append(res["rss"])
                log(f" median {statistics.median(got) / 1000:9.2f} ms" if got else " (no timed iterations)")
    # whole-process time of one short run (outer = 1), startup included
    for b in benches:
        for s in systems:
            if (b[0], s) in fails or (b[0], s) not in times:
                continue
            cmd, use_pty = setup.command(s, b, 1, inner[b[0]])
            w = median_wall(cmd, 1 if a.quick else 3, use_pty)
            walls[(b[0], s)] = w
    n_extra = 5 if a.quick else 11
    hello = hello_startup(setup, n_extra)
    lines, ctime = compile_speed(setup, n_extra)
    stats = {}
    for t in ("--tier=1", "--tier=auto"):
        stats[t] = stats_line(setup, t, "Richards", inner.get("Richards", 2))
    gcs = {}
    for b in benches:
        if b[0] in GC_BENCH:
            for s in systems:
                if s in GC_SYSTEMS and (b[0], s) not in fails:
                    gcs[(b[0], s)] = gc_count(setup, s, b, inner[b[0]])
    elapsed = time.time() - t_start

    med = {k: statistics.median(v) for k, v in times.items()}
    lost_n = sum(lost.values())
    if lost_n:
        setup.notes.append(f"{lost_n} Kiln iteration(s) had no time of their own (their line arrived in one read "
                           "with the previous one) and were left out of the medians.")
    write_report(a, setup, benches, systems, inner, rounds, measured, med, walls, rsss, fails, hello,
                 lines, ctime, stats, elapsed, gcs)
    log(f"wrote {a.out} and {os.path.join(os.path.dirname(a.out), 'results.svg')} in {elapsed:.0f} s")
    return 1 if fails else 0


def write_report(a, setup, benches, systems, inner, rounds, measured, med, walls, rsss, fails, hello,
                 lines, ctime, stats, elapsed, gcs):
    names = [b[0] for b in benches]
    L = []
    L.append("# Kiln benchmarks: tiers against C, Java, Lua and LuaJIT\n")
    L.append("Generated by `make bench` (`bench/bench.py" + (" --quick" if a.quick else "") + "`); "
             "do not edit by hand. How to run and read it: `bench/README.md`.\n")
    L.append("| | |\n|---|---|")
    for k, v in machine_facts():
        L.append(f"| {k} | {v} |")
    L.append(f"| protocol | {rounds} interleaved round(s); per process: warm-up iterations (Java 25, Kiln auto 3, "
             f"LuaJIT 2, others 1) then {measured} measured; median of all measured iterations; "
             f"total run {elapsed / 60:.1f} min |")
    L.append("")
    if fails:
        L.append("## Failures\n")
        L.append("A wrong result or a crash is a failure, not a data point:\n")
        for (b, s), why in sorted(fails.items()):
            L.append(f"- **{b}** in {SYSTEMS[s][0]}: `{why[:300]}`")
        L.append("")

    def table(title, fn, fmt, note=""):
        L.append(f"## {title}\n")
        if note:
            L.append(note + "\n")
        L.append("| benchmark | inner | " + " | ".join(SYSTEMS[s][0] for s in systems) + " |")
        L.append("|---|---:|" + "---:|" * len(systems))
        for b in names:
            cells = [fmt(fn(b, s)) for s in systems]
            if not any(c != "—" for c in cells):
                continue
            L.append(f"| {b} | {inner[b]} | " + " | ".join(cells) + " |")
        L.append("")

    table("Time per iteration (ms, median)", lambda b, s: med.get((b, s)), fmt_ms,
          "One outer iteration = the benchmark at the given inner size (AWFY's `innerBenchmarkLoop`).")

    def ratio(b, s, base):
        return med[(b, s)] / med[(b, base)] if med.get((b, s)) and med.get((b, base)) else None

    def geo_rows(base, subset, label):
        vals = []
        for s in systems:
            g = geomean([ratio(b, s, base) for b in names if b in subset])
            vals.append(fmt_x(g))
        return f"| **geomean {label}** | | " + " | ".join(f"**{v}**" for v in vals) + " |"

    for base, blabel in (("java", "Java 17"), ("c", "C")):
        if base not in systems:
            continue
        table(f"Ratio to {blabel} (x slower; lower is better)", lambda b, s, base=base: ratio(b, s, base), fmt_x,
              "Geomeans are over the benchmarks that have a value in both columns." if base == "c" else "")
        L.pop()
        common = [b for b in names if med.get((b, base))]
        L.append(geo_rows(base, common, "all"))
        micro = [b for b in common if b not in MACRO and b not in BG]
        if micro and len(micro) != len(common):
            L.append(geo_rows(base, micro, "AWFY micro"))
        bg = [b for b in common if b in BG]
        if bg and len(bg) != len(common):
            L.append(geo_rows(base, bg, "Benchmarks Game"))
        L.append("")

    kt = [s for s in ("kiln-t0", "kiln-t1", "kiln-auto") if s in systems]
    if len(kt) > 1 and "kiln-t0" in kt:
        L.append("## Kiln's tiers against each other (speed-up over tier 0)\n")
        L.append("| benchmark | " + " | ".join(SYSTEMS[s][0] for s in kt) + " |")
        L.append("|---|" + "---:|" * len(kt))
        for b in names:
            L.append(f"| {b} | " + " | ".join(fmt_x(1 / ratio(b, s, 'kiln-t0') if ratio(b, s, 'kiln-t0') else None) for s in kt) + " |")
        L.append("| **geomean** | " + " | ".join(
            f"**{fmt_x(geomean([1 / ratio(b, s, 'kiln-t0') for b in names if ratio(b, s, 'kiln-t0')]))}**" for s in kt) + " |")
        L.append("")
        L.append("JIT statistics of one Richards run (`kiln run --stats`, summary line):\n")
        for t, line in stats.items():
            L.append(f"- `{t}`: {line}")
        L.append("")

    table("Whole process, one short run (ms, startup included)",
          lambda b, s: walls.get((b, s)) * 1e6 if walls.get((b, s)) else None, fmt_ms,
          "The same inner size, one outer iteration, wall-clock time of the whole process (median of 3; quick: 1). "
          "For Kiln this loads a precompiled `.kar` (no source compilation).")
    table("Peak RSS (MB, max over the measured processes)",
          lambda b, s: max(rsss[(b, s)]) / 1024 if rsss.get((b, s)) else None,
          lambda v: "—" if v is None else f"{v:.1f}",
          "Storage and BinaryTrees are the allocation/GC stress tests. Kiln uses the Boehm GC; the C ports use malloc/free.")

    gsys = [s for s in GC_SYSTEMS if s in systems and any((b, s) in gcs for b in names)]
    gben = [b for b in names if b in GC_BENCH]
    if gsys and gben:
        L.append("## Garbage collections (one outer iteration, whole process)\n")
        L.append("Kiln: Boehm's collection count from `kiln run --stats` (full mark-sweep collections of a "
                 "non-moving heap, parallel marking); Java: G1's pauses from `-Xlog:gc` (young, mixed and full). "
                 "Read with the peak RSS above: Java trades memory for fewer, cheaper young collections.\n")
        L.append("| benchmark | inner | " + " | ".join(SYSTEMS[s][0] for s in gsys) + " |")
        L.append("|---|---:|" + "---:|" * len(gsys))
        for b in gben:
            L.append(f"| {b} | {inner[b]} | " + " | ".join(
                "—" if gcs.get((b, s)) is None else str(gcs[(b, s)]) for s in gsys) + " |")
        L.append("")

    L.append("## Startup: hello world (ms, median)\n")
    L.append("| system | ms |\n|---|---:|")
    for label, w in hello:
        L.append(f"| {label} | {'—' if w is None else f'{w * 1000:.1f}'} |")
    L.append("")
    L.append("## Kiln compiler speed\n")
    if ctime:
        L.append(f"`kiln build` of the {len(KILN_MODULES)} benchmark modules ({lines} lines, plus the std.core prelude): "
                 f"{ctime * 1000:.0f} ms for the whole process, i.e. **{lines / ctime:,.0f} lines/s** including VM start "
                 "(a lower bound on the compiler's own speed).\n")
    L.append("## Notes\n")
    notes = [
        "Ported: the AWFY micro benchmarks "
        + ", ".join(b[0] for b in BENCHMARKS if b[0] not in MACRO and b[0] not in BG)
        + "; the AWFY macro benchmarks " + ", ".join(b[0] for b in BENCHMARKS if b[0] in MACRO)
        + "; Benchmarks Game binary-trees, fannkuch-redux, spectral-norm, fasta.",
        "Kiln's harness times each iteration with `std.sys.nanoTime` (CLOCK_MONOTONIC), as Java uses `System.nanoTime`.",
        "Lua 5.4 has no wall clock in its standard library: its per-iteration times are `os.clock()` (process CPU "
        "time, equal to wall time for these single-threaded programs up to GC/OS noise). LuaJIT uses `clock_gettime` via FFI.",
        "Inner sizes are smaller than AWFY's steady-state sizes so that the slow systems (tier 0, Lua 5.4, "
        "`java -Xint`) finish in minutes; Java has 25 warm-up iterations but short ones, so its numbers may not be "
        "fully at peak on the smallest benchmarks.",
        "fasta writes into a checksum sink instead of stdout (the same sink in every language); spectral-norm is N=100 "
        "per iteration and verified as vBv/vv within the squared rounding interval of 1.274219991 (no sqrt needed).",
        "C ports use gcc -O2 -ffp-contract=off (no FMA contraction: results must be bit-identical across systems).",
        "Shared 2-CPU machine: differences under ~30% are noise; compare geomeans.",
    ] + setup.notes
    for n in notes:
        L.append("- " + n)
    L.append("")
    L.append("![chart](results.svg)\n")
    with open(a.out, "w") as f:
        f.write("\n".join(L))
    base = "c" if "c" in systems else ("java" if "java" in systems else systems[0])
    svg_chart(os.path.join(os.path.dirname(a.out), "results.svg"), benches,
              systems, med, base, SYSTEMS[base][0])


def main_harness(argv):
    """bench.py harness [kiln run options] <Benchmark> <outer> <inner>: the Kiln AWFY
    harness with the times filled in."""
    opts = [x for x in argv if x.startswith("-")]
    args = [x for x in argv if not x.startswith("-")]
    setup = Setup(False)
    os.makedirs(WORK, exist_ok=True)
    kiln = os.environ.get("KILN", os.path.join(ROOT, "bin", "kiln"))
    srcs = [os.path.join(BENCH, "kiln", m + ".kl") for m in KILN_MODULES]
    if not os.path.exists(setup.kar) or os.path.getmtime(setup.kar) < max(os.path.getmtime(s) for s in srcs):
        r = subprocess.run([kiln, "build", "-o", setup.kar] + srcs, text=True, capture_output=True)
        if r.returncode != 0:
            sys.exit(r.stderr)
    status, lines, _, _, err = run_pty([kiln, "run"] + opts + [setup.kar] + args)
    times, prev, total = [], None, 0
    for stamp, line in lines:
        m = LINE_RE.match(line)
        if m and m.group(2) == "?":
            us = int((stamp - prev) * 1e6) if stamp is not None and prev is not None else 0
            total += us
            times.append(us)
            line = f"{m.group(1)}: iterations=1 runtime: {us}us"
        print(line)
        prev = stamp
    if times:
        name = args[0]
        print(f"{name}: iterations={len(times)} average: {total // len(times)}us total: {total}us\n")
        print(f"Total Runtime: {total}us")
    sys.stderr.write(err)
    return status


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "harness":
        sys.exit(main_harness(sys.argv[2:]))
    sys.exit(main_bench(sys.argv[1:]))
