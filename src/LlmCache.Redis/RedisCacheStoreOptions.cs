using System;
using System.Globalization;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LlmCache.Redis;

/// <summary>
/// Settings of a <see cref="RedisCacheStore"/>: LiteLLM's Redis <c>cache_params</c> (<c>host</c>, <c>port</c>,
/// <c>password</c>, <c>namespace</c>, <c>default_in_redis_ttl</c>, <c>redis_flush_size</c>) in .NET form.
/// </summary>
/// <remarks>
/// <para>
/// The server is found, setting by setting, in this order: the explicit property; else the part of
/// <see cref="RedisUrl"/> (or of the environment variable <c>REDIS_URL</c> when neither <see cref="RedisUrl"/>,
/// <see cref="Host"/> nor <see cref="Configuration"/> is set); else the environment variables <c>REDIS_HOST</c>,
/// <c>REDIS_PORT</c>, <c>REDIS_PASSWORD</c>, <c>REDIS_USERNAME</c> and <c>REDIS_SSL</c>. Set
/// <see cref="UseEnvironment"/> to <c>false</c> to ignore the environment.
/// </para>
/// <para>
/// The connection fails fast: it does not abort when the server is down at start, it gives up on a connection
/// attempt after <see cref="ConnectTimeout"/> and on an operation after <see cref="OperationTimeout"/>, and while it
/// is disconnected commands fail at once instead of queueing, so the runtime sends the call to the model.
/// </para>
/// </remarks>
public sealed class RedisCacheStoreOptions
{
    /// <summary>The default port of a Redis server.</summary>
    public const int DefaultPort = 6379;

    /// <summary>
    /// A <c>redis://[user:password@]host[:port][/database]</c> or <c>rediss://…</c> (TLS) URL, LiteLLM's
    /// <c>REDIS_URL</c>. User name and password are URL-decoded.
    /// </summary>
    public string? RedisUrl { get; set; }

    /// <summary>
    /// A StackExchange.Redis configuration string (<c>"host1:6379,host2:6379,password=…"</c>), for several endpoints
    /// (a cluster's seed nodes) or settings the other properties don't name. Explicit properties override it.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>The server's host name or address (LiteLLM's <c>host</c>, <c>REDIS_HOST</c>).</summary>
    public string? Host { get; set; }

    /// <summary>The server's port (LiteLLM's <c>port</c>, <c>REDIS_PORT</c>); <see cref="DefaultPort"/> when unset.</summary>
    public int? Port { get; set; }

    /// <summary>The ACL user name (Redis 6+), <c>REDIS_USERNAME</c>; unset for the default user.</summary>
    public string? User { get; set; }

    /// <summary>The password (LiteLLM's <c>password</c>, <c>REDIS_PASSWORD</c>).</summary>
    public string? Password { get; set; }

    /// <summary>Whether to connect with TLS (<c>rediss://</c>, <c>REDIS_SSL</c>).</summary>
    public bool? Ssl { get; set; }

    /// <summary>The host name the server's TLS certificate must carry; the host itself when unset.</summary>
    public string? SslHost { get; set; }

    /// <summary>The database number (the URL's path); 0 when unset. Redis Cluster has only database 0.</summary>
    public int? Database { get; set; }

    /// <summary>Whether the <c>REDIS_*</c> environment variables fill the settings left unset. Default <c>true</c>.</summary>
    public bool UseEnvironment { get; set; } = true;

    /// <summary>
    /// Put before every key: entries live under <c>{KeyPrefix}{namespace}:{sha256 hex}</c>. Default <c>"llmcache:"</c>.
    /// Two applications sharing a server keep apart by using different prefixes or namespaces.
    /// </summary>
    public string KeyPrefix { get; set; } = "llmcache:";

    /// <summary>
    /// The TTL of entries whose call and method give none (LiteLLM's <c>default_in_redis_ttl</c>); <c>null</c>
    /// for the runtime's <see cref="LlmCacheOptions.DefaultTtl"/>, <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>
    /// for keys without expiry. Zero keeps nothing; other negative values are rejected. Applied by the runtime, through the
    /// registration that <c>UseRedis</c> makes.
    /// </summary>
    public TimeSpan? DefaultTtl { get; set; }

