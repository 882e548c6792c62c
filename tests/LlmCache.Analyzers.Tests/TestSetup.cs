using System.IO;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;

namespace LlmCache.Analyzers.Tests;

/// <summary>
/// What every analyzer and code fix test shares: .NET 10 reference assemblies, the LlmCache runtime as a
/// reference, and <see cref="ImplementingPartGenerator"/> standing in for the LlmCache source generator, so that
/// test sources declare cached methods as body-less <c>partial</c> methods, as users do.
/// </summary>
internal static class TestSetup
{
    public static ReferenceAssemblies Net100 { get; } =
        new("net10.0", new PackageIdentity("Microsoft.NETCore.App.Ref", "10.0.12"), Path.Combine("ref", "net10.0"));

    public static MetadataReference LlmCacheReference { get; } =
        MetadataReference.CreateFromFile(typeof(LlmCachedAttribute).Assembly.Location);

    /// <summary>Lets test sources declare pointer parameters.</summary>
    public static Solution AllowUnsafe(Solution solution, ProjectId projectId) =>
        solution.WithProjectCompilationOptions(projectId, ((CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!).WithAllowUnsafe(true));
}
