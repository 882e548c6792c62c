using System.Threading;
using System.Threading.Tasks;

namespace LlmCache;

/// <summary>
/// A place that keeps cache entries: memory, disk, Redis, S3, or your own. Every store passes one contract-test
/// suite: a get after a set returns the same bytes until the entry expires; namespaces are isolated; a store
/// never returns an expired entry.
/// </summary>
/// <remarks>
/// Stores may throw when their backend fails: the runtime catches, logs and counts those failures and calls the
/// model instead (fail-open), so a store is never a reason for a caller's exception.
/// </remarks>
public interface ICacheStore
{
    /// <summary>A short name for logs, metrics and <see cref="CacheOutcome.Tier"/> (<c>"redis"</c>).</summary>
    string Name { get; }

    /// <summary>Returns the live entry under <paramref name="key"/>, or <c>null</c> when there is none or it has expired.</summary>
    ValueTask<CacheEntry?> GetAsync(CacheStoreKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="entry"/> under <paramref name="key"/>, replacing any entry there. An entry that has
    /// already expired (a TTL of zero) is not stored and leaves the entry under <paramref name="key"/> in place; an
    /// entry without expiry, or expiring at <see cref="System.DateTimeOffset.MaxValue"/>, is kept until removed or evicted.
    /// </summary>
    ValueTask SetAsync(CacheStoreKey key, CacheEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Removes the entry under <paramref name="key"/>; returns whether there was one.</summary>
    ValueTask<bool> RemoveAsync(CacheStoreKey key, CancellationToken cancellationToken = default);

    /// <summary>Removes every entry in <paramref name="namespace"/> (<c>""</c> is the default namespace).</summary>
    ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes every entry of this store in every namespace (LiteLLM's <c>/cache/flushall</c>), and nothing that is
    /// not an entry of this store: keys or objects of other applications under the same server, bucket or
    /// directory stay. A store that cannot enumerate its entries keeps this default, which throws
    /// <see cref="System.NotSupportedException"/>.
    /// </summary>
    ValueTask ClearAllAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromException(new System.NotSupportedException($"The cache store '{Name}' ({GetType().FullName}) cannot remove all its entries: it does not implement ICacheStore.ClearAllAsync."));
}
