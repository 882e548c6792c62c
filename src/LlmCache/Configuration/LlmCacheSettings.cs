using System;
using System.Collections.Generic;
using Microsoft.Extensions.Configuration;

namespace LlmCache;

/// <summary>
/// The runtime's settings as configuration holds them: text, bound (source-generated) from the
/// <see cref="NormalizedConfiguration"/>, then parsed by <see cref="ApplyTo"/> with messages that name each setting.
/// Text rather than typed properties, so that a bad value is reported as this setting's mistake with the accepted
/// values, not as a conversion failure of the binder. The stores' own sections (<c>Redis</c>, <c>S3</c>) are bound by
/// their packages from <see cref="Source"/>.
/// </summary>
internal sealed class LlmCacheSettings
{
    /// <summary>What the settings were bound from.</summary>
    internal NormalizedConfiguration Source { get; private set; } = NormalizedConfiguration.Empty;

    /// <summary>The bound values.</summary>
    internal SettingValues Values { get; private set; } = new();

    /// <summary>Binds <paramref name="section"/> (rewritten) into this instance.</summary>
    public void Bind(IConfiguration section)
    {
        Source = NormalizedConfiguration.Create(section);
        var values = new SettingValues();
        Source.Configuration.Bind(values);
        Values = values;
    }

    /// <summary>
    /// Sets every option that configuration covers, to its configured value or, when the key is unset, to the default,
    /// so a key removed on reload goes back to its default. Options configuration does not cover are left alone.
    /// </summary>
    /// <exception cref="InvalidOperationException">A value is invalid; the message names the setting and the accepted values.</exception>
    public void ApplyTo(LlmCacheOptions options)
    {
        if (!Source.IsPresent)
        {
            return;
        }

        if (Source.Problem is { } problem)
        {
            throw SettingParser.Invalid(problem);
        }

        options.Enabled = SettingParser.Boolean(Values.Enabled, Source.Name(nameof(SettingValues.Enabled))) ?? true;
        options.DefaultType = CacheTypeNames.Parse(Values.DefaultType, Source.Name(nameof(SettingValues.DefaultType))) ?? CacheType.Memory;
        options.Mode = ParseMode(Values.Mode, Source.Name(nameof(SettingValues.Mode)));
        options.Namespace = SettingParser.Trimmed(Values.Namespace);
        options.DefaultTtl = SettingParser.Ttl(Values.DefaultTtl, Source.Name(nameof(SettingValues.DefaultTtl)));
        options.SupportedCallKinds = CallKindNames.Parse(Values.SupportedCallKinds, Source.Configuration[nameof(SettingValues.SupportedCallKinds)], Source.Name(nameof(SettingValues.SupportedCallKinds)));

        SemanticCacheOptions semantic = options.Semantic.Clone();
        semantic.SimilarityThreshold = SettingParser.Number(Values.SimilarityThreshold, Source.Name(nameof(SettingValues.SimilarityThreshold)), 0, 1, "a number from 0 to 1 (1 matches only identical prompts)")
            ?? SemanticCacheOptions.DefaultSimilarityThreshold;
        semantic.PrecisionGuard = SettingParser.Boolean(Values.Semantic.PrecisionGuard, Source.Name("Semantic:PrecisionGuard")) ?? true;
        options.Semantic = semantic;

        var memoryDefaults = new MemoryCacheStoreOptions();
        MemoryCacheStoreOptions memory = options.Memory.Clone();
        memory.DefaultTtl = SettingParser.Ttl(Values.Memory.DefaultTtl, Source.Name("Memory:DefaultTtl"));
        memory.MaxEntries = (int)(SettingParser.Integer(Values.Memory.MaxEntries, Source.Name("Memory:MaxEntries"), 1, int.MaxValue, "a whole number of entries, at least 1") ?? memoryDefaults.MaxEntries);
        memory.MaxBytes = SettingParser.Integer(Values.Memory.MaxBytes, Source.Name("Memory:MaxBytes"), 1, long.MaxValue, "a whole number of bytes, at least 1") ?? memoryDefaults.MaxBytes;
        options.Memory = memory;

        DiskCacheStoreOptions disk = options.Disk.Clone();
        disk.Directory = SettingParser.Trimmed(Values.Disk.Directory);
        disk.DefaultTtl = SettingParser.Ttl(Values.Disk.DefaultTtl, Source.Name("Disk:DefaultTtl"));
        disk.MaxBytes = SettingParser.Integer(Values.Disk.MaxBytes, Source.Name("Disk:MaxBytes"), 1, long.MaxValue, "a whole number of bytes, at least 1") ?? DiskCacheStoreOptions.DefaultMaxBytes;
        disk.FlushToDisk = SettingParser.Boolean(Values.Disk.FlushToDisk, Source.Name("Disk:FlushToDisk")) ?? true;
        options.Disk = disk;

        IntegrityOptions integrity = options.Integrity.Clone();
        integrity.SecretBase64 = SettingParser.Trimmed(Values.Integrity.SecretBase64);
        options.Integrity = integrity;
    }

