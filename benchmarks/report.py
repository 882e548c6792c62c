#!/usr/bin/env python3
"""Turns BenchmarkDotNet's JSON results into docs/benchmarks.md and its SVG charts (python3, standard library only).

Usage (benchmarks/run-all.sh runs it after the benchmarks):
    python3 benchmarks/report.py [--results BenchmarkDotNet.Artifacts/results] [--out docs/benchmarks.md]
                                 [--charts docs/benchmarks] [--conditions TEXT] [--command TEXT]

Conventions it reads from the benchmarks themselves:
- a suite is a benchmark class; its rows are grouped by the class's [Params] values;
- a row's Description says whose it is before the first colon: "LlmCache: ...", "Peer: ..." (also "Peer (name): ..."),
  or "Floor: ..." (the least any implementation pays, such as SHA-256 of the key bytes);
- every LlmCache row is compared with every Peer row of the same suite and parameters: the ratio is the peer's mean
  over LlmCache's, so 30.0x means LlmCache takes a thirtieth of the peer's time.
"""

import argparse
import glob
import html
import json
import math
import os
import re
import sys
from collections import OrderedDict

# Suites in the order the page shows them, with what each measures. Suites not listed follow in name order.
SUITES = OrderedDict([
    ("KeyBuildingBenchmarks", "Building the cache key of the same request, LlmCache against each peer's key."),
    ("MemoryHitBenchmarks", "A hit served from memory, LlmCache against each peer's in-memory cache."),
    ("RedisHitBenchmarks", "A hit served from a local redis-server, LlmCache against each peer over Redis."),
    ("MissOverheadBenchmarks", "What a miss adds to the model call: the cache's own work before and after it."),
    ("KeyScalingBenchmarks", "The key of a Microsoft.Extensions.AI request (messages and options with two tools) at 0.5, 4.4, 32 and 256 KB "
                             "of text (0.5 KB: one question with two compact tools; 32 and 256 KB: the 4.4 KB request with more turns), "
                             "LlmCache's generated key builder against DistributedCachingChatClient's key (log scale)."),
    ("MemoryHitScalingBenchmarks", "A memory hit of the same requests at 0.5, 4.4, 32 and 256 KB: a generated [LlmCached] method against "
                                   "DistributedCachingChatClient over MemoryDistributedCache (log scale)."),
    ("MemoryThroughputBenchmarks", "Memory hits per second with 1, 2 and 8 concurrent callers over 10,000 and 1,000,000 entries "
                                   "(one-question requests in a shuffled order; the machine has 2 cores, so 8 callers share them). "
                                   "The time is that of one hit across all callers; hits/s = 1 s / time."),
    ("GeneratorBenchmarks", "The source generator on a project of 1,000 [LlmCached] methods (100 files of 10): a whole run over a fresh "
                            "compilation (Roslyn binds the declarations as part of the run), a whole run of a new driver over a compilation "
                            "whose declarations are already bound (the generator's own time), and the incremental re-run after one method "
                            "body changed, each beside the floor of Roslyn's ForAttributeWithMetadataName with a transform that only reads "
                            "the symbol. What each row measures: [generator.md](benchmarks/generator.md)."),
])

# Suites whose chart has a log scale regardless of their spread.
LOG_SCALE = {"KeyScalingBenchmarks", "MemoryHitScalingBenchmarks"}

# Suites whose chart shows operations per second (higher is better) instead of time.
THROUGHPUT = {"MemoryThroughputBenchmarks"}

