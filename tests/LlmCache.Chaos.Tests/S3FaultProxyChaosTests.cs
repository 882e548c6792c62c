using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using LlmCache.S3;
using LlmCache.Redis.Tests.Support;
using LlmCache.S3.Tests;
using LlmCache.Testing.Servers;
using Xunit.Abstractions;

namespace LlmCache.Chaos.Tests;

/// <summary>
/// Mixed calls over 8 workers through generated <c>CacheType.S3</c> methods, with a real s3rver behind a loopback
/// proxy that answers 20 % of the requests with a 503, a connection reset or a 2-second stall.
/// </summary>
public sealed class S3FaultProxyChaosTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Calls = 10_000;
    private const int Workers = 8;
    private const int Keyspace = 100;
    private const double FaultRate = 0.2;
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(2);

    // A model that takes time, as a real one does, and callers that pause between calls: while the breaker is
    // open the calls go to the model at a bounded rate rather than racing through the plan in a moment.
    private static readonly TimeSpan ModelLatency = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan CallInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(1);

    // Shorter than the stall, so every stalled request is cut by the store's own timeout.
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromMilliseconds(500);

    private S3Server? _s3;
    private HttpFaultProxy? _proxy;

    public Task InitializeAsync()
    {
        _s3 = new S3Server();
        try
        {
            _proxy = new HttpFaultProxy(_s3.Port, FaultRate, seed: 20, Stall);
        }
        catch
        {
            // xunit does not dispose a class whose initialisation failed: stop the server already started.
            _s3.Dispose();
            throw;
        }

        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        _s3?.Dispose();
    }

    [Fact]
    public Task Mixed_calls_through_a_proxy_injecting_503s_resets_and_stalls_get_no_exception_and_no_wrong_answer_and_hits_happen() =>
        Scenario.RunAsync(TimeSpan.FromSeconds(400), async cancellationToken =>
        {
            S3CacheStoreOptions s3 = _s3!.StoreOptions();
            s3.EndpointUrl = _proxy!.EndpointUrl;
            s3.OperationTimeout = OperationTimeout;
            s3.MaxErrorRetry = 1;
            var logs = new ListLoggerProvider();
            var options = new LlmCacheOptions { LoggerFactory = logs, Resilience = new ResilienceOptions { BreakDuration = BreakDuration } }.UseS3(s3);
            await using var runtime = new LlmCacheRuntime(options);
            var model = new SimulatedModel(ModelLatency);
            var service = new S3Service(runtime, model);

            // The synchronous cached method blocks a pool thread for each S3 round trip (sync over async, as any
            // synchronous API over an asynchronous client must). With 8 such callers on a 2-core machine the pool,
            // which adds threads about once a second, would decide the outcome rather than the faults: store
            // operations queue past their timeout and the breaker opens. An application that makes synchronous
            // remote calls sizes its pool; so does this scenario.
            ThreadPool.GetMinThreads(out int workerThreads, out int completionThreads);
            ThreadPool.SetMinThreads(Math.Max(workerThreads, 4 * Workers), completionThreads);

            // Warm up without faults: the SDK's first requests (connections, JIT) are slow and say nothing about faults.
            _proxy.Enabled = false;
            for (int i = 0; i < 20; i++)
            {
                await service.AskAsync("warm-up " + i);
            }

            _proxy.Enabled = true;
            int warmUpRequests = _proxy.Requests;
            var run = new ChaosRun(CallPlan.Create(seed: 9, Calls, Keyspace), service, model, CallInterval);

            run.BeginPhase("first half");
            Task workers = run.RunAsync(Workers, cancellationToken);
            await run.RunUntilAsync(Calls / 2, cancellationToken);
            run.BeginPhase("second half");
            await run.RunUntilAsync(Calls, cancellationToken);
            await workers;
            run.EndPhase();

            run.ReportAndAssertEveryCallAnswered(
                output,
                "S3 behind a fault proxy (503s, resets, 2 s stalls)",
                new[]
                {
                    $"{Calls} calls, {Workers} workers, {Keyspace} prompts (skewed) x {PlannedCall.Methods} methods",
                    $"store: OperationTimeout {OperationTimeout.TotalMilliseconds} ms, MaxErrorRetry {s3.MaxErrorRetry}; breaker {BreakDuration.TotalSeconds} s; model latency {ModelLatency.TotalMilliseconds} ms (async and sync methods), each worker starts a call at most every {CallInterval.TotalMilliseconds} ms; proxy: {FaultRate:P0} of requests faulted, stall {Stall.TotalSeconds} s",
                    $"proxy: {warmUpRequests} warm-up requests without faults, then {_proxy.Requests - warmUpRequests} requests: forwarded {_proxy.Count(InjectedFault.None) - warmUpRequests}, 503 {_proxy.Count(InjectedFault.ServiceUnavailable)}, resets {_proxy.Count(InjectedFault.ConnectionReset)}, stalls {_proxy.Count(InjectedFault.Stall)}",
                },
                new[] { LogSummary.Of(logs) });
            IReadOnlyList<PhaseFigures> phases = run.Phases;
            foreach (InjectedFault fault in new[] { InjectedFault.ServiceUnavailable, InjectedFault.ConnectionReset, InjectedFault.Stall })
            {
                Assert.True(_proxy.Count(fault) > 0, $"The proxy never injected {fault}: the scenario did not test it.");
            }

            Assert.All(phases, p => Assert.True(p.HitsFrom("s3") > 0, $"No S3 hit in the {p.Name}: {p}"));
        });
}
