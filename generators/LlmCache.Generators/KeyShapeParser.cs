using System.Collections.Generic;
using System.Linq;
using System.Text;
using LlmCache.Generators.Model;
using Microsoft.CodeAnalysis;

namespace LlmCache.Generators;

/// <summary>
/// Decides at compile time how each key input is written: which <c>CacheKeyWriter</c> call, or which generated
/// object writer for a record, class or struct walked by its public readable members. Anything without a stable
/// key form gets a reason, reported as LLMC0007; nothing falls back to <c>ToString()</c>.
/// </summary>
internal sealed class KeyShapeParser
{
    private const int MaxDepth = 8;
    private const string ChatMessageType = "Microsoft.Extensions.AI.ChatMessage";
    private const string ChatOptionsType = "Microsoft.Extensions.AI.ChatOptions";
    private const string AIContentType = "Microsoft.Extensions.AI.AIContent";

    // Framework collection classes a user type may derive from; it is keyed as the first of them among its base types.
    private static readonly HashSet<string> CollectionBaseClasses = new(System.StringComparer.Ordinal)
    {
        "System.Collections.Generic.List`1",
        "System.Collections.ObjectModel.Collection`1",
        "System.Collections.ObjectModel.ReadOnlyCollection`1",
        "System.Collections.Generic.SortedSet`1",
        "System.Collections.Generic.LinkedList`1",
        "System.Collections.Generic.Queue`1",
        "System.Collections.Generic.SortedDictionary`2",
        "System.Collections.Generic.SortedList`2",
        "System.Collections.Generic.HashSet`1",
        "System.Collections.Generic.Dictionary`2",
        "System.Collections.Concurrent.ConcurrentDictionary`2",
    };

    // The interfaces that give a user type a collection shape, most specific family first: a list keeps its
    // order (at worst a miss, never a wrong answer), so it wins over a dictionary or a set.
    private static readonly string[][] CollectionInterfaces =
    {
        new[] { "System.Collections.Generic.IReadOnlyList`1", "System.Collections.Generic.IList`1" },
        new[] { "System.Collections.Generic.IReadOnlyDictionary`2", "System.Collections.Generic.IDictionary`2" },
        new[] { "System.Collections.Generic.IReadOnlySet`1", "System.Collections.Generic.ISet`1" },
    };

    private readonly Dictionary<string, ObjectWriterSpec?> _objectWriters = new();
    private readonly Dictionary<string, string> _enumMembers = new();
    private readonly HashSet<string> _collectionsInProgress = new();
    private readonly List<string> _order = new();
    private int _nextWriter;

    public EquatableArray<ObjectWriterSpec> ObjectWriters =>
        _order.Select(name => _objectWriters[name]).Where(w => w is not null).Select(w => w!).ToEquatableArray();

    public KeyShape? Parse(ITypeSymbol type, out string? error) => Parse(type, 0, out error);

    /// <summary>The key shape of a parameter's type, which the caller has named (<see cref="TypeNames.FullyQualified"/>) already.</summary>
    public KeyShape? Parse(ITypeSymbol type, string name, out string? error) => Parse(type, name, 0, out error);

    /// <summary>
    /// A short, stable hash of the key's shape: the key parameters' names and order, and for every value the kind
    /// of writer, the types, the walked members' names, and the enum members' names and values. Any change to what
    /// the key bytes mean changes it; an edit elsewhere does not. FNV-1a 64, the same on every machine and run.
    /// </summary>
    public string Fingerprint(IEnumerable<(string Name, KeyShape Shape)> keyParameters)
    {
        var text = new StringBuilder();
        foreach ((string name, KeyShape shape) in keyParameters)
        {
            text.Append(name).Append(':');
            Describe(shape, text);
            text.Append(';');
        }

        foreach (ObjectWriterSpec writer in ObjectWriters)
        {
            text.Append('|').Append(Plain(writer.Type)).Append('{');
            foreach (MemberSpec member in writer.Members)
            {
                text.Append(member.Name).Append(':');
                Describe(member.Shape, text);
                text.Append(';');
            }

            text.Append('}');
        }

        const ulong OffsetBasis = 14695981039346656037;
        const ulong Prime = 1099511628211;
        ulong hash = OffsetBasis;
        foreach (byte b in Encoding.UTF8.GetBytes(text.ToString()))
        {
            hash = (hash ^ b) * Prime;
        }

        return hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }

