using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;

namespace LlmCache.Benchmarks;

/// <summary>
/// The general-purpose caches LlmCache is compared with, each set up as its documentation recommends and given the
/// key its user would build for a chat request: Microsoft.Extensions.AI's own (<see cref="PeerCachingClient.Key"/>,
/// the JSON of the messages and options hashed with SHA-256), computed on every call as the user's code would.
/// </summary>
public static class PeerCaches
{
    /// <summary>HybridCache from <c>AddHybridCache()</c>, its defaults, with Microsoft.Extensions.AI's JSON options for <see cref="ChatResponse"/>.</summary>
    public static HybridCache Hybrid(IDistributedCache? l2 = null)
    {
        var services = new ServiceCollection();
        if (l2 is not null)
        {
            services.AddSingleton(l2);
        }

        services.AddHybridCache().AddSerializer<ChatResponse, ChatResponseHybridSerializer>();
        return services.BuildServiceProvider().GetRequiredService<HybridCache>();
    }

    /// <summary>FusionCache with its defaults; with <paramref name="l2"/> as its distributed level (Microsoft.Extensions.AI's JSON options).</summary>
    public static FusionCache Fusion(IDistributedCache? l2 = null)
    {
        var cache = new FusionCache(Options.Create(new FusionCacheOptions()));
        if (l2 is not null)
        {
            cache.SetupDistributedCache(l2, new FusionCacheSystemTextJsonSerializer(AIJsonUtilities.DefaultOptions));
        }

        return cache;
    }

    /// <summary>The JSON that Microsoft.Extensions.AI itself uses for a <see cref="ChatResponse"/>; HybridCache's default would reflect over the type.</summary>
    private sealed class ChatResponseHybridSerializer : IHybridCacheSerializer<ChatResponse>
    {
        private static readonly JsonTypeInfo<ChatResponse> TypeInfo = (JsonTypeInfo<ChatResponse>)AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ChatResponse));

        public ChatResponse Deserialize(ReadOnlySequence<byte> source)
        {
            var reader = new Utf8JsonReader(source);
            return JsonSerializer.Deserialize(ref reader, TypeInfo) ?? throw new JsonException("A null response in the cache.");
        }

        public void Serialize(ChatResponse value, IBufferWriter<byte> target)
        {
            using var writer = new Utf8JsonWriter(target);
            JsonSerializer.Serialize(writer, value, TypeInfo);
        }
    }
}
