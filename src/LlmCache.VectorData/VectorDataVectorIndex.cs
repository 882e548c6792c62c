using System;
using System.Collections.Generic;
using System.Linq.Expressions;
using System.Numerics.Tensors;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.VectorData;

namespace LlmCache.VectorData;

/// <summary>
/// An <see cref="IVectorIndex"/> over a Microsoft.Extensions.VectorData collection, for a semantic cache that outgrows
/// one process's index: the records live in the vector database the collection's connector talks to (Qdrant, Redis,
/// Azure AI Search, PostgreSQL, ...), shared by every process. A search filters on the record's namespace and scope
/// (so a hit never crosses partitions, as in process) and on its expiry; the similarity reported is the cosine
/// recomputed from the returned vector, whatever metric the database ranks by.
/// </summary>
/// <typeparam name="TKey">The collection's key type: <see cref="string"/>, <see cref="Guid"/> or <see cref="ulong"/>, as the connector supports.</typeparam>
/// <remarks>
/// Expired records are never found, but stay in the database until <see cref="RemoveExpiredAsync"/> deletes them
/// (call it from a periodic job), unless the database expires them itself.
/// </remarks>
public sealed class VectorDataVectorIndex<TKey> : IVectorIndex
    where TKey : notnull
{
    // Records read per round when a namespace is cleared or expired records are removed.
    private const int DeleteBatch = 256;

    private readonly VectorStoreCollection<TKey, VectorDataRecord<TKey>> _collection;
    private readonly TimeProvider _time;

    /// <summary>An index over <paramref name="collection"/>, which the caller owns and created with <see cref="VectorDataRecord.Definition"/>.</summary>
    /// <param name="collection">The collection; it must exist (<c>EnsureCollectionExistsAsync</c>).</param>
    /// <param name="timeProvider">The clock for expiry; the system clock when <c>null</c>.</param>
    /// <exception cref="NotSupportedException"><typeparamref name="TKey"/> is not <see cref="string"/>, <see cref="Guid"/> or <see cref="ulong"/>.</exception>
    public VectorDataVectorIndex(VectorStoreCollection<TKey, VectorDataRecord<TKey>> collection, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(collection);
        if (typeof(TKey) != typeof(string) && typeof(TKey) != typeof(Guid) && typeof(TKey) != typeof(ulong))
        {
            throw new NotSupportedException($"Keys of type {typeof(TKey)} are not supported; use string, Guid or ulong.");
        }

        _collection = collection;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The key of a record: a SHA-256 digest of its namespace, scope and id, in the form <typeparamref name="TKey"/> takes.</summary>
    public static TKey KeyOf(string @namespace, string scope, string id)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(id);

        // Lengths first, so ("a", "bc") and ("ab", "c") differ.
        byte[] text = Encoding.UTF8.GetBytes($"{@namespace.Length}:{@namespace}{scope.Length}:{scope}{id}");
        byte[] digest = SHA256.HashData(text);
        if (typeof(TKey) == typeof(string))
        {
            return (TKey)(object)Convert.ToHexString(digest);
        }

        if (typeof(TKey) == typeof(Guid))
        {
            return (TKey)(object)new Guid(digest.AsSpan(0, 16));
        }

        return (TKey)(object)BitConverter.ToUInt64(digest, 0);
    }

    /// <inheritdoc />
    public async ValueTask UpsertAsync(VectorRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record.Text);
        await _collection.UpsertAsync(
            new VectorDataRecord<TKey>
            {
                Key = KeyOf(record.Namespace, record.Scope, record.Id),
                Namespace = record.Namespace,
                Scope = record.Scope,
                Id = record.Id,
                Text = record.Text,
                ExpiresAt = record.ExpiresAt?.ToUnixTimeMilliseconds() ?? long.MaxValue,
                Vector = record.Vector.ToArray(),
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> RemoveAsync(string @namespace, string scope, string id, CancellationToken cancellationToken = default)
    {
        TKey key = KeyOf(@namespace, scope, id);
        if (await _collection.GetAsync(key, options: null, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }

        await _collection.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        return DeleteWhereAsync(record => record.Namespace == @namespace, cancellationToken);
    }

    /// <summary>Deletes the records whose expiry has passed; searches skip them already.</summary>
    public ValueTask RemoveExpiredAsync(CancellationToken cancellationToken = default)
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        return DeleteWhereAsync(record => record.ExpiresAt <= now, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<VectorMatch>> SearchAsync(string @namespace, string scope, ReadOnlyMemory<float> query, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var options = new VectorSearchOptions<VectorDataRecord<TKey>>
        {
            Filter = record => record.Namespace == @namespace && record.Scope == scope && record.ExpiresAt > now,
            IncludeVectors = true,
        };

        float queryNorm = TensorPrimitives.Norm(query.Span);
        var matches = new List<VectorMatch>(count);
        await foreach (VectorSearchResult<VectorDataRecord<TKey>> result in _collection.SearchAsync(query, count, options, cancellationToken).ConfigureAwait(false))
        {
            VectorDataRecord<TKey> record = result.Record;
            if (record.Vector.Length != query.Length || queryNorm == 0)
            {
                continue;
            }

            float norm = TensorPrimitives.Norm(record.Vector.Span);
            float similarity = norm == 0 ? 0 : TensorPrimitives.Dot(record.Vector.Span, query.Span) / (norm * queryNorm);
            matches.Add(new VectorMatch(record.Id, similarity, record.Text));
        }

        // The database ranks by its own metric; the order of the recomputed cosine is the one promised.
        matches.Sort(static (a, b) => b.Similarity.CompareTo(a.Similarity));
        return matches;
    }

    private async ValueTask DeleteWhereAsync(Expression<Func<VectorDataRecord<TKey>, bool>> filter, CancellationToken cancellationToken)
    {
        while (true)
        {
            var keys = new List<TKey>(DeleteBatch);
            await foreach (VectorDataRecord<TKey> record in _collection.GetAsync(filter, DeleteBatch, options: null, cancellationToken).ConfigureAwait(false))
            {
                keys.Add(record.Key);
            }

            if (keys.Count == 0)
            {
                return;
            }

            await _collection.DeleteAsync(keys, cancellationToken).ConfigureAwait(false);
            if (keys.Count < DeleteBatch)
            {
                return;
            }
        }
    }
}
