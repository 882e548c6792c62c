using BenchmarkDotNet.Running;
using LlmCache.Benchmarks;
using LlmCache.Redis.Tests.Servers;

// The Redis suites read from one redis-server started for the whole run (BenchmarkRedis); the other suites never use it.
using RedisServer redis = BenchmarkRedis.StartForRun();
BenchmarkSwitcher.FromAssembly(typeof(ChatRequest).Assembly).Run(args);
