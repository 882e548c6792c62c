using System.Collections.Generic;
using System.Linq;
using LlmCache.Generators.Model;
using Microsoft.CodeAnalysis;

namespace LlmCache.Generators;

/// <summary>
/// Speech-to-text methods: a <c>SpeechToTextResponse</c> result, or <c>[LlmCached(Kind = CallKind.SpeechToText)]</c>.
/// Their audio is keyed by its content whatever carries it, so overloads that take it as <c>byte[]</c>,
/// <c>ReadOnlyMemory&lt;byte&gt;</c> or a <c>Stream</c> share one identity and one entry; a non-seekable stream is
/// buffered by the runtime before the key is built.
/// </summary>
internal static class SpeechToTextMethods
{
    private const string ResponseType = "Microsoft.Extensions.AI.SpeechToTextResponse";

    // LlmCache.CallKind.SpeechToText, which the generator cannot reference.
    private const int SpeechToTextKind = 3;

    private const string AudioSignature = "audio";

    public static bool IsSpeechToText(ITypeSymbol? resultType, AttributeData attribute)
    {
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            if (argument.Key == "Kind" && argument.Value.Value is int kind)
            {
                return kind == SpeechToTextKind;
            }
        }

        return resultType is not null && TypeNames.IsNamed(resultType, ResponseType);
    }

    /// <summary>A parameter's type as the method identity names it: every audio carrier as one.</summary>
    public static string SignatureType(ITypeSymbol type, bool speechToText) =>
        speechToText && IsAudioCarrier(type) ? AudioSignature : TypeNames.Display(type);

    /// <summary>A key input's shape as the fingerprint sees it: bytes, a memory and a stream write the same key bytes.</summary>
    public static KeyShape FingerprintShape(KeyShape shape, bool speechToText) =>
        speechToText && shape.Kind is ShapeKind.ByteMemory or ShapeKind.Stream ? new KeyShape(ShapeKind.ByteArray, AudioSignature, null, null) : shape;

    /// <summary>
    /// Microsoft.Extensions.AI marks its speech-to-text types experimental (MEAI001): the user's declaration of the
    /// method already opted in, and the generated part repeats its signature.
    /// </summary>
    public static void EmitPragma(IndentedWriter w, CachedMethodSpec spec)
    {
        if (spec.IsSpeechToText)
        {
            w.Line("#pragma warning disable MEAI001 // The declaration of this speech-to-text method already uses Microsoft.Extensions.AI's experimental types.");
        }
    }

    /// <summary>
    /// Before the key is built: each <c>Stream</c> key input that cannot seek is replaced by its bytes in memory, up
    /// to the runtime's limit; a longer one makes the call bypass the cache (the implementation still gets every byte).
    /// </summary>
    public static void EmitAudioBuffering(IndentedWriter w, CachedMethodSpec spec, string runtime, string method, string control, string directCall, LlmCachedMethodEmitter.Locals names)
    {
        if (!spec.IsSpeechToText)
        {
            return;
        }

        foreach (ParameterSpec parameter in spec.Parameters.Where(p => p.Role == ParameterRole.Key && p.Modifier.Length == 0 && p.Shape is { Kind: ShapeKind.Stream } shape &&
            shape.Type.Replace("?", string.Empty) == "global::System.IO.Stream"))
        {
            string name = LlmCachedMethodEmitter.Escape(parameter.Name);
            string cacheable = names.Take("__llmCacheable");
            w.Line($"{name} = {runtime}.BufferAudio({method}, in {control}, {name}, out bool {cacheable});");
            w.Open($"if (!{cacheable})");
            w.Line($"return {directCall};");
            w.Close();
            w.Line();
        }
    }

    private static bool IsAudioCarrier(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte })
        {
            return true;
        }

        if (type is INamedTypeSymbol { IsGenericType: true } named && TypeNames.IsNamed(named.OriginalDefinition, "System.ReadOnlyMemory`1") &&
            named.TypeArguments[0].SpecialType == SpecialType.System_Byte)
        {
            return true;
        }

        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (TypeNames.IsNamed(current, "System.IO.Stream"))
            {
                return true;
            }
        }

        return false;
    }
}
