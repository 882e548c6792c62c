using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using LlmCache.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LlmCache.Generators;

/// <summary>Turns one <c>[LlmCached]</c> method into a <see cref="CachedMethodSpec"/> and its diagnostics.</summary>
internal static class LlmCachedMethodParser
{
    public const string AttributeName = "LlmCache.LlmCachedAttribute";

    private const string RuntimeType = "LlmCache.LlmCacheRuntime";
    private const string SharedRuntime = "global::LlmCache.LlmCacheRuntime.Shared";
    private const string CacheControlType = "LlmCache.CacheControl";
    private const string NotCacheKeyType = "LlmCache.NotCacheKeyAttribute";
    private const string CancellationTokenType = "System.Threading.CancellationToken";

    // The numbers of LlmCache.CacheType, which the generator cannot reference.
    /// <summary>Disk, Redis, Dual, S3, AzureBlob, RedisSemantic, DualSemantic: the types whose values need a serializer. Custom is checked at run time.</summary>
    private static bool KeepsValuesOutsideTheProcess(int cacheType) => cacheType is 2 or 3 or 4 or 5 or 7 or 9 or 10;

    private static readonly string[] CacheTypeNames = { "Default", "Memory", "Disk", "Redis", "Dual", "S3", "Custom", "AzureBlob", "Semantic", "RedisSemantic", "DualSemantic" };

    // The numbers of LlmCache.CallKind.
    private const int CallKindChat = 0;
    private const int CallKindStreamingChat = 1;
    private const int CallKindEmbedding = 2;
    private const int CallKindSpeechToText = 3;

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        if (context.TargetSymbol is not IMethodSymbol method || context.TargetNode is not MethodDeclarationSyntax syntax)
        {
            return new ParseResult(null, null, null, EquatableArray<DiagnosticInfo>.Empty);
        }

