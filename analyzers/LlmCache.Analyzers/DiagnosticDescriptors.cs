using Microsoft.CodeAnalysis;

namespace LlmCache.Analyzers;

/// <summary>
/// Every diagnostic the LlmCache analyzers report. The source generator owns <c>LLMC0001</c>-<c>LLMC0099</c>
/// (structural errors it finds while it writes the code); the analyzers own <c>LLMC1001</c> and up.
/// Each ID has a page at <c>docs/diagnostics/{ID}.md</c>.
/// </summary>
public static class DiagnosticDescriptors
{
    /// <summary>Where every diagnostic's help page lives; the ID and <c>.md</c> follow.</summary>
    public const string HelpLinkBase = "https://github.com/llmcache/llmcache/blob/main/docs/diagnostics/";

    /// <summary>Call sites of cached methods.</summary>
    public const string UsageCategory = "LlmCache.Usage";

    /// <summary>The types of key parameters.</summary>
    public const string KeyDesignCategory = "LlmCache.KeyDesign";

    /// <summary>Secrets that would end up in keys.</summary>
    public const string SecurityCategory = "LlmCache.Security";

    /// <summary>Inputs that change a result without being part of its key.</summary>
    public const string CorrectnessCategory = "LlmCache.Correctness";

    /// <summary>The arguments of <c>[LlmCached]</c>.</summary>
    public const string ConfigurationCategory = "LlmCache.Configuration";

    /// <summary>ID of <see cref="NonDeterministicKeyArgument"/>.</summary>
    public const string NonDeterministicKeyArgumentId = "LLMC1001";

    /// <summary>ID of <see cref="UnorderedCollectionKeyParameter"/>.</summary>
    public const string UnorderedCollectionKeyParameterId = "LLMC1002";

    /// <summary>ID of <see cref="SecretKeyParameter"/>.</summary>
    public const string SecretKeyParameterId = "LLMC1004";

    /// <summary>ID of <see cref="HiddenInput"/>.</summary>
    public const string HiddenInputId = "LLMC1005";

    /// <summary>ID of <see cref="NegativeTtl"/>.</summary>
    public const string NegativeTtlId = "LLMC1006";

    /// <summary>ID of <see cref="NegativeKeyVersion"/>.</summary>
    public const string NegativeKeyVersionId = "LLMC1007";

    /// <summary>ID of <see cref="InvalidNamespace"/>.</summary>
    public const string InvalidNamespaceId = "LLMC1008";

    /// <summary>ID of <see cref="UndefinedCacheType"/>.</summary>
    public const string UndefinedCacheTypeId = "LLMC1009";

    /// <summary>ID of <see cref="InvalidImplementationName"/>.</summary>
    public const string InvalidImplementationNameId = "LLMC1010";

    /// <summary>A call site passes a value that differs on every call into a key parameter.</summary>
    public static readonly DiagnosticDescriptor NonDeterministicKeyArgument = new(
        NonDeterministicKeyArgumentId,
        "Non-deterministic value passed into a cache key",
        "The argument for key parameter '{0}' of '{1}' comes from {2}, which differs on every call: every call gets a new key, so the cache never hits",
        UsageCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A key input that changes on every call makes every call a miss: the cache only adds cost. Pass a value that stays the same for calls that should share a result, or mark the parameter [NotCacheKey] if it must not count.",
        helpLinkUri: HelpLinkBase + NonDeterministicKeyArgumentId + ".md");

    /// <summary>A key parameter's collection type has no order, so the generated key builder sorts its entries on every call.</summary>
    public static readonly DiagnosticDescriptor UnorderedCollectionKeyParameter = new(
        UnorderedCollectionKeyParameterId,
        "Key parameter of an unordered collection type",
        "Key parameter '{0}' has the unordered type '{1}': to give equal contents one key, the generated key builder writes every entry into a byte array of its own, sorts the arrays and then writes them, on every call (n + 1 arrays allocated and O(n log n) comparisons); pass an ordered read-only list to skip that cost",
        KeyDesignCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Sets and dictionaries enumerate in an order that depends on hashing and insertion history, so the key builder cannot write them in their own order. It canonicalises them: each entry is written with its own key writer into a byte array, the arrays are sorted bytewise, and then written into the key in that order. That allocates and sorts on every call, hit or miss. An IReadOnlyList in a deliberate order is written as it is, straight into the key.",
        helpLinkUri: HelpLinkBase + UnorderedCollectionKeyParameterId + ".md");