    /// <summary>
    /// When set, writes are buffered and sent together once this many are waiting, or after
    /// <see cref="FlushInterval"/>, or when the store is disposed (LiteLLM's <c>redis_flush_size</c>).
    /// Reads see buffered writes. <c>null</c> (the default) writes each entry at once.
    /// </summary>
    public int? FlushSize { get; set; }

    /// <summary>With <see cref="FlushSize"/>, how long a buffered write waits at most. Default 100 ms.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long one connection attempt may take. Default 2 seconds.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one operation may take before it fails (StackExchange.Redis's sync and async timeouts). Default 1 second.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many keys one <c>SCAN</c> step asks for when a namespace is cleared. Default 1,000.</summary>
    public int ScanPageSize { get; set; } = 1000;

    /// <summary>The store's name in logs, metrics and <see cref="CacheOutcome.Tier"/>. Default <c>"redis"</c>.</summary>
    public string Name { get; set; } = "redis";

    /// <summary>
    /// Makes app instances that share this Redis and miss the same key at once make one model call between them: the
    /// first takes a lock in Redis (<c>{key}:lock</c>, with an expiry and a random fencing value) and calls the model;
    /// the others wait for its answer in Redis. Off by default. See <see cref="IDistributedCallLock"/>.
    /// </summary>
    public bool DistributedSingleFlight { get; set; }

    /// <summary>
    /// Opens the connection when the host starts (through <c>AddLlmCache</c>'s start-up validation) instead of on
    /// the first call, so the first call does not wait for it and the log says at start whether Redis is reachable.
    /// An unreachable server does not stop the start: calls go to the model until it is back. Off by default; a
    /// store over a connection the application passed in is already connected.
    /// </summary>
    public bool ConnectAtStartup { get; set; }

    /// <summary>How long a single-flight lock lives unless released: longer than the slowest model call. 30 s by default.</summary>
    public TimeSpan LockExpiry { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often an instance waiting for another's call reads Redis for the answer. 50 ms by default.</summary>
    public TimeSpan LockPollInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Edits the StackExchange.Redis configuration after these settings are applied: TLS certificates and
    /// validation callbacks, retry policies, and anything else the library offers.
    /// </summary>
    public Action<ConfigurationOptions>? ConfigureConnection { get; set; }

    /// <summary>Where the store logs connection trouble and unreadable entries; <c>null</c> logs nothing.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The clock for entry times and TTLs, replaceable in tests.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// The StackExchange.Redis configuration these settings (and the environment) describe.
    /// The store connects with it; it is public so that the resolution can be inspected.
    /// </summary>
    /// <exception cref="ArgumentException">A setting or environment variable is invalid; the message names it.</exception>
    /// <exception cref="InvalidOperationException">No server is configured anywhere.</exception>
    public ConfigurationOptions ToConfigurationOptions() => ToConfigurationOptions(Environment.GetEnvironmentVariable);

    internal ConfigurationOptions ToConfigurationOptions(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        Validate();
        Func<string, string?> env = UseEnvironment ? environment : static _ => null;

        ConfigurationOptions config = Configuration is null ? new ConfigurationOptions() : ConfigurationOptions.Parse(Configuration);
        string? urlText = RedisUrl;
        string urlSetting = nameof(RedisUrl);
        if (urlText is null && Host is null && Configuration is null && NonEmpty(env("REDIS_URL")) is { } fromEnv)
        {
            urlText = fromEnv;
            urlSetting = "REDIS_URL";
        }

        RedisUrlParts url = urlText is null ? default : RedisUrlParts.Parse(urlText, urlSetting);
        string? host = Host ?? url.Host ?? (config.EndPoints.Count == 0 ? NonEmpty(env("REDIS_HOST")) : null);
        if (host is not null)
        {
            config.EndPoints.Clear();
            config.EndPoints.Add(host, Port ?? url.Port ?? ParsePort(env("REDIS_PORT")));
        }
        else if (config.EndPoints.Count == 0)
        {
            throw new InvalidOperationException(
                "No Redis server is configured for LlmCache: set RedisCacheStoreOptions.Host, RedisUrl or Configuration, " +
                "or the environment variable REDIS_URL or REDIS_HOST (with REDIS_PORT and REDIS_PASSWORD).");
        }

        config.User = User ?? url.User ?? NonEmpty(env("REDIS_USERNAME")) ?? config.User;
        config.Password = Password ?? url.Password ?? NonEmpty(env("REDIS_PASSWORD")) ?? config.Password;
        config.Ssl = Ssl ?? url.Ssl ?? ParseBool(env("REDIS_SSL"), "REDIS_SSL") ?? config.Ssl;
        if (SslHost is not null)
        {
            config.SslHost = SslHost;
        }

        if ((Database ?? url.Database) is { } database)
        {
            config.DefaultDatabase = database;
        }

        config.AbortOnConnectFail = false;
        config.ConnectTimeout = ToMilliseconds(ConnectTimeout);
        config.SyncTimeout = ToMilliseconds(OperationTimeout);
        config.AsyncTimeout = ToMilliseconds(OperationTimeout);
        config.BacklogPolicy = BacklogPolicy.FailFast;
        config.ReconnectRetryPolicy = new ExponentialRetry(250, 5000);
        ConfigureConnection?.Invoke(config);
        return config;
    }

    internal void Validate()
    {
        if (Port is { } port && (port < 1 || port > 65535))
        {
            throw new ArgumentOutOfRangeException(nameof(Port), port, "LlmCache:Redis:Port must be between 1 and 65535.");
        }

        if (Database is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Database), Database, "LlmCache:Redis:Database cannot be negative.");
        }

