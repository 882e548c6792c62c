using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmCache;

/// <summary>
/// The semantic path: after the exact key missed in every tier, the call's text is embedded once, the nearest
/// records of its scope are tried most similar first, and the first the threshold and the precision guard accept
/// is served from the exact tier its record points at. A miss stores the entry as the exact path does and writes
/// its vector record, with the embedding the lookup made. See docs/semantic/semantic-cache.md.
/// </summary>
public sealed partial class LlmCacheRuntime
{
    /// <summary>
    /// Generated code: the miss path of a method with a semantic cache type. As <see cref="GetOrCreateAsync{TState, T}(CachedMethod{T}, CacheControl, byte[], CacheKeyHash, TState, Func{TState, CancellationToken, ValueTask{T}}, CancellationToken)"/>,
    /// and between the remote tier and the call a semantic lookup of <paramref name="text"/> among the entries
    /// whose key is <paramref name="scopeKey"/> but for the text.
    /// </summary>
    /// <param name="method">The cached method.</param>
    /// <param name="control">The call's controls.</param>
    /// <param name="key">An exact-length copy of the canonical key bytes.</param>
    /// <param name="hash">The in-process digest of <paramref name="key"/>, from <see cref="TryGetCached"/>.</param>
    /// <param name="scopeKey">The canonical key with the embedded text left out: every other key input, the key header included.</param>
    /// <param name="text">The text to embed; <c>null</c> or empty caches the call by its exact key only.</param>
    /// <param name="state">The arguments for <paramref name="factory"/>.</param>
    /// <param name="factory">Calls the implementation.</param>
    /// <param name="cancellationToken">Cancels this caller's wait and its embedding.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public async ValueTask<T> GetOrCreateSemanticAsync<TState, T>(
        CachedMethod<T> method,
        CacheControl control,
        byte[] key,
        CacheKeyHash hash,
        byte[] scopeKey,
        string? text,
        TState state,
        Func<TState, CancellationToken, ValueTask<T>> factory,
        CancellationToken cancellationToken)
    {
        (RuntimeState runtime, string @namespace) = BeginMiss(method, control, key, factory);
        ArgumentNullException.ThrowIfNull(scopeKey);
        CacheType type = method.Type == CacheType.Default ? runtime.Options.DefaultType : method.Type;
        if (!SemanticCacheOptions.IsSemantic(type) || string.IsNullOrEmpty(text) || !KeyIsInNamespace(key, @namespace))
        {
            return await GetOrCreateAsync(method, control, key, hash, state, factory, cancellationToken).ConfigureAwait(false);
        }

        StoreLayout layout = runtime.GetLayout(method.Type, method);
        using Activity? activity = LlmCacheTelemetry.StartLookup(method.Identity, hash);
        var miss = new Miss<TState, T>(this, runtime, layout, method, control, key, hash, state, factory, @namespace);
        FlightResult<T>? hit = await TryGetRemoteAsync(miss, control, cancellationToken).ConfigureAwait(false);
        (double Similarity, string Id)? match = null;
        if (hit is null)
        {
            var call = new SemanticCall(runtime, type, @namespace, runtime.Integrity.FormatRemoteKey(scopeKey), runtime.Integrity.FormatRemoteKey(key), text);
            if (await call.EmbedAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!control.NoCache && await FindSimilarAsync(call, method, miss, layout, control, cancellationToken).ConfigureAwait(false) is { } found)
                {
                    (hit, match) = (found.Result, (found.Similarity, found.Id));
                }

                miss.Semantic = new SemanticWrite(call);
            }
        }

        FlightResult<T> result = hit ?? await CallAsync(miss, control, hash, cancellationToken).ConfigureAwait(false);

        return Finish(result, method, control, key, readKey: null, hash, @namespace, runtime, activity, match);
    }

    /// <summary>Whether <paramref name="method"/>'s type, resolved under the current configuration, is a semantic type.</summary>
    internal bool IsSemantic<T>(CachedMethod<T> method) =>
        SemanticCacheOptions.IsSemantic(method.Type == CacheType.Default ? _state.Options.DefaultType : method.Type);

    /// <summary>Generated code: the semantic miss path of a method that returns its result synchronously.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public T GetOrCreateSemantic<TState, T>(CachedMethod<T> method, CacheControl control, byte[] key, CacheKeyHash hash, byte[] scopeKey, string? text, TState state, Func<TState, T> factory)
    {
        ValueTask<T> pending = GetOrCreateSemanticAsync(
            method, control, key, hash, scopeKey, text, (factory, state), static (s, _) => new ValueTask<T>(s.factory(s.state)), CancellationToken.None);
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>
    /// Tries the nearest records of the call's scope, most similar first: in the in-process index (its entries in
    /// memory), then in the shared one (in memory when this process stored them, else in the remote store). A record
    /// whose entry is gone is removed from its index. Index failures are logged; the lookup then finds nothing there.
    /// </summary>
    private static async ValueTask<SemanticHit<T>?> FindSimilarAsync<TState, T>(SemanticCall call, CachedMethod<T> method, Miss<TState, T> miss, StoreLayout layout, CacheControl control, CancellationToken cancellationToken)
    {
        RuntimeState runtime = call.Runtime;
        double threshold = method.SimilarityThreshold ?? runtime.Options.Semantic.SimilarityThreshold;
        bool guard = method.PrecisionGuard ?? runtime.Options.Semantic.PrecisionGuard;
        foreach ((IVectorIndex index, bool shared) in call.Indexes())
        {
            IReadOnlyList<VectorMatch> matches;
            try
            {
                matches = await index.SearchAsync(call.Namespace, call.Scope, call.Vector, SemanticCacheOptions.Candidates, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LlmCacheLog.SemanticIndexFailed(runtime.Logger, "search", method.Identity, exception);
                continue;
            }

            foreach (VectorMatch match in matches)
            {
                if (match.Similarity < threshold)
                {
                    break;
                }

                if (guard && SemanticPrecisionGuard.Check(match.Text, call.Text) is var rejection && rejection != SemanticGuardRejection.None)
                {
                    LlmCacheTelemetry.SemanticRejections.Add(1, new KeyValuePair<string, object?>(LlmCacheTelemetry.ReasonTag, rejection.ToString()));
                    LlmCacheLog.SemanticGuardRejected(runtime.Logger, method.Identity, rejection, match.Similarity);
                    continue;
                }

                bool inMemory = false;
                if (layout.Local is { } local && runtime.SemanticIds.TryGet(match.Id, out CacheKeyHash matchedHash, out byte[]? matchedKey))
                {
                    if (local.TryGet(matchedHash, matchedKey, control.SMaxAge, out T value, out TimeSpan age))
                    {
                        LlmCacheTelemetry.RecordHit(local.Name, method.Identity);
                        return new SemanticHit<T>(new FlightResult<T>(value, local.Name, age), match.Similarity, match.Id);
                    }

                    inMemory = local.TryGet(matchedHash, matchedKey, null, out T _, out TimeSpan _);
                    if (!inMemory)
                    {
                        runtime.SemanticIds.Remove(match.Id);
                    }
                }

                bool absent;
                if (shared && layout.Remote is not null && !inMemory)
                {
                    (FlightResult<T>? remoteHit, absent) = await miss.ReadRemoteAsync(new CacheStoreKey(call.Namespace, Convert.FromHexString(match.Id)), cancellationToken).ConfigureAwait(false);
                    if (remoteHit is { } found)
                    {
                        return new SemanticHit<T>(found, match.Similarity, match.Id);
                    }
                }
                else
                {
                    absent = !inMemory;
                }

                if (absent)
                {
                    await call.RemoveAsync(index, match.Id).ConfigureAwait(false);
                }
            }
        }

        return null;
    }

    private readonly record struct SemanticHit<T>(FlightResult<T> Result, double Similarity, string Id);

    /// <summary>One semantic call: where its records go (namespace, scope digest, its own entry's id), its text and, once embedded, its vector.</summary>
    private sealed class SemanticCall
    {
        public SemanticCall(RuntimeState runtime, CacheType type, string @namespace, string scope, string id, string text)
        {
            Runtime = runtime;
            Type = type;
            Namespace = @namespace;
            Scope = scope;
            Id = id;
            Text = text;
        }

        public RuntimeState Runtime { get; }

        public CacheType Type { get; }

        public string Namespace { get; }

        public string Scope { get; }

        public string Id { get; }

        public string Text { get; }

        public ReadOnlyMemory<float> Vector { get; private set; }

        private SemanticCacheOptions Options => Runtime.Options.Semantic;

        /// <summary>Embeds the text; a generator that fails or returns nothing is logged, and the call is then cached by its exact key only.</summary>
        public async ValueTask<bool> EmbedAsync(CancellationToken cancellationToken)
        {
            try
            {
                GeneratedEmbeddings<Embedding<float>> embeddings = await Options.EmbeddingGenerator!.GenerateAsync([Text], options: null, cancellationToken).ConfigureAwait(false);
                Vector = embeddings.Count == 1 ? embeddings[0].Vector : ReadOnlyMemory<float>.Empty;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LlmCacheLog.EmbeddingFailed(Runtime.Logger, exception);
                return false;
            }

            if (Vector.IsEmpty)
            {
                LlmCacheLog.EmbeddingFailed(Runtime.Logger, new InvalidOperationException("The embedding generator returned no vector for one input."));
                return false;
            }

            return true;
        }

        /// <summary>The indexes this type searches, in order, and whether each is the shared one.</summary>
        public IEnumerable<(IVectorIndex Index, bool Shared)> Indexes()
        {
            if (Type is CacheType.Semantic or CacheType.DualSemantic)
            {
                yield return (Options.Index, false);
            }

            if (Type is CacheType.RedisSemantic or CacheType.DualSemantic && Options.SharedIndex is { } shared)
            {
                yield return (shared, true);
            }
        }

        public async ValueTask UpsertAsync(IVectorIndex index, DateTimeOffset? expiresAt)
        {
            try
            {
                await index.UpsertAsync(new VectorRecord(Namespace, Scope, Id, Vector, Text, expiresAt), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                LlmCacheLog.SemanticIndexFailed(Runtime.Logger, "write", Id, exception);
            }
        }

        public async ValueTask RemoveAsync(IVectorIndex index, string id)
        {
            try
            {
                await index.RemoveAsync(Namespace, Scope, id, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                LlmCacheLog.SemanticIndexFailed(Runtime.Logger, "remove a stale record", id, exception);
            }
        }
    }

    /// <summary>Writes the vector record of an entry a miss stored, beside each tier that kept it.</summary>
    private sealed class SemanticWrite
    {
        private readonly SemanticCall _call;

        public SemanticWrite(SemanticCall call) => _call = call;

        /// <summary>The memory tier kept the entry: its id now finds it, and the in-process index points at it.</summary>
        public ValueTask StoredLocallyAsync(CacheKeyHash hash, byte[] key, DateTimeOffset? expiresAt)
        {
            _call.Runtime.SemanticIds.Set(_call.Id, hash, key, _call.Runtime.Memory);
            return _call.Type is CacheType.Semantic or CacheType.DualSemantic ? _call.UpsertAsync(_call.Runtime.Options.Semantic.Index, expiresAt) : default;
        }

        /// <summary>The remote store kept the entry: the shared index points every process at it.</summary>
        public ValueTask StoredRemotelyAsync(DateTimeOffset? expiresAt) =>
            _call.Runtime.Options.Semantic.SharedIndex is { } shared && _call.Type is CacheType.RedisSemantic or CacheType.DualSemantic
                ? _call.UpsertAsync(shared, expiresAt)
                : default;
    }
}