    /// <summary>
    /// Checks, once every store is registered, that the default type has its store and that no store's settings
    /// were given for a store that was never added, which would otherwise be ignored without a word.
    /// </summary>
    public void CheckStores(LlmCacheOptions options)
    {
        CacheType needed = options.DefaultType is CacheType.Dual or CacheType.RedisSemantic or CacheType.DualSemantic ? CacheType.Redis : options.DefaultType;
        if (SemanticCacheOptions.IsSemantic(options.DefaultType) && options.Semantic.EmbeddingGenerator is null)
        {
            throw SettingParser.Invalid(
                $"{Source.Name(nameof(SettingValues.DefaultType))} is {options.DefaultType}, which embeds prompts, and no embedding generator is set: register an IEmbeddingGenerator<string, Embedding<float>> in the container " +
                "(for example services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new MiniLmEmbeddingGenerator()) from the package LlmCache.Embeddings.MiniLM, a local model), or set LlmCacheOptions.Semantic.EmbeddingGenerator in the delegate given to AddLlmCache.");
        }

        if (SemanticCacheOptions.IsSemantic(options.DefaultType) && options.Semantic.Problem(options.DefaultType) is { } semanticProblem)
        {
            throw SettingParser.Invalid($"{Source.Name(nameof(SettingValues.DefaultType))} is {options.DefaultType}: {semanticProblem}");
        }

        if (needed is CacheType.Redis or CacheType.S3 or CacheType.Custom && !options.Stores.ContainsKey(needed))
        {
            throw SettingParser.Invalid($"{Source.Name(nameof(SettingValues.DefaultType))} is {options.DefaultType}, but no {needed} store is registered: {HowToAdd(needed)}");
        }

        foreach (CacheType store in new[] { CacheType.Redis, CacheType.S3 })
        {
            if (Source.HasSection(store.ToString()) && !options.Stores.ContainsKey(store))
            {
                throw SettingParser.Invalid($"{Source.Path}:{store} is configured, but no {store} store is added: {HowToAdd(store)}");
            }
        }
    }

    private static string HowToAdd(CacheType type) => type switch
    {
        CacheType.Redis => "reference the package LlmCache.Redis and call AddRedis() on the builder that AddLlmCache returns.",
        CacheType.S3 => "reference the package LlmCache.S3 and call AddS3() on the builder that AddLlmCache returns.",
        _ => "register one with LlmCacheOptions.UseStore(CacheType.Custom, store) in the delegate given to AddLlmCache.",
    };

    private static CacheMode ParseMode(string? text, string name) => SettingParser.Trimmed(text)?.ToLowerInvariant() switch
    {
        null or "default_on" or "defaulton" => CacheMode.DefaultOn,
        "default_off" or "defaultoff" => CacheMode.DefaultOff,
        _ => throw SettingParser.Invalid($"{name} must be default_on or default_off (LiteLLM's names) or DefaultOn or DefaultOff, not '{text!.Trim()}'."),
    };
}

/// <summary>The keys of <see cref="LlmCacheSettings"/> as text, the shape the binder fills.</summary>
internal sealed class SettingValues
{
    public string? Enabled { get; set; }

    public string? DefaultType { get; set; }

    public string? Mode { get; set; }

    public string? Namespace { get; set; }

    public string? DefaultTtl { get; set; }

    public List<string> SupportedCallKinds { get; set; } = new();

    public string? SimilarityThreshold { get; set; }

    public MemorySettings Memory { get; set; } = new();

    public SemanticSettings Semantic { get; set; } = new();

    public DiskSettings Disk { get; set; } = new();

    public IntegritySettings Integrity { get; set; } = new();

    internal sealed class MemorySettings
    {
        public string? DefaultTtl { get; set; }

        public string? MaxEntries { get; set; }

        public string? MaxBytes { get; set; }
    }

    internal sealed class SemanticSettings
    {
        public string? PrecisionGuard { get; set; }
    }

    internal sealed class DiskSettings
    {
        public string? Directory { get; set; }

        public string? DefaultTtl { get; set; }

        public string? MaxBytes { get; set; }

        public string? FlushToDisk { get; set; }
    }

    internal sealed class IntegritySettings
    {
        public string? SecretBase64 { get; set; }
    }
}
