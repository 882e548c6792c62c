using Microsoft.Extensions.Configuration;

namespace LlmCache.Redis;

/// <summary>
/// The <c>Redis</c> section of LlmCache's configuration as text (LiteLLM's <c>host</c>, <c>port</c>, <c>password</c>,
/// <c>default_in_redis_ttl</c> and <c>redis_flush_size</c> are rewritten into it), bound by the source generator and
/// parsed into <see cref="RedisCacheStoreOptions"/> with messages that name each setting.
/// </summary>
internal sealed class RedisSettingValues
{
    public string? RedisUrl { get; set; }

    public string? Configuration { get; set; }

    public string? Host { get; set; }

    public string? Port { get; set; }

    public string? User { get; set; }

    public string? Password { get; set; }

    public string? Ssl { get; set; }

    public string? SslHost { get; set; }

    public string? Database { get; set; }

    public string? UseEnvironment { get; set; }

    public string? KeyPrefix { get; set; }

    public string? DefaultTtl { get; set; }

    public string? FlushSize { get; set; }

    /// <summary>Fills <paramref name="options"/> from the section; keys that are unset leave the defaults.</summary>
    public static void ApplyTo(RedisCacheStoreOptions options, IConfigurationSection section, LlmCacheSettings settings)
    {
        var values = new RedisSettingValues();
        section.Bind(values);
        string Name(string key) => settings.Source.Name("Redis:" + key);

        options.RedisUrl = SettingParser.Trimmed(values.RedisUrl);
        options.Configuration = SettingParser.Trimmed(values.Configuration);
        options.Host = SettingParser.Trimmed(values.Host);
        options.Port = (int?)SettingParser.Integer(values.Port, Name(nameof(Port)), 1, 65535, "a port number from 1 to 65535");
        options.User = SettingParser.Trimmed(values.User);
        options.Password = string.IsNullOrEmpty(values.Password) ? null : values.Password;
        options.Ssl = SettingParser.Boolean(values.Ssl, Name(nameof(Ssl)));
        options.SslHost = SettingParser.Trimmed(values.SslHost);
        options.Database = (int?)SettingParser.Integer(values.Database, Name(nameof(Database)), 0, int.MaxValue, "a database number, 0 or more");
        options.UseEnvironment = SettingParser.Boolean(values.UseEnvironment, Name(nameof(UseEnvironment))) ?? true;
        options.KeyPrefix = values.KeyPrefix ?? options.KeyPrefix;
        options.DefaultTtl = SettingParser.Ttl(values.DefaultTtl, Name(nameof(DefaultTtl)));
        options.FlushSize = (int?)SettingParser.Integer(values.FlushSize, Name(nameof(FlushSize)), 1, int.MaxValue, "a number of writes, at least 1, or unset to write at once");
    }
}
