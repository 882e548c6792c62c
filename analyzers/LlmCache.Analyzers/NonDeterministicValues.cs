using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace LlmCache.Analyzers;

/// <summary>
/// Finds the values that differ on every evaluation (the clock, random numbers, new GUIDs, tick counts, fresh
/// object identities) inside an expression: directly, through conversions, member access on such a value,
/// string interpolation, concatenation and other operators, and through a local assigned from one in the
/// same method.
/// </summary>
internal sealed class NonDeterministicValues
{
    private readonly INamedTypeSymbol? _dateTime;
    private readonly INamedTypeSymbol? _dateTimeOffset;
    private readonly INamedTypeSymbol? _guid;
    private readonly INamedTypeSymbol? _random;
    private readonly INamedTypeSymbol? _randomNumberGenerator;
    private readonly INamedTypeSymbol? _environment;
    private readonly INamedTypeSymbol? _stopwatch;
    private readonly INamedTypeSymbol? _string;

    public NonDeterministicValues(Compilation compilation)
    {
        _dateTime = compilation.GetSpecialType(SpecialType.System_DateTime);
        _dateTimeOffset = compilation.GetTypeByMetadataName("System.DateTimeOffset");
        _guid = compilation.GetTypeByMetadataName("System.Guid");
        _random = compilation.GetTypeByMetadataName("System.Random");
        _randomNumberGenerator = compilation.GetTypeByMetadataName("System.Security.Cryptography.RandomNumberGenerator");
        _environment = compilation.GetTypeByMetadataName("System.Environment");
        _stopwatch = compilation.GetTypeByMetadataName("System.Diagnostics.Stopwatch");
        _string = compilation.GetSpecialType(SpecialType.System_String);
    }

    /// <summary>Describes the non-deterministic source inside <paramref name="value"/> (<c>DateTime.Now</c>), or returns <c>null</c>.</summary>
    public string? FindSource(IOperation value) => FindSource(value, visitedLocals: null);

    private string? FindSource(IOperation? operation, HashSet<ILocalSymbol>? visitedLocals)
    {
        switch (operation)
        {
            case null:
                return null;
            case IConversionOperation conversion:
                return FindSource(conversion.Operand, visitedLocals);
            case IParenthesizedOperation parenthesized:
                return FindSource(parenthesized.Operand, visitedLocals);
            case IPropertyReferenceOperation property:
                return DescribeProperty(property.Property) ?? FindSource(property.Instance, visitedLocals);
            case IFieldReferenceOperation field:
                return FindSource(field.Instance, visitedLocals);
            case IInvocationOperation invocation:
                return DescribeInvocation(invocation, visitedLocals);
            case IObjectCreationOperation creation when creation.Type?.SpecialType == SpecialType.System_Object:
                return "new object()";
            case IInterpolatedStringOperation interpolated:
                foreach (IInterpolatedStringContentOperation part in interpolated.Parts)
                {
                    if (part is IInterpolationOperation interpolation && FindSource(interpolation.Expression, visitedLocals) is { } source)
                    {
                        return source;
                    }
                }

                return null;
            case IBinaryOperation binary:
                return FindSource(binary.LeftOperand, visitedLocals) ?? FindSource(binary.RightOperand, visitedLocals);
            case IUnaryOperation unary:
                return FindSource(unary.Operand, visitedLocals);
            case IConditionalOperation conditional:
                return FindSource(conditional.WhenTrue, visitedLocals) ?? FindSource(conditional.WhenFalse, visitedLocals);
            case ICoalesceOperation coalesce:
                return FindSource(coalesce.Value, visitedLocals) ?? FindSource(coalesce.WhenNull, visitedLocals);
            case IArrayCreationOperation array:
                return FindInAll(array.Initializer?.ElementValues, visitedLocals);
            case ICollectionExpressionOperation collection:
                return FindInAll(collection.Elements, visitedLocals);
            case ILocalReferenceOperation local:
                return DescribeLocal(local, visitedLocals);
            default:
                return null;
        }
    }

    private string? FindInAll(IEnumerable<IOperation>? operations, HashSet<ILocalSymbol>? visitedLocals)
    {
        if (operations is null)
        {
            return null;
        }

        foreach (IOperation operation in operations)
        {
            if (FindSource(operation, visitedLocals) is { } source)
            {
                return source;
            }
        }

        return null;
    }

    private string? DescribeProperty(IPropertySymbol property)
    {
        if (!property.IsStatic)
        {
            return null;
        }

        INamedTypeSymbol type = property.ContainingType;
        string name = property.Name;
        bool nonDeterministic =
            (Is(type, _dateTime) && name is "Now" or "UtcNow" or "Today") ||
            (Is(type, _dateTimeOffset) && name is "Now" or "UtcNow") ||
            (Is(type, _environment) && name is "TickCount" or "TickCount64") ||
            (Is(type, _random) && name == "Shared");
        return nonDeterministic ? type.Name + "." + name : null;
    }

    private string? DescribeInvocation(IInvocationOperation invocation, HashSet<ILocalSymbol>? visitedLocals)
    {
        IMethodSymbol method = invocation.TargetMethod;
        INamedTypeSymbol type = method.ContainingType;
        bool nonDeterministic =
            (Is(type, _guid) && method.Name is "NewGuid" or "CreateVersion7") ||
            (Is(type, _stopwatch) && method.Name == "GetTimestamp") ||
            InheritsFrom(type, _random) ||
            InheritsFrom(type, _randomNumberGenerator);
        if (nonDeterministic)
        {
            return type.Name + "." + method.Name + "()";
        }

        if (invocation.Instance is { } instance)
        {
            return FindSource(instance, visitedLocals);
        }

        // string.Concat and string.Format build a string from their arguments, like interpolation does.
        if (Is(type, _string) && method.Name is "Concat" or "Format" or "Join")
        {
            foreach (IArgumentOperation argument in invocation.Arguments)
            {
                if (FindSource(argument.Value, visitedLocals) is { } source)
                {
                    return source;
                }
            }
        }

        return null;
    }

    private string? DescribeLocal(ILocalReferenceOperation reference, HashSet<ILocalSymbol>? visitedLocals)
    {
        ILocalSymbol local = reference.Local;
        visitedLocals ??= new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        if (!visitedLocals.Add(local))
        {
            return null;
        }

        IOperation root = reference;
        while (root.Parent is { } parent)
        {
            root = parent;
        }

        foreach (IOperation operation in root.Descendants())
        {
            IOperation? assigned = operation switch
            {
                IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local) => declarator.Initializer?.Value,
                IAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, local) => assignment.Value,
                _ => null,
            };

            if (FindSource(assigned, visitedLocals) is { } source)
            {
                return "local '" + local.Name + "' (assigned from " + source + ")";
            }
        }

        return null;
    }

    private static bool Is(INamedTypeSymbol type, INamedTypeSymbol? wellKnown) =>
        wellKnown is not null && SymbolEqualityComparer.Default.Equals(type, wellKnown);

    private static bool InheritsFrom(INamedTypeSymbol? type, INamedTypeSymbol? wellKnown)
    {
        for (; type is not null && wellKnown is not null; type = type.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(type, wellKnown))
            {
                return true;
            }
        }

        return false;
    }
}
