using System.Text.Json.Serialization;

namespace LlmCache.Proxy;

/// <summary>The proxy's own bodies, through source-generated metadata (no reflection, so Native AOT publishes without warnings).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(OpenAiError))]
[JsonSerializable(typeof(CachePingResponse))]
[JsonSerializable(typeof(CacheDeleteRequest))]
[JsonSerializable(typeof(CacheAdminResponse))]
[JsonSerializable(typeof(HealthResponse))]
public sealed partial class ProxyJsonContext : JsonSerializerContext;

/// <summary><c>GET /cache/ping</c>'s answer when the store answers.</summary>
public sealed record CachePingResponse([property: JsonPropertyName("status")] string Status, [property: JsonPropertyName("cache_type")] string CacheType);

/// <summary><c>POST /cache/delete</c>'s body: the keys (<c>x-litellm-cache-key</c>) to delete, in a namespace or the default one.</summary>
public sealed record CacheDeleteRequest([property: JsonPropertyName("keys")] string[]? Keys, [property: JsonPropertyName("namespace")] string? Namespace);

/// <summary>The answer of <c>/cache/delete</c> and <c>/cache/flushall</c>.</summary>
public sealed record CacheAdminResponse([property: JsonPropertyName("status")] string Status, [property: JsonPropertyName("deleted")] int? Deleted);

/// <summary><c>GET /health</c>'s answer.</summary>
public sealed record HealthResponse([property: JsonPropertyName("status")] string Status);
