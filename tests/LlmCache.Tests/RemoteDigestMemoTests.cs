using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Threading.Tasks;

namespace LlmCache.Tests;

/// <summary>The remembered remote digests of a remote tier without a memory tier: the very digest the key's bytes give, and no other.</summary>
public sealed class RemoteDigestMemoTests
{
    private static readonly byte[] Digest = SHA256.HashData("a key"u8);
    private static readonly CacheKeyHash Hash = CacheKeyDigests.ComputeInProcess("a key"u8);

    [Fact]
    public void A_remembered_digest_answers_only_for_the_same_key_bytes()
    {
        var memo = new RemoteDigestMemo();

        memo.Offer(Hash, "a key"u8, Digest);
        memo.Offer(Hash, "a key"u8, Digest);

        Assert.Same(Digest, memo.TryGet(Hash, "a key"u8));
        Assert.Null(memo.TryGet(Hash, "a kez"u8));
        Assert.Null(memo.TryGet(Hash, "a key "u8));
        Assert.Null(memo.TryGet(CacheKeyDigests.ComputeInProcess("another key"u8), "a key"u8));
    }

    [Fact]
    public void A_key_offered_once_is_not_kept_so_keys_new_on_every_call_copy_nothing()
    {
        var memo = new RemoteDigestMemo();

        memo.Offer(Hash, "a key"u8, Digest);
        Assert.Null(memo.TryGet(Hash, "a key"u8));

        memo.Offer(Hash, "a key"u8, Digest);
        Assert.Same(Digest, memo.TryGet(Hash, "a key"u8));
    }

    [Fact]
    public void Keys_that_share_an_in_process_digest_each_get_their_own_remote_digest()
    {
        StoreIntegrity off = StoreIntegrity.Create(new IntegrityOptions());
        byte[] secret = RandomNumberGenerator.GetBytes(32);
        StoreIntegrity on = StoreIntegrity.Create(new IntegrityOptions { Secret = secret });
        byte[] first = RandomNumberGenerator.GetBytes(4400);
        byte[] second = RandomNumberGenerator.GetBytes(4400);

        // One in-process digest for both keys: the slot holds one of them, and the bytes decide.
        CacheKeyHash shared = CacheKeyDigests.ComputeInProcess(first);
        for (int round = 0; round < 2; round++)
        {
            Assert.Equal(SHA256.HashData(first), off.ComputeRemoteDigest(first, shared));
            Assert.Equal(SHA256.HashData(second), off.ComputeRemoteDigest(second, shared));
            Assert.Equal(HMACSHA256.HashData(secret, first), on.ComputeRemoteDigest(first, shared));
            Assert.Equal(HMACSHA256.HashData(secret, second), on.ComputeRemoteDigest(second, shared));
        }
    }

    [Fact]
    public async Task Remote_only_hits_read_the_key_the_miss_reported()
    {
        var store = new InstantRemoteStore(recordReadKeys: true);
        var service = new RemoteChatService(new LlmCacheRuntime(new LlmCacheOptions().UseStore(CacheType.Custom, store)));
        Message[] first = [new("user", new string('a', 4000))];
        Message[] second = [new("user", new string('b', 4000))];
        var missed = new[] { new CacheOutcome(), new CacheOutcome() };
        await service.AskAsync(first, new CacheControl { Outcome = missed[0] });
        await service.AskAsync(second, new CacheControl { Outcome = missed[1] });
        store.ForgetReadKeys();

        // The miss reports the key from the canonical bytes' own SHA-256; every hit after it reads that same key.
        for (int call = 0; call < 3; call++)
        {
            await service.AskAsync(first);
            await service.AskAsync(second);
        }

        Assert.Equal(2, service.Calls);
        Assert.NotEqual(missed[0].RemoteKey, missed[1].RemoteKey);
        IReadOnlyList<CacheStoreKey> reads = store.ReadKeys;
        Assert.Equal(6, reads.Count);
        for (int read = 0; read < reads.Count; read++)
        {
            Assert.Equal(missed[read % 2].RemoteKey, reads[read].Hex);
        }
    }
}
