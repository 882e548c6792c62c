using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(LlmCache.Benchmarks.HitPathBenchmarks).Assembly).Run(args);
