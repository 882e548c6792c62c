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
        for (int i = 0; i < Calls; i++)
        {
            if (i == OutageStart)
            {
                _server.Stop();
            }
            else if (i == OutageEnd)
            {
                _server.Start();

                // The breaker opened during the outage; its next probe, one break duration on, finds the server back.
                await Task.Delay(resilience.BreakDuration);
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

        Assert.Empty(failures);
        Assert.Equal(0, wrongAnswers);

        // Before: each prompt's first call goes to the LLM, every later one is an S3 hit.
        Assert.Equal(Enumerable.Range(0, OutageStart).Select(i => i < Prompts), wentToLlm[..OutageStart]);

        // During: no store answers, so every call goes to the LLM.
        Assert.All(wentToLlm[OutageStart..OutageEnd], Assert.True);

        // After: the entries written before the outage are still on the server, and hits resume.
        int llmAfter = wentToLlm[OutageEnd..].Count(x => x);
        Assert.True(llmAfter <= Prompts, $"{llmAfter} of {Calls - OutageEnd} calls after the restart went to the LLM.");
        Assert.All(wentToLlm[(Calls - 200)..], Assert.False);
    }

    private void Report(string phase, int from, int to, bool[] wentToLlm, double[] latency)
    {
        double[] sorted = latency[from..to].Order().ToArray();
        _output.WriteLine(
            $"{phase,-18} calls {to - from,4}  to the LLM {wentToLlm[from..to].Count(x => x),4}  latency mean {sorted.Average():0.000} ms  p50 {sorted[sorted.Length / 2]:0.000} ms  p99 {sorted[(int)(sorted.Length * 0.99)]:0.000} ms  max {sorted[^1]:0.000} ms");
    }
}