# Issue 13's targets. Each names one LlmCache row and checks it against bounds measured in the same run:
#   max_ns: its mean under a time bound;  max_bytes: its allocation per operation at most this;
#   peer + min_ratio: the peer row's mean over ours at least this;  peer + faster: ours strictly shorter;
#   floor + max_ratio: our mean over the floor row's at most this;
#   baseline + max_extra_ns: our mean minus the baseline row's under this (what we add to a call).
TARGETS = [
    {"suite": "KeyBuildingBenchmarks", "method": "LlmCacheRemoteKey",
     "checks": [{"floor": "Sha256Floor", "max_ratio": 1.3}, {"max_bytes": 0}],
     "text": "Remote-tier key (SHA-256) of the 4.4 KB request: within 1.3x of SHA-256 of the canonical bytes, 0 B"},
    {"suite": "MemoryHitBenchmarks", "method": "GeneratedSharedHit",
     "checks": [{"peer": "PeerHit", "min_ratio": 40}, {"peer": "HybridCacheHit", "faster": True},
                {"peer": "FusionCacheHit", "faster": True}, {"max_bytes": 0}],
     "text": "Memory hit, generated method (ShareResult): 40x faster than DistributedCachingChatClient, faster than "
             "HybridCache and FusionCache, 0 B"},
    {"suite": "RedisHitBenchmarks", "method": "GeneratedHit",
     "checks": [{"floor": "RawGet", "max_ratio": 1.15}, {"peer": "PeerHit", "faster": True}, {"peer": "FusionCacheHit", "faster": True}],
     "text": "Redis hit, generated method: within 1.15x of the raw GET, faster than DistributedCachingChatClient and "
             "FusionCache over Redis"},
    {"suite": "MissOverheadBenchmarks", "method": "GeneratedMiss", "checks": [{"baseline": "Direct", "max_extra_ns": 5e3}],
     "text": "Miss overhead of a remote-tier store: under 5 us over calling the implementation"},
    {"suite": "MissOverheadBenchmarks", "method": "GeneratedMissWriteBehind", "checks": [{"baseline": "Direct", "max_extra_ns": 5e3}],
     "text": "Miss overhead of a remote-tier store with LlmCacheOptions.WriteBehind: under 5 us over calling the implementation"},
    {"suite": "MissOverheadBenchmarks", "method": "GeneratedMemoryMiss", "checks": [{"baseline": "Direct", "max_extra_ns": 5e3}],
     "text": "Miss overhead of the memory store: under 5 us over calling the implementation"},
    {"suite": "GeneratorBenchmarks", "method": "BoundRun", "checks": [{"max_ns": 100e6}],
     "text": "Generator, 1,000 methods, after warm-up, declarations already bound: under 100 ms"},
    {"suite": "GeneratorBenchmarks", "method": "WholeRun", "checks": [{"max_ns": 100e6}],
     "text": "Generator, 1,000 methods, after warm-up, a fresh compilation (Roslyn's binding included): under 100 ms"},
    {"suite": "GeneratorBenchmarks", "method": "OneEdit", "checks": [{"max_ns": 10e6}],
     "text": "Generator, incremental re-run after a one-method-body edit: under 10 ms"},
]

COLOURS = {"LlmCache": "#2b6cb0", "Peer": "#dd6b20", "Floor": "#718096", "Other": "#38a169"}


def load(results_dir):
    """Every benchmark of every JSON report in the folder, one report per suite (the full one when there are two)."""
    files = sorted(glob.glob(os.path.join(results_dir, "*-report*.json")), key=lambda f: ("-full" not in f, f))
    seen, host, rows = set(), None, []
    for path in files:
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
        title = re.sub(r"-report.*$", "", os.path.basename(path))
        if title in seen:
            continue
        seen.add(title)
        host = host or report.get("HostEnvironmentInfo")
        for b in report.get("Benchmarks", []):
            rows.append(row(b))
    return host, rows


def row(b):
    title = (b.get("MethodTitle") or b["Method"]).strip("'")
    who = title.split(":", 1)[0].strip() if ":" in title else ""
    role = "LlmCache" if who.startswith("LlmCache") else "Peer" if who.startswith("Peer") else "Floor" if who.startswith("Floor") else "Other"
    stats = b.get("Statistics") or {}
    memory = b.get("Memory") or {}
    return {
        "suite": b["Type"],
        "method": b["Method"],
        "title": title,
        "role": role,
        "params": b.get("Parameters") or "",
        "mean": stats.get("Mean"),
        "stddev": stats.get("StandardDeviation"),
        "n": stats.get("N"),
        "allocated": memory.get("BytesAllocatedPerOperation"),
    }


def suites_in_order(rows):
    names = sorted({r["suite"] for r in rows})
    known = [s for s in SUITES if any(n == s or n.startswith(s) for n in names)]
    ordered = []
    for s in known:
        ordered += sorted(n for n in names if n == s or (n.startswith(s) and n not in SUITES))
    return list(OrderedDict.fromkeys(ordered + [n for n in names if n not in ordered]))


