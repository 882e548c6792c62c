using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using LlmCache.Redis.Tests.Servers;
using Xunit.Abstractions;

namespace LlmCache.Chaos.Tests;

/// <summary>
/// 10,000 mixed calls over 8 workers through generated <c>CacheType.Dual</c> methods (memory in front of a real
/// redis-server) while the server is killed with SIGKILL and restarted on the same port, twice.
/// </summary>
public sealed class DualRedisChaosTests(ITestOutputHelper output) : IDisposable
{
    private const int Calls = 10_000;
    private const int Workers = 8;
    private const int Keyspace = 500;

    // A small memory tier, so many reads go through to Redis and a Redis hit is something the run can observe.
    private const int MemoryEntries = 64;
    private static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromSeconds(45);

    private readonly RedisServer _redis = new();

    public void Dispose() => _redis.Dispose();

    [Fact]
    public Task Ten_thousand_mixed_calls_while_redis_is_killed_twice_get_no_exception_and_no_wrong_answer_and_redis_hits_resume() =>
        Scenario.RunAsync(TimeSpan.FromSeconds(150), async cancellationToken =>
        {
            var options = new LlmCacheOptions
            {
                Memory = new MemoryCacheStoreOptions { MaxEntries = MemoryEntries },
                Resilience = new ResilienceOptions { BreakDuration = BreakDuration },
            }.UseRedis(redis =>
            {
                redis.Host = "127.0.0.1";
                redis.Port = _redis.Port;
                redis.UseEnvironment = false;
                redis.KeyPrefix = RedisServer.UniquePrefix();
            });
            await using var runtime = new LlmCacheRuntime(options);
            var model = new SimulatedModel();
            var run = new ChaosRun(CallPlan.Create(seed: 8, Calls, Keyspace), new DualService(runtime, model), model);
            var notes = new List<string>();

            // The first calls pay for the connection and the JIT, and on a loaded machine they may time out and open
            // the breaker; calls start a few at a time until Redis serves one, as after each restart below.
            PhaseFigures up = run.BeginPhase("redis up");
            Task workers = run.RunAsync(Workers, cancellationToken);
            TimeSpan? serving = await run.PaceUntilAsync(() => up.HitsFrom("redis") > 0, 2_000, RecoveryDeadline, cancellationToken);
            notes.Add($"start: first redis hit {(serving is { } s ? $"{s.TotalMilliseconds:F0} ms and {up.Calls} calls after the start" : $"NOT SEEN within {RecoveryDeadline.TotalSeconds} s / {up.Calls} calls")}");
            await run.RunUntilAsync(2_000, cancellationToken);

            PhaseFigures? firstRecovery = null;
            PhaseFigures? secondRecovery = null;
            foreach ((int outageEnd, int recoveryEnd, int round) in new[] { (3_000, 6_000, 1), (7_000, Calls, 2) })
            {
                _redis.Stop();
                run.BeginPhase($"outage {round} (SIGKILL)");
                await run.RunUntilAsync(outageEnd, cancellationToken);

                _redis.Start();
                PhaseFigures recovery = run.BeginPhase($"after restart {round}");
                TimeSpan? resumed = await run.PaceUntilAsync(() => recovery.HitsFrom("redis") > 0, recoveryEnd, RecoveryDeadline, cancellationToken);
                notes.Add($"restart {round}: first redis hit {(resumed is { } t ? $"{t.TotalMilliseconds:F0} ms and {recovery.Calls} calls after the restart" : $"NOT SEEN within {RecoveryDeadline.TotalSeconds} s / {recovery.Calls} calls")}");
                await run.RunUntilAsync(recoveryEnd, cancellationToken);
                if (round == 1)
                {
                    firstRecovery = recovery;
                }
                else
                {
                    secondRecovery = recovery;
                }
            }

            await workers;
            run.EndPhase();

            run.ReportAndAssertEveryCallAnswered(
                output,
                "Dual (memory + Redis), Redis killed with SIGKILL and restarted twice",
                new[] { $"{Calls} calls, {Workers} workers, {Keyspace} prompts (skewed) x {PlannedCall.Methods} methods, memory tier {MemoryEntries} entries, breaker {BreakDuration.TotalSeconds} s" },
                notes);
            IReadOnlyList<PhaseFigures> phases = run.Phases;
            Assert.True(phases[0].HitsFrom("redis") > 0, "No call was served by Redis before the first kill: the scenario does not exercise the Redis tier.");
            Assert.True(firstRecovery!.HitsFrom("redis") > 0, $"Redis hits did not resume after the first restart: {firstRecovery}");
            Assert.True(secondRecovery!.HitsFrom("redis") > 0, $"Redis hits did not resume after the second restart: {secondRecovery}");
        });
}
