using System;
using System.Collections.Generic;
using System.IO;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LlmCache.Proxy;

/// <summary>
/// Reads LiteLLM's proxy <c>config.yaml</c> through YamlDotNet's parser and node model (no reflection, so it is
/// AOT-safe): <c>model_list</c>, <c>litellm_settings.cache</c> and <c>cache_params</c>, <c>general_settings.master_key</c>
/// and LlmCache's own <c>general_settings.tenant_keys</c>. Every mistake is a <see cref="ProxyStartupException"/> that
/// names the key and its line.
/// </summary>
public static class ProxyConfigFile
{
    private const string EnvironmentPrefix = "os.environ/";
    private const string EmbeddingModelKey = "redis_semantic_cache_embedding_model";

    /// <summary>Reads <paramref name="path"/> into <paramref name="settings"/>.</summary>
    /// <exception cref="ProxyStartupException">The file is missing or not valid YAML, or a setting is wrong.</exception>
    public static void Apply(string path, ProxySettings settings, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!File.Exists(path))
        {
            throw new ProxyStartupException($"--config: the file '{path}' does not exist.");
        }

        var yaml = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            var parser = new Parser(reader);
            try
            {
                yaml.Load(parser);
            }
            catch (YamlException exception)
            {
                throw new ProxyStartupException($"{path}, line {exception.Start.Line}: not valid YAML: {Inner(exception).Message}", exception);
            }
            catch (InvalidOperationException exception)
            {
                // YamlDotNet's scanner fails this way on some unclosed flow collections: the last event read is the place.
                throw new ProxyStartupException($"{path}, line {parser.Current?.End.Line ?? 1}: not valid YAML (an unclosed [ or {{?)", exception);
            }
        }

        var file = new Reader(path, environment);
        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ProxyStartupException($"{path}: the file must be a YAML mapping with model_list, litellm_settings or general_settings.");
        }

        settings.CacheEnabled = false;
        if (file.Child(root, "model_list") is { } models)
        {
            ReadModels(file, file.Sequence(models, "model_list"), settings);
        }

        if (file.Child(root, "litellm_settings") is { } litellm)
        {
            ReadCacheSettings(file, file.Mapping(litellm, "litellm_settings"), settings);
        }

        if (file.Child(root, "general_settings") is { } general)
        {
            ReadGeneralSettings(file, file.Mapping(general, "general_settings"), settings);
        }
    }

    private static void ReadModels(Reader file, YamlSequenceNode models, ProxySettings settings)
    {
        for (int i = 0; i < models.Children.Count; i++)
        {
            string at = $"model_list[{i}]";
            YamlMappingNode model = file.Mapping(models.Children[i], at);
            string name = file.RequiredScalar(model, "model_name", at);
            YamlMappingNode parameters = file.Mapping(
                file.Child(model, "litellm_params") ?? throw file.Error(model, $"{at}.litellm_params is missing: model '{name}' has no upstream model"),
                $"{at}.litellm_params");
            string upstreamModel = file.RequiredScalar(parameters, "model", $"{at}.litellm_params");
            string? apiBase = file.OptionalScalar(parameters, "api_base", $"{at}.litellm_params");
            string? apiKey = file.OptionalScalar(parameters, "api_key", $"{at}.litellm_params");

            // LiteLLM's "provider/model" form: openai/ (and no prefix) means the OpenAI API; any other provider is
            // reached only through an OpenAI-compatible api_base, where the prefix is LiteLLM's and not the upstream's.
            int slash = upstreamModel.IndexOf('/', StringComparison.Ordinal);
            string provider = slash > 0 ? upstreamModel[..slash] : "openai";
            string modelName = slash > 0 ? upstreamModel[(slash + 1)..] : upstreamModel;
            if (apiBase is null && !string.Equals(provider, "openai", StringComparison.OrdinalIgnoreCase))
            {
                throw file.Error(parameters, $"{at}.litellm_params.api_base is missing: model '{name}' ({upstreamModel}) has no OpenAI-compatible upstream");
            }

            Uri baseUrl = apiBase is null
                ? settings.DefaultRoute.BaseUrl
                : ParseUrl(file, parameters, apiBase, $"{at}.litellm_params.api_base");
            if (!settings.Models.TryAdd(name, new ModelRoute(baseUrl, modelName, apiKey ?? (apiBase is null ? settings.DefaultRoute.ApiKey : null))))
            {
                throw file.Error(model, $"{at}.model_name '{name}' is listed twice");
            }
        }
    }

    private static void ReadCacheSettings(Reader file, YamlMappingNode litellm, ProxySettings settings)
    {
        if (file.Child(litellm, "cache") is { } cache)
        {
            string value = file.Scalar(cache, "litellm_settings.cache");
            settings.CacheEnabled = ParseBool(value) ?? throw file.Error(cache, $"litellm_settings.cache must be True or False, not '{value}'");
        }

        YamlNode? parametersNode = file.Child(litellm, "cache_params");
        if (!settings.CacheEnabled)
        {
            return;
        }

        var values = settings.CacheConfiguration;
        values.Clear();
        if (parametersNode is not null)
        {
            foreach ((YamlNode keyNode, YamlNode valueNode) in file.Mapping(parametersNode, "litellm_settings.cache_params").Children)
            {
                string key = file.Scalar(keyNode, "a key of litellm_settings.cache_params");
                AddSetting(file, settings, "LlmCache:" + key, $"cache_params.{key}", valueNode);
            }
        }

        // LiteLLM's proxy caches in Redis when cache_params names no type.
        if (!values.TryGetValue("LlmCache:type", out string? type) || type is null)
        {
            values["LlmCache:type"] = type = "redis";
            settings.CacheSettingOrigins["LlmCache:type"] = "litellm_settings.cache (Redis unless cache_params.type says otherwise)";
        }

        string typeAt = settings.CacheSettingOrigins.GetValueOrDefault("LlmCache:type", "litellm_settings.cache");
        switch (type.ToLowerInvariant())
        {
            case "local" or "memory" or "s3" or "disk":
                break;
            case "redis" or "dual":
                ReadRedisEnvironment(file, values);
                break;
            case "redis-semantic" or "dual-semantic":
                ReadRedisEnvironment(file, values);
                ReadEmbeddingModel(file, settings, type);
                break;
            case "local-semantic" or "semantic":
                ReadEmbeddingModel(file, settings, type);
                break;
            case "qdrant-semantic":
                throw new ProxyStartupException($"{file.Path}: {typeAt}: cache type '{type}' is not built in: the proxy caches semantically in Redis (redis-semantic, dual-semantic) or in process (local-semantic); a Qdrant index plugs into the library through the LlmCache.VectorData adapter (docs/semantic/vector-data.md), not into the proxy.");
            case "azure-blob" or "azureblob":
                throw new ProxyStartupException($"{file.Path}: {typeAt}: cache type '{type}' is not supported by the proxy: the Azure Blob store's settings are not bound from configuration yet.");
            default:
                throw new ProxyStartupException($"{file.Path}: {typeAt}: unknown cache type '{type}'. Supported: local, redis, s3, disk, redis-semantic, dual-semantic, local-semantic.");
        }
    }

    // The reference's redis_semantic_cache_embedding_model names a model of model_list whose upstream /embeddings
    // embeds the prompts; the proxy's, not the runtime's, so it leaves the cache settings.
    private static void ReadEmbeddingModel(Reader file, ProxySettings settings, string type)
    {
        const string Key = "LlmCache:" + EmbeddingModelKey;
        string? model = settings.CacheConfiguration.GetValueOrDefault(Key);
        string at = settings.CacheSettingOrigins.GetValueOrDefault(Key, "litellm_settings.cache_params");
        settings.CacheConfiguration.Remove(Key);
        settings.CacheSettingOrigins.Remove(Key);
        if (ProxyCommandLine.NonEmpty(model) is not { } name)
        {
            throw new ProxyStartupException($"{file.Path}: {at}: cache type '{type}' embeds prompts: set cache_params.{EmbeddingModelKey} to the model_name of a model_list entry whose upstream serves /embeddings.");
        }

        if (!settings.Models.ContainsKey(name))
        {
            throw new ProxyStartupException($"{file.Path}: cache_params.{EmbeddingModelKey} ({at}) is '{name}', which is not a model_name of model_list.");
        }

        settings.SemanticEmbeddingModel = name;
    }

    // The Redis variables of the reference (REDIS_URL, or REDIS_HOST / REDIS_PORT / REDIS_PASSWORD) fill what
    // cache_params leaves unset; read here, through the proxy's own environment, so the store reads nothing else.
    private static void ReadRedisEnvironment(Reader file, Dictionary<string, string?> values)
    {
        bool hasEndpoint = values.ContainsKey("LlmCache:host") || values.ContainsKey("LlmCache:Redis:Host") || values.ContainsKey("LlmCache:Redis:RedisUrl");
        if (!hasEndpoint && ProxyCommandLine.NonEmpty(file.Environment("REDIS_URL")) is { } url)
        {
            values["LlmCache:Redis:RedisUrl"] = url;
        }
        else
        {
            Fill(values, "LlmCache:host", file.Environment("REDIS_HOST"), hasEndpoint);
            Fill(values, "LlmCache:port", file.Environment("REDIS_PORT"), values.ContainsKey("LlmCache:port"));
            Fill(values, "LlmCache:password", file.Environment("REDIS_PASSWORD"), values.ContainsKey("LlmCache:password"));
        }

        values["LlmCache:Redis:UseEnvironment"] = "false";

        static void Fill(Dictionary<string, string?> values, string key, string? value, bool alreadySet)
        {
            if (!alreadySet && ProxyCommandLine.NonEmpty(value) is { } set)
            {
                values[key] = set;
            }
        }
    }

    private static void AddSetting(Reader file, ProxySettings settings, string key, string origin, YamlNode node)
    {
        switch (node)
        {
            case YamlSequenceNode list:
                for (int i = 0; i < list.Children.Count; i++)
                {
                    AddSetting(file, settings, $"{key}:{i}", $"{origin}[{i}]", list.Children[i]);
                }

                break;
            case YamlMappingNode map:
                foreach ((YamlNode childKey, YamlNode childValue) in map.Children)
                {
                    string name = file.Scalar(childKey, $"a key of {origin}");
                    AddSetting(file, settings, $"{key}:{name}", $"{origin}.{name}", childValue);
                }

                break;
            default:
                settings.CacheConfiguration[key] = file.Resolve(node, origin);
                settings.CacheSettingOrigins[key] = $"{origin} (line {node.Start.Line})";
                break;
        }
    }

    private static void ReadGeneralSettings(Reader file, YamlMappingNode general, ProxySettings settings)
    {
        if (file.OptionalScalar(general, "master_key", "general_settings") is { } master)
        {
            settings.MasterKey = master;
        }

        if (file.Child(general, "tenant_keys") is { } tenants)
        {
            YamlSequenceNode list = file.Sequence(tenants, "general_settings.tenant_keys");
            for (int i = 0; i < list.Children.Count; i++)
            {
                string at = $"general_settings.tenant_keys[{i}]";
                YamlMappingNode tenant = file.Mapping(list.Children[i], at);
                settings.Tenants.Add(new TenantKey(file.RequiredScalar(tenant, "key", at), file.RequiredScalar(tenant, "namespace", at)));
            }
        }
    }

    private static Uri ParseUrl(Reader file, YamlNode node, string value, string at)
    {
        try
        {
            return ProxyCommandLine.ParseUrl(value, at);
        }
        catch (ProxyStartupException exception)
        {
            throw file.Error(node, exception.Message.TrimEnd('.'));
        }
    }

    private static bool? ParseBool(string value) => value.ToLowerInvariant() switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        _ => null,
    };

    private static Exception Inner(Exception exception) => exception.InnerException is YamlException inner ? Inner(inner) : exception;

    /// <summary>Typed access to the nodes, with errors that name the file, the key and the line.</summary>
    private sealed class Reader(string path, Func<string, string?> environment)
    {
        public string Path { get; } = path;

        public string? Environment(string name) => environment(name);

        public ProxyStartupException Error(YamlNode node, string message) => new($"{Path}, line {node.Start.Line}: {message}.");

        public YamlNode? Child(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? child) && !IsNull(child) ? child : null;

        public YamlMappingNode Mapping(YamlNode node, string at) => node as YamlMappingNode ?? throw Error(node, $"{at} must be a mapping (key: value lines)");

        public YamlSequenceNode Sequence(YamlNode node, string at) => node as YamlSequenceNode ?? throw Error(node, $"{at} must be a list (- item lines)");

        public string Scalar(YamlNode node, string at) => node is YamlScalarNode { Value: { } value } ? value : throw Error(node, $"{at} must be a single value");

        public string RequiredScalar(YamlMappingNode map, string key, string at) =>
            OptionalScalar(map, key, at) ?? throw Error(map, $"{at}.{key} is missing");

        public string? OptionalScalar(YamlMappingNode map, string key, string at) =>
            Child(map, key) is { } node ? Resolve(node, $"{at}.{key}") : null;

        /// <summary>A scalar's text, with <c>os.environ/NAME</c> read from the environment.</summary>
        public string Resolve(YamlNode node, string at)
        {
            string value = Scalar(node, at);
            if (!value.StartsWith(EnvironmentPrefix, StringComparison.Ordinal))
            {
                return value;
            }

            string name = value[EnvironmentPrefix.Length..];
            return ProxyCommandLine.NonEmpty(environment(name)) ?? throw Error(node, $"{at} reads the environment variable {name}, which is not set");
        }

        private static bool IsNull(YamlNode node) => node is YamlScalarNode { Style: not ScalarStyle.SingleQuoted and not ScalarStyle.DoubleQuoted, Value: "" or "~" or "null" or "Null" or "NULL" };
    }
}
