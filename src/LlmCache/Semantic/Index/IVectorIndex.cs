using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache;

/// <summary>
/// The nearest-neighbour search behind the semantic cache types. Records live in partitions, one per semantic scope
/// (a namespace and the digest of every key input but the embedded text), and a search sees only its own partition,
/// so a semantic hit never crosses models, options, tools, namespaces or conversation history.
/// </summary>
/// <remarks>
/// Vectors are compared by cosine similarity. An index never returns a record that has expired, or one that was
/// removed before the search began. Implementations are thread-safe.
/// </remarks>
public interface IVectorIndex
{
    /// <summary>Adds <paramref name="record"/>, replacing a record with the same namespace, scope and id.</summary>
    ValueTask UpsertAsync(VectorRecord record, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds <paramref name="records"/> as <see cref="UpsertAsync"/> does, in order (a later record replaces an earlier
    /// one with the same namespace, scope and id). An index may take them in one step, as a process loading its records
    /// does; this one upserts them one at a time.
    /// </summary>
    async ValueTask UpsertManyAsync(IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken = default)
    {
        System.ArgumentNullException.ThrowIfNull(records);
        foreach (VectorRecord record in records)
        {
            await UpsertAsync(record, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Removes the record <paramref name="id"/> of one partition; returns whether there was one.</summary>
    ValueTask<bool> RemoveAsync(string @namespace, string scope, string id, CancellationToken cancellationToken = default);

    /// <summary>Removes every record in <paramref name="namespace"/> (<c>""</c> is the default namespace).</summary>
    ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default);

    /// <summary>
    /// The live records of one partition most similar to <paramref name="query"/>, most similar first, at most
    /// <paramref name="count"/> of them.
    /// </summary>
    ValueTask<IReadOnlyList<VectorMatch>> SearchAsync(string @namespace, string scope, System.ReadOnlyMemory<float> query, int count, CancellationToken cancellationToken = default);
}
