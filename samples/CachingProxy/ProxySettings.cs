using System;
using System.Collections.Generic;

namespace LlmCache.Proxy;

/// <summary>Everything the proxy runs with, from the command line, config.yaml and the environment.</summary>
public sealed class ProxySettings
{
    /// <summary>The address Kestrel binds; loopback unless the command line says otherwise.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The port; 4000, as LiteLLM's proxy, and 0 for any free port.</summary>
    public int Port { get; set; } = 4000;

    /// <summary>The largest request body accepted; a larger one gets 413.</summary>
    public long MaxRequestBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>How long an upstream call may take before the client gets 504.</summary>
    public TimeSpan UpstreamTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The upstream of a model that config.yaml does not list (or of every model, without config.yaml).</summary>
    public ModelRoute DefaultRoute { get; set; } = new(new Uri("https://api.openai.com/v1"), null, null);

    /// <summary>config.yaml's <c>model_list</c> by public name; empty without one, and then every model goes to <see cref="DefaultRoute"/>.</summary>
    public Dictionary<string, ModelRoute> Models { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether answers are cached at all (config.yaml's <c>litellm_settings.cache</c>; on without config.yaml).</summary>
    public bool CacheEnabled { get; set; } = true;

    /// <summary>The runtime's settings as configuration keys under <c>LlmCache:</c>, bound by <c>AddLlmCache(IConfiguration)</c>.</summary>
    public Dictionary<string, string?> CacheConfiguration { get; } = new(StringComparer.OrdinalIgnoreCase) { ["LlmCache:type"] = "local" };

    /// <summary>
    /// The <c>model_list</c> name whose upstream <c>/embeddings</c> embeds prompts for a semantic cache type
    /// (<c>cache_params.redis_semantic_cache_embedding_model</c>), or <c>null</c> when the cache is not semantic.
    /// </summary>
    public string? SemanticEmbeddingModel { get; set; }

    /// <summary>Where each cache setting came from (<c>cache_params.ttl, line 12</c>), for start-up messages.</summary>
    public Dictionary<string, string> CacheSettingOrigins { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The master key (<c>general_settings.master_key</c>, <c>LITELLM_MASTER_KEY</c>), or <c>null</c> for none.</summary>
    public string? MasterKey { get; set; }

    /// <summary>Keys of tenants, each with its own namespace (<c>general_settings.tenant_keys</c>).</summary>
    public List<TenantKey> Tenants { get; } = [];

    /// <summary>The route of a requested model, or <c>null</c> when config.yaml lists models and not this one.</summary>
    public ModelRoute? Resolve(string model) =>
        Models.Count == 0 ? DefaultRoute : Models.TryGetValue(model, out ModelRoute? route) ? route : null;
}
