using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmCache;

/// <summary>Writes one input of an embedding call into its cache key, after the call's shared key prefix.</summary>
/// <typeparam name="TInput">The input type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate void EmbeddingInputKeyWriter<in TInput>(ref CacheKeyWriter writer, TInput input);

public sealed partial class LlmCacheRuntime
{
    // A caller that joined another call's flight for an input and saw that call cancelled tries again this many
    // times, then sends such inputs itself without the single flight.
    private const int EmbeddingFlightRounds = 3;

    /// <summary>Generated code: writes a string input of an embedding method into its key.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static EmbeddingInputKeyWriter<string> StringEmbeddingInput { get; } = static (ref CacheKeyWriter writer, string input) => writer.WriteString(input);

    /// <summary>
    /// Generated code and the embedding middleware: an embedding call cached per input. Each input's key is
    /// <paramref name="keyPrefix"/> (the key header and the call's other key inputs) followed by the input; the
    /// inputs found in a tier are served from it, and the rest go to <paramref name="generate"/> in one batch.
    /// </summary>
    /// <remarks>
    /// The result holds every vector in input order. Its <see cref="GeneratedEmbeddings{TEmbedding}.Usage"/> is the
    /// sum of the parts: each stored part keeps its share of its batch's token counts (split by the inputs' lengths),
    /// so a part served from the cache counts what it cost when it was made. When every input went to the provider in
    /// this call's own batch, the provider's result is returned as it is. <see cref="CacheControl.Outcome"/> reports a
    /// hit when any input came from a tier (its tier, the oldest such part's age, and the first such input's key).
    /// Concurrent calls share one provider call per input key; an input another call is fetching is awaited, not sent twice.
    /// </remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public async ValueTask<GeneratedEmbeddings<TEmbedding>> GetOrCreateEmbeddingsAsync<TState, TInput, TEmbedding>(
        CachedMethod<TEmbedding> method,
        CacheControl control,
        byte[] keyPrefix,
        IEnumerable<TInput> inputs,
        EmbeddingInputKeyWriter<TInput> writeInput,
        TState state,
        Func<TState, TInput[], CancellationToken, ValueTask<GeneratedEmbeddings<TEmbedding>>> generate,
        CancellationToken cancellationToken)
        where TEmbedding : Embedding
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(keyPrefix);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(writeInput);
        ArgumentNullException.ThrowIfNull(generate);
        TInput[] values = inputs as TInput[] ?? inputs.ToArray();
        RuntimeState runtime = _state;
        string @namespace = ResolveNamespace(runtime, method, control);

        // Nothing to look up, or an Update moved the namespace after the prefix was written (see GetOrCreateAsync).
        if (values.Length == 0 || !KeyIsInNamespace(keyPrefix, @namespace))
        {
            control.Outcome?.RecordBypassed();

            return await generate(state, values, cancellationToken).ConfigureAwait(false);
        }

        CachedMethod<EmbeddingPart<TEmbedding>> parts = EmbeddingPart<TEmbedding>.MethodFor(method);
        var batch = new EmbeddingBatch<TState, TInput, TEmbedding>(
            this, runtime, runtime.GetLayout(method.Type, parts), parts, method.Copier, control, @namespace, values, state, generate);
        return await batch.RunAsync(keyPrefix, writeInput, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One input of an embedding call: its key, and how it was answered.</summary>
    private sealed class EmbeddingSlot<TEmbedding>
        where TEmbedding : Embedding
    {
        public EmbeddingSlot(int index, byte[] key)
        {
            Index = index;
            Key = key;
            Hash = CacheKeyDigests.ComputeInProcess(key);
        }

        public int Index { get; }

        public byte[] Key { get; }

        public CacheKeyHash Hash { get; }

        public Miss<EmbeddingSlot<TEmbedding>, EmbeddingPart<TEmbedding>>? Miss { get; set; }

        public FlightResult<EmbeddingPart<TEmbedding>>? Result { get; set; }

        /// <summary>Whether this call leads the input's flight in the current round (set synchronously when it does).</summary>
        public bool Led { get; set; }

        /// <summary>The input's flight in the current round: led by this call, or another call's that it joined.</summary>
        public Task<FlightResult<EmbeddingPart<TEmbedding>>>? Flight { get; set; }

        /// <summary>Completed when the flight this call leads asks for the input's vector: the input goes into the batch.</summary>
        public TaskCompletionSource Claimed { get; private set; } = NewSignal();

        /// <summary>The input's part from the batch.</summary>
        public TaskCompletionSource<EmbeddingPart<TEmbedding>> Part { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void StartRound()
        {
            Led = false;
            Flight = null;
            Claimed = NewSignal();
            Part = new TaskCompletionSource<EmbeddingPart<TEmbedding>>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        /// <summary>The flight's factory: claims the input for the batch and waits for its part.</summary>
        public static ValueTask<EmbeddingPart<TEmbedding>> ClaimAsync(EmbeddingSlot<TEmbedding> slot, CancellationToken cancellationToken)
        {
            slot.Claimed.TrySetResult();
            return new ValueTask<EmbeddingPart<TEmbedding>>(slot.Part.Task);
        }

        private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>One embedding call over a list of inputs.</summary>
    private sealed class EmbeddingBatch<TState, TInput, TEmbedding>
        where TEmbedding : Embedding
    {
        private readonly LlmCacheRuntime _owner;
        private readonly RuntimeState _runtime;
        private readonly StoreLayout _layout;
        private readonly CachedMethod<EmbeddingPart<TEmbedding>> _parts;
        private readonly CacheValueCopier<TEmbedding>? _copier;
        private readonly CacheControl _control;
        private readonly string _namespace;
        private readonly TInput[] _inputs;
        private readonly TState _state;
        private readonly Func<TState, TInput[], CancellationToken, ValueTask<GeneratedEmbeddings<TEmbedding>>> _generate;
        private GeneratedEmbeddings<TEmbedding>? _wholeBatch;

        public EmbeddingBatch(
            LlmCacheRuntime owner,
            RuntimeState runtime,
            StoreLayout layout,
            CachedMethod<EmbeddingPart<TEmbedding>> parts,
            CacheValueCopier<TEmbedding>? copier,
            CacheControl control,
            string @namespace,
            TInput[] inputs,
            TState state,
            Func<TState, TInput[], CancellationToken, ValueTask<GeneratedEmbeddings<TEmbedding>>> generate)
        {
            _owner = owner;
            _runtime = runtime;
            _layout = layout;
            _parts = parts;
            _copier = copier;
            _control = control;
            _namespace = @namespace;
            _inputs = inputs;
            _state = state;
            _generate = generate;
        }

        public async ValueTask<GeneratedEmbeddings<TEmbedding>> RunAsync(byte[] keyPrefix, EmbeddingInputKeyWriter<TInput> writeInput, CancellationToken cancellationToken)
        {
            var slots = new EmbeddingSlot<TEmbedding>[_inputs.Length];
            for (int i = 0; i < slots.Length; i++)
            {
                slots[i] = new EmbeddingSlot<TEmbedding>(i, InputKey(keyPrefix, writeInput, _inputs[i]));
            }

            using Activity? activity = LlmCacheTelemetry.StartLookup(_parts.Identity, slots[0].Hash);
            var pending = new List<EmbeddingSlot<TEmbedding>>(slots.Length);
            foreach (EmbeddingSlot<TEmbedding> slot in slots)
            {
                if (!_control.NoCache && _layout.Local is { } local &&
                    local.TryGet(slot.Hash, slot.Key, _control.SMaxAge, out EmbeddingPart<TEmbedding> cached, out TimeSpan age))
                {
                    _owner.Statistics.Hit(_parts, _owner.Statistics.Memory);
                    LlmCacheTelemetry.RecordHit(local.Name, _parts.Identity);
                    slot.Result = new FlightResult<EmbeddingPart<TEmbedding>>(cached, local.Name, age);
                    continue;
                }

                slot.Miss = new Miss<EmbeddingSlot<TEmbedding>, EmbeddingPart<TEmbedding>>(
                    _owner, _runtime, _layout, _parts, _control, slot.Key, slot.Hash, slot, EmbeddingSlot<TEmbedding>.ClaimAsync, _namespace);

                // One remote read per input, as a single call's miss makes, before any flight is joined.
                if (!_control.NoCache && await slot.Miss.TryGetRemoteAsync(cancellationToken).ConfigureAwait(false) is { } remoteHit)
                {
                    slot.Result = remoteHit;
                    continue;
                }

                pending.Add(slot);
            }

            for (int round = 1; pending.Count > 0; round++)
            {
                pending = await RunRoundAsync(pending, useFlights: !_control.NoCache && round < EmbeddingFlightRounds, cancellationToken).ConfigureAwait(false);
            }

            return Collect(slots, activity);
        }

        /// <summary>
        /// Leads or joins each pending input's flight, sends the inputs this call leads to the provider in one batch,
        /// and waits for every flight; returns the inputs whose joined flight was cancelled by its own caller.
        /// </summary>
        private async ValueTask<List<EmbeddingSlot<TEmbedding>>> RunRoundAsync(List<EmbeddingSlot<TEmbedding>> pending, bool useFlights, CancellationToken cancellationToken)
        {
            foreach (EmbeddingSlot<TEmbedding> slot in pending)
            {
                slot.StartRound();
                if (useFlights)
                {
                    ValueTask<FlightResult<EmbeddingPart<TEmbedding>>> flight = _owner._flights.RunAsync(
                        slot.Hash,
                        slot.Key,
                        slot,
                        static (s, ct) =>
                        {
                            s.Led = true;
                            return s.Miss!.RunAsync(ct);
                        },
                        cancellationToken);
                    slot.Flight = flight.AsTask();
                }
                else
                {
                    slot.Led = true;
                    slot.Flight = slot.Miss!.RunAsync(cancellationToken).AsTask();
                }
            }

            // A flight this call leads looks again (another flight may have just stored the input) before it claims
            // the input; either finishes without waiting for the batch.
            var claimed = new List<EmbeddingSlot<TEmbedding>>(pending.Count);
            foreach (EmbeddingSlot<TEmbedding> slot in pending)
            {
                if (slot.Led)
                {
                    await Task.WhenAny(slot.Claimed.Task, slot.Flight!).ConfigureAwait(false);
                    if (slot.Claimed.Task.IsCompleted)
                    {
                        claimed.Add(slot);
                    }
                }
            }

            if (claimed.Count > 0)
            {
                await GenerateAsync(claimed, cancellationToken).ConfigureAwait(false);
            }

            var retry = new List<EmbeddingSlot<TEmbedding>>();
            foreach (EmbeddingSlot<TEmbedding> slot in pending)
            {
                try
                {
                    slot.Result = await slot.Flight!.ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!slot.Led && !cancellationToken.IsCancellationRequested)
                {
                    // The call this one joined was cancelled by its own caller, not by this one's: ask again.
                    retry.Add(slot);
                }
            }

            return retry;
        }

        private async ValueTask GenerateAsync(List<EmbeddingSlot<TEmbedding>> claimed, CancellationToken cancellationToken)
        {
            TInput[] missing = claimed.Count == _inputs.Length ? _inputs : claimed.Select(s => _inputs[s.Index]).ToArray();
            GeneratedEmbeddings<TEmbedding> generated;
            try
            {
                generated = await _generate(_state, missing, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"{_parts.Identity}: the embedding generator returned null.");
                if (generated.Count != missing.Length)
                {
                    throw new InvalidOperationException($"{_parts.Identity}: the embedding generator returned {generated.Count} embeddings for {missing.Length} inputs.");
                }
            }
            catch (Exception exception)
            {
                foreach (EmbeddingSlot<TEmbedding> slot in claimed)
                {
                    slot.Part.TrySetException(exception);
                }

                // The flights this call led fail with the batch; wait for them so none is left unobserved.
                foreach (EmbeddingSlot<TEmbedding> slot in claimed)
                {
                    try
                    {
                        await slot.Flight!.ConfigureAwait(false);
                    }
                    catch (Exception)
                    {
                        // The batch's own exception is the one to report.
                    }
                }

                ExceptionDispatchInfo.Throw(exception);
                throw;
            }

            _owner.Statistics.Miss(_parts);
            LlmCacheTelemetry.RecordMiss(_parts.Identity);
            if (ReferenceEquals(missing, _inputs))
            {
                _wholeBatch = generated;
            }

            UsageDetails?[] shares = EmbeddingUsage.Split(generated.Usage, missing);
            for (int i = 0; i < claimed.Count; i++)
            {
                claimed[i].Part.TrySetResult(new EmbeddingPart<TEmbedding>(generated[i], shares[i]));
            }
        }

        private GeneratedEmbeddings<TEmbedding> Collect(EmbeddingSlot<TEmbedding>[] slots, Activity? activity)
        {
            EmbeddingSlot<TEmbedding>? firstHit = null;
            TimeSpan? oldest = null;
            foreach (EmbeddingSlot<TEmbedding> slot in slots)
            {
                if (slot.Result!.Value.Tier is not null)
                {
                    firstHit ??= slot;
                    oldest = oldest is { } age && age >= slot.Result.Value.Age ? age : slot.Result.Value.Age;
                }
            }

            string? tier = firstHit?.Result!.Value.Tier;
            activity?.SetTag(LlmCacheTelemetry.OutcomeTag, firstHit is null ? "miss" : "hit").SetTag(LlmCacheTelemetry.TierTag, tier);
            EmbeddingSlot<TEmbedding> reported = firstHit ?? slots[0];
            _control.Outcome?.Record(firstHit is null ? CacheOutcomeStatus.Miss : CacheOutcomeStatus.Hit, tier, oldest, reported.Hash);

            // The remote key of the reported input, so that an embedding hit can be deleted by its key as a chat hit can.
            _control.Outcome?.RecordKey(reported.Key, _namespace, _runtime.Integrity);

            // Every vector from this call's own batch, in order: the provider's answer as it came. The stored
            // parts are those same vectors, so unless results are shared the caller gets copies, as of a hit.
            if (_wholeBatch is not null)
            {
                return _copier is null
                    ? _wholeBatch
                    : new GeneratedEmbeddings<TEmbedding>(_wholeBatch.Select(_copier.Copy)) { Usage = _wholeBatch.Usage, AdditionalProperties = _wholeBatch.AdditionalProperties };
            }

            var result = new GeneratedEmbeddings<TEmbedding>(slots.Length);
            foreach (EmbeddingSlot<TEmbedding> slot in slots)
            {
                TEmbedding embedding = slot.Result!.Value.Value.Embedding;
                result.Add(_copier is null ? embedding : _copier.Copy(embedding));
            }

            result.Usage = EmbeddingUsage.Sum(slots.Select(s => s.Result!.Value.Value.Usage));
            return result;
        }

        private static byte[] InputKey(byte[] prefix, EmbeddingInputKeyWriter<TInput> writeInput, TInput input)
        {
            var writer = new CacheKeyWriter(stackalloc byte[512]);
            try
            {
                writeInput(ref writer, input);
                byte[] key = new byte[prefix.Length + writer.Length];
                prefix.CopyTo(key, 0);
                writer.WrittenSpan.CopyTo(key.AsSpan(prefix.Length));
                return key;
            }
            finally
            {
                writer.Dispose();
            }
        }
    }
}
