using System;
using System.Buffers;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;

namespace LlmCache.AI;

/// <summary>
/// Writes the loosely typed values of Microsoft.Extensions.AI in a canonical form: JSON elements (schemas,
/// arguments) with object properties in ordinal name order, dictionaries in key order, and the usual .NET values
/// by their runtime type. Pooled arrays do the sorting, so a warm key costs no allocation.
/// </summary>
internal static class AIValueKeyWriter
{
    // Objects nested deeper than this are cut off with an error: a schema that deep is a mistake or an attack.
    private const int MaxDepth = 64;

    // Kinds written before a value that is not a plain JSON or scalar value.
    private const byte SerializedKind = 0xFE;

    private static readonly Comparison<JsonProperty> ByRawName =
        static (a, b) => JsonMarshal.GetRawUtf8PropertyName(a).SequenceCompareTo(JsonMarshal.GetRawUtf8PropertyName(b));

    private static readonly Comparison<KeyValuePair<string, object?>> ByKey =
        static (a, b) => string.CompareOrdinal(a.Key, b.Key);

    private static readonly Comparison<KeyValuePair<string, long>> ByCountKey =
        static (a, b) => string.CompareOrdinal(a.Key, b.Key);

    /// <summary>A generous estimate of what <see cref="WriteJson(ref CacheKeyWriter, JsonElement)"/> writes; the writer grows if it is short.</summary>
    public static int JsonSizeHint(JsonElement element) =>
        element.ValueKind == JsonValueKind.Undefined ? 1 : 16 + (JsonMarshal.GetRawUtf8Value(element).Length * 3);

    public static void WriteJson(ref CacheKeyWriter writer, JsonElement element) => WriteJson(ref writer, element, 0);

    public static void WriteJson(ref CacheKeyWriter writer, JsonElement? element)
    {
        if (element is { } value)
        {
            WriteJson(ref writer, value, 0);
        }
        else
        {
            writer.WriteNull();
        }
    }

    /// <summary>Writes additional properties (on messages, contents, options, tools) in ordinal key order.</summary>
    public static void WriteProperties(ref CacheKeyWriter writer, AdditionalPropertiesDictionary? properties) =>
        WriteProperties(ref writer, properties, skipCacheControls: false);

    /// <summary>
    /// Writes a request's additional properties without LlmCache's own per-call controls (<c>llmcache.*</c>, see
    /// <see cref="CacheControlProperties"/>): they say how to cache, not what to ask. Properties that hold nothing
    /// but controls, and an empty dictionary, are written as none, so adding a control never changes the key.
    /// </summary>
    public static void WriteRequestProperties(ref CacheKeyWriter writer, AdditionalPropertiesDictionary? properties) =>
        WriteProperties(ref writer, properties, skipCacheControls: true);

    private static void WriteProperties(ref CacheKeyWriter writer, AdditionalPropertiesDictionary? properties, bool skipCacheControls)
    {
        if (properties is null)
        {
            writer.WriteNull();
            return;
        }

        KeyValuePair<string, object?>[] entries = ArrayPool<KeyValuePair<string, object?>>.Shared.Rent(properties.Count);
        int count = 0;
        foreach (KeyValuePair<string, object?> entry in properties)
        {
            if (!skipCacheControls || !CacheControlProperties.IsControl(entry.Key))
            {
                entries[count++] = entry;
            }
        }

        if (count == 0 && (skipCacheControls || properties.Count > 0))
        {
            ArrayPool<KeyValuePair<string, object?>>.Shared.Return(entries, clearArray: true);
            writer.WriteNull();
            return;
        }

        WriteSortedEntries(ref writer, entries, count, 0);
    }

    /// <summary>Writes read-only additional properties (on tools) in ordinal key order.</summary>
    public static void WriteProperties(ref CacheKeyWriter writer, IReadOnlyDictionary<string, object?>? properties)
    {
        switch (properties)
        {
            case null:
                writer.WriteNull();
                return;
            case AdditionalPropertiesDictionary dictionary:
                WriteProperties(ref writer, dictionary);
                return;
            case { Count: 0 }:
                writer.BeginMap(0);
                return;
        }

        // Another dictionary type pays for its boxed enumerator.
        KeyValuePair<string, object?>[] entries = ArrayPool<KeyValuePair<string, object?>>.Shared.Rent(properties.Count);
        int count = 0;
        foreach (KeyValuePair<string, object?> entry in properties)
        {
            entries[count++] = entry;
        }

        WriteSortedEntries(ref writer, entries, count, 0);
    }

