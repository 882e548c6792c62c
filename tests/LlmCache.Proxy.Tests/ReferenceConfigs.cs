using System;
using System.Collections.Generic;

namespace LlmCache.Proxy.Tests;

/// <summary>The reference's config.yaml examples as they are, and the environment they read.</summary>
public static class ReferenceConfigs
{
    /// <summary>The <c>model_list</c> of the Redis and S3 quick starts.</summary>
    public const string Models = """
        model_list:
          - model_name: gpt-3.5-turbo
            litellm_params:
              model: gpt-3.5-turbo
          - model_name: text-embedding-ada-002
            litellm_params:
              model: text-embedding-ada-002

        """;

    /// <summary>The semantic quick start: <c>redis-semantic</c> embedding with <c>azure-embedding-model</c>; its type is on line 15.</summary>
    public const string Semantic = """
        model_list:
          - model_name: gpt-3.5-turbo
            litellm_params:
              model: gpt-3.5-turbo
          - model_name: azure-embedding-model
            litellm_params:
              model: azure/azure-embedding-model
              api_base: os.environ/AZURE_API_BASE
              api_key: os.environ/AZURE_API_KEY
              api_version: "2023-07-01-preview"
        litellm_settings:
          set_verbose: True
          cache: True # set cache responses to True, litellm defaults to using a redis cache
          cache_params:
            type: "redis-semantic"
            similarity_threshold: 0.8 # similarity threshold for semantic cache
            redis_semantic_cache_embedding_model: azure-embedding-model # set this to a model_name set in model_list
        """;

    /// <summary>The variables the semantic example's <c>os.environ/</c> values read, with the embedding upstream at <paramref name="apiBase"/>.</summary>
    public static Dictionary<string, string> AzureEnvironment(Uri apiBase) =>
        new() { ["AZURE_API_BASE"] = apiBase.AbsoluteUri, ["AZURE_API_KEY"] = "azure-test-key" };
}
