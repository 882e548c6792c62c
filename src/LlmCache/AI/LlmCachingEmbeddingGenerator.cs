using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmCache.AI;

/// <summary>
/// An embedding generator that caches each input's vector through an <see cref="LlmCacheRuntime"/>: a call whose
/// inputs are partly cached sends only the missing ones to the inner generator, in one batch, and returns every
/// vector in input order. Same stores, single flight, fail-open and outcome reporting as <see cref="LlmCachedAttribute"/> methods.
/// </summary>
/// <remarks>
/// <para>
/// Each input's key is the middleware's identity, the inner generator's provider name, address and default model,
/// the options' <see cref="EmbeddingGenerationOptions.ModelId"/>, <see cref="EmbeddingGenerationOptions.Dimensions"/>
/// and additional properties (in key order), then the input (a string by its text, an <see cref="AIContent"/> as
/// the chat key writers write it). <see cref="EmbeddingGenerationOptions.RawRepresentationFactory"/> is not in the key.
/// </para>
/// <para>Per-call controls travel in <see cref="EmbeddingGenerationOptions.AdditionalProperties"/>: see <see cref="CacheControlProperties"/>.</para>
/// </remarks>
/// <typeparam name="TInput">The input type: <see cref="string"/> or an <see cref="AIContent"/> type.</typeparam>
/// <typeparam name="TEmbedding">The embedding type.</typeparam>
public sealed class LlmCachingEmbeddingGenerator<TInput, TEmbedding> : DelegatingEmbeddingGenerator<TInput, TEmbedding>
    where TEmbedding : Embedding
{
    private readonly EmbeddingInputKeyWriter<TInput> _writeInput;
    private readonly LlmCacheRuntime _runtime;
    private readonly CachedMethod<TEmbedding> _method;
    private readonly EmbeddingGeneratorMetadata? _metadata;

    /// <summary>Wraps <paramref name="innerGenerator"/>.</summary>
    /// <param name="innerGenerator">The generator that makes the vectors the cache does not hold.</param>
    /// <param name="runtime">The cache; <see cref="LlmCacheRuntime.Shared"/> when <c>null</c>.</param>
    /// <param name="options">How to cache; the defaults when <c>null</c>.</param>
    /// <exception cref="NotSupportedException"><typeparamref name="TInput"/> is neither <see cref="string"/> nor an <see cref="AIContent"/> type.</exception>
    public LlmCachingEmbeddingGenerator(IEmbeddingGenerator<TInput, TEmbedding> innerGenerator, LlmCacheRuntime? runtime = null, LlmCachingEmbeddingGeneratorOptions? options = null)
        : base(innerGenerator)
    {
        _writeInput = InputWriter() ?? throw new NotSupportedException($"LlmCache keys embedding inputs of type string or AIContent, not {typeof(TInput).FullName}.");
        options ??= new LlmCachingEmbeddingGeneratorOptions();
        _runtime = runtime ?? LlmCacheRuntime.Shared;
        _metadata = innerGenerator.GetService<EmbeddingGeneratorMetadata>();
        _method = new CachedMethod<TEmbedding>(
            AIMiddlewareKey.Identity(nameof(LlmCachingEmbeddingGenerator<TInput, TEmbedding>), typeof(TInput), typeof(TEmbedding), options.KeyVersion),
            options.Type,
            options.Ttl,
            options.Namespace,
            AIResultSerializer.For<TEmbedding>())
        {
            Kind = CallKind.Embedding,
        };
    }

    /// <inheritdoc />
    public override async Task<GeneratedEmbeddings<TEmbedding>> GenerateAsync(IEnumerable<TInput> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        CacheControlProperties.TryRead(options?.AdditionalProperties, out CacheControl control);
        EmbeddingGenerationOptions? inner = WithoutControls(options);
        if (!_runtime.ShouldCache(_method, in control))
        {
            return await base.GenerateAsync(values, inner, cancellationToken).ConfigureAwait(false);
        }

        return await _runtime.GetOrCreateEmbeddingsAsync(
            _method,
            control,
            KeyPrefix(control, options),
            values,
            _writeInput,
            (Inner: InnerGenerator, Options: inner),
            static (state, missing, ct) => new ValueTask<GeneratedEmbeddings<TEmbedding>>(state.Inner.GenerateAsync(missing, state.Options, ct)),
            cancellationToken).ConfigureAwait(false);
    }

    private byte[] KeyPrefix(in CacheControl control, EmbeddingGenerationOptions? options)
    {
        int size = _runtime.GetKeyHeaderSize(_method, in control) +
            AIMiddlewareKey.ProviderSize(_metadata?.ProviderName, _metadata?.ProviderUri, _metadata?.DefaultModelId) +
            CacheKeyWriter.MaxStringSize(options?.ModelId) + (2 * CacheKeyWriter.MaxScalarSize);
        var writer = new CacheKeyWriter(stackalloc byte[512], size);
        try
        {
            _runtime.WriteKeyHeader(ref writer, _method, in control);
            AIMiddlewareKey.WriteProvider(ref writer, _metadata?.ProviderName, _metadata?.ProviderUri, _metadata?.DefaultModelId);

            // No options are keyed as options with nothing set (and no properties but controls).
            writer.BeginObject(3);
            writer.WriteString(options?.ModelId);
            if (options?.Dimensions is { } dimensions)
            {
                writer.Write(dimensions);
            }
            else
            {
                writer.WriteNull();
            }

            AIMiddlewareKey.WriteProperties(ref writer, options?.AdditionalProperties);

            return writer.WrittenSpan.ToArray();
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>The options the inner generator receives: without the <c>llmcache.</c> controls.</summary>
    private static EmbeddingGenerationOptions? WithoutControls(EmbeddingGenerationOptions? options)
    {
        if (options is null || !CacheControlProperties.HasControls(options.AdditionalProperties))
        {
            return options;
        }

        EmbeddingGenerationOptions copy = options.Clone();
        copy.AdditionalProperties = CacheControlProperties.WithoutControls(options.AdditionalProperties);
        return copy;
    }

    private static EmbeddingInputKeyWriter<TInput>? InputWriter()
    {
        if (typeof(TInput) == typeof(string))
        {
            return (EmbeddingInputKeyWriter<TInput>)(object)LlmCacheRuntime.StringEmbeddingInput;
        }

        if (typeof(AIContent).IsAssignableFrom(typeof(TInput)))
        {
            return static (ref CacheKeyWriter writer, TInput input) => AIContentKeyWriter.Write(ref writer, (AIContent?)(object?)input);
        }

        return null;
    }
}
