using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LlmCache.AI;
using Microsoft.Extensions.AI;

namespace LlmCache.Tests;

/// <summary>
/// The key bytes of tool and response-format schemas (<see cref="JsonSchemaKeyMemo"/>): the schema-digest tag and the
/// SHA-256 of the schema's canonical bytes, always exactly what writing and digesting the schema afresh gives,
/// whatever instance or tool class it comes from and whether the memo holds it or not.
/// </summary>
public sealed class JsonSchemaKeyMemoTests
{
    public static TheoryData<string> Schemas() =>
    [
        """{"type":"object","properties":{"city":{"type":"string","description":"caf\u00e9"},"days":{"type":"integer","minimum":1}},"required":["city"]}""",
        """{"properties":{"b":{"enum":["x","y",1.50,true,null]},"a":{"type":"array","items":{"type":"number"}}},"type":"object"}""",
        """[1,2,3]""",
        """{}""",
    ];

    [Theory]
    [MemberData(nameof(Schemas))]
    public void A_remembered_schema_writes_the_bytes_a_fresh_write_gives(string schema)
    {
        byte[] fresh = Fresh(MeaiKeyTests.Json(schema));

        // The first write fills the memo, the second (another parse of the same text) is served from it.
        Assert.Equal(fresh, Remembered(MeaiKeyTests.Json(schema)));
        Assert.Equal(fresh, Remembered(MeaiKeyTests.Json(schema)));
    }

    [Fact]
    public void A_schema_is_keyed_by_its_own_tag_and_the_SHA_256_of_its_canonical_bytes()
    {
        const string Schema = """{"type":"object","properties":{"q":{"type":"string"}}}""";
        byte[] canonical = Canonical(MeaiKeyTests.Json(Schema));
        byte[] written = Remembered(MeaiKeyTests.Json(Schema));

        // 0x25, not the string digest's 0x24: no string, however long, writes the bytes of a schema.
        Assert.Equal(33, written.Length);
        Assert.Equal(0x25, written[0]);
        Assert.Equal(SHA256.HashData(canonical), written.AsSpan(1).ToArray());
        Assert.True(canonical.Length > written.Length);
    }

    [Fact]
    public void A_schema_too_large_to_remember_is_keyed_the_same_way()
    {
        // Past the memo's 8 KB: written and digested afresh on every call, to the same bytes each time.
        string schema = "{\"type\":\"object\",\"properties\":{" + string.Join(",", Enumerable.Range(0, 400).Select(i => $"\"p{i}\":{{\"type\":\"string\"}}")) + "}}";
        Assert.True(Encoding.UTF8.GetByteCount(schema) > 8 * 1024);
        byte[] fresh = Fresh(MeaiKeyTests.Json(schema));
        Assert.Equal(fresh, Remembered(MeaiKeyTests.Json(schema)));
        Assert.Equal(fresh, Remembered(MeaiKeyTests.Json(schema)));
        Assert.Equal(33, fresh.Length);
    }

    [Fact]
    public void Schemas_that_share_their_length_and_sampled_bytes_still_get_their_own_bytes()
    {
        // Equal length, equal words at the quarters and the end: only the first letters of the names differ.
        const string First = """{"a":{"type":"string"},"padding_padding_padding_padding_padding":1}""";
        const string Second = """{"b":{"type":"string"},"padding_padding_padding_padding_padding":1}""";
        Assert.Equal(First.Length, Second.Length);
        byte[] first = Remembered(MeaiKeyTests.Json(First));
        byte[] second = Remembered(MeaiKeyTests.Json(Second));
        Assert.NotEqual(first, second);
        Assert.Equal(Fresh(MeaiKeyTests.Json(First)), Remembered(MeaiKeyTests.Json(First)));
        Assert.Equal(Fresh(MeaiKeyTests.Json(Second)), Remembered(MeaiKeyTests.Json(Second)));
    }

    [Fact]
    public void A_tool_key_written_from_the_memo_equals_the_key_written_afresh()
    {
        const string Schema = """{"type":"object","properties":{"airline":{"type":"string"},"date":{"type":"string","format":"date"}},"required":["airline","date"]}""";
        AITool tool = AIFunctionFactory.CreateDeclaration("get_schedule", "Returns the schedule", MeaiKeyTests.Json(Schema), MeaiKeyTests.Json("""{"type":"array"}"""));
        var options = new ChatOptions { Tools = [tool] };

        byte[] first = OptionsKey(options);
        byte[] again = OptionsKey(options);
        Assert.Equal(first, again);
        Assert.Equal(FreshToolOptionsKey("get_schedule", "Returns the schedule", Schema, """{"type":"array"}"""), again);
    }

