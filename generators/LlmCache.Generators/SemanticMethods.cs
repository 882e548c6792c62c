using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using LlmCache.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LlmCache.Generators;

/// <summary>
/// Methods of a semantic cache type (<c>Semantic</c>, <c>RedisSemantic</c>, <c>DualSemantic</c>): which input is
/// the embedded text (the parameter marked <c>[SemanticKey]</c>, else the only <c>string</c> key input, else the only
/// chat messages), the attribute's threshold and guard, and the code that hands the text and the scope key (the
/// exact key with the text left out) to the runtime's semantic miss path.
/// </summary>
internal static class SemanticMethods
{
    public const string SemanticKeyType = "LlmCache.SemanticKeyAttribute";

    private const string MessagesWriter = "global::LlmCache.AI.ChatMessageKeyWriter";
    private const string KeyText = "global::LlmCache.SemanticKeyText";

    /// <summary>Whether the number of a <c>CacheType</c> is a semantic type.</summary>
    public static bool IsSemanticType(int cacheType) => cacheType is 8 or 9 or 10;

    /// <summary>
    /// The semantic spec of a value-returning chat method of a semantic type, or <c>null</c> with a diagnostic when it
    /// has no text to embed or a threshold outside [0, 1]. Streams, embeddings and transcriptions cache by their exact key.
    /// </summary>
    public static SemanticSpec? Parse(
        IMethodSymbol method,
        IReadOnlyList<ParameterSpec> parameters,
        int cacheType,
        double? threshold,
        bool? precisionGuard,
        AttributeSyntax? attribute,
        Location? methodLocation,
        List<DiagnosticInfo> diagnostics)
    {
        if (threshold is { } value && !(value >= 0 && value <= 1))
        {
            Location? location = attribute?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "SimilarityThreshold")?.Expression.GetLocation();
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SimilarityThresholdOutOfRange, location ?? methodLocation, method.Name, value.ToString("R", CultureInfo.InvariantCulture)));
            return null;
        }

        var marked = new List<ParameterSpec>();
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            if (method.Parameters[i].GetAttributes().Any(a => a.AttributeClass is { } c && TypeNames.IsNamed(c, SemanticKeyType)))
            {
                marked.AddRange(parameters.Where(p => p.Name == method.Parameters[i].Name));
            }
        }

        string? problem = null;
        ParameterSpec? text = null;
        if (marked.Count > 0)
        {
            text = marked[0];
            if (text.Role != ParameterRole.Key || KindOf(text) is null)
            {
                problem = $"its [SemanticKey] parameter '{text.Name}' is {(text.Role == ParameterRole.Key ? "not a string or chat messages" : "not a key input")}";
            }
        }
        else
        {
            List<ParameterSpec> strings = parameters.Where(p => p.Role == ParameterRole.Key && KindOf(p) == SemanticInputKind.String).ToList();
            List<ParameterSpec> messages = parameters.Where(p => p.Role == ParameterRole.Key && KindOf(p) == SemanticInputKind.Messages).ToList();
            if (strings.Count == 1)
            {
                text = strings[0];
            }
            else if (strings.Count == 0 && messages.Count == 1)
            {
                text = messages[0];
            }
            else
            {
                problem = strings.Count + messages.Count == 0
                    ? "it has no string or chat messages key input to embed"
                    : $"it has {strings.Count + messages.Count} inputs that could be embedded ({string.Join(", ", strings.Concat(messages).Select(p => p.Name))}); mark the one to embed with [SemanticKey]";
            }
        }

        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoSemanticInput, methodLocation, method.Name, CacheTypeName(cacheType), problem));
            return null;
        }

        return new SemanticSpec(text!.Name, KindOf(text)!.Value, threshold, precisionGuard);
    }

    /// <summary>The descriptor's extra members: the attribute's threshold and guard, when set.</summary>
    public static IEnumerable<string> DescriptorMembers(CachedMethodSpec spec)
    {
        if (spec.Semantic?.Threshold is { } threshold)
        {
            yield return $"SimilarityThreshold = {threshold.ToString("R", CultureInfo.InvariantCulture)}";
        }

        if (spec.Semantic?.PrecisionGuard is { } guard)
        {
            yield return $"PrecisionGuard = {(guard ? "true" : "false")}";
        }
    }

    /// <summary>The key class's <c>WriteScopeKey</c>: as <c>WriteKey</c>, with the embedded text left out.</summary>
    public static bool WritesScope(CachedMethodSpec spec, ParameterSpec parameter, string value, string writer, IndentedWriter w)
    {
        if (spec.Semantic is not { } semantic || parameter.Name != semantic.Parameter)
        {
            return false;
        }

        w.Line(semantic.Kind == SemanticInputKind.String ? $"{writer}.WriteNull();" : $"{KeyText}.WriteScope(ref {writer}, {value});");
        return true;
    }

    /// <summary>Writes, after the exact key missed in memory, the scope key and the text for the runtime.</summary>
    public static void EmitScope(IndentedWriter w, CachedMethodSpec spec, string runtime, string method, string control, string keyClass, string keyArguments, string size, LlmCachedMethodEmitter.Locals names, out string scope, out string text)
    {
        SemanticSpec semantic = spec.Semantic!;
        string writer = names.Take("__llmScopeWriter");
        scope = names.Take("__llmScope");
        text = names.Take("__llmText");
        string parameter = LlmCachedMethodEmitter.Escape(semantic.Parameter);
        w.Line($"string? {text} = {(semantic.Kind == SemanticInputKind.String ? parameter : $"{KeyText}.Of({parameter})")};");
        w.Line($"byte[] {scope};");
        w.Line($"global::LlmCache.CacheKeyWriter {writer} = new global::LlmCache.CacheKeyWriter(stackalloc byte[1024], {size});");
        w.Open("try");
        w.Line($"{runtime}.WriteKeyHeader(ref {writer}, {method}, in {control});");
        w.Line($"{keyClass}.{ScopeMethod}(ref {writer}{(keyArguments.Length == 0 ? string.Empty : ", " + keyArguments)});");
        w.Line($"{scope} = {writer}.WrittenSpan.ToArray();");
        w.Close();
        w.Open("finally");
        w.Line($"{writer}.Dispose();");
        w.Close();
        w.Line();
    }

    public const string ScopeMethod = "WriteScopeKey";

    private static SemanticInputKind? KindOf(ParameterSpec parameter) => parameter.Shape switch
    {
        { Kind: ShapeKind.String } => SemanticInputKind.String,
        { Kind: ShapeKind.Runtime, Argument: MessagesWriter } => SemanticInputKind.Messages,
        _ => null,
    };

    /// <summary>The name of a semantic <c>CacheType</c>, as a message names it.</summary>
    public static string CacheTypeName(int cacheType) => cacheType switch
    {
        8 => "Semantic",
        9 => "RedisSemantic",
        _ => "DualSemantic",
    };
}
