#!/usr/bin/env python3
"""Checks of report.py on made-up BenchmarkDotNet results: python3 benchmarks/report_test.py"""

import json
import os
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True  # no __pycache__ beside the script
import report  # noqa: E402


def benchmark(suite, method, title, mean, params="", allocated=0):
    return {"Type": suite, "Method": method, "MethodTitle": f"'{title}'", "Parameters": params,
            "Statistics": {"Mean": mean, "StandardDeviation": 1.0, "N": 3}, "Memory": {"BytesAllocatedPerOperation": allocated}}


class ReportTests(unittest.TestCase):
    def run_report(self, benchmarks):
        folder = tempfile.mkdtemp()
        with open(os.path.join(folder, "Suite-report-full-compressed.json"), "w", encoding="utf-8") as f:
            json.dump({"HostEnvironmentInfo": {"OsVersion": "TestOS"}, "Benchmarks": benchmarks}, f)
        out = os.path.join(folder, "benchmarks.md")
        report.main(["--results", folder, "--out", out, "--charts", os.path.join(folder, "charts"), "--conditions", "test"])
        with open(out, encoding="utf-8") as f:
            return f.read(), folder

    def test_each_llmcache_row_is_compared_with_each_peer_of_the_same_parameters(self):
        page, _ = self.run_report([
            benchmark("KeyScalingBenchmarks", "PeerKey", "Peer: A", 300.0, "Size=1"),
            benchmark("KeyScalingBenchmarks", "Ours", "LlmCache: ours", 10.0, "Size=1"),
            benchmark("KeyScalingBenchmarks", "PeerKey", "Peer: A", 5000.0, "Size=2"),
            benchmark("KeyScalingBenchmarks", "Ours", "LlmCache: ours", 100.0, "Size=2"),
        ])
        self.assertIn("| Size = 1 | LlmCache: ours | 30.0x |", page)
        self.assertIn("| Size = 2 | LlmCache: ours | 50.0x |", page)

    def test_a_time_target_says_by_how_much_it_is_missed_and_a_chart_is_written(self):
        page, folder = self.run_report([
            benchmark("GeneratorBenchmarks", "WholeRun", "LlmCache generator: whole", 250e6),
            benchmark("GeneratorBenchmarks", "FloorWholeRun", "Floor: whole", 100e6),
            benchmark("GeneratorBenchmarks", "OneEdit", "LlmCache generator: edit", 5e6),
        ])
        self.assertIn("under 100 ms | missed | 250.0 ms, 2.5 times the bound |", page)
        self.assertIn("under 10 ms | met | 5.000 ms |", page)
        self.assertIn("| LlmCache generator: whole | Floor: whole | 2.50x |", page)
        self.assertNotIn("| LlmCache generator: edit | Floor: whole |", page)
        self.assertTrue(os.path.exists(os.path.join(folder, "charts", "GeneratorBenchmarks.svg")))

    def memory_hit(self, ours_ns, allocated=0, fusion_ns=3000.0):
        return [
            benchmark("MemoryHitBenchmarks", "PeerHit", "Peer: DistributedCachingChatClient", 50000.0),
            benchmark("MemoryHitBenchmarks", "GeneratedSharedHit", "LlmCache: shared", ours_ns, allocated=allocated),
            benchmark("MemoryHitBenchmarks", "HybridCacheHit", "Peer: HybridCache", 2000.0),
            benchmark("MemoryHitBenchmarks", "FusionCacheHit", "Peer: FusionCache", fusion_ns),
        ]

    def target_line(self, page, start):
        return next(line for line in page.splitlines() if line.startswith("| " + start))

    def test_a_target_of_several_checks_is_met_only_when_each_holds(self):
        page, _ = self.run_report(self.memory_hit(1000.0))
        self.assertIn("| met | 50.00x Peer: DistributedCachingChatClient", self.target_line(page, "Memory hit"))
        page, _ = self.run_report(self.memory_hit(1000.0, allocated=24))
        self.assertIn("| missed |", self.target_line(page, "Memory hit"))
        self.assertIn("24 B allocated", self.target_line(page, "Memory hit"))
        page, _ = self.run_report(self.memory_hit(1500.0))
        self.assertIn("| missed | 33.33x Peer: DistributedCachingChatClient", self.target_line(page, "Memory hit"))
        page, _ = self.run_report(self.memory_hit(1000.0, fusion_ns=1000.0))
        self.assertIn("| missed |", self.target_line(page, "Memory hit"))
        self.assertIn("1.00x Peer: FusionCache", self.target_line(page, "Memory hit"))

    def test_a_target_whose_peer_was_not_run_is_not_run(self):
        page, _ = self.run_report(self.memory_hit(1000.0)[:2])
        self.assertIn("| not run | HybridCacheHit not run; FusionCacheHit not run |", self.target_line(page, "Memory hit"))

    def test_floor_and_overhead_checks_compare_with_the_named_row(self):
        page, _ = self.run_report([
            benchmark("KeyBuildingBenchmarks", "Sha256Floor", "Floor: SHA-256", 2000.0),
            benchmark("KeyBuildingBenchmarks", "LlmCacheRemoteKey", "LlmCache: remote key", 2700.0),
            benchmark("MissOverheadBenchmarks", "Direct", "The implementation", 1000.0),
            benchmark("MissOverheadBenchmarks", "GeneratedMiss", "LlmCache: remote miss", 4000.0),
            benchmark("MissOverheadBenchmarks", "GeneratedMemoryMiss", "LlmCache: memory miss", 7000.0),
        ])
        self.assertIn("| missed | 1.35x the floor (2.700 us against 2.000 us); 0 B allocated |", self.target_line(page, "Remote-tier key"))
        self.assertIn("| met | 3.000 us over the implementation", self.target_line(page, "Miss overhead of a remote-tier"))
        self.assertIn("| missed | 6.000 us over the implementation", self.target_line(page, "Miss overhead of the memory"))


if __name__ == "__main__":
    unittest.main()
