using System;
using System.Linq;
using System.Security.Cryptography;

namespace LlmCache.Tests;

/// <summary>The integrity secret's settings and the sealed payload that carries an entry's tag.</summary>
public sealed class IntegrityTests
{
    private static readonly CacheStoreKey Key = new("ns", SHA256.HashData("a key"u8));

    private static readonly CacheEntry Sample = new(
        "an answer"u8.ToArray(), CachePayloadKind.Utf8String, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_600_000));

    private static StoreIntegrity On(byte[] secret) => StoreIntegrity.Create(new IntegrityOptions { Secret = secret });

    [Fact]
    public void Off_by_default_keys_are_SHA256_and_entries_are_handed_over_untouched()
    {
        var options = new LlmCacheOptions();
        Assert.False(options.Integrity.Enabled);
        StoreIntegrity off = StoreIntegrity.Create(options.Integrity);

        Assert.Equal(SHA256.HashData("k"u8), off.ComputeRemoteDigest("k"u8));
        Assert.Same(Sample, off.Seal(Key, Sample));
        Assert.True(off.TryOpen(Key, Sample, out CacheEntry? opened));
        Assert.Same(Sample, opened);
    }

    [Fact]
    public void On_keys_are_the_HMAC_of_the_canonical_key_under_the_secret()
    {
        byte[] secret = RandomNumberGenerator.GetBytes(32);
        byte[] canonical = RandomNumberGenerator.GetBytes(100);

        byte[] digest = On(secret).ComputeRemoteDigest(canonical);

        Assert.Equal(HMACSHA256.HashData(secret, canonical), digest);
        Assert.NotEqual(SHA256.HashData(canonical), digest);
        Assert.Equal(digest, CacheKeyDigests.ComputeKeyedRemote(canonical, secret));
        Span<byte> into = stackalloc byte[CacheKeyDigests.RemoteLength];
        CacheKeyDigests.ComputeKeyedRemote(canonical, secret, into);
        Assert.Equal(digest, into.ToArray());
    }

    [Fact]
    public void A_sealed_entry_opens_to_the_same_value_kind_and_times()
    {
        StoreIntegrity on = On(RandomNumberGenerator.GetBytes(32));

        CacheEntry sealedEntry = on.Seal(Key, Sample);

        Assert.Equal(CachePayloadKind.Authenticated, sealedEntry.Kind);
        Assert.Equal(Sample.ExpiresAt, sealedEntry.ExpiresAt);
        Assert.True(on.TryOpen(Key, sealedEntry, out CacheEntry? opened));
        Assert.Equal(Sample.Payload.ToArray(), opened.Payload.ToArray());
        Assert.Equal(Sample.Kind, opened.Kind);
        Assert.Equal(Sample.CreatedAt, opened.CreatedAt);
        Assert.Equal(Sample.ExpiresAt, opened.ExpiresAt);
    }

    [Fact]
    public void The_times_inside_the_seal_are_the_ones_served_not_the_stores_copy()
    {
        StoreIntegrity on = On(RandomNumberGenerator.GetBytes(32));
        CacheEntry sealedEntry = on.Seal(Key, Sample);

        // Someone who rewrites the envelope's times (to keep an entry alive) changes nothing the runtime trusts.
        var extended = new CacheEntry(sealedEntry.Payload, sealedEntry.Kind, sealedEntry.CreatedAt, DateTimeOffset.MaxValue);

        Assert.True(on.TryOpen(Key, extended, out CacheEntry? opened));
        Assert.Equal(Sample.ExpiresAt, opened.ExpiresAt);
    }

    [Fact]
    public void Every_bit_flip_and_truncation_of_a_sealed_payload_is_refused()
    {
        StoreIntegrity on = On(RandomNumberGenerator.GetBytes(32));
        byte[] payload = on.Seal(Key, Sample).Payload.ToArray();
        for (int bit = 0; bit < payload.Length * 8; bit++)
        {
            byte[] damaged = payload.ToArray();
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(on.TryOpen(Key, Authenticated(damaged), out _), $"bit {bit} flipped was accepted");
        }

        for (int length = 0; length < payload.Length; length++)
        {
            Assert.False(on.TryOpen(Key, Authenticated(payload.AsSpan(0, length).ToArray()), out _), $"a {length}-byte prefix was accepted");
        }
    }

    [Fact]
    public void A_seal_is_refused_under_another_digest_another_namespace_another_secret_or_another_kind()
    {
        byte[] secret = RandomNumberGenerator.GetBytes(32);
        StoreIntegrity on = On(secret);
        CacheEntry sealedEntry = on.Seal(Key, Sample);

        Assert.False(on.TryOpen(new CacheStoreKey("ns", SHA256.HashData("another key"u8)), sealedEntry, out _));
        Assert.False(on.TryOpen(new CacheStoreKey("other", Key.Digest.ToArray()), sealedEntry, out _));
        Assert.False(On(RandomNumberGenerator.GetBytes(32)).TryOpen(Key, sealedEntry, out _));
        Assert.False(on.TryOpen(Key, new CacheEntry(sealedEntry.Payload, CachePayloadKind.Bytes, sealedEntry.CreatedAt, sealedEntry.ExpiresAt), out _));
        Assert.False(on.TryOpen(Key, Sample, out _));
        Assert.True(On(secret.ToArray()).TryOpen(Key, sealedEntry, out _));
    }

    [Fact]
    public void A_long_namespace_is_bound_as_well()
    {
        StoreIntegrity on = On(RandomNumberGenerator.GetBytes(32));
        string longNamespace = new('n', 1000);
        var key = new CacheStoreKey(longNamespace, Key.Digest.ToArray());
        CacheEntry sealedEntry = on.Seal(key, Sample);

        Assert.True(on.TryOpen(key, sealedEntry, out _));
        Assert.False(on.TryOpen(new CacheStoreKey(longNamespace + "x", Key.Digest.ToArray()), sealedEntry, out _));
    }

    [Fact]
    public void A_sealed_entry_survives_the_envelope_the_stores_write()
    {
        StoreIntegrity on = On(RandomNumberGenerator.GetBytes(32));
        var entry = new CacheEntry("{}"u8.ToArray(), CachePayloadKind.Json, DateTimeOffset.UtcNow, null);

        Assert.True(CacheEntryEnvelope.TryDecode(CacheEntryEnvelope.Encode(on.Seal(Key, entry)), out CacheEntry? stored));
        Assert.True(on.TryOpen(Key, stored!, out CacheEntry? opened));

        Assert.Equal(CachePayloadKind.Json, opened.Kind);
        Assert.Null(opened.ExpiresAt);
        Assert.Equal("{}"u8.ToArray(), opened.Payload.ToArray());
    }

    [Fact]
    public void The_base64_form_is_the_same_secret_as_the_bytes()
    {
        byte[] secret = RandomNumberGenerator.GetBytes(48);
        var fromBase64 = new IntegrityOptions { SecretBase64 = Convert.ToBase64String(secret) };
        fromBase64.Validate();

        Assert.True(fromBase64.Enabled);
        Assert.Equal(On(secret).ComputeRemoteDigest("k"u8), StoreIntegrity.Create(fromBase64).ComputeRemoteDigest("k"u8));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(31)]
    public void A_secret_shorter_than_32_bytes_is_refused_with_a_message_that_does_not_show_it(int length)
    {
        byte[] secret = RandomNumberGenerator.GetBytes(length);

        var fromBytes = Assert.Throws<ArgumentOutOfRangeException>(() => new LlmCacheRuntime(WithSecret(o => o.Secret = secret)));
        var fromBase64 = Assert.Throws<ArgumentOutOfRangeException>(() => new LlmCacheRuntime(WithSecret(o => o.SecretBase64 = Convert.ToBase64String(secret))));

        Assert.Contains("at least 32", fromBytes.Message, StringComparison.Ordinal);
        Assert.Contains("at least 32", fromBase64.Message, StringComparison.Ordinal);
        if (length > 0)
        {
            Assert.DoesNotContain(Convert.ToBase64String(secret), fromBase64.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexString(secret), fromBytes.Message, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Invalid_base64_and_both_forms_at_once_are_refused()
    {
        var invalid = Assert.Throws<ArgumentOutOfRangeException>(() => new LlmCacheRuntime(WithSecret(o => o.SecretBase64 = "not base64 at all!")));
        var both = Assert.Throws<ArgumentOutOfRangeException>(() => new LlmCacheRuntime(WithSecret(o =>
        {
            o.Secret = RandomNumberGenerator.GetBytes(32);
            o.SecretBase64 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        })));

        Assert.Contains("not valid base64", invalid.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not base64 at all", invalid.Message, StringComparison.Ordinal);
        Assert.Contains("not both", both.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_runtime_keeps_its_own_copy_of_the_secret()
    {
        byte[] secret = RandomNumberGenerator.GetBytes(32);
        byte[] original = secret.ToArray();
        var options = WithSecret(o => o.Secret = secret);
        var runtime = new LlmCacheRuntime(options);

        secret.AsSpan().Clear();

        Assert.Equal(original, runtime.GetOptions().Integrity.Secret);
    }

    private static CacheEntry Authenticated(byte[] payload) => new(payload, CachePayloadKind.Authenticated, Sample.CreatedAt, Sample.ExpiresAt);

    private static LlmCacheOptions WithSecret(Action<IntegrityOptions> configure)
    {
        var options = new LlmCacheOptions();
        configure(options.Integrity);
        return options;
    }
}