    /// <summary>Writes a dictionary of counts (usage details) in ordinal key order.</summary>
    public static void WriteCounts(ref CacheKeyWriter writer, AdditionalPropertiesDictionary<long>? counts)
    {
        if (counts is null)
        {
            writer.WriteNull();
            return;
        }

        KeyValuePair<string, long>[] entries = ArrayPool<KeyValuePair<string, long>>.Shared.Rent(counts.Count);
        int count = 0;
        foreach (KeyValuePair<string, long> entry in counts)
        {
            entries[count++] = entry;
        }

        Span<KeyValuePair<string, long>> sorted = entries.AsSpan(0, count);
        sorted.Sort(ByCountKey);
        writer.BeginMap(count);
        foreach (KeyValuePair<string, long> entry in sorted)
        {
            writer.WriteString(entry.Key);
            writer.Write(entry.Value);
        }

        ArrayPool<KeyValuePair<string, long>>.Shared.Return(entries, clearArray: true);
    }

    /// <summary>
    /// Writes a value by its runtime type: null, strings, numbers, booleans and the other fixed-size values
    /// through their own writer calls; a <see cref="JsonElement"/> canonically; a string-keyed dictionary in key
    /// order; a list in its order. Any other type is written as its type's name and its JSON through
    /// <see cref="AIJsonUtilities.DefaultOptions"/> (which allocates), the one documented fallback.
    /// </summary>
    public static void WriteValue(ref CacheKeyWriter writer, object? value) => WriteValue(ref writer, value, 0);

    /// <summary>Writes a string-keyed dictionary (function call arguments) in ordinal key order.</summary>
    public static void WriteDictionary(ref CacheKeyWriter writer, IDictionary<string, object?>? dictionary) =>
        WriteDictionary(ref writer, dictionary, 0);

    /// <summary>
    /// The fallback for a value of a type without a writer: its type's full name, then its JSON as
    /// <see cref="AIJsonUtilities.DefaultOptions"/> writes it. Deterministic, but it allocates, so it is kept off the
    /// path of the types MEAI requests are made of.
    /// </summary>
    public static void WriteSerialized(ref CacheKeyWriter writer, object value)
    {
        Type type = value.GetType();
        JsonTypeInfo info;
        try
        {
            info = AIJsonUtilities.DefaultOptions.GetTypeInfo(type);
        }
        catch (NotSupportedException e)
        {
            throw new NotSupportedException(
                $"LlmCache cannot key a value of type '{type.FullName}': it has no key writer and Microsoft.Extensions.AI's JSON options cannot serialize it. " +
                "Use a JsonElement, a string, a number, a boolean, or a dictionary or list of those.", e);
        }

        writer.Write(SerializedKind);
        writer.WriteString(type.FullName);
        writer.WriteBytes(JsonSerializer.SerializeToUtf8Bytes(value, info));
    }

    private static void WriteValue(ref CacheKeyWriter writer, object? value, int depth)
    {
        switch (value)
        {
            case null:
                writer.WriteNull();
                break;
            case string text:
                writer.WriteString(text);
                break;
            case JsonElement element:
                WriteJson(ref writer, element, depth);
                break;
            case bool flag:
                writer.Write(flag);
                break;
            case int number:
                writer.Write(number);
                break;
            case long number:
                writer.Write(number);
                break;
            case double number:
                writer.Write(number);
                break;
            case float number:
                writer.Write(number);
                break;
            case decimal number:
                writer.Write(number);
                break;
            case short number:
                writer.Write(number);
                break;
            case byte number:
                writer.Write(number);
                break;
            case uint number:
                writer.Write(number);
                break;
            case ulong number:
                writer.Write(number);
                break;
            case Guid guid:
                writer.Write(guid);
                break;
            case DateTime time:
                writer.Write(time);
                break;
            case DateTimeOffset time:
                writer.Write(time);
                break;
            case TimeSpan span:
                writer.Write(span);
                break;
            case IDictionary<string, object?> dictionary:
                WriteDictionary(ref writer, dictionary, depth + 1);
                break;
            case IList<object?> list:
                CheckDepth(depth);
                writer.BeginList(list.Count);
                for (int i = 0; i < list.Count; i++)
                {
                    WriteValue(ref writer, list[i], depth + 1);
                }

                break;
            default:
                WriteSerialized(ref writer, value);
                break;
        }
    }

