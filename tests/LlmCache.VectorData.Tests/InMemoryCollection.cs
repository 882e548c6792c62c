using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Linq.Expressions;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.VectorData;

namespace LlmCache.VectorData.Tests;

/// <summary>
/// The abstract collection's contract, in memory: records by key, filters as the expressions a connector translates
/// (compiled here), cosine-similarity search. Records are copied in and out, as a database serialises them.
/// It also keeps the filters it was given, so a test can see what a connector would be asked.
/// </summary>
public sealed class InMemoryCollection<TKey> : VectorStoreCollection<TKey, VectorDataRecord<TKey>>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, VectorDataRecord<TKey>> _records = new();

    public ConcurrentQueue<Expression<Func<VectorDataRecord<TKey>, bool>>> Filters { get; } = new();

    public override string Name => "semantic";

    public int Count => _records.Count;

    public override Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default) => Task.FromResult(true);

    public override Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default)
    {
        _records.Clear();
        return Task.CompletedTask;
    }

    public override Task<VectorDataRecord<TKey>?> GetAsync(TKey key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(_records.TryGetValue(key, out VectorDataRecord<TKey>? record) ? Copy(record) : null);

    public override async IAsyncEnumerable<VectorDataRecord<TKey>> GetAsync(Expression<Func<VectorDataRecord<TKey>, bool>> filter, int top, FilteredRecordRetrievalOptions<VectorDataRecord<TKey>>? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Filters.Enqueue(filter);
        Func<VectorDataRecord<TKey>, bool> matches = filter.Compile();
        foreach (VectorDataRecord<TKey> record in _records.Values.Where(matches).Take(top).ToArray())
        {
            await Task.Yield();
            yield return Copy(record);
        }
    }

    public override Task DeleteAsync(TKey key, CancellationToken cancellationToken = default)
    {
        _records.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    public override Task UpsertAsync(VectorDataRecord<TKey> record, CancellationToken cancellationToken = default)
    {
        _records[record.Key] = Copy(record);
        return Task.CompletedTask;
    }

    public override async Task UpsertAsync(IEnumerable<VectorDataRecord<TKey>> records, CancellationToken cancellationToken = default)
    {
        foreach (VectorDataRecord<TKey> record in records)
        {
            await UpsertAsync(record, cancellationToken);
        }
    }

    public override async IAsyncEnumerable<VectorSearchResult<VectorDataRecord<TKey>>> SearchAsync<TInput>(TInput searchValue, int top, VectorSearchOptions<VectorDataRecord<TKey>>? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (searchValue is not ReadOnlyMemory<float> query)
        {
            throw new NotSupportedException($"Search by {typeof(TInput)} is not supported.");
        }

        Func<VectorDataRecord<TKey>, bool> matches = _ => true;
        if (options?.Filter is { } filter)
        {
            Filters.Enqueue(filter);
            matches = filter.Compile();
        }

        var ranked = _records.Values
            .Where(matches)
            .Select(record => (Record: record, Score: TensorPrimitives.CosineSimilarity(record.Vector.Span, query.Span)))
            .OrderByDescending(pair => pair.Score)
            .Skip(options?.Skip ?? 0)
            .Take(top)
            .ToArray();
        foreach ((VectorDataRecord<TKey> record, float score) in ranked)
        {
            await Task.Yield();
            VectorDataRecord<TKey> copy = Copy(record);
            if (options?.IncludeVectors != true)
            {
                copy.Vector = default;
            }

            yield return new VectorSearchResult<VectorDataRecord<TKey>>(copy, score);
        }
    }

    public override object? GetService(Type serviceType, object? serviceKey = null) => null;

    private static VectorDataRecord<TKey> Copy(VectorDataRecord<TKey> record) => new()
    {
        Key = record.Key,
        Namespace = record.Namespace,
        Scope = record.Scope,
        Id = record.Id,
        Text = record.Text,
        ExpiresAt = record.ExpiresAt,
        Vector = record.Vector.ToArray(),
    };
}