    private void Describe(KeyShape shape, StringBuilder text)
    {
        text.Append(shape.Kind.ToString());
        switch (shape.Kind)
        {
            case ShapeKind.Scalar:
            case ShapeKind.Custom:
            case ShapeKind.Object:
                text.Append(' ').Append(Plain(shape.Type));
                break;
            case ShapeKind.Runtime:
                text.Append(' ').Append(Plain(shape.Type)).Append(':').Append(Plain(shape.Argument!));
                break;
            case ShapeKind.Enum:
                text.Append(' ').Append(Plain(shape.Type)).Append(':').Append(shape.Argument).Append('{').Append(_enumMembers[shape.Type]).Append('}');
                break;
            case ShapeKind.Nullable:
            case ShapeKind.Array:
            case ShapeKind.List:
            case ShapeKind.Sequence:
            case ShapeKind.Set:
                text.Append('<');
                Describe(shape.Element!, text);
                text.Append('>');
                break;
        }
    }

    // Nullable annotations change no key byte, so they change no fingerprint.
    private static string Plain(string type) => type.Replace("global::", string.Empty).Replace("?", string.Empty);

    private KeyShape? Parse(ITypeSymbol type, int depth, out string? error) => Parse(type, TypeNames.FullyQualified(type), depth, out error);

