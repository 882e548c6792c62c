using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace LlmCache.Redis;

/// <summary>
/// A store in Redis (StackExchange.Redis), one server or a cluster. Each entry is one string key,
/// <c>{KeyPrefix}{namespace}:{sha256 hex}</c>, holding a <see cref="CacheEntryEnvelope"/> with the entry's expiry as
/// the key's native TTL. No command ever names keys of two hash slots, so it works on Redis Cluster.
/// </summary>
/// <remarks>
/// <para>
/// An unreadable entry (foreign bytes, truncated, corrupted) is a miss: the key is deleted, counted in
/// <see cref="CorruptEntries"/> and the <c>llmcache.store.corrupt_entries</c> metric, and logged; reading never throws
/// for it. Connection trouble does throw, so that the runtime logs it and calls the model (fail-open); the store
/// itself logs one error when the connection is lost and one message when it is back, not one per call.
/// </para>
/// <para>
/// Every get, set and remove ends within <see cref="RedisCacheStoreOptions.OperationTimeout"/>, waiting for the
/// write buffer included, whatever the connection's own timeouts (an application's connection may wait far
/// longer): past it the operation throws a <see cref="TimeoutException"/>. The first operations of a store that opens
/// its own connection may also wait up to <see cref="RedisCacheStoreOptions.ConnectTimeout"/> for it to open. A command abandoned that way
/// still runs on the connection until the connection's own timeout; only the caller stops waiting for it.
/// </para>
/// <para>With <see cref="RedisCacheStoreOptions.FlushSize"/> writes are buffered; dispose the store to flush the rest.</para>
/// </remarks>
public sealed class RedisCacheStore : ITimeBoundedCacheStore, IDistributedCallLock, IRemoteConnection, IDisposable, IAsyncDisposable
{
    private const int HexLength = 2 * CacheKeyDigests.RemoteLength;
    private const int Live = 0;
    private const int Disposing = 1;
    private const int Disposed = 2;

    /// <summary>UNLINKs KEYS[1] only if its value's SHA-1 is still ARGV[1]. One key, so it runs on a cluster too.</summary>
    private const string UnlinkIfUnchangedScript =
        "local v = redis.call('GET', KEYS[1]) if v and redis.sha1hex(v) == ARGV[1] then return redis.call('UNLINK', KEYS[1]) end return 0";

    private readonly RedisCacheStoreOptions _options;
    private readonly ConfigurationOptions? _configuration;
    private readonly bool _ownsConnection;
    private readonly object _connectLock = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RedisWriteBuffer? _buffer;
    private Task<IConnectionMultiplexer>? _connecting;
    private IConnectionMultiplexer? _connection;
    private IDatabase? _database;
    private int _connectionDown;
    private long _corruptEntries;
    private int _disposeState;

    // What lives on this store's connection and must stop before it closes (the semantic index of UseRedisSemantic).
    private IAsyncDisposable? _dependent;

    /// <summary>Creates a store that connects, on first use, to the server its options (or the environment) name.</summary>
    /// <exception cref="ArgumentException">A setting or <c>REDIS_*</c> environment variable is invalid; the message names it.</exception>
    /// <exception cref="InvalidOperationException">No server is configured.</exception>
    public RedisCacheStore(RedisCacheStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Clone();
        _configuration = _options.ToConfigurationOptions();
        _ownsConnection = true;
        _time = _options.TimeProvider;
        _logger = _options.LoggerFactory?.CreateLogger("LlmCache.Redis") ?? NullLogger.Instance;
        _buffer = _options.FlushSize is { } flushSize ? new RedisWriteBuffer(this, flushSize, _options.FlushInterval, _time) : null;
    }

    /// <summary>
    /// Creates a store over a connection the application owns (and disposes). Of <paramref name="options"/> only the
    /// key, batching, logging and clock settings apply; the connection settings are the connection's own.
    /// </summary>
    public RedisCacheStore(IConnectionMultiplexer connection, RedisCacheStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _options = options?.Clone() ?? new RedisCacheStoreOptions();
        _options.Validate();
        _ownsConnection = false;
        _time = _options.TimeProvider;
        _logger = _options.LoggerFactory?.CreateLogger("LlmCache.Redis") ?? NullLogger.Instance;
        _buffer = _options.FlushSize is { } flushSize ? new RedisWriteBuffer(this, flushSize, _options.FlushInterval, _time) : null;
        Attach(connection);
    }

