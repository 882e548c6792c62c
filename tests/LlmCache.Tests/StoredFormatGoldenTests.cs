using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Tests;

/// <summary>
/// The stored format, pinned: fixed inputs whose canonical key bytes, SHA-256 remote key and envelope bytes are
/// compared with values written here. Every entry in Redis, S3 or on disk is found by these bytes, so a change
/// that makes any of these tests fail orphans every stored entry (or, worse, lets old entries be misread). Such a
/// change must be deliberate: bump <see cref="CacheEntryEnvelope.FormatVersion"/> for the envelope, or the
/// identity (KeyVersion, the key-shape fingerprint) for keys, and only then rewrite the literals below.
/// </summary>
public sealed class StoredFormatGoldenTests
{
    // The method identity, written into every key: a change here (a new fingerprint) is a new keyspace.
    private const string GoldenIdentity =
        "LlmCache.Tests.GoldenService.Answer(string,int,double,LlmCache.Tests.GoldenTone,LlmCache.Tests.GoldenTurn," +
        "System.Collections.Generic.IReadOnlyList<string>,System.Collections.Generic.Dictionary<string, int>,byte[],System.Guid,System.DateTimeOffset,decimal)->string#v0#kbf0ed9c7a0dada42";

    // The canonical key of GoldenService.Answer(GoldenInputs): namespace "golden", the identity, then each input with its tag and length.
    private const string GoldenKeyHex =
        "011106000000676f6c64656e021c0100004c6c6d43616368652e54657374732e476f6c64656e536572766963652e416e7377657228737472696e672c" +
        "696e742c646f75626c652c4c6c6d43616368652e54657374732e476f6c64656e546f6e652c4c6c6d43616368652e54657374732e476f6c64656e5475" +
        "726e2c53797374656d2e436f6c6c656374696f6e732e47656e657269632e49526561644f6e6c794c6973743c737472696e673e2c53797374656d2e43" +
        "6f6c6c656374696f6e732e47656e657269632e44696374696f6e6172793c737472696e672c20696e743e2c627974655b5d2c53797374656d2e477569" +
        "642c53797374656d2e4461746554696d654f66667365742c646563696d616c292d3e737472696e67237630236b626630656439633761306461646134" +
        "32110600000053617920686909000100000e000000000000d03f1d01000000000000001c03000000110400000075736572001109000000436166c3a9" +
        "20e298951b0200000011020000000a0a1103000000454e4422020000001c0200000011010000006109010000001c0200000011010000006209020000" +
        "00190400000089504e47130e2a1c6fb5524e4d9a533f5b2c6b7a101500e02c4a2d49de080068c461080000000fcf0700000000000000000000000002" +
        "00";

    // SHA-256 of the canonical key: the digest every store outside the process is keyed by.
    private const string GoldenRemoteHex = "a8b0d88c475806fab71fee84068e15003e16f94788bbd6f7b3762a7714dd4913";

    // CacheEntryEnvelope.Encode of GoldenEntry: magic, version, kind, created/expires (Unix ms), length, payload, XxHash64.
    private const string GoldenEnvelopeHex = "4c43010100d66d799b01000080c4a4799b01000006000000616e73776572a1a1b26b32e4c97d";