def param_cases(rows):
    return list(OrderedDict.fromkeys(r["params"] for r in rows))


def time_text(ns):
    if ns is None or (isinstance(ns, float) and math.isnan(ns)):
        return "n/a"
    unit, scale = next(((u, f) for u, f in (("s", 1e9), ("ms", 1e6), ("us", 1e3)) if ns >= f), ("ns", 1))
    v = ns / scale
    return f"{v:,.3f} {unit}" if v < 10 else f"{v:,.2f} {unit}" if v < 100 else f"{v:,.1f} {unit}"


def bytes_text(b):
    if b is None:
        return "n/a"
    if b >= 1024 * 1024:
        return f"{b / 1024 / 1024:,.2f} MB"
    if b >= 10 * 1024:
        return f"{b / 1024:,.1f} KB"
    return f"{b:,} B"


def ops_text(ns):
    if not ns:
        return "n/a"
    ops = 1e9 / ns
    return f"{ops / 1e6:,.2f} M/s" if ops >= 1e6 else f"{ops / 1e3:,.1f} k/s"


def params_text(p):
    return ", ".join(part.replace("=", " = ", 1) for part in p.split("&")) if p else ""


def md_escape(text):
    return text.replace("|", "\\|")


def suite_table(suite, rows):
    has_params = any(r["params"] for r in rows)
    throughput = suite in THROUGHPUT
    head = (["Parameters"] if has_params else []) + ["Benchmark", "Mean", "StdDev"] + (["Hits/s"] if throughput else []) + ["Allocated"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] * (1 if has_params else 0) + ["---", "---:", "---:"] + (["---:"] if throughput else []) + ["---:"]) + "|"]
    for r in rows:
        cells = ([params_text(r["params"])] if has_params else []) + [md_escape(r["title"]), time_text(r["mean"]), time_text(r["stddev"])]
        cells += [ops_text(r["mean"])] if throughput else []
        cells += [bytes_text(r["allocated"])]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def ratios(rows):
    """(params, LlmCache row, peer row, peer mean / LlmCache mean) for every pair of the same parameters."""
    out = []
    for case in param_cases(rows):
        in_case = [r for r in rows if r["params"] == case]
        for ours in (r for r in in_case if r["role"] == "LlmCache"):
            for peer in (r for r in in_case if r["role"] == "Peer"):
                if ours["mean"] and peer["mean"]:
                    out.append((case, ours, peer, peer["mean"] / ours["mean"]))
    return out


def ratio_table(rows):
    pairs = ratios(rows)
    if not pairs:
        return []
    peers = list(OrderedDict.fromkeys(p["title"] for _, _, p, _ in pairs))
    has_params = any(case for case, _, _, _ in pairs)
    head = (["Parameters"] if has_params else []) + ["LlmCache"] + [f"vs {md_escape(p)}" for p in peers]
    lines = ["", "LlmCache against each peer (the peer's mean time over LlmCache's; above 1x LlmCache is faster):", "",
             "| " + " | ".join(head) + " |", "|" + "|".join(["---"] * len(head)) + "|"]
    for case in param_cases(rows):
        for ours in OrderedDict.fromkeys(o["title"] for c, o, _, _ in pairs if c == case):
            found = {p["title"]: x for c, o, p, x in pairs if c == case and o["title"] == ours}
            cells = ([params_text(case)] if has_params else []) + [md_escape(ours)] + [f"{found[p]:,.1f}x" if p in found else "" for p in peers]
            lines.append("| " + " | ".join(cells) + " |")
    return lines


def floor_table(rows):
    """LlmCache's mean over the floor's: how far above the least any implementation pays. A floor method named
    Floor{X} is compared only with method {X}; any other floor with every LlmCache row of its parameters."""
    lines = []
    for case in param_cases(rows):
        in_case = [r for r in rows if r["params"] == case]
        for floor in (r for r in in_case if r["role"] == "Floor" and r["mean"]):
            twin = floor["method"][len("Floor"):] if floor["method"].startswith("Floor") else None
            for ours in (r for r in in_case if r["role"] == "LlmCache" and r["mean"]):
                if twin is None or not any(r["method"] == twin for r in in_case) or ours["method"] == twin:
                    cells = ([params_text(case)] if any(r["params"] for r in rows) else []) + [md_escape(ours["title"]), md_escape(floor["title"]), f"{ours['mean'] / floor['mean']:,.2f}x"]
                    lines.append("| " + " | ".join(cells) + " |")
    if not lines:
        return []
    head = (["Parameters"] if any(r["params"] for r in rows) else []) + ["LlmCache", "Floor", "Times the floor"]
    return ["", "LlmCache against the floor (LlmCache's mean time over the floor's):", "",
            "| " + " | ".join(head) + " |", "|" + "|".join(["---"] * len(head)) + "|"] + lines


