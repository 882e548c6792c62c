using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(LlmCache.Semantic.Benchmarks.VectorLookupBenchmarks).Assembly).Run(args);
