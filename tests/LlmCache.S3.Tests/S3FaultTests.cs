using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit.Abstractions;

namespace LlmCache.S3.Tests;

/// <summary>The S3 server dies in the middle of a run of calls and comes back; this class has a server of its own.</summary>
public sealed class S3FaultTests : IClassFixture<S3Server>
{
    private const int Calls = 1_000;
    private const int OutageStart = 300;
    private const int OutageEnd = 600;
    private const int Prompts = 40;

    private readonly S3Server _server;
    private readonly ITestOutputHelper _output;

    public S3FaultTests(S3Server server, ITestOutputHelper output)
    {
        _server = server;
        _output = output;
    }

    [Fact]
    public async Task AnOutageInTheMiddleOf1000CallsCostsNoCallerAnExceptionAndHitsResumeAfterTheRestart()
    {
        S3CacheStoreOptions settings = _server.StoreOptions();
        settings.OperationTimeout = TimeSpan.FromSeconds(1);
        using var store = new S3CacheStore(settings);
        var resilience = new ResilienceOptions { StoreTimeout = settings.OperationTimeout, BreakDuration = TimeSpan.FromMilliseconds(500) };
        var runtime = new LlmCacheRuntime(new LlmCacheOptions { Resilience = resilience }.UseStore(CacheType.S3, store));
        var method = new CachedMethod<string>("LlmCache.S3.Tests.Fault.AskAsync(string)#v0", CacheType.S3, 0, "fault", CacheValueSerializer.String);
        int llmCalls = 0;
        string Llm(string prompt)
        {
            Interlocked.Increment(ref llmCalls);
            return "answer to " + prompt;
        }

        var wentToLlm = new bool[Calls];
        var latency = new double[Calls];
        var failures = new List<Exception>();
        var wrongAnswers = 0;
        TimeSpan resumedAfter = TimeSpan.Zero;
        for (int i = 0; i < Calls; i++)
        {
            if (i == OutageStart)
            {
                _server.Stop();
            }
            else if (i == OutageEnd)
            {
                _server.Start();

                // The breaker opened during the outage: wait until its probe finds the server back (a condition,
                // not a fixed sleep), with calls that are not part of the record.
                resumedAfter = await WaitUntilHitsResumeAsync(runtime, method, Llm);
            }

            string prompt = "prompt " + (i % Prompts);
            int before = Volatile.Read(ref llmCalls);
            long started = Stopwatch.GetTimestamp();
            try
            {
                string answer = await GeneratedCall.AskAsync(runtime, method, prompt, Llm);
                wrongAnswers += answer == "answer to " + prompt ? 0 : 1;
            }
            catch (Exception exception)
            {
                failures.Add(exception);
            }

            latency[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            wentToLlm[i] = Volatile.Read(ref llmCalls) > before;
        }

        Report("before the outage", 0, OutageStart, wentToLlm, latency);
        Report("during the outage", OutageStart, OutageEnd, wentToLlm, latency);
        Report("after the restart", OutageEnd, Calls, wentToLlm, latency);
        // The fake LLM costs nothing, so a call's whole time during the outage is what the dead store adds to it.
        _output.WriteLine($"added latency per call during the outage: {latency[OutageStart..OutageEnd].Average():0.000} ms (a failed read and a failed write, no retries, timeout {settings.OperationTimeout.TotalSeconds} s)");

        _output.WriteLine($"hits resumed {resumedAfter.TotalMilliseconds:0} ms after the restart");

        Assert.Empty(failures);
        Assert.Equal(0, wrongAnswers);

        // Before: each prompt's first call goes to the LLM, and most later ones are S3 hits (on a loaded machine
        // an operation may pass its timeout and cost a miss, so not all of them).
        Assert.All(wentToLlm[..Prompts], Assert.True);
        int hitsBefore = wentToLlm[Prompts..OutageStart].Count(x => !x);
        Assert.True(hitsBefore >= (OutageStart - Prompts) * 9 / 10, $"Only {hitsBefore} of {OutageStart - Prompts} calls before the outage were hits.");

        // During: no store answers, so every call goes to the LLM.
        Assert.All(wentToLlm[OutageStart..OutageEnd], Assert.True);

        // After: the entries written before the outage are still on the server, and hits are back.
        int hitsAfter = wentToLlm[OutageEnd..].Count(x => !x);
        Assert.True(hitsAfter >= (Calls - OutageEnd) * 9 / 10, $"Only {hitsAfter} of {Calls - OutageEnd} calls after the restart were hits.");
    }

    /// <summary>Calls a prompt stored before the outage until it is a hit again; how long that took.</summary>
    private static async Task<TimeSpan> WaitUntilHitsResumeAsync(LlmCacheRuntime runtime, CachedMethod<string> method, Func<string, string> llm)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var outcome = new CacheOutcome();
            await GeneratedCall.AskAsync(runtime, method, "prompt 0", llm, new CacheControl { Outcome = outcome });
            if (outcome.IsHit)
            {
                return clock.Elapsed;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "Hits did not resume within 60 s of the restart.");
            await Task.Delay(50);
        }
    }

    private void Report(string phase, int from, int to, bool[] wentToLlm, double[] latency)
    {
        double[] sorted = latency[from..to].Order().ToArray();
        _output.WriteLine(
            $"{phase,-18} calls {to - from,4}  to the LLM {wentToLlm[from..to].Count(x => x),4}  latency mean {sorted.Average():0.000} ms  p50 {sorted[sorted.Length / 2]:0.000} ms  p99 {sorted[(int)(sorted.Length * 0.99)]:0.000} ms  max {sorted[^1]:0.000} ms");
    }
}
