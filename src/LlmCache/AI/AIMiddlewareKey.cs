using System;
using Microsoft.Extensions.AI;

namespace LlmCache.AI;

/// <summary>
/// Writes the parts of a middleware request key that name the model: the inner client's provider, address and
/// default model, so that switching the model behind a pipeline starts a new keyspace; and request properties
/// without the <c>llmcache.</c> controls.
/// </summary>
internal static class AIMiddlewareKey
{
    public static int ProviderSize(string? providerName, Uri? providerUri, string? defaultModelId) =>
        CacheKeyWriter.MaxStringSize(providerName) + CacheKeyWriter.MaxStringSize(providerUri?.OriginalString) + CacheKeyWriter.MaxStringSize(defaultModelId);

    public static void WriteProvider(ref CacheKeyWriter writer, string? providerName, Uri? providerUri, string? defaultModelId)
    {
        writer.WriteString(providerName);
        writer.WriteString(providerUri?.OriginalString);
        writer.WriteString(defaultModelId);
    }

    /// <summary>Writes the properties that are not controls; none at all, an empty dictionary and only controls are one key.</summary>
    public static void WriteProperties(ref CacheKeyWriter writer, AdditionalPropertiesDictionary? properties) =>
        AIValueKeyWriter.WriteRequestProperties(ref writer, properties);

    /// <summary>The identity of a middleware's entries: its type and the key version.</summary>
    public static string Identity(string middleware, Type input, Type result, int keyVersion) =>
        $"LlmCache.AI.{middleware}({input})->{result}#v{keyVersion}";
}
