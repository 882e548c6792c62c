using System;

namespace LlmCache.Proxy;

/// <summary>
/// Where one public model name goes: an OpenAI-compatible base address (ending before <c>/chat/completions</c>), the
/// model name the upstream knows, and the key the proxy sends it.
/// </summary>
/// <param name="BaseUrl">The upstream's base address, such as <c>https://api.openai.com/v1</c>.</param>
/// <param name="UpstreamModel">The model name sent upstream, or <c>null</c> to send the client's own.</param>
/// <param name="ApiKey">The upstream key, or <c>null</c> to send the client's own bearer token when the proxy has no keys of its own.</param>
public sealed record ModelRoute(Uri BaseUrl, string? UpstreamModel, string? ApiKey)
{
    /// <summary>The address of one OpenAI endpoint under <see cref="BaseUrl"/>, such as <c>chat/completions</c>.</summary>
    public Uri Endpoint(string path) => new(BaseUrl.AbsoluteUri.TrimEnd('/') + "/" + path);

    /// <summary>The model name sent upstream for a request that named <paramref name="requested"/>.</summary>
    public string ModelFor(string requested) => UpstreamModel ?? requested;
}
