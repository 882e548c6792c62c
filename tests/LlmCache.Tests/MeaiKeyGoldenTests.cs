using System;
using System.Collections.Generic;
using LlmCache.AI;
using Microsoft.Extensions.AI;

namespace LlmCache.Tests;

/// <summary>
/// The key bytes of a small MEAI request, pinned: the content kinds, member order and tags are part of the stored
/// key format, and a change orphans stored entries (it needs a FormatVersion bump).
/// </summary>
public sealed class MeaiKeyGoldenTests
{
    [Fact]
    public void A_small_request_has_the_pinned_key_bytes()
    {
        List<ChatMessage> messages =
        [
            new(ChatRole.User, "hi"),
            new(ChatRole.Assistant, [new FunctionCallContent("call_x", "f", new Dictionary<string, object?> { ["n"] = MeaiKeyTests.Json("1") })]),
        ];
        var options = new ChatOptions { ModelId = "m", Temperature = 0.5f };

        var writer = new CacheKeyWriter(Span<byte>.Empty);
        try
        {
            ChatMessageKeyWriter.Write(ref writer, messages);
            ChatOptionsKeyWriter.Write(ref writer, options);
            string actual = Convert.ToHexString(writer.WrittenSpan);
            Assert.True(actual == Golden, $"key bytes changed: {actual}");
        }
        finally
        {
            writer.Dispose();
        }
    }

    private const string Golden =
        "1B020000001C04000000110400000075736572001B010000001C0300000005011102000000686900001C040000001109000000617373697374616E74001B010000001C0500000005050900000000110100000066220100000011010000006E23010000003100001C1300000011010000006D000D0000003F00000000000000000000000000000000";
}
