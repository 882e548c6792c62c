using System;
using System.Threading;

namespace LlmCache.Redis;

/// <summary>
/// The settings of a <see cref="RedisVectorIndex"/>: where its records and change stream live, and how each process
/// keeps its in-process index in step with them. Connection, timeouts, logging and the clock are those of the
/// <see cref="RedisCacheStore"/> the index is built over.
/// </summary>
public sealed class RedisVectorIndexOptions
{
    /// <summary>
    /// Put before every key: records live under <c>{KeyPrefix}{namespace}:{32 hex}</c> and the change stream is
    /// <c>{KeyPrefix}changes</c>. Default <c>"llmcache:semantic:"</c>. Processes that share records use the same prefix.
    /// </summary>
    public string KeyPrefix { get; set; } = "llmcache:semantic:";

    /// <summary>
    /// About how many changes the stream keeps (<c>XADD … MAXLEN ~</c>). A process that falls further behind than that
    /// (an outage, a long pause) reloads every record instead. Default 10,000, about 1 MB.
    /// </summary>
    public int StreamLength { get; set; } = 10_000;

    /// <summary>
    /// How long the background loop waits between two reads of the stream when it has caught up: the usual delay
    /// before another process's write, delete or namespace clear is seen here. Default 100 ms.
    /// </summary>
    /// <remarks>StackExchange.Redis shares one connection between callers, so the loop polls instead of blocking in <c>XREAD BLOCK</c>.</remarks>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The most changes one read of the stream takes; a full read is followed at once by the next. Default 500.</summary>
    public int ReadBatchSize { get; set; } = 500;

    /// <summary>
    /// How often every record is reloaded from Redis even when the stream lost nothing, which repairs what a writer that
    /// died between writing a record and announcing it left out. The stream is still followed meanwhile and searches go
    /// on. Default 15 minutes; <see cref="Timeout.InfiniteTimeSpan"/> reloads only when the stream cannot be followed.
    /// </summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The oldest view a search may answer from: when the loop has not heard from Redis for longer (an outage, a lost
    /// stream being reloaded), searches throw and the call goes to the model (fail-open). Default 5 seconds.
    /// </summary>
    public TimeSpan MaxStaleness { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the first calls wait for the initial load of the records already in Redis before they throw a
    /// <see cref="TimeoutException"/>; the load goes on in the background. Default 5 seconds.
    /// </summary>
    public TimeSpan InitialLoadTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between two attempts of a loop that lost Redis (the wait doubles from <see cref="PollInterval"/>). Default 5 seconds.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    internal RedisVectorIndexOptions Clone() => (RedisVectorIndexOptions)MemberwiseClone();

    internal void Validate()
    {
        if (KeyPrefix is null)
        {
            throw new ArgumentNullException(nameof(KeyPrefix), "RedisVectorIndexOptions.KeyPrefix cannot be null; use \"\" for no prefix.");
        }

        if (StreamLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(StreamLength), StreamLength, "RedisVectorIndexOptions.StreamLength must be at least 1.");
        }

        if (ReadBatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ReadBatchSize), ReadBatchSize, "RedisVectorIndexOptions.ReadBatchSize must be at least 1.");
        }

        RequirePositive(PollInterval, nameof(PollInterval));
        RequirePositive(MaxStaleness, nameof(MaxStaleness));
        RequirePositive(InitialLoadTimeout, nameof(InitialLoadTimeout));
        RequirePositive(MaxRetryDelay, nameof(MaxRetryDelay));
        if (ResyncInterval != Timeout.InfiniteTimeSpan)
        {
            RequirePositive(ResyncInterval, nameof(ResyncInterval), " or Timeout.InfiniteTimeSpan to reload only when the stream cannot be followed");
        }

        if (MaxStaleness <= PollInterval)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxStaleness), MaxStaleness, "RedisVectorIndexOptions.MaxStaleness must be longer than PollInterval, or no search could ever run.");
        }
    }

    private static void RequirePositive(TimeSpan value, string name, string alternative = "")
    {
        if (value <= TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(name, value, $"RedisVectorIndexOptions.{name} must be positive{alternative}.");
        }
    }
}
