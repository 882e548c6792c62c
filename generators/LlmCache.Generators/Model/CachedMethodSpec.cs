namespace LlmCache.Generators.Model;

/// <summary>
/// Everything the emitter needs to write one cached method, as strings, enums and equatable arrays:
/// no symbols, syntax nodes or compilations, so an unrelated edit leaves the pipeline cached.
/// </summary>
/// <remarks>
/// <see cref="TakenNames"/> are the names the generated body must not declare as locals (parameters, type
/// parameters, a primary constructor's parameters); <see cref="IsExtension"/> repeats the <c>this</c> modifier.
/// </remarks>
internal sealed record CachedMethodSpec(
    string HintName,
    string? Namespace,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string Modifiers,
    string MethodName,
    string ReturnType,
    ReturnKind ReturnKind,
    string ResultType,
    EquatableArray<ParameterSpec> Parameters,
    string ImplementationName,
    ReturnKind ImplementationKind,
    bool IsStatic,
    string IdentityExpression,
    int CacheType,
    int CallKind,
    string? CopierExpression,
    bool CacheConversations,
    int? TtlSeconds,
    string? CacheNamespace,
    string RuntimeExpression,
    string? SerializerExpression,
    string KeyClassName,
    string KeyClassAccessibility,
    EquatableArray<ObjectWriterSpec> ObjectWriters,
    bool IsExtension,
    EquatableArray<string> TakenNames)
{
    /// <summary>For an embedding method cached per input: its inputs parameter; <see cref="ResultType"/> is then the embedding type each entry holds.</summary>
    public EmbeddingSpec? Embedding { get; init; }

    /// <summary>A speech-to-text method: its audio inputs share one identity, and a non-seekable stream is buffered before the key is built.</summary>
    public bool IsSpeechToText { get; init; }

    /// <summary>A method of a semantic cache type: which input is embedded, and the attribute's threshold and guard.</summary>
    public SemanticSpec? Semantic { get; init; }

    /// <summary>The key function that writes the key instead of the key class's own writers (<c>KeyFunction</c>), or null.</summary>
    public KeyFunctionSpec? KeyFunction { get; init; }

    /// <summary>The named store the method caches into (<c>Store</c>), or null for its cache type's.</summary>
    public string? StoreName { get; init; }
}

/// <summary>What a semantic method embeds.</summary>
/// <param name="Parameter">The parameter whose text is embedded.</param>
/// <param name="Kind">A string, or chat messages (the last user message's text).</param>
/// <param name="Threshold">The attribute's <c>SimilarityThreshold</c>, or <c>null</c> for the runtime's.</param>
/// <param name="PrecisionGuard">The attribute's <c>PrecisionGuard</c>, or <c>null</c> for the runtime's.</param>
internal sealed record SemanticSpec(string Parameter, SemanticInputKind Kind, double? Threshold, bool? PrecisionGuard);

/// <summary>The kinds of embedded input.</summary>
internal enum SemanticInputKind
{
    String,
    Messages,
}

/// <summary>A key function: the call target (the type, fully qualified, and the name) and whether it returns the key as a string rather than writing it.</summary>
internal sealed record KeyFunctionSpec(string Target, bool ReturnsString);

/// <summary>The inputs parameter of an embedding method cached per input.</summary>
/// <param name="InputsParameter">The list-of-strings parameter's name.</param>
/// <param name="Conversion">How the missing inputs, a <c>string[]</c>, become its type (a format with <c>{0}</c>).</param>
/// <param name="ResultsType">The method's result type, <c>GeneratedEmbeddings&lt;TEmbedding&gt;</c>.</param>
internal sealed record EmbeddingSpec(string InputsParameter, string Conversion, string ResultsType);

/// <summary>A type that contains the cached method, outermost first.</summary>
/// <param name="Keyword">class, struct, record, record struct, ref struct or interface.</param>
/// <param name="Name">The name with its type parameters, for example <c>Outer&lt;T&gt;</c>. Partial parts may leave constraints out.</param>
/// <param name="IsUnsafe">Whether the declaration that holds the method is <c>unsafe</c>.</param>
internal sealed record ContainingTypeSpec(string Keyword, string Name, bool IsUnsafe);

/// <summary>A parameter of the cached method.</summary>
internal sealed record ParameterSpec(string Name, string Type, string Modifier, ParameterRole Role, KeyShape? Shape, bool IsParams);

/// <summary>What a parameter is for.</summary>
internal enum ParameterRole
{
    Key,
    CancellationToken,
    CacheControl,
    NotKey,

    /// <summary>The inputs of an embedding method cached per input: keyed one by one by the runtime, not by the key class.</summary>
    EmbeddingInputs,
}

/// <summary>How a method returns its result.</summary>
internal enum ReturnKind
{
    Sync,
    Task,
    ValueTask,

    /// <summary>An <c>IAsyncEnumerable&lt;T&gt;</c> of updates, cached as the list of them.</summary>
    Stream,
}

/// <summary>How to write one value into a key.</summary>
/// <param name="Kind">The kind of writer.</param>
/// <param name="Type">The value's type, fully qualified.</param>
/// <param name="Argument">Kind-specific: the enum cast type, a collection's count member, or the object writer's name.</param>
/// <param name="Element">The element shape of a list or a nullable value.</param>
/// <param name="IsValueType">Whether the value is a struct (a struct collection such as ImmutableArray is "null" when default).</param>
/// <param name="ChecksRuntimeType">For a runtime writer: whether it checks the value's run-time type before the key is built.</param>
internal sealed record KeyShape(ShapeKind Kind, string Type, string? Argument, KeyShape? Element, bool IsValueType = false, bool ChecksRuntimeType = false);

internal enum ShapeKind
{
    /// <summary>A value with a <c>CacheKeyWriter.Write</c> overload and a fixed size.</summary>
    Scalar,
    String,
    Enum,
    Nullable,
    ByteArray,
    ByteMemory,
    Stream,
    Array,
    List,
    /// <summary>An ordered collection without an indexer, written in its own order.</summary>
    Sequence,
    /// <summary>An unordered collection (a set, or a dictionary's entries), written in a canonical order.</summary>
    Set,
    Custom,
    Object,
    /// <summary>A type the runtime writes by hand (Microsoft.Extensions.AI messages, contents, options): the argument is the writer class.</summary>
    Runtime,
}

/// <summary>A generated writer for a record, class or struct, walked by its public readable members.</summary>
/// <param name="ChecksRuntimeType">Whether an instance may be of a derived type (a class that is not sealed), which the generated code checks before keying it.</param>
internal sealed record ObjectWriterSpec(string Name, string Type, bool IsValueType, EquatableArray<MemberSpec> Members, bool ChecksRuntimeType);

/// <summary>A member written by an object writer.</summary>
internal sealed record MemberSpec(string Name, KeyShape Shape);
