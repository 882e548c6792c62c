namespace LlmCache.Proxy;

/// <summary>What a cached call needs to reach the upstream on a miss: the state passed through the runtime's static factories.</summary>
/// <param name="Upstream">The client.</param>
/// <param name="Route">The model's upstream.</param>
/// <param name="Body">The body to send: the client's, without <c>cache</c>, with the upstream's model name.</param>
/// <param name="ApiKey">The upstream key, or <c>null</c>.</param>
public sealed record UpstreamCall(UpstreamClient Upstream, ModelRoute Route, byte[] Body, string? ApiKey);