    /// <summary>A key parameter's name says it holds a secret.</summary>
    public static readonly DiagnosticDescriptor SecretKeyParameter = new(
        SecretKeyParameterId,
        "Key parameter looks like a secret",
        "Key parameter '{0}' looks like a secret: its value would be part of the cache key, kept in memory with every entry and hashed into keys stored outside the process, and rotating it would empty the cache; mark it [NotCacheKey]",
        SecurityCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "API keys, passwords, tokens, credentials and connection strings choose who may call, not what the answer is. Keep them out of the key with [NotCacheKey].",
        helpLinkUri: HelpLinkBase + SecretKeyParameterId + ".md");

    /// <summary>The implementation reads mutable state of its type that is not part of the key.</summary>
    public static readonly DiagnosticDescriptor HiddenInput = new(
        HiddenInputId,
        "Implementation reads state that is not part of the key",
        "'{0}', the implementation of cached method '{1}', reads the mutable {2} '{3}', which is not part of the key: calls that differ only in its value share one cached result; pass it as a parameter, or make it readonly or init-only",
        CorrectnessCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The cached result depends on everything the implementation reads. State that can change after construction (a model name, a temperature, a system prompt held in a settable property) is a hidden input: after it changes, the cache still serves results computed with the old value.",
        helpLinkUri: HelpLinkBase + HiddenInputId + ".md");

    /// <summary><c>Ttl</c> is negative.</summary>
    public static readonly DiagnosticDescriptor NegativeTtl = new(
        NegativeTtlId,
        "Negative TTL",
        "Ttl is {0} seconds, but it cannot be negative: use a positive number of seconds, or 0 for the store's default",
        ConfigurationCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The generated code would throw ArgumentOutOfRangeException when the containing type is first used.",
        helpLinkUri: HelpLinkBase + NegativeTtlId + ".md");

    /// <summary><c>KeyVersion</c> is negative.</summary>
    public static readonly DiagnosticDescriptor NegativeKeyVersion = new(
        NegativeKeyVersionId,
        "Negative key version",
        "KeyVersion is {0}, but key versions count up from 0: bump it to a higher positive number to invalidate stored entries",
        ConfigurationCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "KeyVersion is written into every key so that bumping it invalidates old entries. A negative number works, but usually means a typo or an overflow, and makes the history of versions hard to follow.",
        helpLinkUri: HelpLinkBase + NegativeKeyVersionId + ".md");

    /// <summary><c>Namespace</c> is empty, whitespace, or contains the remote key separator.</summary>
    public static readonly DiagnosticDescriptor InvalidNamespace = new(
        InvalidNamespaceId,
        "Invalid cache namespace",
        "Namespace \"{0}\" {1}: use a non-empty name without ':', or leave Namespace unset for the runtime's namespace",
        ConfigurationCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Stores outside the process render keys as {prefix}{namespace}:{hex}. A ':' inside the namespace makes one namespace a prefix of another, so clearing one clears the other; an empty or blank namespace is almost always a mistake for an unset one.",
        helpLinkUri: HelpLinkBase + InvalidNamespaceId + ".md");

    /// <summary><c>Type</c> is not a defined <c>CacheType</c>.</summary>
    public static readonly DiagnosticDescriptor UndefinedCacheType = new(
        UndefinedCacheTypeId,
        "Undefined cache type",
        "Type is {0}, which is not a defined LlmCache.CacheType value: use one of {1}",
        ConfigurationCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A cast integer that is not a CacheType member selects no store.",
        helpLinkUri: HelpLinkBase + UndefinedCacheTypeId + ".md");

    /// <summary><c>Implementation</c> cannot name an implementation method.</summary>
    public static readonly DiagnosticDescriptor InvalidImplementationName = new(
        InvalidImplementationNameId,
        "Implementation cannot name an implementation method",
        "Implementation \"{0}\" {1}: name the method that does the real call, or leave Implementation unset to use '{2}'",
        ConfigurationCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Implementation names the method the generated code calls on a miss. An empty name or one that is not a C# identifier names no method, and naming the cached method itself would make every miss call itself forever. A name that is valid but names no method is reported by the generator (LLMC0003).",
        helpLinkUri: HelpLinkBase + InvalidImplementationNameId + ".md");
}
