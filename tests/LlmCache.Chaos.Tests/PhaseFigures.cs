using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;

namespace LlmCache.Chaos.Tests;

/// <summary>What happened to the calls of one phase of a scenario; updated by every worker at once.</summary>
public sealed class PhaseFigures
{
    private readonly ConcurrentDictionary<string, int> _hitsByTier = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly int _modelCallsAtStart;
    private int _calls;
    private int _exceptions;
    private int _wrong;
    private int _misses;
    private int _bypassed;
    private int _modelCalls = -1;
    private long _maxLatencyTicks;
    private TimeSpan _elapsed;

    public PhaseFigures(string name, SimulatedModel model)
    {
        Name = name;
        _modelCallsAtStart = model.Calls;
    }

    public string Name { get; }

    public int Calls => Volatile.Read(ref _calls);

    public int Exceptions => Volatile.Read(ref _exceptions);

    public int Wrong => Volatile.Read(ref _wrong);

    public int Hits => _hitsByTier.Values.Sum();

    /// <summary>The first failures (exceptions and wrong answers), for the assertion message.</summary>
    public IEnumerable<string> Failures => _failures;

    /// <summary>Hits served by <paramref name="tier"/> ("memory", "redis", "s3", "disk").</summary>
    public int HitsFrom(string tier) => _hitsByTier.TryGetValue(tier, out int hits) ? hits : 0;

    /// <summary>Records one call that returned.</summary>
    public void Record(CacheOutcome outcome, bool right, TimeSpan latency, PlannedCall call)
    {
        Interlocked.Increment(ref _calls);
        RecordLatency(latency);
        switch (outcome.Status)
        {
            case CacheOutcomeStatus.Hit:
                _hitsByTier.AddOrUpdate(outcome.Tier ?? "?", 1, static (_, n) => n + 1);
                break;
            case CacheOutcomeStatus.Miss:
                Interlocked.Increment(ref _misses);
                break;
            default:
                Interlocked.Increment(ref _bypassed);
                break;
        }

        if (!right)
        {
            Interlocked.Increment(ref _wrong);
            Note($"wrong answer for {call} ({outcome.Status} from {outcome.Tier})");
        }
    }

    /// <summary>Records one call that threw.</summary>
    public void RecordException(Exception exception, TimeSpan latency, PlannedCall call)
    {
        Interlocked.Increment(ref _calls);
        Interlocked.Increment(ref _exceptions);
        RecordLatency(latency);
        Note($"{call} threw {exception}");
    }

    /// <summary>Closes the phase: its elapsed time and model calls are fixed from here.</summary>
    public void End(SimulatedModel model)
    {
        _elapsed = _clock.Elapsed;
        _modelCalls = model.Calls - _modelCallsAtStart;
    }

    public override string ToString()
    {
        string tiers = _hitsByTier.IsEmpty ? "-" : string.Join(" ", _hitsByTier.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"));
        return $"{Name,-22} calls {Calls,6}  exceptions {Exceptions}  wrong {Wrong}  hits {Hits,5} ({tiers})  misses {Volatile.Read(ref _misses),5}  " +
            $"bypassed {Volatile.Read(ref _bypassed),4}  model calls {_modelCalls,5}  max call {TimeSpan.FromTicks(Interlocked.Read(ref _maxLatencyTicks)).TotalMilliseconds,6:F0} ms  elapsed {_elapsed.TotalSeconds,5:F1} s";
    }

    private void RecordLatency(TimeSpan latency)
    {
        long ticks = latency.Ticks;
        long seen;
        while (ticks > (seen = Interlocked.Read(ref _maxLatencyTicks)) && Interlocked.CompareExchange(ref _maxLatencyTicks, ticks, seen) != seen)
        {
        }
    }

    private void Note(string failure)
    {
        if (_failures.Count < 5)
        {
            _failures.Enqueue(failure);
        }
    }
}