    private KeyShape? Parse(ITypeSymbol type, string name, int depth, out string? error)
    {
        error = null;
        switch (type)
        {
            case IDynamicTypeSymbol:
                error = "'dynamic' has no type known at compile time";
                return null;
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                error = "a pointer is an address, not the data it points to";
                return null;
            case ITypeParameterSymbol typeParameter:
                if (typeParameter.ConstraintTypes.Any(IsCacheKeyWritable))
                {
                    return new KeyShape(ShapeKind.Custom, name, null, null);
                }

                error = "a type parameter's key form is unknown at compile time; constrain it to LlmCache.ICacheKeyWritable";
                return null;
            case IArrayTypeSymbol array when array.Rank == 1 && TypeNames.IsNamed(array.ElementType, ChatMessageType):
                return MessagesShape(name);
            case IArrayTypeSymbol array:
                if (array.Rank != 1)
                {
                    error = "multi-dimensional arrays are not supported; use a jagged array or a list";
                    return null;
                }

                if (array.ElementType.SpecialType == SpecialType.System_Byte)
                {
                    return new KeyShape(ShapeKind.ByteArray, name, null, null);
                }

                return ParseElement(ShapeKind.Array, name, "Length", array.ElementType, depth, out error);
        }

        if (type is not INamedTypeSymbol named)
        {
            error = "this kind of type has no stable key form";
            return null;
        }

        if (named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
        {
            KeyShape? inner = Parse(named.TypeArguments[0], depth, out error);
            return inner is null ? null : new KeyShape(ShapeKind.Nullable, name, null, inner);
        }

        switch (named.SpecialType)
        {
            case SpecialType.System_Boolean:
            case SpecialType.System_Char:
            case SpecialType.System_SByte:
            case SpecialType.System_Byte:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
            case SpecialType.System_Single:
            case SpecialType.System_Double:
            case SpecialType.System_Decimal:
            case SpecialType.System_DateTime:
                return new KeyShape(ShapeKind.Scalar, name, null, null);
            case SpecialType.System_String:
                return new KeyShape(ShapeKind.String, name, null, null);
            case SpecialType.System_Object:
                error = "'object' says nothing about the data it holds at compile time";
                return null;
            case SpecialType.System_IntPtr:
            case SpecialType.System_UIntPtr:
                error = "native-sized integers differ between 32-bit and 64-bit processes";
                return null;
        }

        if (named.TypeKind == TypeKind.Enum)
        {
            bool unsigned = named.EnumUnderlyingType?.SpecialType == SpecialType.System_UInt64;
            _enumMembers[name] = string.Join(",", named.GetMembers().OfType<IFieldSymbol>()
                .Where(f => f.HasConstantValue)
                .Select(f => f.Name + "=" + System.Convert.ToString(f.ConstantValue, System.Globalization.CultureInfo.InvariantCulture))
                .OrderBy(m => m, System.StringComparer.Ordinal));
            return new KeyShape(ShapeKind.Enum, name, unsigned ? "ulong" : "long", null);
        }

        if (named.TypeKind == TypeKind.Delegate)
        {
            error = "a delegate is code, not data";
            return null;
        }

        string metadataName = TypeNames.Metadata(named.OriginalDefinition);

        // ICacheKeyWritable wins over every other rule, a type derived from ChatOptions or ChatMessage included.
        // A non-generic interface is among a constructed type's interfaces exactly when it is among its definition's,
        // whose list the compilation keeps, while a constructed type's is made anew in each compilation.
        if (IsCacheKeyWritable(named) || named.OriginalDefinition.AllInterfaces.Any(IsCacheKeyWritable))
        {
            return new KeyShape(ShapeKind.Custom, name, null, null);
        }

        KeyShape? meai = ParseMeai(named, metadataName, name, out error);
        if (meai is not null || error is not null)
        {
            return meai;
        }

        switch (metadataName)
        {
            case "System.Guid":
            case "System.DateTimeOffset":
            case "System.TimeSpan":
            case "System.DateOnly":
            case "System.TimeOnly":
            case "System.Half":
            case "System.Int128":
            case "System.UInt128":
                return new KeyShape(ShapeKind.Scalar, name, null, null);
            case "System.ReadOnlyMemory`1":
            case "System.Memory`1":
                if (named.TypeArguments[0].SpecialType == SpecialType.System_Byte)
                {
                    return new KeyShape(ShapeKind.ByteMemory, name, null, null);
                }

                error = "only memory of bytes is supported; use an array or a list of the element type";
                return null;
            case "System.Threading.Tasks.Task":
            case "System.Threading.Tasks.Task`1":
            case "System.Threading.Tasks.ValueTask":
            case "System.Threading.Tasks.ValueTask`1":
                error = "a task is a pending operation; await it and pass its result";
                return null;
            case "System.Collections.Generic.List`1":
            case "System.Collections.Generic.IList`1":
            case "System.Collections.Generic.IReadOnlyList`1":
            case "System.Collections.ObjectModel.Collection`1":
            case "System.Collections.ObjectModel.ReadOnlyCollection`1":
                return ParseElement(ShapeKind.List, name, "Count", named.TypeArguments[0], depth, out error);
            case "System.Collections.Immutable.ImmutableArray`1":
                return ParseElement(ShapeKind.List, name, "Length", named.TypeArguments[0], depth, out error) is { } immutable
                    ? immutable with { IsValueType = true }
                    : null;
            case "System.Collections.Generic.SortedSet`1":
            case "System.Collections.Generic.LinkedList`1":
            case "System.Collections.Generic.Queue`1":
            case "System.Collections.Immutable.ImmutableList`1":
            case "System.Collections.Immutable.ImmutableSortedSet`1":
                return ParseElement(ShapeKind.Sequence, name, "Count", named.TypeArguments[0], depth, out error);
            case "System.Collections.Generic.SortedDictionary`2":
            case "System.Collections.Generic.SortedList`2":
            case "System.Collections.Immutable.ImmutableSortedDictionary`2":
                return ParseElement(ShapeKind.Sequence, name, "Count", KeyValuePairOf(named), depth, out error);
            case "System.Collections.Generic.HashSet`1":
            case "System.Collections.Generic.ISet`1":
            case "System.Collections.Generic.IReadOnlySet`1":
            case "System.Collections.Immutable.ImmutableHashSet`1":
            case "System.Collections.Frozen.FrozenSet`1":
                return ParseElement(ShapeKind.Set, name, "Count", named.TypeArguments[0], depth, out error);
            case "System.Collections.Generic.Dictionary`2":
            case "System.Collections.Generic.IDictionary`2":
            case "System.Collections.Generic.IReadOnlyDictionary`2":
            case "System.Collections.Concurrent.ConcurrentDictionary`2":
            case "System.Collections.Immutable.ImmutableDictionary`2":
            case "System.Collections.Frozen.FrozenDictionary`2":
                return ParseElement(ShapeKind.Set, name, "Count", KeyValuePairOf(named), depth, out error);
            case "System.Collections.Generic.IEnumerable`1":
            case "System.Collections.Generic.ICollection`1":
            case "System.Collections.Generic.IReadOnlyCollection`1":
                error = "a plain sequence may be lazy, single-use or unordered; pass an IReadOnlyList<T> or an array";
                return null;
        }

        if (IsStream(named))
        {
            return new KeyShape(ShapeKind.Stream, name, null, null);
        }

        if (!TypeNames.IsFramework(named) && AsCollection(named, out error) is { } collection)
        {
            return ParseUserCollection(named, collection, depth, out error);
        }

        return error is null ? ParseObject(named, TypeNames.FullyQualifiedNonNullable(named), metadataName, depth, out error) : null;
    }

    /// <summary>
    /// Microsoft.Extensions.AI requests: messages (alone or in a list, so tool call ids are numbered across the
    /// list), contents and options go to the runtime's hand-written writers. A user type derived from
    /// <c>ChatOptions</c> or <c>ChatMessage</c> gets a reason: the writers key instances of those types only.
    /// </summary>
    private static KeyShape? ParseMeai(INamedTypeSymbol type, string metadataName, string name, out string? error)
    {
        error = null;
        switch (metadataName)
        {
            case ChatMessageType:
                return new KeyShape(ShapeKind.Runtime, name, "global::LlmCache.AI.ChatMessageKeyWriter", null, ChecksRuntimeType: true);
            case ChatOptionsType:
                return new KeyShape(ShapeKind.Runtime, name, "global::LlmCache.AI.ChatOptionsKeyWriter", null, ChecksRuntimeType: true);
            case "System.Collections.Generic.List`1":
            case "System.Collections.Generic.IList`1":
            case "System.Collections.Generic.IReadOnlyList`1":
                return TypeNames.IsNamed(type.TypeArguments[0], ChatMessageType) ? MessagesShape(name) : null;
        }

        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            string currentName = TypeNames.Metadata(current.OriginalDefinition);
            if (currentName == AIContentType && metadataName.StartsWith("Microsoft.Extensions.AI.", System.StringComparison.Ordinal))
            {
                // Any of MEAI's contents: the writer goes by the run-time type, with one fallback for the rest.
                return new KeyShape(ShapeKind.Runtime, name, "global::LlmCache.AI.AIContentKeyWriter", null);
            }

            if (!SymbolEqualityComparer.Default.Equals(current, type) && currentName is ChatOptionsType or ChatMessageType)
            {
                // A subclass with state of its own is LLMC0013, reported before this; this one adds none, but the
                // runtime writer keys only instances of the type itself.
                error = $"it derives from '{TypeNames.Display(current)}', and LlmCache keys only instances of {current.Name} itself (an instance of a derived type would bypass the cache at run time); pass a plain {current.Name} and put extra settings in its AdditionalProperties, or implement ICacheKeyWritable";
                return null;
            }
        }

        return null;
    }

