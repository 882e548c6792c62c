using System;
using Microsoft.CodeAnalysis;

namespace LlmCache.Generators;

/// <summary>The diagnostics the generator reports: the structure of a cached method (LLMC0001–LLMC0099).</summary>
public static class DiagnosticDescriptors
{
    /// <summary>LLMC0001: the cached method is not partial.</summary>
    public const string MethodNotPartialId = "LLMC0001";

    /// <summary>LLMC0002: a containing type is not partial.</summary>
    public const string TypeNotPartialId = "LLMC0002";

    /// <summary>LLMC0003: no implementation method.</summary>
    public const string ImplementationNotFoundId = "LLMC0003";

    /// <summary>LLMC0004: the implementation method's signature doesn't match.</summary>
    public const string ImplementationMismatchId = "LLMC0004";

    /// <summary>LLMC0005: a <c>ref</c> or <c>out</c> parameter.</summary>
    public const string RefParameterId = "LLMC0005";

    /// <summary>LLMC0006: an unsupported return type.</summary>
    public const string UnsupportedReturnTypeId = "LLMC0006";

    /// <summary>LLMC0007: a key parameter whose type has no stable key form.</summary>
    public const string UnsupportedKeyTypeId = "LLMC0007";

    /// <summary>LLMC0008: a result type without JSON type information for a store outside the process.</summary>
    public const string NoJsonTypeInfoId = "LLMC0008";

    /// <summary>LLMC0009: a generic cached method.</summary>
    public const string GenericMethodId = "LLMC0009";

    /// <summary>LLMC0010: a parameter that cannot outlive the call (a ref struct or a pointer).</summary>
    public const string StackOnlyParameterId = "LLMC0010";

    /// <summary>LLMC0011: an instance method of a ref struct.</summary>
    public const string RefStructInstanceMethodId = "LLMC0011";

    /// <summary>LLMC0012: a cached method in a file-local type.</summary>
    public const string FileLocalTypeId = "LLMC0012";

    /// <summary>LLMC0013: a key input of a type derived from a Microsoft.Extensions.AI request type that adds state its key would miss.</summary>
    public const string HiddenRequestStateId = "LLMC0013";

    /// <summary>LLMC0014: a method of a semantic cache type with no input to embed.</summary>
    public const string NoSemanticInputId = "LLMC0014";

    /// <summary>LLMC0015: a similarity threshold outside [0, 1].</summary>
    public const string SimilarityThresholdOutOfRangeId = "LLMC0015";
    /// <summary>LLMC0016: the key function the attribute names is missing or has another signature.</summary>
    public const string InvalidKeyFunctionId = "LLMC0016";
    /// <summary>LLMC0017: a method of a semantic cache type that names a key function.</summary>
    public const string SemanticKeyFunctionId = "LLMC0017";
    /// <summary>LLMC0020: a cached method that would use <c>LlmCacheRuntime.Shared</c> in an assembly that calls <c>AddLlmCache</c>.</summary>
    public const string SharedRuntimeInContainerAppId = "LLMC0020";

    /// <summary>Where each diagnostic's page lives.</summary>
    public const string HelpLinkBase = "https://github.com/llmcache/llmcache/blob/main/docs/diagnostics/";

    private const string Category = "LlmCache.Generator";

    /// <summary>LLMC0001.</summary>
    public static readonly DiagnosticDescriptor MethodNotPartial = Create(
        MethodNotPartialId,
        "Cached method must be partial",
        "Method '{0}' has [LlmCached] but is not a partial method declaration; declare it 'partial' without a body so LlmCache can write it");

    /// <summary>LLMC0002.</summary>
    public static readonly DiagnosticDescriptor TypeNotPartial = Create(
        TypeNotPartialId,
        "Type containing a cached method must be partial",
        "Type '{0}' contains the [LlmCached] method '{1}' but is not partial; add 'partial' to it");

