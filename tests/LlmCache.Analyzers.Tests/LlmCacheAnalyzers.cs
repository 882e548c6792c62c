using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LlmCache.Analyzers.Tests;

/// <summary>Every analyzer the LlmCache.Analyzers assembly ships, and its descriptor catalogue, found by reflection.</summary>
internal static class LlmCacheAnalyzers
{
    public static ImmutableArray<DiagnosticAnalyzer> All { get; } = typeof(DiagnosticDescriptors).Assembly.GetTypes()
        .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !t.IsAbstract && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    /// <summary>The public <see cref="DiagnosticDescriptor"/> fields of <see cref="DiagnosticDescriptors"/>.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> Catalogue { get; } = typeof(DiagnosticDescriptors)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .ToList();
}
