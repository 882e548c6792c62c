using Microsoft.Extensions.DependencyInjection;

namespace LlmCache;

/// <summary>
/// What <c>AddLlmCache</c> returns: adds stores to the registered runtime (<c>AddDisk</c> here, <c>AddRedis</c> in
/// LlmCache.Redis, <c>AddS3</c> in LlmCache.S3). A store added here takes its settings from the configuration section
/// given to <c>AddLlmCache</c>, then from the delegate passed to it.
/// </summary>
public interface ILlmCacheBuilder
{
    /// <summary>The container the runtime is registered in.</summary>
    IServiceCollection Services { get; }
}