    /// <inheritdoc />
    public string Name => _options.Name;

    /// <inheritdoc />
    /// <remarks>
    /// The store bounds each operation by <see cref="RedisCacheStoreOptions.OperationTimeout"/> itself, also over a
    /// connection whose own timeouts are longer (plus <see cref="RedisCacheStoreOptions.ConnectTimeout"/> while its own
    /// connection opens).
    /// </remarks>
    public TimeSpan OperationTimeout => _options.OperationTimeout;

    /// <summary>The prefix of every key this store writes.</summary>
    public string KeyPrefix => _options.KeyPrefix;

    /// <summary>How many unreadable entries this store has met, deleted and treated as misses.</summary>
    public long CorruptEntries => Interlocked.Read(ref _corruptEntries);

    /// <summary>How many writes wait in the buffer (always 0 without <see cref="RedisCacheStoreOptions.FlushSize"/>).</summary>
    public int PendingWrites => _buffer?.Count ?? 0;

    /// <summary>The Redis key under which <paramref name="key"/>'s entry lives: <c>{KeyPrefix}{namespace}:{hex}</c>.</summary>
    public string GetRedisKey(CacheStoreKey key) => key.Render(_options.KeyPrefix);

    /// <inheritdoc />
    public async ValueTask<CacheEntry?> GetAsync(CacheStoreKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string redisKey = GetRedisKey(key);
        DateTimeOffset now;
        if (_buffer is not null && _buffer.TryGet(redisKey, out CacheEntry? buffered))
        {
            now = _time.GetUtcNow();
            return buffered.IsExpired(now) ? null : buffered;
        }

        IDatabase database = await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        Task<RedisValue> command = database.StringGetAsync(redisKey);
        RedisValue value;
        try
        {
            // The hit path: one promise bounds the read by the timeout (real time) and the caller's token, with no
            // token source or timer of its own and no second async layer between the answer and the caller.
            value = await command.WaitAsync(_options.OperationTimeout, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }
        catch (RedisConnectionException exception)
        {
            ReportConnectionDown(exception);
            throw;
        }
        catch (TimeoutException exception) when (!command.IsCompleted)
        {
            Abandon(command);
            throw TimedOut("read", redisKey, exception);
        }
        catch (OperationCanceledException) when (!command.IsCompleted)
        {
            Abandon(command);
            throw;
        }

        if (value.IsNull)
        {
            return null;
        }

        byte[] stored = (byte[])value!;
        if (!CacheEntryEnvelope.TryDecode(stored, out CacheEntry? entry))
        {
            // Off the caller's path: the read is a miss whether or not the clean-up succeeds.
            _ = DeleteCorruptAsync(database, redisKey, stored);
            return null;
        }

        now = _time.GetUtcNow();
        return entry!.IsExpired(now) ? null : entry;
    }

    /// <inheritdoc />
    /// <remarks>
    /// A buffered write that fills the buffer flushes it, within the timeout; when a flush, remove or namespace clear
    /// holds the buffer at that moment, the write stays buffered (and readable) for the next flush instead of waiting.
    /// </remarks>
    public async ValueTask SetAsync(CacheStoreKey key, CacheEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        cancellationToken.ThrowIfCancellationRequested();
        if (entry.IsExpired(_time.GetUtcNow()))
        {
            // Already expired (a TTL of zero): nothing is kept, and the shared key stays as it is.
            return;
        }

        string redisKey = GetRedisKey(key);
        byte[] envelope = CacheEntryEnvelope.Encode(entry);
        bool flush = false;
        if (_buffer is not null)
        {
            // The envelope's payload becomes the buffered entry, so later changes to the caller's memory can't reach it.
            CacheEntryEnvelope.TryDecode(envelope, out CacheEntry? copy);
            flush = _buffer.Add(redisKey, key.Namespace, copy!, envelope);
            if (!flush)
            {
                return;
            }
        }

        IDatabase? database = flush ? null : await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        using CancellationTokenSource deadline = StartDeadline(cancellationToken);
        try
        {
            if (database is null)
            {
                await _buffer!.FlushHeldAsync(deadline.Token).ConfigureAwait(false);
                return;
            }

            await Bounded(WriteAsync(database, redisKey, envelope, entry.ExpiresAt), deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw TimedOut("write", redisKey, exception);
        }
    }

    /// <inheritdoc />
    public bool IsEnabled => _options.DistributedSingleFlight;

    /// <inheritdoc />
    public TimeSpan LockExpiry => _options.LockExpiry;

    /// <inheritdoc />
    public TimeSpan PollInterval => _options.LockPollInterval;

    /// <inheritdoc />
    /// <remarks>Bounded by <see cref="OperationTimeout"/>, as every other operation of the store.</remarks>
    public async ValueTask<IAsyncDisposable?> TryAcquireAsync(CacheStoreKey key, CancellationToken cancellationToken = default)
    {
        string redisKey = GetRedisKey(key);
        IDatabase database = await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        using CancellationTokenSource deadline = StartDeadline(cancellationToken);
        try
        {
            return await RedisCallLock.TryAcquireAsync(this, database, redisKey, _options.LockExpiry, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw TimedOut("lock", redisKey, exception);
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> RemoveAsync(CacheStoreKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string redisKey = GetRedisKey(key);
        IDatabase database = await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        using CancellationTokenSource deadline = StartDeadline(cancellationToken);
        try
        {
            if (_buffer is null)
            {
                return await UnlinkAsync(database, redisKey, deadline.Token).ConfigureAwait(false);
            }

            // Under the flush lock, so that a flush in progress cannot write the entry back after it is deleted.
            using (await _buffer.LockAsync(deadline.Token).ConfigureAwait(false))
            {
                bool wasBuffered = _buffer.Remove(redisKey);
                bool wasStored = await UnlinkAsync(database, redisKey, deadline.Token).ConfigureAwait(false);
                return wasBuffered || wasStored;
            }
        }
        catch (OperationCanceledException exception) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw TimedOut("delete", redisKey, exception);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Scans every primary (each node of a cluster) for the namespace's keys and unlinks them in groups of one hash
    /// slot, so no command crosses slots. Keys written while the scan runs may survive it.
    /// </remarks>
    /// <exception cref="RedisConnectionException">A primary is unreachable: its entries could not be cleared.</exception>
    public ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        return ClearAsync(@namespace, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Deletes the keys under <see cref="RedisCacheStoreOptions.KeyPrefix"/> that have the form of an entry key (<c>{namespace}:{64 hex}</c>); other keys stay.</remarks>
    public ValueTask ClearAllAsync(CancellationToken cancellationToken = default) => ClearAsync(null, cancellationToken);

    /// <summary>Clears one namespace, or every namespace when <paramref name="namespace"/> is <c>null</c>, with its buffered writes.</summary>
    private async ValueTask ClearAsync(string? @namespace, CancellationToken cancellationToken)
    {
        if (_buffer is null)
        {
            await ClearStoredAsync(@namespace, cancellationToken).ConfigureAwait(false);
            return;
        }

        using (await _buffer.LockAsync(cancellationToken).ConfigureAwait(false))
        {
            _buffer.RemoveNamespace(@namespace);
            await ClearStoredAsync(@namespace, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes every buffered entry now (nothing to do without <see cref="RedisCacheStoreOptions.FlushSize"/>).</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) =>
        _buffer is null ? default : _buffer.FlushAsync(cancellationToken);

    /// <summary>Flushes buffered writes, then closes the connection if the store opened it.</summary>
    public void Dispose()
    {
        if (Interlocked.CompareExchange(ref _disposeState, Disposing, Live) != Live)
        {
            return;
        }

        _dependent?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _buffer?.DisposeAndFlush();
        Volatile.Write(ref _disposeState, Disposed);
        Detach()?.Dispose();
    }

    /// <summary>Flushes buffered writes, then closes the connection if the store opened it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.CompareExchange(ref _disposeState, Disposing, Live) != Live)
        {
            return;
        }

        if (_dependent is not null)
        {
            await _dependent.DisposeAsync().ConfigureAwait(false);
        }

        if (_buffer is not null)
        {
            await _buffer.DisposeAndFlushAsync().ConfigureAwait(false);
        }

        Volatile.Write(ref _disposeState, Disposed);
        if (Detach() is { } connection)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Makes disposing this store dispose <paramref name="dependent"/> first, which uses its connection.</summary>
    internal void DisposeAlong(IAsyncDisposable dependent) => _dependent = dependent;

    /// <summary>Writes one envelope with the entry's expiry as its TTL; an entry expired by now is not written and leaves the key alone.</summary>
    internal async Task WriteAsync(IDatabase database, string redisKey, byte[] envelope, DateTimeOffset? expiresAt)
    {
        try
        {
            if (expiresAt is not { } expires)
            {
                await database.StringSetAsync(redisKey, envelope, Expiration.Default).ConfigureAwait(false);
                return;
            }

            // Whole milliseconds, rounded up: SET … PX takes milliseconds, and a TTL of 0 is an error.
            double milliseconds = Math.Ceiling((expires - _time.GetUtcNow()).TotalMilliseconds);
            if (milliseconds > 0)
            {
                await database.StringSetAsync(redisKey, envelope, new Expiration(TimeSpan.FromMilliseconds(milliseconds))).ConfigureAwait(false);
            }
        }
        catch (RedisConnectionException exception)
        {
            ReportConnectionDown(exception);
            throw;
        }
    }

    bool IRemoteConnection.ConnectsAtStartup => _options.ConnectAtStartup && _ownsConnection;

    /// <summary>A connection failure other than a refused password, or a connect that timed out: the server cannot be reached.</summary>
    bool IRemoteConnection.IsUnreachable(Exception exception) => exception switch
    {
        RedisConnectionException connection => InnermostFailure(connection) != ConnectionFailureType.AuthenticationFailure,
        ConnectTimeoutException => true,
        _ => false,
    };

    async Task IRemoteConnection.ConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ConnectTimeoutException exception)
        {
            if (Interlocked.Exchange(ref _connectionDown, 1) == 0)
            {
                RedisStoreLog.Unreachable(_logger, Name, EndPointsText(), exception.Message);
            }
        }
    }

    /// <summary>The database, connecting first if need be, within <see cref="RedisCacheStoreOptions.ConnectTimeout"/> and <paramref name="cancellationToken"/>.</summary>
    internal ValueTask<IDatabase> GetDatabaseAsync(CancellationToken cancellationToken)
    {
        // While disposing, the final flush still writes.
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposeState) == Disposed, this);
        return _database is { } database ? new ValueTask<IDatabase>(database) : ConnectAsync(cancellationToken);
    }

    /// <summary>
    /// Awaits <paramref name="command"/> until <paramref name="cancellationToken"/> fires. A command given up on
    /// still ends on its own (the connection's timeout); its failure is observed then, so it is never unobserved.
    /// </summary>
    internal static async Task<T> Bounded<T>(Task<T> command, CancellationToken cancellationToken)
    {
        try
        {
            return await command.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!command.IsCompleted)
        {
            Abandon(command);
            throw;
        }
    }

    /// <inheritdoc cref="Bounded{T}(Task{T}, CancellationToken)"/>
    internal static async Task Bounded(Task command, CancellationToken cancellationToken)
    {
        try
        {
            await command.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!command.IsCompleted)
        {
            Abandon(command);
            throw;
        }
    }

    private static void Abandon(Task command) =>
        command.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>The clock of entry times and TTLs.</summary>
    internal TimeProvider Time => _time;

    /// <summary>Where the store (and a <see cref="RedisVectorIndex"/> over it) logs.</summary>
    internal ILogger Logger => _logger;

    /// <summary>How many keys one <c>SCAN</c> step asks for.</summary>
    internal int ScanPageSize => _options.ScanPageSize;

    /// <summary>A token that fires after <see cref="OperationTimeout"/> of real time, or when the caller cancels.</summary>
    internal CancellationTokenSource StartDeadline(CancellationToken cancellationToken)
    {
        CancellationTokenSource deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.OperationTimeout);
        return deadline;
    }

    internal TimeoutException TimedOut(string operation, string redisKey, Exception inner) =>
        new($"The Redis store '{Name}''s {operation} of '{redisKey}' took longer than its timeout ({_options.OperationTimeout.TotalMilliseconds:0} ms).", inner);

    internal void LogFlushFailed(int count, Exception exception)
    {
        LlmCacheTelemetry.StoreErrors.Add(1, LlmCacheTelemetry.Tier(Name));
        RedisStoreLog.FlushFailed(_logger, Name, count, exception);
    }

    private async ValueTask<IDatabase> ConnectAsync(CancellationToken cancellationToken)
    {
        Task<IConnectionMultiplexer> connecting;
        lock (_connectLock)
        {
            // A failed attempt (not an unreachable server: that connects in the background) is retried by the next call.
            if (_connecting is null || _connecting.IsFaulted || _connecting.IsCanceled)
            {
                _connecting = OpenAsync(_configuration!);
            }

            connecting = _connecting;
        }

        IConnectionMultiplexer connection;
        using (CancellationTokenSource connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            connectTimeout.CancelAfter(_options.ConnectTimeout);
            try
            {
                connection = await Bounded(connecting, connectTimeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException exception) when (connectTimeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new ConnectTimeoutException($"The Redis store '{Name}' could not connect within its connect timeout ({_options.ConnectTimeout.TotalMilliseconds:0} ms).", exception);
            }
        }

        lock (_connectLock)
        {
            if (Volatile.Read(ref _disposeState) == Disposed)
            {
                // Disposed while connecting: nobody else will close this connection.
                connection.Dispose();
                throw new ObjectDisposedException(nameof(RedisCacheStore));
            }

            if (_connection is null)
            {
                Attach(connection);
                if (connection.IsConnected)
                {
                    // A connect that timed out earlier reported an outage; this one ends it.
                    Interlocked.Exchange(ref _connectionDown, 0);
                    RedisStoreLog.Connected(_logger, Name, EndPointsText());
                }
            }

            return _database!;
        }
    }

    private static async Task<IConnectionMultiplexer> OpenAsync(ConfigurationOptions configuration) =>
        await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);

    private void Attach(IConnectionMultiplexer connection)
    {
        connection.ConnectionFailed += OnConnectionFailed;
        connection.ConnectionRestored += OnConnectionRestored;
        _connection = connection;
        _database = connection.GetDatabase(_options.Database ?? -1);
    }

    private IConnectionMultiplexer? Detach()
    {
        IConnectionMultiplexer? connection;
        lock (_connectLock)
        {
            connection = _connection;
            _connection = null;
            _database = null;
        }

        if (connection is null)
        {
            return null;
        }

        connection.ConnectionFailed -= OnConnectionFailed;
        connection.ConnectionRestored -= OnConnectionRestored;
        return _ownsConnection ? connection : null;
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e) =>
        ReportConnectionDown(e.EndPoint?.ToString(), e.Exception, e.FailureType);

    /// <summary>A failed operation reports the outage too: a connection that failed before this store listened (a wrong password at start) raised no event it saw.</summary>
    internal void ReportConnectionDown(RedisConnectionException exception)
    {
        ReportConnectionDown(null, exception, InnermostFailure(exception));
    }

    /// <summary>The outer exception says "no connection"; the innermost connection failure says why (a wrong password).</summary>
    private static ConnectionFailureType InnermostFailure(RedisConnectionException exception)
    {
        ConnectionFailureType failure = exception.FailureType;
        for (Exception? inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is RedisConnectionException { FailureType: not ConnectionFailureType.None } connectionFailure)
            {
                failure = connectionFailure.FailureType;
            }
        }

        return failure;
    }

    /// <summary>A connect that did not finish within the connect timeout: a <see cref="TimeoutException"/> the store knows as "unreachable".</summary>
    private sealed class ConnectTimeoutException(string message, Exception inner) : TimeoutException(message, inner);

    private void ReportConnectionDown(string? endPoint, Exception? exception, ConnectionFailureType failure)
    {
        // One line per outage, not one per call or per reconnect attempt. A wrong password is a mistake to fix, an
        // error; a server that cannot be reached (a restart, the network) is expected now and then, one line without a stack trace.
        if (Interlocked.Exchange(ref _connectionDown, 1) == 0)
        {
            if (failure == ConnectionFailureType.AuthenticationFailure)
            {
                RedisStoreLog.CredentialsRefused(_logger, Name, endPoint ?? EndPointsText(), exception);
            }
            else
            {
                RedisStoreLog.Unreachable(_logger, Name, endPoint ?? EndPointsText(), failure.ToString());
            }
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (Interlocked.Exchange(ref _connectionDown, 0) == 1)
        {
            RedisStoreLog.ConnectionRestored(_logger, Name, e.EndPoint?.ToString() ?? EndPointsText());
        }
    }

    private string EndPointsText()
    {
        System.Net.EndPoint[] endPoints = _connection?.GetEndPoints() ?? _configuration?.EndPoints.ToArray() ?? [];
        if (endPoints.Length == 0)
        {
            return "the configured server";
        }

        var text = new StringBuilder();
        foreach (System.Net.EndPoint endPoint in endPoints)
        {
            text.Append(text.Length == 0 ? string.Empty : ", ").Append(endPoint);
        }

        return text.ToString();
    }

    /// <summary>
    /// Deletes an unreadable entry, but only while it still holds the bytes that were read: a fresh entry that
    /// another writer stored in between survives. The comparison runs in Redis, on a digest of the bytes.
    /// </summary>
    private async Task DeleteCorruptAsync(IDatabase database, string redisKey, byte[] unreadable)
    {
        Interlocked.Increment(ref _corruptEntries);
        LlmCacheTelemetry.CorruptEntries.Add(1, LlmCacheTelemetry.Tier(Name));
        LlmCacheLog.CorruptEntry(_logger, Name, redisKey, null);
        try
        {
            await UnlinkIfUnchangedAsync(database, redisKey, unreadable).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LlmCacheTelemetry.StoreErrors.Add(1, LlmCacheTelemetry.Tier(Name));
            LlmCacheLog.StoreFailed(_logger, Name, "delete an unreadable entry", exception);
        }
    }

    /// <summary>UNLINKs <paramref name="redisKey"/> if it still holds <paramref name="expected"/>; whether it did.</summary>
    internal static async Task<bool> UnlinkIfUnchangedAsync(IDatabase database, string redisKey, byte[] expected) =>
        (long)await database.ScriptEvaluateAsync(UnlinkIfUnchangedScript, [redisKey], [RedisDigest(expected)]).ConfigureAwait(false) > 0;

    /// <summary>The lower-case hex SHA-1 of <paramref name="bytes"/>, as Lua's <c>redis.sha1hex</c> gives it; a change detector, not a security measure.</summary>
    private static string RedisDigest(byte[] bytes) =>
#pragma warning disable CA5350 // SHA-1 is the only digest Redis's Lua offers; it only tells whether the bytes changed.
        Convert.ToHexString(System.Security.Cryptography.SHA1.HashData(bytes)).ToLowerInvariant();
#pragma warning restore CA5350

    internal static async Task<bool> UnlinkAsync(IDatabase database, string redisKey, CancellationToken cancellationToken) =>
        (long)await Bounded(database.ExecuteAsync("UNLINK", (RedisKey)redisKey), cancellationToken).ConfigureAwait(false) > 0;

    private async Task ClearStoredAsync(string? @namespace, CancellationToken cancellationToken)
    {
        IDatabase database = await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        string what = @namespace is null ? "clear its entries" : $"clear namespace '{@namespace}'";
        await UnlinkMatchingAsync(database, NamespacePattern(@namespace), what, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Scans every primary for keys matching <paramref name="pattern"/> and unlinks them, a page at a time.</summary>
    internal async Task UnlinkMatchingAsync(IDatabase database, string pattern, string purpose, CancellationToken cancellationToken)
    {
        var page = new List<RedisKey>(_options.ScanPageSize);
        await foreach (RedisKey key in ScanPrimariesAsync(database, pattern, purpose, cancellationToken).ConfigureAwait(false))
        {
            page.Add(key);
            if (page.Count >= _options.ScanPageSize)
            {
                await UnlinkBySlotAsync(database, page).ConfigureAwait(false);
                page.Clear();
            }
        }

        await UnlinkBySlotAsync(database, page).ConfigureAwait(false);
    }

    /// <summary>The keys matching <paramref name="pattern"/> on every primary (each node of a cluster), by <c>SCAN</c>.</summary>
    /// <exception cref="RedisConnectionException">A primary is not connected: <paramref name="purpose"/> could not be done.</exception>
    internal async IAsyncEnumerable<RedisKey> ScanPrimariesAsync(IDatabase database, string pattern, string purpose, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (IServer server in database.Multiplexer.GetServers())
        {
            if (server.IsReplica)
            {
                continue;
            }

            if (!server.IsConnected)
            {
                throw new RedisConnectionException(
                    ConnectionFailureType.UnableToConnect,
                    $"LlmCache store '{Name}' could not {purpose}: the primary {server.EndPoint} is not connected.");
            }

            await foreach (RedisKey key in server.KeysAsync(database.Database, pattern, _options.ScanPageSize).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                yield return key;
            }
        }
    }

    /// <summary>Unlinks <paramref name="keys"/> with one command per hash slot, all sent at once.</summary>
    private static async Task UnlinkBySlotAsync(IDatabase database, List<RedisKey> keys)
    {
        if (keys.Count == 0)
        {
            return;
        }

        var slots = new Dictionary<int, List<object>>();
        foreach (RedisKey key in keys)
        {
            int slot = database.Multiplexer.HashSlot(key);
            if (!slots.TryGetValue(slot, out List<object>? group))
            {
                group = new List<object>();
                slots.Add(slot, group);
            }

            group.Add(key);
        }

        var unlinks = new List<Task<RedisResult>>(slots.Count);
        foreach (List<object> group in slots.Values)
        {
            unlinks.Add(database.ExecuteAsync("UNLINK", group));
        }

        await Task.WhenAll(unlinks).ConfigureAwait(false);
    }

    /// <summary>
    /// A SCAN pattern matching exactly this namespace's keys: the escaped prefix and namespace, a colon, and 64
    /// hex digits, so that namespace <c>a</c> does not match the keys of namespace <c>a:b</c>. With a <c>null</c>
    /// namespace, the keys of every namespace: the prefix, anything, a colon and 64 hex digits.
    /// </summary>
    internal string NamespacePattern(string? @namespace) => KeyPattern(_options.KeyPrefix, @namespace, HexLength);

    /// <summary>
    /// A SCAN pattern for <c>{prefix}{namespace}:{hex digits}</c>: the prefix and namespace escaped (any namespace when
    /// <paramref name="namespace"/> is <c>null</c>), a colon, and exactly <paramref name="hexLength"/> lower-case hex digits.
    /// </summary>
    internal static string KeyPattern(string prefix, string? @namespace, int hexLength)
    {
        var pattern = new StringBuilder(prefix.Length + (@namespace?.Length ?? 1) + 1 + (hexLength * 8));
        AppendEscaped(pattern, prefix);
        if (@namespace is null)
        {
            pattern.Append('*');
        }
        else
        {
            AppendEscaped(pattern, @namespace);
        }

        pattern.Append(':');
        for (int i = 0; i < hexLength; i++)
        {
            pattern.Append("[0-9a-f]");
        }

        return pattern.ToString();
    }

    private static void AppendEscaped(StringBuilder pattern, string text)
    {
        foreach (char c in text)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                pattern.Append('\\');
            }

            pattern.Append(c);
        }
    }
}
