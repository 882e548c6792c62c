namespace LlmCache.CodeFixes;

/// <summary>
/// IDs of the source generator's diagnostics that these code fixes repair. The generator's descriptor catalogue
/// owns them; the code fixes name them here because they do not reference the generator.
/// </summary>
internal static class GeneratorDiagnosticIds
{
    /// <summary>The <c>[LlmCached]</c> method is not <c>partial</c>.</summary>
    public const string MethodNotPartial = "LLMC0001";

    /// <summary>A type containing the <c>[LlmCached]</c> method is not <c>partial</c>.</summary>
    public const string ContainingTypeNotPartial = "LLMC0002";

    /// <summary>No implementation method has the name the cached method expects.</summary>
    public const string ImplementationNotFound = "LLMC0003";

    /// <summary>A key parameter's type has no stable key form (reported at the parameter's type).</summary>
    public const string UnsupportedKeyType = "LLMC0007";
}
