using System;
using System.Collections.Concurrent;
using System.Collections.Generic;

namespace LlmCache;

/// <summary>
/// The streams in flight, by key: concurrent misses of one streaming key share one <see cref="SharedStream{T}"/>,
/// as <see cref="SingleFlight"/> makes concurrent misses of one value share one call.
/// </summary>
internal sealed class StreamFlights
{
    private readonly ConcurrentDictionary<CacheKeyHash, object> _streams = new();

    /// <summary>How many streams are in flight (for tests and diagnostics).</summary>
    public int Count => _streams.Count;

    /// <summary>
    /// Joins the stream in flight for <paramref name="key"/>, or registers <paramref name="candidate"/> as it. A
    /// different key under the same digest gets <paramref name="candidate"/> unregistered, to run alone.
    /// </summary>
    /// <returns>The stream to read, and whether the caller leads it (must start its upstream).</returns>
    public (SharedStream<T> Stream, bool Leads) Join<T>(CacheKeyHash hash, byte[] key, SharedStream<T> candidate)
    {
        while (true)
        {
            if (_streams.TryGetValue(hash, out object? existing))
            {
                if (existing is SharedStream<T> stream && key.AsSpan().SequenceEqual(stream.Key))
                {
                    if (stream.TryJoin())
                    {
                        return (stream, false);
                    }

                    // Every consumer has left that stream and its upstream is being cancelled: start a fresh one in its place.
                    Remove(hash, stream);
                    continue;
                }

                return (candidate, true);
            }

            if (_streams.TryAdd(hash, candidate))
            {
                return (candidate, true);
            }
        }
    }

    /// <summary>Takes <paramref name="stream"/> out of the table, if it is still the one under <paramref name="hash"/>.</summary>
    public void Remove(CacheKeyHash hash, object stream) => _streams.TryRemove(new KeyValuePair<CacheKeyHash, object>(hash, stream));
}