    private static KeyShape MessagesShape(string name) =>
        new(ShapeKind.Runtime, name, "global::LlmCache.AI.ChatMessageKeyWriter", null, ChecksRuntimeType: true);

    /// <summary>
    /// The collection a user type is, if any: the first supported framework collection among its base types, else
    /// the one list, dictionary or set interface it implements. A type that is a sequence of another shape, or
    /// two different lists at once, gets a reason instead: its elements are its data, and no member walk sees them.
    /// </summary>
    private static INamedTypeSymbol? AsCollection(INamedTypeSymbol type, out string? error)
    {
        error = null;
        for (INamedTypeSymbol? current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (CollectionBaseClasses.Contains(TypeNames.Metadata(current.OriginalDefinition)))
            {
                return current;
            }
        }

        foreach (string[] family in CollectionInterfaces)
        {
            List<INamedTypeSymbol> matches = type.AllInterfaces
                .Where(i => family.Contains(TypeNames.Metadata(i.OriginalDefinition)))
                .GroupBy(i => string.Join(",", i.TypeArguments.Select(TypeNames.FullyQualifiedNonNullable)))
                .Select(g => g.OrderBy(i => System.Array.IndexOf(family, TypeNames.Metadata(i.OriginalDefinition))).First())
                .ToList();
            if (matches.Count > 1)
            {
                error = $"it is a collection in more than one way ({string.Join(", ", matches.Select(TypeNames.Display))}), so which elements count is ambiguous; implement ICacheKeyWritable";
                return null;
            }

            if (matches.Count == 1)
            {
                return matches[0];
            }
        }

        if (type.OriginalDefinition.AllInterfaces.Any(i => TypeNames.IsNamed(i, "System.Collections.IEnumerable")))
        {
            error = "it is a sequence, but not a list, set or dictionary (IReadOnlyList<T>, ISet<T>, IDictionary<K,V>), so its elements have no known order or shape; implement one of those or ICacheKeyWritable";
        }

        return null;
    }