def evaluate(target, rows):
    """("met" | "missed" | "not run", what was measured): met only when every check of the target holds."""
    def find(method, params):
        return next((r for r in rows if r["suite"] == target["suite"] and r["method"] == method and r["params"] == params and r["mean"]), None)

    ours = next((r for r in rows if r["suite"] == target["suite"] and r["method"] == target["method"] and r["mean"]), None)
    if ours is None:
        return "not run", ""
    results = [check_one(c, ours, find) for c in target["checks"]]
    if any(met is None for met, _ in results):
        return "not run", "; ".join(how for met, how in results if met is None)
    return ("met" if all(met for met, _ in results) else "missed"), "; ".join(how for _, how in results)


def check_one(check, ours, find):
    """(True | False | None when the row it needs was not run, what was measured) for one check of a target."""
    mean = ours["mean"]
    if "max_ns" in check:
        met = mean < check["max_ns"]
        return met, time_text(mean) + ("" if met else f", {mean / check['max_ns']:,.1f} times the bound")
    if "max_bytes" in check:
        allocated = ours["allocated"]
        if allocated is None:
            return None, "allocation not measured"
        return allocated <= check["max_bytes"], f"{bytes_text(allocated)} allocated"
    other_method = check.get("peer") or check.get("floor") or check.get("baseline")
    other = find(other_method, ours["params"])
    if other is None:
        return None, f"{other_method} not run"
    if "peer" in check:
        x = other["mean"] / mean
        met = x > 1 if check.get("faster") else x >= check["min_ratio"]
        return met, f"{x:,.2f}x {md_escape(other['title'])} ({time_text(mean)} against {time_text(other['mean'])})"
    if "floor" in check:
        x = mean / other["mean"]
        return x <= check["max_ratio"], f"{x:,.2f}x the floor ({time_text(mean)} against {time_text(other['mean'])})"
    extra = mean - other["mean"]
    return extra < check["max_extra_ns"], f"{time_text(extra) if extra >= 0 else '-' + time_text(-extra)} over the implementation ({time_text(mean)} against {time_text(other['mean'])})"


