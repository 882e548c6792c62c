using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LlmCache.Analyzers;

/// <summary>
/// Checks the arguments of <c>[LlmCached]</c> that can be wrong at compile time: LLMC1006 (negative <c>Ttl</c>),
/// LLMC1007 (negative <c>KeyVersion</c>), LLMC1008 (a <c>Namespace</c> that is blank or holds the key separator),
/// LLMC1009 (a <c>Type</c> that is no <c>CacheType</c>) and LLMC1010 (an <c>Implementation</c> that cannot name a method).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LlmCachedAttributeAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.NegativeTtl,
        DiagnosticDescriptors.NegativeKeyVersion,
        DiagnosticDescriptors.InvalidNamespace,
        DiagnosticDescriptors.UndefinedCacheType,
        DiagnosticDescriptors.InvalidImplementationName);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        // Analyze and report in generated code: the generator marks a cached method's implementing part
        // [GeneratedCode], the compiler merges a partial method's attributes, and the driver then takes the user's
        // own declaration for generated code. With None, these rules would never run in a real build.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(static start =>
        {
            if (LlmCacheSymbols.TryCreate(start.Compilation) is not { } symbols)
            {
                return;
            }

            CacheTypeValues cacheTypes = CacheTypeValues.From(symbols.CacheType);
            start.RegisterSymbolAction(c => AnalyzeMethod(c, symbols, cacheTypes), SymbolKind.Method);
        });
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context, LlmCacheSymbols symbols, CacheTypeValues cacheTypes)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (method.PartialDefinitionPart is not null)
        {
            // The implementing part: its declaration (the user's, where the diagnostics belong) is analyzed on its own.
            return;
        }

        if (symbols.GetLlmCachedAttribute(method) is not { } attribute)
        {
            return;
        }

        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            Diagnostic? diagnostic = argument.Key switch
            {
                "Ttl" when argument.Value.Value is int ttl && ttl < 0 =>
                    Create(DiagnosticDescriptors.NegativeTtl, attribute, argument.Key, context.CancellationToken, ttl),
                "KeyVersion" when argument.Value.Value is int version && version < 0 =>
                    Create(DiagnosticDescriptors.NegativeKeyVersion, attribute, argument.Key, context.CancellationToken, version),
                "Namespace" when argument.Value.Value is string name && NamespaceProblem(name) is { } problem =>
                    Create(DiagnosticDescriptors.InvalidNamespace, attribute, argument.Key, context.CancellationToken, name, problem),
                "Type" when argument.Value.Value is int type && !cacheTypes.IsDefined(type) =>
                    Create(DiagnosticDescriptors.UndefinedCacheType, attribute, argument.Key, context.CancellationToken, type, cacheTypes.Names),
                "Implementation" when argument.Value.Value is string name && ImplementationProblem(name, method) is { } problem =>
                    Create(DiagnosticDescriptors.InvalidImplementationName, attribute, argument.Key, context.CancellationToken, name, problem, method.Name + LlmCacheSymbols.ImplementationSuffix),
                _ => null,
            };

            if (diagnostic is not null)
            {
                context.ReportDiagnostic(diagnostic);
            }
        }
    }

    private static string? NamespaceProblem(string name)
    {
        if (name.Length == 0)
        {
            return "is empty";
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            return "is blank";
        }

        return name.IndexOf(':') >= 0 ? "contains ':', the separator of keys stored outside the process" : null;
    }

    private static string? ImplementationProblem(string name, IMethodSymbol method)
    {
        if (name.Length == 0)
        {
            return "is empty";
        }

        if (!SyntaxFacts.IsValidIdentifier(name))
        {
            return "is not a C# identifier";
        }

        return name == method.Name ? "names the cached method itself, so every miss would call itself" : null;
    }

    private static Diagnostic Create(DiagnosticDescriptor descriptor, AttributeData attribute, string argumentName, CancellationToken cancellationToken, params object[] messageArguments) =>
        Diagnostic.Create(descriptor, ArgumentLocation(attribute, argumentName, cancellationToken), messageArguments);

    /// <summary>The value of the named argument as written, or the attribute when it cannot be found.</summary>
    private static Location? ArgumentLocation(AttributeData attribute, string argumentName, CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax)
        {
            return null;
        }

        if (syntax.ArgumentList is { } arguments)
        {
            foreach (AttributeArgumentSyntax argument in arguments.Arguments)
            {
                if (argument.NameEquals?.Name.Identifier.ValueText == argumentName)
                {
                    return argument.Expression.GetLocation();
                }
            }
        }

        return syntax.GetLocation();
    }

    /// <summary>The values and names of <c>LlmCache.CacheType</c>'s members.</summary>
    private sealed class CacheTypeValues
    {
        private readonly HashSet<int> _values;

        private CacheTypeValues(HashSet<int> values, string names)
        {
            _values = values;
            Names = names;
        }

        public string Names { get; }

        public static CacheTypeValues From(INamedTypeSymbol? cacheType)
        {
            var values = new HashSet<int>();
            var names = new List<string>();
            if (cacheType is not null)
            {
                foreach (ISymbol member in cacheType.GetMembers())
                {
                    if (member is IFieldSymbol { HasConstantValue: true, ConstantValue: int value } field)
                    {
                        values.Add(value);
                        names.Add(field.Name);
                    }
                }
            }

            return new CacheTypeValues(values, string.Join(", ", names));
        }

        public bool IsDefined(int value) => _values.Count == 0 || _values.Contains(value);
    }
}