    /// <summary>
    /// A user collection is keyed as the collection it is, by its elements. Data of its own beside the elements
    /// (a public member that implements no collection interface) would be missed, so it is a reason, not a guess.
    /// </summary>
    private KeyShape? ParseUserCollection(INamedTypeSymbol type, INamedTypeSymbol collection, int depth, out string? error)
    {
        if (depth > MaxDepth)
        {
            error = $"it is nested more than {MaxDepth} levels deep; implement ICacheKeyWritable on an outer type";
            return null;
        }

        var implementations = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (INamedTypeSymbol contract in type.AllInterfaces)
        {
            foreach (ISymbol member in contract.GetMembers())
            {
                if (type.FindImplementationForInterfaceMember(member) is { } implementation)
                {
                    implementations.Add(implementation);
                }
            }
        }

        if (ReadableMembers(type).FirstOrDefault(m => !implementations.Contains(m)) is { } own)
        {
            error = $"it is a collection, keyed by its elements, but its member '{own.Name}' is data of its own that the key would miss; mark the member [NotCacheKey] or implement ICacheKeyWritable";
            return null;
        }

        string name = TypeNames.FullyQualifiedNonNullable(type);
        if (!_collectionsInProgress.Add(name))
        {
            error = "it refers to itself; implement ICacheKeyWritable to say which of its data counts";
            return null;
        }

        // The key builder reads the elements through the collection type, whatever the user type hides or adds.
        KeyShape? shape = Parse(collection.WithNullableAnnotation(type.NullableAnnotation), depth, out error);
        _collectionsInProgress.Remove(name);
        return shape;
    }

    private KeyShape? ParseElement(ShapeKind kind, string name, string countMember, ITypeSymbol elementType, int depth, out string? error)
    {
        KeyShape? element = Parse(elementType, depth + 1, out error);
        if (element is null)
        {
            error = $"its elements of type '{TypeNames.Display(elementType)}' have no key form: {error}";
            return null;
        }

        return new KeyShape(kind, name, countMember, element);
    }

    private KeyShape? ParseObject(INamedTypeSymbol type, string name, string metadataName, int depth, out string? error)
    {
        error = null;
        bool framework = metadataName.StartsWith("System.", System.StringComparison.Ordinal) || metadataName.StartsWith("Microsoft.", System.StringComparison.Ordinal);
        bool walkable = !framework || metadataName.StartsWith("System.ValueTuple`", System.StringComparison.Ordinal) || metadataName == "System.Collections.Generic.KeyValuePair`2";
        if (!walkable)
        {
            error = metadataName.StartsWith("Microsoft.Extensions.AI.", System.StringComparison.Ordinal)
                ? "among Microsoft.Extensions.AI types only ChatMessage (alone, or in a list or an array), AIContent and ChatOptions are key inputs; pass this one's data as supported values or wrap it in a type that implements ICacheKeyWritable"
                : "framework types are keyed only when LlmCache knows their stable form, and this one isn't among them";
            return null;
        }

        if (type.TypeKind == TypeKind.Interface || type.IsAbstract)
        {
            error = "an abstract type or interface would key only the members it declares and miss a derived type's data";
            return null;
        }

        if (!framework && FrameworkBase(type) is { } frameworkBase)
        {
            error = $"it derives from the framework type '{TypeNames.Display(frameworkBase)}', whose data its public members may not show; implement ICacheKeyWritable, or hold that value in a member instead of deriving from it";
            return null;
        }

        if (_objectWriters.TryGetValue(name, out ObjectWriterSpec? known))
        {
            if (known is not null)
            {
                return new KeyShape(ShapeKind.Object, name, known.Name, null);
            }

            error = "it refers to itself; implement ICacheKeyWritable to say which of its data counts";
            return null;
        }

        if (depth > MaxDepth)
        {
            error = $"it is nested more than {MaxDepth} levels deep; implement ICacheKeyWritable on an outer type";
            return null;
        }

        string writerName = "WriteObject" + (_nextWriter++).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _objectWriters[name] = null;
        var members = new List<MemberSpec>();
        foreach (ISymbol member in ReadableMembers(type))
        {
            ITypeSymbol memberType = member is IPropertySymbol property ? property.Type : ((IFieldSymbol)member).Type;
            KeyShape? shape = Parse(memberType, depth + 1, out string? memberError);
            if (shape is null)
            {
                _objectWriters.Remove(name);
                error = $"its member '{member.Name}' of type '{TypeNames.Display(memberType)}' has no key form: {memberError}";
                return null;
            }

            members.Add(new MemberSpec(member.Name, shape));
        }

        if (members.Count == 0)
        {
            _objectWriters.Remove(name);
            error = "it has no public readable data; implement ICacheKeyWritable";
            return null;
        }

        // An instance of a derived type may carry data these members miss, so a type that can be derived from is
        // checked at run time: the generated code bypasses the cache for an instance of any other type.
        var writer = new ObjectWriterSpec(writerName, name, type.IsValueType, members.ToEquatableArray(), ChecksRuntimeType: !type.IsValueType && !type.IsSealed);
        _objectWriters[name] = writer;
        _order.Add(name);
        return new KeyShape(ShapeKind.Object, name, writerName, null);
    }

