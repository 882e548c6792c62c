using System;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using LlmCache.Benchmarks;
using LlmCache.Redis.Tests.Servers;

if (args is ["--miss-loop", string seconds, .. var tier] && tier is [] or ["remote"] or ["write-behind"])
{
    await MissLoop.RunAsync(double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture), remote: tier is not [], writeBehind: tier is ["write-behind"]);
    return;
}

if (args is ["--hit-loop", string hitSeconds])
{
    await HitLoop.RunAsync(double.Parse(hitSeconds, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

if (args is ["--redis-loop", string callsPerBlock, string rounds])
{
    await RedisLoop.RunAsync(int.Parse(callsPerBlock, System.Globalization.CultureInfo.InvariantCulture), int.Parse(rounds, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

// The Redis suites read from one redis-server started for the whole run (BenchmarkRedis); the other suites never use it.
using RedisServer redis = BenchmarkRedis.StartForRun();

// BenchmarkDotNet rebuilds the project for each job; on a loaded 2-core machine that takes longer than its default 2 minutes.
BenchmarkSwitcher.FromAssembly(typeof(ChatRequest).Assembly).Run(args, ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(10)));