def chart(suite, rows, path):
    """A horizontal bar chart: one group per parameter case, one bar per benchmark, coloured by whose it is."""
    throughput = suite in THROUGHPUT
    value = (lambda r: 1e9 / r["mean"]) if throughput else (lambda r: r["mean"])
    measured = [r for r in rows if r["mean"]]
    if not measured:
        return False
    values = [value(r) for r in measured]
    log = suite in LOG_SCALE or max(values) / min(values) > 50
    label_width, bar_width, bar_height, gap, top = 470, 380, 16, 4, 40
    cases = param_cases(measured)
    height = top + sum(len([r for r in measured if r["params"] == c]) * (bar_height + gap) + (22 if c else 6) for c in cases) + 30
    low = 10 ** math.floor(math.log10(min(values))) if log else 0
    high = 10 ** math.ceil(math.log10(max(values))) if log else max(values) * 1.05

    def scale(v):
        if log:
            return bar_width * (math.log10(v) - math.log10(low)) / (math.log10(high) - math.log10(low))
        return bar_width * v / high

    unit = "hits/s, higher is better" if throughput else "mean time, shorter is better"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_width + bar_width + 110}" height="{height}" font-family="sans-serif" font-size="11">',
           f'<rect width="100%" height="100%" fill="white"/>',
           f'<text x="8" y="18" font-size="13" font-weight="bold">{html.escape(suite)}</text>',
           f'<text x="8" y="32" fill="#4a5568">{html.escape(unit)}{", log scale" if log else ""}</text>']
    body_height = height - 30
    if log:
        decade = low
        while decade <= high:
            x = label_width + scale(decade)
            tick = re.sub(r"\.0+ ", " ", ops_text(1e9 / decade) if throughput else time_text(decade))
            out.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{body_height}" stroke="#e2e8f0"/>')
            out.append(f'<text x="{x:.1f}" y="{body_height + 14}" text-anchor="middle" fill="#718096">{html.escape(tick)}</text>')
            decade *= 10
    y = top
    for case in cases:
        if case:
            out.append(f'<text x="8" y="{y + 12}" font-weight="bold">{html.escape(params_text(case))}</text>')
            y += 16
        for r in (r for r in measured if r["params"] == case):
            w = max(1.0, scale(value(r)))
            label = r["title"] if len(r["title"]) <= 78 else r["title"][:75] + "..."
            out.append(f'<text x="{label_width - 6}" y="{y + 12}" text-anchor="end">{html.escape(label)}</text>')
            out.append(f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar_height}" fill="{COLOURS[r["role"]]}"/>')
            text = ops_text(r["mean"]) if throughput else time_text(r["mean"])
            out.append(f'<text x="{label_width + w + 4:.1f}" y="{y + 12}">{html.escape(text)}</text>')
            y += bar_height + gap
        y += 6
    out.append("</svg>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    return True


def machine(host):
    if not host:
        return "unknown (the results carry no host information)"
    cores = f"{host.get('PhysicalCoreCount', '?')} physical / {host.get('LogicalCoreCount', '?')} logical cores"
    return (f"{host.get('OsVersion', '?')}; {host.get('ProcessorName', '?')}, {cores}; {host.get('RuntimeVersion', '?')}; "
            f"SDK {host.get('DotNetCliVersion', '?')}; BenchmarkDotNet {host.get('BenchmarkDotNetVersion', '?')}")


def render(host, rows, conditions, command, charts_dir, out_path):
    charts_rel = os.path.relpath(charts_dir, os.path.dirname(os.path.abspath(out_path)))
    lines = ["# Benchmarks: LlmCache side by side with its peers", "",
             "Written by `benchmarks/report.py` from BenchmarkDotNet's JSON results; do not edit by hand.", "",
             f"- Machine: {machine(host)}", f"- Conditions: {conditions}", f"- Command: `{command}`", "",
             "Rows are marked by whose they are: **LlmCache**, **Peer** (another library doing the same job with the same "
             "input), **Floor** (the least any implementation pays). Against a peer the ratio is the peer's mean over LlmCache's "
             "(above 1x LlmCache is faster); against a floor, LlmCache's mean over the floor's.", ""]
    lines += ["## Targets", "", "| Target | Result | Measured |", "|---|---|---|"]
    for t in TARGETS:
        status, how = evaluate(t, rows)
        lines.append(f"| {md_escape(t['text'])} | {status} | {how} |")
    for suite in suites_in_order(rows):
        in_suite = [r for r in rows if r["suite"] == suite]
        key = next((s for s in SUITES if suite == s or suite.startswith(s)), None)
        lines += ["", f"## {suite}", ""]
        if key:
            lines += [SUITES[key], ""]
        svg = f"{suite}.svg"
        if chart(suite, in_suite, os.path.join(charts_dir, svg)):
            lines += [f"![{suite}]({charts_rel}/{svg})", ""]
        lines += suite_table(suite, in_suite)
        lines += ratio_table(in_suite)
        lines += floor_table(in_suite)
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", default="BenchmarkDotNet.Artifacts/results")
    parser.add_argument("--out", default="docs/benchmarks.md")
    parser.add_argument("--charts", default="docs/benchmarks")
    parser.add_argument("--conditions", default="not stated")
    parser.add_argument("--command", default="benchmarks/run-all.sh")
    args = parser.parse_args(argv)
    host, rows = load(args.results)
    if not rows:
        sys.exit(f"No BenchmarkDotNet JSON results in {args.results} (run with --exporters json).")
    os.makedirs(args.charts, exist_ok=True)
    render(host, rows, args.conditions, args.command, args.charts, args.out)
    print(f"{args.out}: {len(rows)} benchmarks in {len(suites_in_order(rows))} suites")


if __name__ == "__main__":
    main(sys.argv[1:])
