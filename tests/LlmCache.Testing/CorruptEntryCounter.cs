using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Threading;

namespace LlmCache.Testing;

/// <summary>Counts the <c>llmcache.store.corrupt_entries</c> measurements tagged with one tier while it lives.</summary>
public sealed class CorruptEntryCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly string _tier;
    private long _count;

    /// <summary>Starts counting the measurements of <paramref name="tier"/> (a store's <see cref="ICacheStore.Name"/>).</summary>
    public CorruptEntryCounter(string tier)
    {
        _tier = tier;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == LlmCacheTelemetry.Name && instrument.Name == "llmcache.store.corrupt_entries")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>The sum of the measurements so far.</summary>
    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            if (tag.Key == "llmcache.tier" && (string?)tag.Value == _tier)
            {
                Interlocked.Add(ref _count, value);
            }
        }
    }
}