    /// <summary>LLMC0003.</summary>
    public static readonly DiagnosticDescriptor ImplementationNotFound = Create(
        ImplementationNotFoundId,
        "Implementation method not found",
        "[LlmCached] method '{0}' needs an implementation method '{1}' in the same type, taking ({2}); LlmCache calls it on a cache miss");

    /// <summary>LLMC0004.</summary>
    public static readonly DiagnosticDescriptor ImplementationMismatch = Create(
        ImplementationMismatchId,
        "Implementation method signature doesn't match",
        "Implementation method '{0}' must take ({1}) and return {2}: {3}");

    /// <summary>LLMC0005.</summary>
    public static readonly DiagnosticDescriptor RefParameter = Create(
        RefParameterId,
        "Cached method cannot have ref or out parameters",
        "Parameter '{0}' of [LlmCached] method '{1}' is '{2}'; a cached result cannot carry values back through parameters");

    /// <summary>LLMC0006.</summary>
    public static readonly DiagnosticDescriptor UnsupportedReturnType = Create(
        UnsupportedReturnTypeId,
        "Unsupported return type for a cached method",
        "[LlmCached] method '{0}' returns '{1}'; a cached method returns a value (T, Task<T> or ValueTask<T>; ValueTask<T> makes a memory hit allocation-free) or a stream of updates (IAsyncEnumerable<T>)");

    /// <summary>LLMC0007.</summary>
    public static readonly DiagnosticDescriptor UnsupportedKeyType = Create(
        UnsupportedKeyTypeId,
        "Key parameter has no stable key form",
        "Parameter '{0}' of type '{1}' cannot be part of a cache key: {2}. Mark it [NotCacheKey] if it doesn't change the result, pass a supported type, or implement LlmCache.ICacheKeyWritable.");

    /// <summary>LLMC0008.</summary>
    public static readonly DiagnosticDescriptor NoJsonTypeInfo = Create(
        NoJsonTypeInfoId,
        "No JSON type information for the cached result",
        "[LlmCached] method '{0}' stores '{1}' in a store outside the process ({2}), which needs source-generated JSON type information: {3}");

    /// <summary>LLMC0009.</summary>
    public static readonly DiagnosticDescriptor GenericMethod = Create(
        GenericMethodId,
        "Cached method cannot be generic",
        "[LlmCached] method '{0}' has type parameters; its key and result types must be known at compile time. Make it non-generic (the containing type may be generic).");

    /// <summary>LLMC0010.</summary>
    public static readonly DiagnosticDescriptor StackOnlyParameter = Create(
        StackOnlyParameterId,
        "Cached method parameter cannot be kept for the cached call",
        "Parameter '{0}' of [LlmCached] method '{1}' has type '{2}': {3}. Pass an array, a string or a ReadOnlyMemory<T> instead.");

    /// <summary>LLMC0011.</summary>
    public static readonly DiagnosticDescriptor RefStructInstanceMethod = Create(
        RefStructInstanceMethodId,
        "Cached method cannot be an instance method of a ref struct",
        "[LlmCached] method '{0}' is an instance method of the ref struct '{1}', which cannot be kept for the call that fills the cache; make the method static or move it to a class or struct");

    /// <summary>LLMC0012.</summary>
    public static readonly DiagnosticDescriptor FileLocalType = Create(
        FileLocalTypeId,
        "Cached method cannot be in a file-local type",
        "[LlmCached] method '{0}' is in the file-local type '{1}', which cannot take the part LlmCache generates in a file of its own; remove 'file' (make the type internal or private) or move the method to another type");

    /// <summary>LLMC0013.</summary>
    public static readonly DiagnosticDescriptor HiddenRequestState = Create(
        HiddenRequestStateId,
        "Key input adds state to a Microsoft.Extensions.AI request type",
        "Parameter '{0}' is of type '{1}', which derives from '{2}' and adds '{3}': LlmCache keys a {4} by {4}'s own members, so requests that differ only in '{3}' would share one cached answer. {5}");

