namespace LlmCache.Generators.Model;

/// <summary>
/// What the parser makes of one <c>[LlmCached]</c> method: a spec (null when it cannot be generated), a throwing
/// body for when it cannot, how to serialise its result, and diagnostics.
/// </summary>
internal sealed record ParseResult(CachedMethodSpec? Spec, FallbackMethodSpec? Fallback, SerializerRequest? Serializer, EquatableArray<DiagnosticInfo> Diagnostics)
{
    /// <summary>
    /// LLMC0020 for a method that uses <c>LlmCacheRuntime.Shared</c> for want of a runtime member: reported only when
    /// the assembly calls <c>AddLlmCache</c> (see <see cref="AddLlmCacheCalls"/>).
    /// </summary>
    public DiagnosticInfo? SharedRuntimeUse { get; init; }
}

/// <summary>The signature of a cached method that cannot be generated, for a body that throws.</summary>
internal sealed record FallbackMethodSpec(
    string HintName,
    string? Namespace,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string Modifiers,
    string ReturnType,
    string MethodName,
    string Parameters,
    string Constraints);

/// <summary>What the serialiser of a result depends on, resolved against the assembly's JSON context in a later step.</summary>
/// <param name="ResultType">The result type, fully qualified; the update type of a stream.</param>
/// <param name="Builtin">An expression for a serialiser that needs no context (string, byte[], Microsoft.Extensions.AI types), or null.</param>
/// <param name="MethodContext">The method's own JSON context, if the attribute names one.</param>
/// <param name="IsRemote">Whether the attribute's cache type keeps values outside the process.</param>
/// <param name="CacheTypeName">The attribute's cache type, for messages.</param>
/// <param name="MethodName">The method, for messages.</param>
/// <param name="Location">Where to report a missing serialiser; null when none can be missing (a built-in serialiser, or values kept in the process).</param>
/// <param name="IsStream">Whether the method returns a stream, stored as the list of its updates.</param>
internal sealed record SerializerRequest(
    string ResultType,
    string? Builtin,
    JsonContextInfo? MethodContext,
    bool IsRemote,
    string CacheTypeName,
    string MethodName,
    LocationInfo? Location,
    bool IsStream);

/// <summary>A source-generated JSON context and the types its <c>[JsonSerializable]</c> attributes list.</summary>
internal sealed record JsonContextInfo(string Type, EquatableArray<string> SerializableTypes);
