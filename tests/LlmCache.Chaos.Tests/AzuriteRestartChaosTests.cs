using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LlmCache.AzureBlob;
using LlmCache.AzureBlob.Tests;
using LlmCache.Redis.Tests.Support;
using Xunit.Abstractions;

namespace LlmCache.Chaos.Tests;

/// <summary>
/// 1,000 mixed calls over 8 workers through generated <c>CacheType.AzureBlob</c> methods on a real Azurite, which
/// is killed with SIGKILL after 300 calls and restarted on the same port after 600.
/// </summary>
public sealed class AzuriteRestartChaosTests(ITestOutputHelper output) : IDisposable
{
    private const int Calls = 1_000;
    private const int Workers = 8;
    private const int Keyspace = 100;
    private const int OutageStart = 300;
    private const int OutageEnd = 600;
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromMilliseconds(1000);
    private static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromSeconds(45);

    private readonly AzuriteServer _azurite = new();

    public void Dispose() => _azurite.Dispose();

    [Fact]
    public Task A_thousand_mixed_calls_while_azurite_is_killed_and_restarted_get_no_exception_and_every_answer_and_hits_resume() =>
        Scenario.RunAsync(TimeSpan.FromSeconds(300), async cancellationToken =>
        {
            AzureBlobCacheStoreOptions blob = _azurite.StoreOptions();
            blob.OperationTimeout = OperationTimeout;
            blob.MaxRetries = 1;
            var logs = new ListLoggerProvider();
            var options = new LlmCacheOptions { LoggerFactory = logs, Resilience = new ResilienceOptions { BreakDuration = BreakDuration } }.UseAzureBlob(blob);
            await using var runtime = new LlmCacheRuntime(options);
            var model = new SimulatedModel();
            var run = new ChaosRun(CallPlan.Create(seed: 14, Calls, Keyspace), new AzureBlobService(runtime, model), model);

            // The synchronous cached method blocks a pool thread for each round trip; size the pool for the workers,
            // so the pool's growth rate does not decide whether operations meet their timeout.
            ThreadPool.GetMinThreads(out int workerThreads, out int completionThreads);
            ThreadPool.SetMinThreads(Math.Max(workerThreads, 4 * Workers), completionThreads);

            var clock = Stopwatch.StartNew();
            var notes = new List<string>();

            // The first calls pay for connections and the JIT; start a few at a time until Azurite serves a hit.
            PhaseFigures up = run.BeginPhase("azurite up");
            Task workers = run.RunAsync(Workers, cancellationToken);
            TimeSpan? serving = await run.PaceUntilAsync(() => up.HitsFrom("azure-blob") > 0, OutageStart, RecoveryDeadline, cancellationToken);
            notes.Add($"start: first azure-blob hit {(serving is { } s ? $"{s.TotalMilliseconds:F0} ms and {up.Calls} calls after the start" : $"NOT SEEN within {RecoveryDeadline.TotalSeconds} s / {up.Calls} calls")}");
            await run.RunUntilAsync(OutageStart, cancellationToken);

            _azurite.Stop();
            run.BeginPhase("outage (SIGKILL)");
            await run.RunUntilAsync(OutageEnd, cancellationToken);

            _azurite.Start();

            // Azurite saves its metadata every 5 s, so a SIGKILL can lose a container created just before; an
            // operator's container exists already, and this one is put back as it was.
            _azurite.CreateContainerClient().CreateIfNotExists(cancellationToken: cancellationToken);
            PhaseFigures recovery = run.BeginPhase("after restart");
            TimeSpan? resumed = await run.PaceUntilAsync(() => recovery.HitsFrom("azure-blob") > 0, Calls, RecoveryDeadline, cancellationToken);
            notes.Add($"restart: first azure-blob hit {(resumed is { } t ? $"{t.TotalMilliseconds:F0} ms and {recovery.Calls} calls after the restart" : $"NOT SEEN within {RecoveryDeadline.TotalSeconds} s / {recovery.Calls} calls")}");
            await run.RunUntilAsync(Calls, cancellationToken);
            await workers;
            run.EndPhase();

            IReadOnlyList<PhaseFigures> phases = run.Phases;
            int exceptions = phases.Sum(p => p.Exceptions);
            int wrong = phases.Sum(p => p.Wrong);
            var lines = new List<string>
            {
                $"{Calls} calls, {Workers} workers, {Keyspace} prompts (skewed) x {PlannedCall.Methods} methods; store: OperationTimeout {OperationTimeout.TotalMilliseconds} ms, MaxRetries {blob.MaxRetries}; breaker {BreakDuration.TotalSeconds} s",
                $"total: exceptions {exceptions}, wrong answers {wrong}, model calls {model.Calls}, elapsed {clock.Elapsed.TotalSeconds:F1} s",
            };
            lines.AddRange(phases.Select(p => p.ToString()));
            lines.AddRange(notes);
            lines.Add(LogSummary.Of(logs));
            Scenario.Print(output, "Azure Blob on Azurite, killed with SIGKILL and restarted", lines);

            Assert.True(exceptions == 0, "Callers saw exceptions: " + string.Join(Environment.NewLine, phases.SelectMany(p => p.Failures)));
            Assert.True(wrong == 0, "Callers got wrong answers: " + string.Join(Environment.NewLine, phases.SelectMany(p => p.Failures)));
            Assert.Equal(Calls, phases.Sum(p => p.Calls));
            Assert.True(phases[0].HitsFrom("azure-blob") > 0, "No call was served by Azurite before the kill: the scenario does not exercise the store.");
            Assert.True(recovery.HitsFrom("azure-blob") > 0, $"Azure Blob hits did not resume after the restart: {recovery}");
        });
}
