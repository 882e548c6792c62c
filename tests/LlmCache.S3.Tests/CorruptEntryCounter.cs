using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Threading;

namespace LlmCache.S3.Tests;

/// <summary>Counts the <c>llmcache.store.corrupt_entries</c> measurements tagged with the S3 tier while it lives.</summary>
internal sealed class CorruptEntryCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _count;

    public CorruptEntryCounter()
    {
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

    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            if (tag.Key == "llmcache.tier" && (string?)tag.Value == "s3")
            {
                Interlocked.Add(ref _count, value);
            }
        }
    }
}
