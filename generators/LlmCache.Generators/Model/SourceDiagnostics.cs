using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace LlmCache.Generators.Model;

/// <summary>
/// The diagnostics to report, with locations in the compilation's syntax trees. Two values are equal only when
/// both are empty: a non-empty one holds locations of one compilation and is reported afresh on every run.
/// </summary>
internal sealed class SourceDiagnostics : IEquatable<SourceDiagnostics>
{
    private static readonly SourceDiagnostics None = new(ImmutableArray<Diagnostic>.Empty);

    private SourceDiagnostics(ImmutableArray<Diagnostic> diagnostics) => Diagnostics = diagnostics;

    public ImmutableArray<Diagnostic> Diagnostics { get; }

    public static SourceDiagnostics Locate(ImmutableArray<EquatableArray<DiagnosticInfo>> groups, Compilation compilation, CancellationToken cancellationToken)
    {
        if (groups.IsEmpty)
        {
            return None;
        }

        var trees = new Dictionary<string, SyntaxTree>(StringComparer.Ordinal);
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            trees[tree.FilePath] = tree;
        }

        ImmutableArray<Diagnostic>.Builder diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        foreach (EquatableArray<DiagnosticInfo> group in groups)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (DiagnosticInfo item in group)
            {
                diagnostics.Add(item.ToDiagnostic(trees));
            }
        }

        return new SourceDiagnostics(diagnostics.ToImmutable());
    }

    public bool Equals(SourceDiagnostics? other) =>
        other is not null && (ReferenceEquals(this, other) || (Diagnostics.IsEmpty && other.Diagnostics.IsEmpty));

    public override bool Equals(object? obj) => Equals(obj as SourceDiagnostics);

    public override int GetHashCode() => Diagnostics.Length;
}