    /// <summary>LLMC0014.</summary>
    public static readonly DiagnosticDescriptor NoSemanticInput = Create(
        NoSemanticInputId,
        "Semantic cached method has no text to embed",
        "[LlmCached] method '{0}' caches semantically (CacheType.{1}), but {2}. A semantic type embeds the parameter marked [SemanticKey], else the only string key parameter, else the only chat messages parameter (the last user message's text).");

    /// <summary>LLMC0015.</summary>
    public static readonly DiagnosticDescriptor SimilarityThresholdOutOfRange = Create(
        SimilarityThresholdOutOfRangeId,
        "Similarity threshold outside [0, 1]",
        "[LlmCached] method '{0}' sets SimilarityThreshold = {1}; a cosine similarity threshold is a number from 0 (anything matches) to 1 (only an identical prompt)");
    /// <summary>LLMC0016.</summary>
    public static readonly DiagnosticDescriptor InvalidKeyFunction = Create(
        InvalidKeyFunctionId,
        "Key function not found or of the wrong signature",
        "[LlmCached] method '{0}' names the key function '{1}', which {2}; declare it in '{3}' (or a base type) as {4}, or {5}");
    /// <summary>LLMC0017.</summary>
    public static readonly DiagnosticDescriptor SemanticKeyFunction = Create(
        SemanticKeyFunctionId,
        "Semantic cached method with a key function",
        "[LlmCached] method '{0}' caches semantically (CacheType.{1}) and names the key function '{2}': a semantic lookup searches the entries whose key is this call's but for the embedded text, and a key function writes the whole key, so there is no such scope to search. " +
        "Remove KeyFunction (mark the inputs to leave out of the key [NotCacheKey]), or cache by the exact key with a type that is not semantic (Memory, Redis, Dual, ...).");
    /// <summary>LLMC0020.</summary>
    public static readonly DiagnosticDescriptor SharedRuntimeInContainerApp = Create(
        SharedRuntimeInContainerAppId,
        "Cached method uses LlmCacheRuntime.Shared in an app that calls AddLlmCache",
        "'{0}' holds no LlmCacheRuntime, so '{1}' would use LlmCacheRuntime.Shared, which AddLlmCache does not configure: its calls would ignore the stores and settings given to AddLlmCache. " +
        "Take the container's runtime: add a constructor parameter 'LlmCacheRuntime runtime' (a primary-constructor parameter is enough; a classic constructor keeps it in a field or property). " +
        "To use Shared on purpose, hold it: 'private static LlmCacheRuntime Cache => LlmCacheRuntime.Shared;'");

    internal static DiagnosticDescriptor ById(string id) => id switch
    {
        MethodNotPartialId => MethodNotPartial,
        TypeNotPartialId => TypeNotPartial,
        ImplementationNotFoundId => ImplementationNotFound,
        ImplementationMismatchId => ImplementationMismatch,
        RefParameterId => RefParameter,
        UnsupportedReturnTypeId => UnsupportedReturnType,
        UnsupportedKeyTypeId => UnsupportedKeyType,
        NoJsonTypeInfoId => NoJsonTypeInfo,
        GenericMethodId => GenericMethod,
        StackOnlyParameterId => StackOnlyParameter,
        RefStructInstanceMethodId => RefStructInstanceMethod,
        FileLocalTypeId => FileLocalType,
        HiddenRequestStateId => HiddenRequestState,
        NoSemanticInputId => NoSemanticInput,
        SimilarityThresholdOutOfRangeId => SimilarityThresholdOutOfRange,
        InvalidKeyFunctionId => InvalidKeyFunction,
        SemanticKeyFunctionId => SemanticKeyFunction,
        SharedRuntimeInContainerAppId => SharedRuntimeInContainerApp,
        _ => throw new ArgumentOutOfRangeException(nameof(id), id, "Unknown LlmCache generator diagnostic."),
    };

    private static DiagnosticDescriptor Create(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id + ".md");
}