    /// <summary>
    /// Public instance properties with a public getter and public instance fields, in ordinal name order: the
    /// type's own and its base types', up to the first framework base type (whose members say nothing certain about its data).
    /// </summary>
    private static IEnumerable<ISymbol> ReadableMembers(INamedTypeSymbol type)
    {
        var seen = new HashSet<string>();
        var members = new List<ISymbol>();
        for (INamedTypeSymbol? current = type; current is not null && (SymbolEqualityComparer.Default.Equals(current, type) || !TypeNames.IsFramework(current)); current = current.BaseType)
        {
            foreach (ISymbol member in current.GetMembers())
            {
                if (member.IsStatic || member.DeclaredAccessibility != Accessibility.Public || member.IsImplicitlyDeclared && member is not IFieldSymbol { CorrespondingTupleField: not null } || HasNotCacheKey(member))
                {
                    continue;
                }

                bool readable = member switch
                {
                    IPropertySymbol { IsIndexer: false, GetMethod.DeclaredAccessibility: Accessibility.Public } => true,
                    IFieldSymbol { IsConst: false } field => field.AssociatedSymbol is null,
                    _ => false,
                };
                if (readable && seen.Add(member.Name))
                {
                    members.Add(member);
                }
            }
        }

        return members.OrderBy(m => m.Name, System.StringComparer.Ordinal);
    }

    /// <summary>The first base type, other than object and ValueType, that belongs to the framework.</summary>
    private static INamedTypeSymbol? FrameworkBase(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type.BaseType; current is not null && current.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); current = current.BaseType)
        {
            if (TypeNames.IsFramework(current))
            {
                return current;
            }
        }

        return null;
    }

    private static ITypeSymbol KeyValuePairOf(INamedTypeSymbol dictionary)
    {
        INamedTypeSymbol? keyValuePair = dictionary.AllInterfaces
            .Select(i => i.TypeArguments.Length == 1 ? i.TypeArguments[0] as INamedTypeSymbol : null)
            .FirstOrDefault(t => t is not null && TypeNames.IsNamed(t.OriginalDefinition, "System.Collections.Generic.KeyValuePair`2"));
        return keyValuePair!;
    }

    private static bool HasNotCacheKey(ISymbol member) =>
        member.GetAttributes().Any(a => a.AttributeClass is { } c && TypeNames.IsNamed(c, "LlmCache.NotCacheKeyAttribute"));

    private static bool IsCacheKeyWritable(ITypeSymbol type) => TypeNames.IsNamed(type, "LlmCache.ICacheKeyWritable");

    private static bool IsStream(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (TypeNames.IsNamed(current, "System.IO.Stream"))
            {
                return true;
            }
        }

        return false;
    }
}
