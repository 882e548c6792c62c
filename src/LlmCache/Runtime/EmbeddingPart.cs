using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;

namespace LlmCache;

/// <summary>
/// What an embedding call caches for one input: its vector and its share of the token counts of the batch that
/// made it, so a later call that serves it from the cache can report usage as the sum of its parts.
/// </summary>
internal sealed class EmbeddingPart<TEmbedding>
    where TEmbedding : Embedding
{
    private static readonly ConditionalWeakTable<CachedMethod<TEmbedding>, CachedMethod<EmbeddingPart<TEmbedding>>> Methods = new();

    public EmbeddingPart(TEmbedding embedding, UsageDetails? usage)
    {
        Embedding = embedding;
        Usage = usage;
    }

    public TEmbedding Embedding { get; }

    public UsageDetails? Usage { get; }

    /// <summary>The descriptor of <paramref name="method"/>'s per-input entries: the same identity, cache type, TTL and namespace.</summary>
    public static CachedMethod<EmbeddingPart<TEmbedding>> MethodFor(CachedMethod<TEmbedding> method) =>
        Methods.GetValue(method, static m => new CachedMethod<EmbeddingPart<TEmbedding>>(
            m.Identity,
            m.Type,
            m.Ttl is { } ttl ? (int)ttl.TotalSeconds : 0,
            m.Namespace,
            m.Serializer is null ? null : new Serializer(m.Serializer))
        {
            Kind = CallKind.Embedding,
            Store = m.Store,
        });

    /// <summary>
    /// The payload outside the process: <c>{"usage":…,"embedding":…}</c>, the usage share through
    /// Microsoft.Extensions.AI's JSON metadata and the embedding through the method's own serialiser.
    /// </summary>
    private sealed class Serializer : CacheValueSerializer<EmbeddingPart<TEmbedding>>
    {
        private static readonly JsonTypeInfo<UsageDetails> UsageInfo = (JsonTypeInfo<UsageDetails>)AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(UsageDetails));

        private readonly CacheValueSerializer<TEmbedding> _embedding;

        public Serializer(CacheValueSerializer<TEmbedding> embedding)
        {
            if (embedding.Kind != CachePayloadKind.Json)
            {
                throw new InvalidOperationException($"Embeddings are stored per input as JSON; the serialiser for {typeof(TEmbedding).FullName} writes {embedding.Kind}.");
            }

            _embedding = embedding;
        }

        public override CachePayloadKind Kind => CachePayloadKind.Json;

        public override byte[] Serialize(EmbeddingPart<TEmbedding> value)
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WritePropertyName("usage");
                if (value.Usage is null)
                {
                    json.WriteNullValue();
                }
                else
                {
                    JsonSerializer.Serialize(json, value.Usage, UsageInfo);
                }

                json.WritePropertyName("embedding");
                json.WriteRawValue(_embedding.Serialize(value.Embedding), skipInputValidation: true);
                json.WriteEndObject();
            }

            return buffer.WrittenSpan.ToArray();
        }

        public override EmbeddingPart<TEmbedding> Deserialize(ReadOnlySpan<byte> payload)
        {
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("A stored embedding part is not a JSON object.");
            }

            UsageDetails? usage = null;
            TEmbedding? embedding = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isUsage = reader.ValueTextEquals("usage"u8);
                bool isEmbedding = reader.ValueTextEquals("embedding"u8);
                reader.Read();
                if (isUsage)
                {
                    usage = reader.TokenType == JsonTokenType.Null ? null : JsonSerializer.Deserialize(ref reader, UsageInfo);
                }
                else if (isEmbedding)
                {
                    int start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    embedding = _embedding.Deserialize(payload.Slice(start, (int)reader.BytesConsumed - start));
                }
                else
                {
                    reader.Skip();
                }
            }

            return new EmbeddingPart<TEmbedding>(embedding ?? throw new JsonException("A stored embedding part has no embedding."), usage);
        }
    }
}
