using System;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// In process, so each size is built once per case without a generated project; the default in-process limit
// (five minutes per case) is shorter than building and checking a million-record graph.
IConfig config = DefaultConfig.Instance.AddJob(Job.Default.WithToolchain(new InProcessEmitToolchain(TimeSpan.FromHours(2), logOutput: true)));
BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(LlmCache.Semantic.Benchmarks.VectorLookupBenchmarks).Assembly).Run(args, config);
