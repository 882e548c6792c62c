using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Redis.Tests.Support;

/// <summary>
/// One "process" of the semantic index tests: its own store (its own connection), its own in-process index, and a
/// <see cref="RedisVectorIndex"/> over both. Disposing closes the index, then the store.
/// </summary>
public sealed class SemanticInstance : IAsyncDisposable
{
    private SemanticInstance(RedisCacheStore store, RedisVectorIndex index, CountingVectorIndex local, ListLoggerProvider logs)
    {
        Store = store;
        Index = index;
        Local = local;
        Logs = logs;
    }

    public RedisCacheStore Store { get; }

    public RedisVectorIndex Index { get; }

    /// <summary>The in-process index, counting what it is given.</summary>
    public CountingVectorIndex Local { get; }

    public ListLoggerProvider Logs { get; }

    /// <summary>Starts an instance and waits for its initial load.</summary>
    public static async Task<SemanticInstance> StartAsync(RedisCacheStoreOptions storeOptions, RedisVectorIndexOptions options)
    {
        var logs = new ListLoggerProvider();
        storeOptions.LoggerFactory = logs;
        var store = new RedisCacheStore(storeOptions);
        var local = new CountingVectorIndex();
        var index = new RedisVectorIndex(store, options, local);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await index.LoadAsync(timeout.Token);
        return new SemanticInstance(store, index, local, logs);
    }

    /// <summary>Index settings under a prefix of the test's own, polling as by default.</summary>
    public static RedisVectorIndexOptions Options(string prefix) => new() { KeyPrefix = prefix + "semantic:" };

    /// <summary>Whether the nearest record to <paramref name="vector"/> in its partition is <paramref name="id"/>.</summary>
    public async Task<bool> FindsAsync(string @namespace, string scope, float[] vector, string id)
    {
        IReadOnlyList<VectorMatch> matches = await Index.SearchAsync(@namespace, scope, vector, 1);
        return matches.Count == 1 && matches[0].Id == id;
    }

    /// <summary>The number of events of one id this instance's store and index logged.</summary>
    public int Logged(int eventId)
    {
        int count = 0;
        foreach (LogRecord record in Logs.Records)
        {
            count += record.EventId.Id == eventId ? 1 : 0;
        }

        return count;
    }

    public async ValueTask DisposeAsync()
    {
        await Index.DisposeAsync();
        await Store.DisposeAsync();
    }

    /// <summary>A seeded random vector of MiniLM's 384 dimensions.</summary>
    public static float[] Vector(int seed)
    {
        var random = new Random(seed);
        float[] vector = new float[384];
        for (int i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return vector;
    }

    /// <summary>A record of seed <paramref name="seed"/>: id and text name the seed.</summary>
    public static VectorRecord Record(string @namespace, string scope, int seed, TimeSpan? ttl = null) =>
        new(@namespace, scope, $"id-{seed}", Vector(seed), $"text {seed}", ttl is { } t ? DateTimeOffset.UtcNow + t : DateTimeOffset.UtcNow.AddMinutes(10));

    /// <summary>Polls <paramref name="condition"/> until it holds, and returns how long that took; fails after <paramref name="timeout"/>.</summary>
    public static async Task<TimeSpan> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < timeout, $"Not within {timeout.TotalSeconds} s: {what}.");
            await Task.Delay(10);
        }

        return clock.Elapsed;
    }
}

/// <summary>An <see cref="ExactVectorIndex"/> that counts the records it is given.</summary>
public sealed class CountingVectorIndex : IVectorIndex
{
    private readonly ExactVectorIndex _inner = new();
    private int _upserts;

    /// <summary>How many records were upserted into it.</summary>
    public int Upserts => Volatile.Read(ref _upserts);

    public ValueTask UpsertAsync(VectorRecord record, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _upserts);
        return _inner.UpsertAsync(record, cancellationToken);
    }

    public ValueTask<bool> RemoveAsync(string @namespace, string scope, string id, CancellationToken cancellationToken = default) =>
        _inner.RemoveAsync(@namespace, scope, id, cancellationToken);

    public ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default) =>
        _inner.ClearNamespaceAsync(@namespace, cancellationToken);

    public ValueTask<IReadOnlyList<VectorMatch>> SearchAsync(string @namespace, string scope, ReadOnlyMemory<float> query, int count, CancellationToken cancellationToken = default) =>
        _inner.SearchAsync(@namespace, scope, query, count, cancellationToken);
}
