using System;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace LlmCache.Redis;

/// <summary>
/// One held single-flight lock: <c>SET {key}:lock {random} NX PX {expiry}</c> took it; disposing releases it with a
/// compare-and-delete script, so a holder whose lock expired and was taken by another never deletes the new one.
/// </summary>
internal sealed class RedisCallLock : IAsyncDisposable
{
    // Deletes the lock only while it still holds this lease's fencing value.
    private const string ReleaseScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

    private readonly RedisCacheStore _store;
    private readonly RedisKey _lockKey;
    private readonly byte[] _fence;
    private int _released;

    private RedisCallLock(RedisCacheStore store, RedisKey lockKey, byte[] fence)
    {
        _store = store;
        _lockKey = lockKey;
        _fence = fence;
    }

    /// <summary>The lock key of an entry: the entry's key and <c>:lock</c>, which no SCAN pattern of entries matches.</summary>
    public static string LockKey(string entryKey) => entryKey + ":lock";

    public static async ValueTask<IAsyncDisposable?> TryAcquireAsync(RedisCacheStore store, IDatabase database, string entryKey, TimeSpan expiry, CancellationToken cancellationToken)
    {
        RedisKey lockKey = LockKey(entryKey);
        byte[] fence = RandomNumberGenerator.GetBytes(16);
        bool taken = await RedisCacheStore.Bounded(database.StringSetAsync(lockKey, fence, expiry, When.NotExists), cancellationToken).ConfigureAwait(false);
        return taken ? new RedisCallLock(store, lockKey, fence) : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        IDatabase database = await _store.GetDatabaseAsync(CancellationToken.None).ConfigureAwait(false);
        using var deadline = new CancellationTokenSource(_store.OperationTimeout);
        await RedisCacheStore.Bounded(database.ScriptEvaluateAsync(ReleaseScript, new[] { _lockKey }, new RedisValue[] { _fence }), deadline.Token).ConfigureAwait(false);
    }
}
