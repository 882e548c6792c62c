using System;
using System.Collections.Generic;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LlmCache;

/// <summary>
/// The runtime <c>AddLlmCache</c> registers, built from configuration, the stores added to the builder and the
/// delegate given to <c>AddLlmCache</c>, in that order. A configuration reload builds the options again the same way
/// and hands them to <see cref="LlmCacheRuntime.Update"/>, so it takes effect on the next call; a reload that is
/// invalid is logged and the running configuration stays.
/// </summary>
internal sealed partial class ConfiguredRuntime : IDisposable
{
    private readonly IReadOnlyList<LlmCacheStoreSetup> _stores;
    private readonly Action<LlmCacheOptions>? _configure;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly IEmbeddingGenerator<string, Embedding<float>>? _embeddingGenerator;
    private readonly IDisposable? _reloads;

    public ConfiguredRuntime(IOptionsMonitor<LlmCacheSettings> settings, IEnumerable<LlmCacheStoreSetup> stores, LlmCacheCodeSetup code, IServiceProvider services, ILoggerFactory? loggerFactory = null)
    {
        _stores = new List<LlmCacheStoreSetup>(stores);
        _configure = code.Configure;
        _loggerFactory = loggerFactory;

        // The semantic types' model: the container's embedding generator, unless the delegate sets another.
        _embeddingGenerator = services.GetService<IEmbeddingGenerator<string, Embedding<float>>>();
        var options = new LlmCacheOptions { LoggerFactory = loggerFactory };
        try
        {
            Build(options, settings.CurrentValue);
            Runtime = new LlmCacheRuntime(options);
        }
        catch
        {
            // The options were never handed to a runtime: close the stores they would have owned.
            LlmCacheRuntime.CloseOwnedStores(options, NullLogger.Instance);
            throw;
        }

        _reloads = settings.OnChange(Reload);
    }

    public LlmCacheRuntime Runtime { get; }

    public void Dispose() => _reloads?.Dispose();

    private void Build(LlmCacheOptions options, LlmCacheSettings settings)
    {
        settings.ApplyTo(options);
        if (options.Semantic.EmbeddingGenerator is null && _embeddingGenerator is not null)
        {
            SemanticCacheOptions semantic = options.Semantic.Clone();
            semantic.EmbeddingGenerator = _embeddingGenerator;
            options.Semantic = semantic;
        }

        foreach (LlmCacheStoreSetup store in _stores)
        {
            store.Apply(options, settings);
        }

        _configure?.Invoke(options);
        settings.CheckStores(options);
    }

    private void Reload(LlmCacheSettings settings)
    {
        if (Runtime.IsDisposed)
        {
            return;
        }

        try
        {
            Runtime.Update(options => Build(options, settings));
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException)
        {
            ILogger logger = _loggerFactory?.CreateLogger("LlmCache") ?? NullLogger.Instance;
            ReloadRejected(logger, exception.Message);
        }
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Error, Message = "LlmCache ignored a configuration reload, and the running configuration stays: {Problem}")]
    private static partial void ReloadRejected(ILogger logger, string problem);
}

/// <summary>The delegate given to <c>AddLlmCache</c>, run after configuration and the builder's stores.</summary>
internal sealed record LlmCacheCodeSetup(Action<LlmCacheOptions>? Configure);

/// <summary>The options type whose start-up validation builds the runtime (see <see cref="LlmCacheStartupValidator"/>).</summary>
internal sealed class LlmCacheStartupCheck;

/// <summary>
/// Builds the runtime when the host starts (<c>ValidateOnStart</c>), so that a configuration mistake stops the start
/// with its message instead of surfacing at the first call, and opens the connections of stores that connect at start-up.
/// </summary>
/// <remarks>
/// First it checks that the configuration has the store each cached method of the container's types needs (their
/// <see cref="LlmCachedStoreRequirementAttribute"/>s): a method of <c>CacheType.Redis</c> with no Redis, or a
/// <c>Store = "name"</c> nobody registered, fails the start with one message naming the methods.
/// </remarks>
internal sealed class LlmCacheStartupValidator(IServiceProvider services) : IValidateOptions<LlmCacheStartupCheck>
{
    public ValidateOptionsResult Validate(string? name, LlmCacheStartupCheck options)
    {
        try
        {
            if (services.GetService(typeof(LlmCacheRuntime)) is not LlmCacheRuntime runtime)
            {
                return ValidateOptionsResult.Success;
            }

            if (services.GetService(typeof(LlmCacheServiceTypes)) is LlmCacheServiceTypes registered &&
                runtime.DescribeMissingStores(registered.Types()) is { } missing)
            {
                return ValidateOptionsResult.Fail(missing);
            }

            StartupConnections.Open(runtime);
            return ValidateOptionsResult.Success;
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException)
        {
            return ValidateOptionsResult.Fail(exception.Message);
        }
    }
}

/// <summary>The container's registrations, read when the host starts, after every service has been added.</summary>
internal sealed class LlmCacheServiceTypes(IServiceCollection services)
{
    /// <summary>Each registration's service type, implementation type and the type of its instance.</summary>
    public IEnumerable<Type> Types()
    {
        foreach (ServiceDescriptor descriptor in services)
        {
            yield return descriptor.ServiceType;
            if ((descriptor.IsKeyedService ? descriptor.KeyedImplementationType : descriptor.ImplementationType) is { } implementation)
            {
                yield return implementation;
            }

            if ((descriptor.IsKeyedService ? descriptor.KeyedImplementationInstance : descriptor.ImplementationInstance) is { } instance)
            {
                yield return instance.GetType();
            }
        }
    }
}