        string methodName = method.Name;
        bool isPartialDefinition = syntax.Modifiers.Any(SyntaxKind.PartialKeyword) && syntax.Body is null && syntax.ExpressionBody is null;
        if (!isPartialDefinition)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MethodNotPartial, syntax.Identifier.GetLocation(), methodName));
        }

        foreach (TypeDeclarationSyntax typeSyntax in syntax.Ancestors().OfType<TypeDeclarationSyntax>())
        {
            if (!typeSyntax.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TypeNotPartial, typeSyntax.Identifier.GetLocation(), typeSyntax.Identifier.Text, methodName));
            }
        }

        INamedTypeSymbol? fileLocal = FileLocalContainer(method);
        if (fileLocal is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.FileLocalType, syntax.Identifier.GetLocation(), methodName, fileLocal.Name));
        }

        if (method.IsGenericMethod)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericMethod, syntax.Identifier.GetLocation(), methodName));
        }

        if (!method.IsStatic && method.ContainingType.IsRefLikeType)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.RefStructInstanceMethod, syntax.Identifier.GetLocation(), methodName, method.ContainingType.Name));
        }

        cancellationToken.ThrowIfCancellationRequested();
        (ReturnKind returnKind, ITypeSymbol? resultType) = ClassifyReturn(method.ReturnType);
        if (resultType is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedReturnType, syntax.ReturnType.GetLocation(), methodName, TypeNames.Display(method.ReturnType)));
        }

        EmbeddingInputs? embedding = EmbeddingMethods.Detect(method, returnKind, resultType, p =>
            TypeNames.Metadata(p.Type) is not (CancellationTokenType or CacheControlType) && !IsByReference(p) &&
            !p.GetAttributes().Any(a => a.AttributeClass is { } c && TypeNames.IsNamed(c, NotCacheKeyType)));
        AttributeData attribute = context.Attributes[0];
        LlmCachedArguments arguments = LlmCachedArguments.Read(attribute);
        string? keyFunctionName = arguments.KeyFunction;
        var keyShapes = new KeyShapeParser();
        var parameters = new List<ParameterSpec>();
        bool controlSeen = false;
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            IParameterSymbol parameter = method.Parameters[i];
            Location? location = i < syntax.ParameterList.Parameters.Count ? syntax.ParameterList.Parameters[i].GetLocation() : null;
            if (IsByReference(parameter))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.RefParameter, location, parameter.Name, methodName, RefModifier(parameter).Trim()));
                continue;
            }

            if (StackOnlyReason(parameter.Type) is { } stackOnly)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.StackOnlyParameter, location, parameter.Name, methodName, TypeNames.Display(parameter.Type), stackOnly));
                continue;
            }

            string typeName = TypeNames.FullyQualified(parameter.Type);
            ParameterRole role = TypeNames.IsNamed(parameter.Type, CancellationTokenType) ? ParameterRole.CancellationToken
                : !controlSeen && TypeNames.IsNamed(parameter.Type, CacheControlType) ? ParameterRole.CacheControl
                : i == embedding?.ParameterIndex ? ParameterRole.EmbeddingInputs
                : parameter.GetAttributes().Any(a => a.AttributeClass is { } c && TypeNames.IsNamed(c, NotCacheKeyType)) ? ParameterRole.NotKey
                : ParameterRole.Key;
            controlSeen |= role == ParameterRole.CacheControl;

            // A key function writes the key itself: its key parameters need no key form of their own.
            KeyShape? shape = null;
            bool keyedByShape = role == ParameterRole.Key && keyFunctionName is null;
            if (keyedByShape && HiddenRequestState.Find(parameter.Type) is { } hidden)
            {
                Location? typeLocation = i < syntax.ParameterList.Parameters.Count ? syntax.ParameterList.Parameters[i].Type?.GetLocation() : null;
                string fix = TypeNames.Metadata(hidden.Base) is HiddenRequestState.ChatOptionsType or HiddenRequestState.ChatMessageType
                    ? $"Pass a plain {hidden.Base.Name} and put the value in its AdditionalProperties, which are in the key, or implement LlmCache.ICacheKeyWritable on '{hidden.Type.Name}'."
                    : $"Declare the parameter as AIContent, whose writer keys a content of a derived type by its type name and its JSON, or implement LlmCache.ICacheKeyWritable on '{hidden.Type.Name}'.";
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HiddenRequestState, typeLocation ?? location, parameter.Name, TypeNames.Display(hidden.Type), TypeNames.Display(hidden.Base), hidden.Member, hidden.Base.Name, fix));
            }
            else if (keyedByShape)
            {
                shape = keyShapes.Parse(parameter.Type, typeName, out string? error);
                if (shape is null)
                {
                    Location? typeLocation = i < syntax.ParameterList.Parameters.Count ? syntax.ParameterList.Parameters[i].Type?.GetLocation() : null;
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedKeyType, typeLocation ?? location, parameter.Name, TypeNames.Display(parameter.Type), error ?? "it has no stable key form"));
                }
            }

            parameters.Add(new ParameterSpec(parameter.Name, typeName, RefModifier(parameter), role, shape, parameter.IsParams));
        }

        int cacheType = arguments.CacheType;
        string? cacheNamespace = arguments.Namespace;
        string? store = arguments.Store;
        string implementationName = arguments.Implementation ?? methodName + "Core";
        INamedTypeSymbol containingType = method.ContainingType;
        ReturnKind implementationKind = ReturnKind.Sync;

        // A method that is not a partial declaration, is generic or has by-reference or stack-only parameters gets no
        // implementation check: that would only repeat the first problem in other words. Neither does an
        // Implementation name that can never work (empty, not an identifier, the method itself): analyzer LLMC1010 says so.
        bool structurallySound = isPartialDefinition && !method.IsGenericMethod && !method.Parameters.Any(p => IsByReference(p) || StackOnlyReason(p.Type) is not null);
        bool usableName = SyntaxFacts.IsValidIdentifier(implementationName) && implementationName != methodName;
        if (resultType is not null && structurallySound && usableName)
        {
            implementationKind = FindImplementation(method, containingType, implementationName, parameters, resultType, returnKind, syntax, diagnostics) ?? ReturnKind.Sync;
        }

        // A semantic lookup searches the entries whose key is this call's but for the embedded text; a key function
        // writes the whole key, so it leaves no such scope to search. Streams, embeddings and transcriptions of a
        // semantic type are cached by their exact key, which a key function may write.
        bool semanticLookup = SemanticMethods.IsSemanticType(cacheType) && embedding is null && returnKind != ReturnKind.Stream && !SpeechToTextMethods.IsSpeechToText(resultType, attribute);
        if (semanticLookup && keyFunctionName is not null)
        {
            Location location = KeyFunctions.ArgumentLocation(attribute, "KeyFunction", cancellationToken) ?? syntax.Identifier.GetLocation();
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SemanticKeyFunction, location, methodName, SemanticMethods.CacheTypeName(cacheType), keyFunctionName));
        }

        KeyFunctionSpec? keyFunction = keyFunctionName is null || !structurallySound || semanticLookup
            ? null
            : KeyFunctions.Find(method, containingType, keyFunctionName, parameters, attribute, context.SemanticModel.Compilation, syntax, diagnostics, cancellationToken);

        cancellationToken.ThrowIfCancellationRequested();
        SerializerRequest? serializer = null;
        if (resultType is not null)
        {
            string? builtin = returnKind == ReturnKind.Stream ? BuiltinStreamSerializer(resultType) : BuiltinSerializer(embedding?.Embedding ?? resultType);
            bool isRemote = KeepsValuesOutsideTheProcess(cacheType) || store is not null;
            serializer = new SerializerRequest(
                TypeNames.FullyQualifiedNonNullable(embedding?.Embedding ?? resultType),
                builtin,
                arguments.JsonContext,
                isRemote,
                store is not null ? $"the store named \"{store}\"" : cacheType >= 0 && cacheType < CacheTypeNames.Length ? CacheTypeNames[cacheType] : cacheType.ToString(CultureInfo.InvariantCulture),
                methodName,
                // Only where a missing serialiser can be reported: a position would make the result differ after any edit above the method.
                builtin is null && isRemote ? LocationInfo.From(syntax.Identifier.GetLocation()) : null,
                returnKind == ReturnKind.Stream);
        }

        SemanticSpec? semantic = semanticLookup && keyFunctionName is null
            ? SemanticMethods.Parse(method, parameters, cacheType, arguments.SimilarityThreshold, arguments.PrecisionGuard, attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax, syntax.Identifier.GetLocation(), diagnostics)
            : null;

        bool typesPartial = syntax.Ancestors().OfType<TypeDeclarationSyntax>().All(t => t.Modifiers.Any(SyntaxKind.PartialKeyword));
        // A file-local type cannot take a part from another file: no fallback body can be added to it.
        bool canHaveFallback = isPartialDefinition && typesPartial && fileLocal is null;
        if (diagnostics.Count > 0 || resultType is null || !usableName || (keyFunctionName is not null && keyFunction is null))
        {
            return new ParseResult(null, canHaveFallback ? Fallback(method, syntax) : null, serializer, diagnostics.ToEquatableArray());
        }

        string keyClassName = KeyClassName(method);
        bool speechToText = SpeechToTextMethods.IsSpeechToText(resultType, attribute);
        var spec = new CachedMethodSpec(
            HintName: HintName(method) + ".g.cs",
            Namespace: containingType.ContainingNamespace.IsGlobalNamespace ? null : TypeNames.Namespace(containingType.ContainingNamespace),
            ContainingTypes: ContainingTypes(containingType, syntax),
            Modifiers: string.Join(" ", syntax.Modifiers.Select(m => m.Text)),
            MethodName: methodName,
            ReturnType: TypeNames.FullyQualified(method.ReturnType),
            ReturnKind: returnKind,
            // A stream is cached as the list of its updates; an embedding method cached per input, as its inputs' embeddings.
            ResultType: returnKind == ReturnKind.Stream
                ? $"global::System.Collections.Generic.IReadOnlyList<{TypeNames.FullyQualified(resultType)}>"
                : TypeNames.FullyQualified(embedding?.Embedding ?? resultType),
            Parameters: parameters.ToEquatableArray(),
            ImplementationName: implementationName,
            ImplementationKind: implementationKind,
            IsStatic: method.IsStatic,
            IdentityExpression: Identity(method, returnKind == ReturnKind.Stream ? method.ReturnType : resultType, arguments.KeyVersion, keyFunction is not null ? "f" + keyFunctionName : "k" + keyShapes.Fingerprint(parameters.Where(p => p.Role == ParameterRole.Key).Select(p => (p.Name, SpeechToTextMethods.FingerprintShape(p.Shape!, speechToText)))), speechToText),
            CacheType: cacheType,
            CallKind: arguments.Kind ?? CallKindOf(method.ReturnType, resultType),
            CopierExpression: arguments.ShareResult ? null : returnKind == ReturnKind.Stream ? StreamCopierFor(resultType) : CopierFor(embedding?.Embedding ?? resultType),
            CacheConversations: arguments.CacheConversations,
            TtlSeconds: arguments.Ttl,
            CacheNamespace: cacheNamespace,
            RuntimeExpression: FindRuntime(method, containingType, syntax, cancellationToken),
            SerializerExpression: null,
            KeyClassName: keyClassName,
            KeyClassAccessibility: method.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal ? "internal" : "private",
            ObjectWriters: keyShapes.ObjectWriters,
            IsExtension: method.IsExtensionMethod,
            TakenNames: TakenNames(method, syntax))
        {
            Embedding = embedding is null ? null : new EmbeddingSpec(method.Parameters[embedding.ParameterIndex].Name, embedding.Conversion, embedding.ResultsType),
            IsSpeechToText = speechToText,
            Semantic = semantic,
            KeyFunction = keyFunction,
            StoreName = store,
        };
        // The resolve step drops the spec only when a remote cache finds no serializer: the one case that needs the throwing body.
        FallbackMethodSpec? fallback = canHaveFallback && serializer is { Builtin: null, IsRemote: true } ? Fallback(method, syntax) : null;
        return new ParseResult(spec, fallback, serializer, EquatableArray<DiagnosticInfo>.Empty)
        {
            SharedRuntimeUse = spec.RuntimeExpression == SharedRuntime
                ? DiagnosticInfo.Create(DiagnosticDescriptors.SharedRuntimeInContainerApp, syntax.Identifier.GetLocation(), containingType.ToDisplayString(), methodName)
                : null,
        };
    }

    /// <summary>Reads the assembly's <c>[LlmCacheJsonContext]</c>, if any.</summary>
    public static JsonContextInfo? ReadAssemblyJsonContext(Compilation compilation, CancellationToken cancellationToken)
    {
        foreach (AttributeData attribute in compilation.Assembly.GetAttributes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (attribute.AttributeClass is { } c && TypeNames.IsNamed(c, "LlmCache.LlmCacheJsonContextAttribute") &&
                attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is INamedTypeSymbol context)
            {
                return ReadJsonContext(context);
            }
        }

        return null;
    }

    public static JsonContextInfo ReadJsonContext(INamedTypeSymbol context) =>
        new(
            TypeNames.FullyQualifiedNonNullable(context),
            context.GetAttributes()
                .Where(a => a.AttributeClass is { } c && TypeNames.IsNamed(c, "System.Text.Json.Serialization.JsonSerializableAttribute"))
                .Select(a => a.ConstructorArguments.Length == 1 && a.ConstructorArguments[0].Value is ITypeSymbol t ? TypeNames.FullyQualifiedNonNullable(t) : null)
                .Where(t => t is not null)
                .Select(t => t!)
                .ToEquatableArray());

    /// <summary>
    /// A body for a method that cannot be generated, so that its LLMC errors are not joined by CS8795 ("partial
    /// method must have an implementation"); it throws if the errors are ever suppressed and the method is called.
    /// </summary>
    private static FallbackMethodSpec Fallback(IMethodSymbol method, MethodDeclarationSyntax syntax)
    {
        string parameters = string.Join(", ", method.Parameters.Select((p, i) =>
            (i == 0 && method.IsExtensionMethod ? "this " : string.Empty) + (p.IsParams ? "params " : string.Empty) +
            (i < syntax.ParameterList.Parameters.Count && syntax.ParameterList.Parameters[i].Modifiers.Any(SyntaxKind.ScopedKeyword) ? "scoped " : string.Empty) +
            RefModifier(p) + TypeNames.FullyQualified(p.Type) + " " + LlmCachedMethodEmitter.Escape(p.Name)));
        return new FallbackMethodSpec(
            HintName(method) + ".g.cs",
            method.ContainingType.ContainingNamespace.IsGlobalNamespace ? null : TypeNames.Namespace(method.ContainingType.ContainingNamespace),
            ContainingTypes(method.ContainingType, syntax),
            string.Join(" ", syntax.Modifiers.Select(m => m.Text)),
            (method.ReturnsByRef ? "ref " : method.ReturnsByRefReadonly ? "ref readonly " : string.Empty) + TypeNames.FullyQualified(method.ReturnType),
            LlmCachedMethodEmitter.Escape(method.Name) + (method.IsGenericMethod ? "<" + string.Join(", ", method.TypeParameters.Select(t => t.Name)) + ">" : string.Empty),
            parameters,
            Constraints(method));
    }

    /// <summary>A generic method's <c>where</c> clauses: both parts of a partial method must agree on them.</summary>
    private static string Constraints(IMethodSymbol method)
    {
        var text = new StringBuilder();
        foreach (ITypeParameterSymbol parameter in method.TypeParameters)
        {
            var constraints = new List<string>();
            if (parameter.HasReferenceTypeConstraint)
            {
                constraints.Add(parameter.ReferenceTypeConstraintNullableAnnotation == NullableAnnotation.Annotated ? "class?" : "class");
            }
            else if (parameter.HasUnmanagedTypeConstraint)
            {
                constraints.Add("unmanaged");
            }
            else if (parameter.HasValueTypeConstraint)
            {
                constraints.Add("struct");
            }
            else if (parameter.HasNotNullConstraint)
            {
                constraints.Add("notnull");
            }

            constraints.AddRange(parameter.ConstraintTypes.Select(TypeNames.FullyQualified));
            if (parameter.HasConstructorConstraint)
            {
                constraints.Add("new()");
            }

            if (constraints.Count > 0)
            {
                text.Append(" where ").Append(parameter.Name).Append(" : ").Append(string.Join(", ", constraints));
            }
        }

        return text.ToString();
    }

    /// <summary>The file-local type (<c>file class</c>) the method is in, directly or nested, or null.</summary>
    private static INamedTypeSymbol? FileLocalContainer(IMethodSymbol method)
    {
        for (INamedTypeSymbol? type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            if (type.IsFileLocal)
            {
                return type;
            }
        }

        return null;
    }

    /// <summary>Why a parameter's value cannot be kept for the shared call that fills the cache, or null.</summary>
    private static string? StackOnlyReason(ITypeSymbol type) => type switch
    {
        IPointerTypeSymbol or IFunctionPointerTypeSymbol => "a pointer is an address, valid only while the caller keeps what it points to",
        { IsRefLikeType: true } => "a ref struct lives only on the caller's stack, and the call that fills the cache may run after the method has returned",
        _ => null,
    };

    /// <summary>
    /// The key class's name: <c>__LlmCache_</c> and the method's name, made unique among the names the type, its
    /// base types and the method's parameters already use, so it neither clashes with nor hides a member.
    /// </summary>
    private static string KeyClassName(IMethodSymbol method) =>
        Unique("__LlmCache_" + method.Name + OverloadSuffix(method), name => IsTakenInType(method, name));

    // Asked of each candidate name rather than gathered into a set: the member names of a type are a set already.
    private static bool IsTakenInType(IMethodSymbol method, string name)
    {
        if (name == method.ContainingType.Name || method.Parameters.Any(p => p.Name == name))
        {
            return true;
        }

        for (INamedTypeSymbol? type = method.ContainingType; type is not null; type = type.BaseType)
        {
            if (type.MemberNames.Contains(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The names the generated method body must not declare: the method's parameters, the containing types' type
    /// parameters and a primary constructor's parameters (the runtime may be read from one).
    /// </summary>
    private static EquatableArray<string> TakenNames(IMethodSymbol method, MethodDeclarationSyntax syntax)
    {
        var taken = new List<string>();
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            taken.Add(parameter.Name);
        }

        for (INamedTypeSymbol? type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            foreach (ITypeParameterSymbol parameter in type.TypeParameters)
            {
                taken.Add(parameter.Name);
            }
        }

        if (syntax.Parent is TypeDeclarationSyntax { ParameterList: { } primary })
        {
            foreach (ParameterSyntax parameter in primary.Parameters)
            {
                taken.Add(parameter.Identifier.ValueText);
            }
        }

        // In ordinal order, each name once: a list sorted in place costs less than a sorted set.
        taken.Sort(System.StringComparer.Ordinal);
        var distinct = new List<string>(taken.Count);
        foreach (string name in taken)
        {
            if (distinct.Count == 0 || distinct[distinct.Count - 1] != name)
            {
                distinct.Add(name);
            }
        }

        return distinct.ToEquatableArray();
    }

    /// <summary><paramref name="name"/>, or it with the first free numeric suffix.</summary>
    internal static string Unique(string name, ICollection<string> taken) => Unique(name, taken.Contains);

    private static string Unique(string name, System.Func<string, bool> isTaken)
    {
        string candidate = name;
        for (int i = 1; isTaken(candidate); i++)
        {
            candidate = name + "_" + i.ToString(CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    private static bool IsByReference(IParameterSymbol parameter) => parameter.RefKind is RefKind.Ref or RefKind.Out or RefKind.RefReadOnlyParameter;

    private static string RefModifier(IParameterSymbol parameter) => parameter.RefKind switch
    {
        RefKind.In => "in ",
        RefKind.Ref => "ref ",
        RefKind.Out => "out ",
        RefKind.RefReadOnlyParameter => "ref readonly ",
        _ => string.Empty,
    };

    private static string? BuiltinSerializer(ITypeSymbol resultType)
    {
        if (resultType.SpecialType == SpecialType.System_String)
        {
            return "global::LlmCache.CacheValueSerializer.String";
        }

        if (resultType is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte })
        {
            return "global::LlmCache.CacheValueSerializer.Bytes";
        }

        // A list of embeddings is a bare array in MEAI's JSON, which drops its usage and additional properties.
        if (resultType is INamedTypeSymbol { IsGenericType: true } embeddings && TypeNames.IsNamed(embeddings.OriginalDefinition, "Microsoft.Extensions.AI.GeneratedEmbeddings`1") &&
            embeddings.TypeArguments[0] is INamedTypeSymbol element && TypeNames.IsNamed(element.OriginalDefinition, "Microsoft.Extensions.AI.Embedding`1"))
        {
            return $"global::LlmCache.AI.MeaiResultSerializers.GeneratedEmbeddings<{TypeNames.FullyQualified(element.TypeArguments[0])}>()";
        }

        // A chat answer: MEAI's JSON, read back by a direct route for the common answer.
        if (TypeNames.IsNamed(resultType, "Microsoft.Extensions.AI.ChatResponse"))
        {
            return "global::LlmCache.AI.MeaiResultSerializers.ChatResponse()";
        }

        if (resultType.ContainingNamespace is { } resultNamespace && TypeNames.Namespace(resultNamespace) == "Microsoft.Extensions.AI")
        {
            return $"global::LlmCache.CacheValueSerializer.Json<{TypeNames.FullyQualifiedNonNullable(resultType)}>(global::Microsoft.Extensions.AI.AIJsonUtilities.DefaultOptions)";
        }

        return null;
    }

    /// <summary>
    /// The number of the <c>LlmCache.CallKind</c> the return type says: a stream is a streaming chat (a stream of
    /// speech-to-text updates is speech to text), embeddings are embeddings, a speech-to-text response is speech to
    /// text, and anything else is a chat. The attribute's <c>Kind</c> overrides it.
    /// </summary>
    private static int CallKindOf(ITypeSymbol returnType, ITypeSymbol? resultType)
    {
        if (returnType is INamedTypeSymbol { IsGenericType: true } stream && TypeNames.IsNamed(stream.OriginalDefinition, "System.Collections.Generic.IAsyncEnumerable`1"))
        {
            return TypeNames.IsNamed(stream.TypeArguments[0], "Microsoft.Extensions.AI.SpeechToTextResponseUpdate") ? CallKindSpeechToText : CallKindStreamingChat;
        }

        string result = resultType is INamedTypeSymbol named ? TypeNames.Metadata(named.OriginalDefinition) : string.Empty;
        return result switch
        {
            "Microsoft.Extensions.AI.Embedding" or "Microsoft.Extensions.AI.Embedding`1" or "Microsoft.Extensions.AI.GeneratedEmbeddings`1" => CallKindEmbedding,
            "Microsoft.Extensions.AI.SpeechToTextResponse" => CallKindSpeechToText,
            _ => CallKindChat,
        };
    }

    /// <summary>
    /// The copier of a mutable Microsoft.Extensions.AI result, so that no caller's edits reach the cache or another
    /// caller; <c>null</c> for any other type, whose hits are shared as they are.
    /// </summary>
    private static string? CopierFor(ITypeSymbol resultType)
    {
        const string Copiers = "global::LlmCache.AI.MeaiResultCopiers.";
        if (resultType is not INamedTypeSymbol named)
        {
            return null;
        }

        return TypeNames.Metadata(named.OriginalDefinition) switch
        {
            "Microsoft.Extensions.AI.ChatResponse" => Copiers + "ChatResponse",
            "Microsoft.Extensions.AI.ChatMessage" => Copiers + "ChatMessage",
            "Microsoft.Extensions.AI.SpeechToTextResponse" => Copiers + "SpeechToTextResponse",
            "Microsoft.Extensions.AI.Embedding`1" => $"{Copiers}Embedding<{TypeNames.FullyQualified(named.TypeArguments[0])}>()",
            "Microsoft.Extensions.AI.GeneratedEmbeddings`1"
                when named.TypeArguments[0] is INamedTypeSymbol element && TypeNames.IsNamed(element.OriginalDefinition, "Microsoft.Extensions.AI.Embedding`1") =>
                $"{Copiers}GeneratedEmbeddings<{TypeNames.FullyQualified(element.TypeArguments[0])}>()",
            _ => null,
        };
    }

    /// <summary>The copier of a stream's updates, for Microsoft.Extensions.AI's <c>ChatResponseUpdate</c>; <c>null</c> for any other update type.</summary>
    private static string? StreamCopierFor(ITypeSymbol updateType) =>
        updateType is INamedTypeSymbol named && TypeNames.IsNamed(named.OriginalDefinition, "Microsoft.Extensions.AI.ChatResponseUpdate")
            ? "global::LlmCache.AI.MeaiResultCopiers.ChatResponseUpdates"
            : null;

    /// <summary>The serialiser of a stream's updates that needs no JSON context: strings, and Microsoft.Extensions.AI updates through their own options.</summary>
    private static string? BuiltinStreamSerializer(ITypeSymbol updateType)
    {
        if (updateType.SpecialType == SpecialType.System_String)
        {
            return "global::LlmCache.CacheStreamSerializer.String";
        }

        if (updateType.ContainingNamespace is { } updateNamespace && TypeNames.Namespace(updateNamespace) == "Microsoft.Extensions.AI")
        {
            return $"global::LlmCache.CacheStreamSerializer.Json<{TypeNames.FullyQualifiedNonNullable(updateType)}>(global::Microsoft.Extensions.AI.AIJsonUtilities.DefaultOptions)";
        }

        return null;
    }

    private static (ReturnKind Kind, ITypeSymbol? Result) ClassifyReturn(ITypeSymbol returnType)
    {
        if (returnType.SpecialType == SpecialType.System_Void || returnType is IPointerTypeSymbol || returnType.IsRefLikeType)
        {
            return (ReturnKind.Sync, null);
        }

        if (returnType is INamedTypeSymbol named)
        {
            switch (TypeNames.Metadata(named.OriginalDefinition))
            {
                case "System.Threading.Tasks.Task`1":
                    return (ReturnKind.Task, named.TypeArguments[0]);
                case "System.Threading.Tasks.ValueTask`1":
                    return (ReturnKind.ValueTask, named.TypeArguments[0]);
                case "System.Collections.Generic.IAsyncEnumerable`1":
                    return (ReturnKind.Stream, named.TypeArguments[0]);
                case "System.Threading.Tasks.Task":
                case "System.Threading.Tasks.ValueTask":
                case "System.Collections.Generic.IEnumerable`1":
                    return (ReturnKind.Sync, null);
            }
        }

        return (ReturnKind.Sync, returnType);
    }

    /// <summary>
    /// Finds the implementation: same parameters minus the <c>CacheControl</c>, returning the result as T,
    /// Task&lt;T&gt; or ValueTask&lt;T&gt;, or, for a streaming method, as IAsyncEnumerable&lt;T&gt;.
    /// </summary>
    private static ReturnKind? FindImplementation(
        IMethodSymbol method,
        INamedTypeSymbol containingType,
        string implementationName,
        List<ParameterSpec> parameters,
        ITypeSymbol resultType,
        ReturnKind returnKind,
        MethodDeclarationSyntax syntax,
        List<DiagnosticInfo> diagnostics)
    {
        List<IParameterSymbol> expected = method.Parameters.Where(p => parameters.FirstOrDefault(s => s.Name == p.Name)?.Role != ParameterRole.CacheControl).ToList();
        string ExpectedList() => string.Join(", ", expected.Select(p => TypeNames.Display(p.Type) + " " + p.Name));

        var candidates = new List<IMethodSymbol>();
        for (INamedTypeSymbol? type = containingType; type is not null; type = type.BaseType)
        {
            candidates.AddRange(type.GetMembers(implementationName).OfType<IMethodSymbol>().Where(m => !SymbolEqualityComparer.Default.Equals(m, method)));
        }

        if (candidates.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ImplementationNotFound, syntax.Identifier.GetLocation(), method.Name, implementationName, ExpectedList()));
            return null;
        }

        string? firstProblem = null;
        foreach (IMethodSymbol candidate in candidates)
        {
            string? problem = Mismatch(candidate, method, expected, resultType, returnKind, out ReturnKind kind);
            if (problem is null)
            {
                return kind;
            }

            firstProblem ??= problem;
        }

        string expectedReturn = returnKind switch
        {
            ReturnKind.Sync => TypeNames.Display(resultType),
            ReturnKind.Stream => $"IAsyncEnumerable<{TypeNames.Display(resultType)}>",
            _ => $"{TypeNames.Display(resultType)}, Task<{TypeNames.Display(resultType)}> or ValueTask<{TypeNames.Display(resultType)}>",
        };
        Location? location = candidates[0].Locations.FirstOrDefault(l => l.IsInSource) ?? syntax.Identifier.GetLocation();
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ImplementationMismatch, location, implementationName, ExpectedList(), expectedReturn, firstProblem!));
        return null;
    }

    private static string? Mismatch(IMethodSymbol candidate, IMethodSymbol method, List<IParameterSymbol> expected, ITypeSymbol resultType, ReturnKind returnKind, out ReturnKind kind)
    {
        kind = ReturnKind.Sync;
        if (candidate.IsGenericMethod)
        {
            return "it is generic";
        }

        if (method.IsStatic && !candidate.IsStatic)
        {
            return "a static cached method needs a static implementation";
        }

        if (candidate.Parameters.Length != expected.Count)
        {
            return $"it takes {candidate.Parameters.Length} parameter(s), not {expected.Count}";
        }

        for (int i = 0; i < expected.Count; i++)
        {
            if (!SymbolEqualityComparer.Default.Equals(candidate.Parameters[i].Type, expected[i].Type))
            {
                return $"parameter {i + 1} is '{TypeNames.Display(candidate.Parameters[i].Type)}', not '{TypeNames.Display(expected[i].Type)}'";
            }

            if (candidate.Parameters[i].RefKind is RefKind.Ref or RefKind.Out)
            {
                return $"parameter '{candidate.Parameters[i].Name}' is passed by reference";
            }
        }

        (ReturnKind candidateKind, ITypeSymbol? candidateResult) = ClassifyReturn(candidate.ReturnType);
        if (candidateResult is null || !SymbolEqualityComparer.Default.Equals(candidateResult, resultType))
        {
            return $"it returns '{TypeNames.Display(candidate.ReturnType)}'";
        }

        if ((returnKind == ReturnKind.Stream) != (candidateKind == ReturnKind.Stream))
        {
            return returnKind == ReturnKind.Stream
                ? "a streaming cached method needs an implementation that returns IAsyncEnumerable<T>"
                : $"it returns a stream, and the cached method returns '{TypeNames.Display(method.ReturnType)}'";
        }

        if (returnKind == ReturnKind.Sync && candidateKind != ReturnKind.Sync)
        {
            return "a synchronous cached method needs a synchronous implementation";
        }

        kind = candidateKind;
        return null;
    }

    /// <summary>
    /// The expression that reaches the runtime: a field, property or primary-constructor parameter of type
    /// <c>LlmCacheRuntime</c> (from dependency injection), else the process-wide default.
    /// </summary>
    private static string FindRuntime(IMethodSymbol method, INamedTypeSymbol containingType, MethodDeclarationSyntax syntax, CancellationToken cancellationToken)
    {
        foreach (ISymbol member in containingType.GetMembers())
        {
            ITypeSymbol? type = member switch
            {
                IFieldSymbol { IsImplicitlyDeclared: false } field => field.Type,
                IPropertySymbol { IsIndexer: false, GetMethod: not null } property => property.Type,
                _ => null,
            };
            if (type is null || !TypeNames.IsNamed(type, RuntimeType) || (method.IsStatic && !member.IsStatic))
            {
                continue;
            }

            string access = (member.IsStatic ? TypeNames.FullyQualifiedNonNullable(containingType) : "this") + "." + LlmCachedMethodEmitter.Escape(member.Name);
            return $"({access} ?? {SharedRuntime})";
        }

        // The primary constructor is the one declared by the type declaration itself: its parameters are read from
        // the symbol, with no semantic model for the declaration (which binding each method's file would build).
        if (!method.IsStatic && syntax.Parent is TypeDeclarationSyntax { ParameterList: { } primary } declaration)
        {
            foreach (IMethodSymbol constructor in containingType.InstanceConstructors)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (constructor.Parameters.Length != primary.Parameters.Count || !constructor.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) == declaration))
                {
                    continue;
                }

                foreach (IParameterSymbol symbol in constructor.Parameters)
                {
                    if (TypeNames.IsNamed(symbol.Type, RuntimeType) && !method.Parameters.Any(p => p.Name == symbol.Name))
                    {
                        return $"({LlmCachedMethodEmitter.Escape(symbol.Name)} ?? {SharedRuntime})";
                    }
                }
            }
        }

        return SharedRuntime;
    }

    /// <summary>
    /// The containing types, outermost first. A type declared <c>unsafe</c> where the method is stays unsafe in the
    /// generated part: the method's signature may name pointer types, and both parts must agree on <c>unsafe</c>.
    /// </summary>
    private static EquatableArray<ContainingTypeSpec> ContainingTypes(INamedTypeSymbol type, MethodDeclarationSyntax syntax)
    {
        var types = new List<ContainingTypeSpec>();
        List<TypeDeclarationSyntax> declarations = syntax.Ancestors().OfType<TypeDeclarationSyntax>().ToList();
        int depth = 0;
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType, depth++)
        {
            bool isUnsafe = depth < declarations.Count && declarations[depth].Modifiers.Any(SyntaxKind.UnsafeKeyword);
            string keyword = current switch
            {
                { IsRecord: true, IsValueType: true } => "record struct",
                { IsRecord: true } => "record",
                { TypeKind: TypeKind.Struct, IsRefLikeType: true } => "ref struct",
                { TypeKind: TypeKind.Struct } => "struct",
                { TypeKind: TypeKind.Interface } => "interface",
                _ => "class",
            };
            string name = LlmCachedMethodEmitter.Escape(current.Name);
            if (current.TypeParameters.Length > 0)
            {
                name += "<" + string.Join(", ", current.TypeParameters.Select(p => LlmCachedMethodEmitter.Escape(p.Name))) + ">";
            }

            types.Insert(0, new ContainingTypeSpec(keyword, name, isUnsafe));
        }

        return types.ToEquatableArray();
    }

    /// <summary>
    /// The method identity written first into every key: containing type, name, key signature, result type, key
    /// version and the fingerprint of the key's shape (<c>#k</c>, so renaming a member, swapping two parameters or
    /// inserting an enum member starts a new keyspace), or the key function's name (<c>#f</c>). A generic containing type adds its type arguments at run time.
    /// </summary>
    private static string Identity(IMethodSymbol method, ITypeSymbol resultType, int keyVersion, string keyShape, bool speechToText)
    {
        var signature = new StringBuilder();
        signature.Append('.').Append(method.Name).Append('(');
        signature.Append(string.Join(",", method.Parameters.Where(p => !TypeNames.IsNamed(p.Type, CacheControlType) && !TypeNames.IsNamed(p.Type, CancellationTokenType)).Select(p => SpeechToTextMethods.SignatureType(p.Type, speechToText))));
        signature.Append(")->").Append(TypeNames.Display(resultType)).Append("#v").Append(keyVersion.ToString(CultureInfo.InvariantCulture)).Append('#').Append(keyShape);

        var typeParameters = new List<ITypeParameterSymbol>();
        for (INamedTypeSymbol? t = method.ContainingType; t is not null; t = t.ContainingType)
        {
            typeParameters.InsertRange(0, t.TypeParameters);
        }

        string typeName = TypeNames.Display(method.ContainingType.OriginalDefinition);
        if (typeParameters.Count == 0)
        {
            return Literal(typeName + signature);
        }

        string arguments = string.Join(" + \",\" + ", typeParameters.Select(p => $"typeof({p.Name}).ToString()"));
        return $"{Literal(typeName + "[")} + {arguments} + {Literal("]" + signature)}";
    }

    private static string HintName(IMethodSymbol method)
    {
        var name = new StringBuilder();
        if (!method.ContainingType.ContainingNamespace.IsGlobalNamespace)
        {
            name.Append(TypeNames.Namespace(method.ContainingType.ContainingNamespace)).Append('.');
        }

        var types = new List<string>();
        for (INamedTypeSymbol? t = method.ContainingType; t is not null; t = t.ContainingType)
        {
            types.Insert(0, t.TypeParameters.Length > 0 ? t.Name + "`" + t.TypeParameters.Length.ToString(CultureInfo.InvariantCulture) : t.Name);
        }

        name.Append(string.Join(".", types)).Append('.').Append(method.Name).Append(OverloadSuffix(method));
        return name.ToString();
    }

    /// <summary>Overloads get their position among the type's same-named methods, so names and hint names stay unique.</summary>
    private static string OverloadSuffix(IMethodSymbol method)
    {
        IMethodSymbol[] overloads = method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>().ToArray();
        if (overloads.Length <= 1)
        {
            return string.Empty;
        }

        int index = System.Array.FindIndex(overloads, m => SymbolEqualityComparer.Default.Equals(m, method) || SymbolEqualityComparer.Default.Equals(m.PartialImplementationPart, method));
        return "_" + index.ToString(CultureInfo.InvariantCulture);
    }

    private static string Literal(string value) => SymbolDisplay.FormatLiteral(value, quote: true);
}
