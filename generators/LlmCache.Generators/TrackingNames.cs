namespace LlmCache.Generators;

/// <summary>The names of the generator's pipeline steps, for incrementality tests.</summary>
public static class TrackingNames
{
    /// <summary>Each <c>[LlmCached]</c> method parsed into a spec and its diagnostics.</summary>
    public const string Parse = nameof(Parse);

    /// <summary>The assembly-wide JSON serializer context, if any.</summary>
    public const string AssemblyJsonContext = nameof(AssemblyJsonContext);

    /// <summary>Each parse result with its serializer resolved.</summary>
    public const string Resolve = nameof(Resolve);

    /// <summary>The specs that feed source output.</summary>
    public const string Specs = nameof(Specs);

    /// <summary>Every spec at once, for the attributes that name each type's stores.</summary>
    public const string StoreRequirements = nameof(StoreRequirements);

    /// <summary>Throwing bodies for methods that cannot be generated.</summary>
    public const string Fallbacks = nameof(Fallbacks);

    /// <summary>The diagnostics, on their own pipeline.</summary>
    public const string Diagnostics = nameof(Diagnostics);

    /// <summary>Whether the assembly calls LlmCache's <c>AddLlmCache</c>.</summary>
    public const string CallsAddLlmCache = nameof(CallsAddLlmCache);

    /// <summary>LLMC0020 for each method that falls back to <c>LlmCacheRuntime.Shared</c>, when the assembly calls <c>AddLlmCache</c>.</summary>
    public const string SharedRuntimeUses = nameof(SharedRuntimeUses);

    /// <summary>All diagnostics, placed in the compilation's syntax trees; unchanged while there are none.</summary>
    public const string LocatedDiagnostics = nameof(LocatedDiagnostics);
}