    [Fact]
    public void A_tool_whose_schema_changes_between_calls_is_keyed_by_its_schema_of_the_moment()
    {
        var tool = new MutableTool("find", "Finds things", MeaiKeyTests.Json("""{"type":"object","properties":{"q":{"type":"string"}}}"""));
        var options = new ChatOptions { Tools = [tool] };
        byte[] before = OptionsKey(options);

        tool.Schema = MeaiKeyTests.Json("""{"type":"object","properties":{"query":{"type":"string"}}}""");
        byte[] after = OptionsKey(options);
        Assert.NotEqual(before, after);
        Assert.Equal(OptionsKey(new ChatOptions { Tools = [new MutableTool("find", "Finds things", MeaiKeyTests.Json("""{"type":"object","properties":{"query":{"type":"string"}}}"""))] }), after);

        tool.Text = "Finds other things";
        Assert.NotEqual(after, OptionsKey(options));
    }

    /// <summary>The key bytes of <paramref name="schema"/> as the format lays them out: the schema-digest tag, then the SHA-256 of its canonical bytes.</summary>
    private static byte[] Fresh(JsonElement schema) => [0x25, .. SHA256.HashData(Canonical(schema))];

    private static byte[] Remembered(JsonElement schema)
    {
        var writer = new CacheKeyWriter(stackalloc byte[64], 1024);
        try
        {
            JsonSchemaKeyMemo.Write(ref writer, schema);
            return writer.WrittenSpan.ToArray();
        }
        finally
        {
            writer.Dispose();
        }
    }

    private static byte[] Canonical(JsonElement schema)
    {
        var writer = new CacheKeyWriter(stackalloc byte[64], 1024);
        try
        {
            AIValueKeyWriter.WriteJson(ref writer, schema);
            return writer.WrittenSpan.ToArray();
        }
        finally
        {
            writer.Dispose();
        }
    }

    private static byte[] OptionsKey(ChatOptions options)
    {
        var writer = new CacheKeyWriter(stackalloc byte[256], ChatOptionsKeyWriter.SizeHint(options));
        try
        {
            ChatOptionsKeyWriter.Write(ref writer, options);
            return writer.WrittenSpan.ToArray();
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>The options key of one function tool, written member by member without the memo, as the key format lays it out.</summary>
    private static byte[] FreshToolOptionsKey(string name, string description, string schema, string returns)
    {
        byte[] withoutTools = OptionsKey(new ChatOptions { Tools = [] });
        var writer = new CacheKeyWriter(stackalloc byte[256], 4096);
        try
        {
            writer.BeginList(1);
            writer.BeginObject(6);
            writer.Write((byte)1);
            writer.WriteString(name);
            writer.WriteString(description);
            writer.WriteEncoded(Fresh(MeaiKeyTests.Json(schema)));
            writer.WriteEncoded(Fresh(MeaiKeyTests.Json(returns)));
            writer.BeginMap(0);
            byte[] tools = writer.WrittenSpan.ToArray();

            // The empty tool list (a list tag and a zero count) is replaced by the list of the one tool.
            var empty = new CacheKeyWriter(stackalloc byte[8]);
            empty.BeginList(0);
            byte[] emptyList = empty.WrittenSpan.ToArray();
            int at = withoutTools.AsSpan().IndexOf(emptyList);
            Assert.True(at > 0);
            var key = new List<byte>(withoutTools.AsSpan(0, at).ToArray());
            key.AddRange(tools);
            key.AddRange(withoutTools.AsSpan(at + emptyList.Length).ToArray());
            return key.ToArray();
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>A tool class of an app's own whose description and schema can change after it is made.</summary>
    private sealed class MutableTool(string name, string description, JsonElement schema) : AIFunctionDeclaration
    {
        public string Text { get; set; } = description;

        public JsonElement Schema { get; set; } = schema;

        public override string Name => name;

        public override string Description => Text;

        public override JsonElement JsonSchema => Schema;
    }
}