    private static readonly CacheEntry GoldenEntry = new(
        "answer"u8.ToArray(),
        CachePayloadKind.Utf8String,
        new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2026, 1, 1, 13, 0, 0, TimeSpan.Zero));

    [Fact]
    public void The_canonical_key_bytes_are_unchanged()
    {
        Assert.Equal(GoldenIdentity, GoldenService.__LlmCache_Answer.Method.Identity);
        Assert.Equal(GoldenKeyHex, Convert.ToHexString(GoldenKey()).ToLowerInvariant());
    }

    [Fact]
    public void The_remote_key_is_unchanged()
    {
        byte[] key = GoldenKey();

        Assert.Equal(GoldenRemoteHex, Convert.ToHexString(CacheKeyDigests.ComputeRemote(key)).ToLowerInvariant());
        Assert.Equal("golden:" + GoldenRemoteHex, CacheStoreKey.FromCanonicalKey("golden", key).Render(null));
    }

    [Fact]
    public void The_envelope_bytes_are_unchanged()
    {
        Assert.Equal(GoldenEnvelopeHex, Convert.ToHexString(CacheEntryEnvelope.Encode(GoldenEntry)).ToLowerInvariant());
    }

    [Fact]
    public async Task A_cached_call_stores_exactly_the_golden_key_and_envelope()
    {
        var store = new CapturingStore();
        using var runtime = new LlmCacheRuntime(new LlmCacheOptions { TimeProvider = new ManualTimeProvider() }.UseStore(CacheType.Custom, store));

        string answer = GoldenInputs.Call(new GoldenService(runtime));
        (CacheStoreKey key, CacheEntry entry) = await store.Written.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("answer", answer);
        Assert.Equal("golden:" + GoldenRemoteHex, key.Render(null));
        Assert.Equal(GoldenEnvelopeHex, Convert.ToHexString(CacheEntryEnvelope.Encode(entry)).ToLowerInvariant());
    }

    private static byte[] GoldenKey()
    {
        using var runtime = new LlmCacheRuntime();
        CachedMethod<string> method = GoldenService.__LlmCache_Answer.Method;
        CacheControl control = default;
        var writer = new CacheKeyWriter(stackalloc byte[1024], runtime.GetKeyHeaderSize(method, in control) + GoldenInputs.MaxKeySize());
        try
        {
            runtime.WriteKeyHeader(ref writer, method, in control);
            GoldenInputs.WriteKey(ref writer);
            return writer.WrittenSpan.ToArray();
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>Records the first write; the runtime may write remote tiers off the caller's path.</summary>
    private sealed class CapturingStore : ICacheStore
    {
        public TaskCompletionSource<(CacheStoreKey Key, CacheEntry Entry)> Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "capture";

        public ValueTask<CacheEntry?> GetAsync(CacheStoreKey key, CancellationToken cancellationToken = default) => new((CacheEntry?)null);

        public ValueTask SetAsync(CacheStoreKey key, CacheEntry entry, CancellationToken cancellationToken = default)
        {
            Written.TrySetResult((key, entry));
            return ValueTask.CompletedTask;
        }

        public ValueTask<bool> RemoveAsync(CacheStoreKey key, CancellationToken cancellationToken = default) => new(false);

        public ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}

/// <summary>The fixed inputs of the golden key: one of each family of key input.</summary>
internal static class GoldenInputs
{
    private static readonly GoldenTurn Turn = new("user", "Café ☕", null);
    private static readonly string[] Stop = { "\n\n", "END" };
    private static readonly byte[] Image = { 0x89, 0x50, 0x4e, 0x47 };
    private static readonly Guid Id = new("6f1c2a0e-52b5-4d4e-9a53-3f5b2c6b7a10");
    private static readonly DateTimeOffset At = new(2026, 1, 1, 12, 0, 0, TimeSpan.FromHours(1));

    private static Dictionary<string, int> Weights => new() { ["b"] = 2, ["a"] = 1 };

    public static string Call(GoldenService service) => service.Answer("Say hi", 256, 0.25, GoldenTone.Formal, Turn, Stop, Weights, Image, Id, At, 19.99m);

    public static int MaxKeySize() => GoldenService.__LlmCache_Answer.GetMaxKeySize("Say hi", 256, 0.25, GoldenTone.Formal, Turn, Stop, Weights, Image, Id, At, 19.99m);

    public static void WriteKey(ref CacheKeyWriter writer) =>
        GoldenService.__LlmCache_Answer.WriteKey(ref writer, "Say hi", 256, 0.25, GoldenTone.Formal, Turn, Stop, Weights, Image, Id, At, 19.99m);
}

public enum GoldenTone
{
    Plain = 0,
    Formal = 1,
}

public sealed record GoldenTurn(string Role, string Text, int? Seed);

/// <summary>The cached method whose stored form the golden tests pin.</summary>
public sealed partial class GoldenService(LlmCacheRuntime cache)
{
    [LlmCached(Type = CacheType.Custom, Ttl = 3600, Namespace = "golden")]
    public partial string Answer(string prompt, int maxTokens, double temperature, GoldenTone tone, GoldenTurn turn, IReadOnlyList<string> stop, Dictionary<string, int> weights, byte[] image, Guid id, DateTimeOffset at, decimal price);

    private string AnswerCore(string prompt, int maxTokens, double temperature, GoldenTone tone, GoldenTurn turn, IReadOnlyList<string> stop, Dictionary<string, int> weights, byte[] image, Guid id, DateTimeOffset at, decimal price) => "answer";
}
