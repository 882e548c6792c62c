using System;
using System.Collections.Generic;
using LlmCache.Generators.Model;
using Microsoft.CodeAnalysis;

namespace LlmCache.Generators;

/// <summary>
/// The named arguments of one <c>[LlmCached]</c> attribute. Each name has its reader in a table, so a new argument
/// is a property and one line; an argument of an unexpected kind (code that does not compile) is left at its default.
/// </summary>
internal sealed class LlmCachedArguments
{
    private static readonly Dictionary<string, Action<LlmCachedArguments, object?>> Readers = new(StringComparer.Ordinal)
    {
        ["Type"] = Int(static (a, value) => a.CacheType = value),
        ["Ttl"] = Int(static (a, value) => a.Ttl = value),
        ["KeyVersion"] = Int(static (a, value) => a.KeyVersion = value),
        ["Namespace"] = String(static (a, value) => a.Namespace = value),
        ["Implementation"] = String(static (a, value) => a.Implementation = value),
        ["KeyFunction"] = String(static (a, value) => a.KeyFunction = value),
        ["Store"] = String(static (a, value) => a.Store = value),
        ["JsonContext"] = static (a, value) =>
        {
            if (value is INamedTypeSymbol context)
            {
                a.JsonContext = LlmCachedMethodParser.ReadJsonContext(context);
            }
        },
        ["Kind"] = Int(static (a, value) => a.Kind = value),
        ["ShareResult"] = Bool(static (a, value) => a.ShareResult = value),
        ["CacheConversations"] = Bool(static (a, value) => a.CacheConversations = value),
        ["SimilarityThreshold"] = Double(static (a, value) => a.SimilarityThreshold = value),
        ["PrecisionGuard"] = Bool(static (a, value) => a.PrecisionGuard = value),
    };

    private LlmCachedArguments()
    {
    }

    /// <summary>The number of the <c>CacheType</c>; 0, <c>Default</c>, when not set.</summary>
    public int CacheType { get; private set; }

    public int? Ttl { get; private set; }

    public int KeyVersion { get; private set; }

    public string? Namespace { get; private set; }

    public string? Implementation { get; private set; }

    public string? KeyFunction { get; private set; }

    public string? Store { get; private set; }

    public JsonContextInfo? JsonContext { get; private set; }

    /// <summary>The number of the <c>CallKind</c> the attribute sets, overriding the one the return type implies.</summary>
    public int? Kind { get; private set; }

    public bool ShareResult { get; private set; }

    public bool CacheConversations { get; private set; }

    public double? SimilarityThreshold { get; private set; }

    public bool? PrecisionGuard { get; private set; }

    public static LlmCachedArguments Read(AttributeData attribute)
    {
        var arguments = new LlmCachedArguments();
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            if (Readers.TryGetValue(argument.Key, out Action<LlmCachedArguments, object?>? read))
            {
                read(arguments, argument.Value.Value);
            }
        }

        return arguments;
    }

    private static Action<LlmCachedArguments, object?> Int(Action<LlmCachedArguments, int> set) => (a, value) =>
    {
        if (value is int number)
        {
            set(a, number);
        }
    };

    private static Action<LlmCachedArguments, object?> Bool(Action<LlmCachedArguments, bool> set) => (a, value) =>
    {
        if (value is bool flag)
        {
            set(a, flag);
        }
    };

    private static Action<LlmCachedArguments, object?> Double(Action<LlmCachedArguments, double> set) => (a, value) =>
    {
        if (value is double number)
        {
            set(a, number);
        }
    };

    private static Action<LlmCachedArguments, object?> String(Action<LlmCachedArguments, string?> set) => (a, value) => set(a, value as string);
}