        if (FlushSize is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(FlushSize), FlushSize, "LlmCache:Redis:FlushSize (redis_flush_size) must be at least 1, or unset to write at once.");
        }

        if (FlushInterval <= TimeSpan.Zero && FlushInterval != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(FlushInterval), FlushInterval, "LlmCache:Redis:FlushInterval must be positive, or Timeout.InfiniteTimeSpan to flush only by size.");
        }

        if (ConnectTimeout <= TimeSpan.Zero || ConnectTimeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(ConnectTimeout), ConnectTimeout, "LlmCache:Redis:ConnectTimeout must be positive.");
        }

        if (OperationTimeout <= TimeSpan.Zero || OperationTimeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(OperationTimeout), OperationTimeout, "LlmCache:Redis:OperationTimeout must be positive.");
        }

        if (ScanPageSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ScanPageSize), ScanPageSize, "LlmCache:Redis:ScanPageSize must be at least 1.");
        }

        if (DefaultTtl is { } ttl && !CacheTtl.IsValid(ttl))
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultTtl), ttl, $"LlmCache:Redis:DefaultTtl (default_in_redis_ttl) {CacheTtl.AcceptedDefaults} for the runtime's.");
        }

        if (KeyPrefix is null)
        {
            throw new ArgumentNullException(nameof(KeyPrefix), "LlmCache:Redis:KeyPrefix cannot be null; use \"\" for no prefix.");
        }

        if (string.IsNullOrEmpty(Name))
        {
            throw new ArgumentException("LlmCache:Redis:Name cannot be empty.", nameof(Name));
        }

        if (LockExpiry <= TimeSpan.Zero || LockExpiry.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(LockExpiry), LockExpiry, "LlmCache:Redis:LockExpiry must be positive: longer than the slowest model call.");
        }

        if (LockPollInterval <= TimeSpan.Zero || LockPollInterval >= LockExpiry)
        {
            throw new ArgumentOutOfRangeException(nameof(LockPollInterval), LockPollInterval, "LlmCache:Redis:LockPollInterval must be positive and shorter than LockExpiry.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }

    internal RedisCacheStoreOptions Clone() => (RedisCacheStoreOptions)MemberwiseClone();

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static int ParsePort(string? text)
    {
        if (NonEmpty(text) is not { } value)
        {
            return DefaultPort;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port < 1 || port > 65535)
        {
            throw new ArgumentException($"The environment variable REDIS_PORT must be a port number between 1 and 65535, not '{value}'.", "REDIS_PORT");
        }

        return port;
    }

    private static bool? ParseBool(string? text, string name) => NonEmpty(text)?.ToLowerInvariant() switch
    {
        null => null,
        "1" or "true" or "yes" => true,
        "0" or "false" or "no" => false,
        { } other => throw new ArgumentException($"The environment variable {name} must be true or false, not '{other}'.", name),
    };

    private static int ToMilliseconds(TimeSpan value) => (int)Math.Ceiling(value.TotalMilliseconds);
}