    private static void WriteDictionary(ref CacheKeyWriter writer, IDictionary<string, object?>? dictionary, int depth)
    {
        if (dictionary is null)
        {
            writer.WriteNull();
            return;
        }

        CheckDepth(depth);
        KeyValuePair<string, object?>[] entries = ArrayPool<KeyValuePair<string, object?>>.Shared.Rent(dictionary.Count);
        int count = 0;

        // The concrete dictionaries' struct enumerators; only another IDictionary pays for a boxed one.
        switch (dictionary)
        {
            case Dictionary<string, object?> plain:
                foreach (KeyValuePair<string, object?> entry in plain)
                {
                    entries[count++] = entry;
                }

                break;
            case AdditionalPropertiesDictionary properties:
                foreach (KeyValuePair<string, object?> entry in properties)
                {
                    entries[count++] = entry;
                }

                break;
            default:
                foreach (KeyValuePair<string, object?> entry in dictionary)
                {
                    entries[count++] = entry;
                }

                break;
        }

        WriteSortedEntries(ref writer, entries, count, depth);
    }

    private static void WriteSortedEntries(ref CacheKeyWriter writer, KeyValuePair<string, object?>[] entries, int count, int depth)
    {
        try
        {
            Span<KeyValuePair<string, object?>> sorted = entries.AsSpan(0, count);
            sorted.Sort(ByKey);
            writer.BeginMap(count);
            foreach (KeyValuePair<string, object?> entry in sorted)
            {
                writer.WriteString(entry.Key);
                WriteValue(ref writer, entry.Value, depth + 1);
            }
        }
        finally
        {
            ArrayPool<KeyValuePair<string, object?>>.Shared.Return(entries, clearArray: true);
        }
    }

    private static void WriteJson(ref CacheKeyWriter writer, JsonElement element, int depth)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Undefined:
            case JsonValueKind.Null:
                writer.WriteNull();
                break;
            case JsonValueKind.True:
                writer.Write(true);
                break;
            case JsonValueKind.False:
                writer.Write(false);
                break;
            case JsonValueKind.Number:
                writer.WriteJsonNumber(JsonMarshal.GetRawUtf8Value(element));
                break;
            case JsonValueKind.String:
                writer.WriteJsonString(JsonMarshal.GetRawUtf8Value(element));
                break;
            case JsonValueKind.Array:
                CheckDepth(depth);
                writer.BeginList(element.GetArrayLength());
                foreach (JsonElement item in element.EnumerateArray())
                {
                    WriteJson(ref writer, item, depth + 1);
                }

                break;
            case JsonValueKind.Object:
                CheckDepth(depth);
                WriteJsonObject(ref writer, element, depth);
                break;
        }
    }

    private static void WriteJsonObject(ref CacheKeyWriter writer, JsonElement element, int depth)
    {
        int count = element.GetPropertyCount();
        JsonProperty[] properties = ArrayPool<JsonProperty>.Shared.Rent(count);
        try
        {
            int i = 0;
            foreach (JsonProperty property in element.EnumerateObject())
            {
                properties[i++] = property;
            }

            Span<JsonProperty> sorted = properties.AsSpan(0, i);
            sorted.Sort(ByRawName);
            writer.BeginMap(i);
            foreach (JsonProperty property in sorted)
            {
                writer.WriteJsonString(JsonMarshal.GetRawUtf8PropertyName(property));
                WriteJson(ref writer, property.Value, depth + 1);
            }
        }
        finally
        {
            ArrayPool<JsonProperty>.Shared.Return(properties, clearArray: true);
        }
    }

    private static void CheckDepth(int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException($"A Microsoft.Extensions.AI value nested more than {MaxDepth} levels deep cannot be keyed.");
        }
    }
}
