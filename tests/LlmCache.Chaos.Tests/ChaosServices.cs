using System.Threading.Tasks;

namespace LlmCache.Chaos.Tests;

/// <summary>
/// The cached methods the scenarios call, one class per store type (the type is a compile-time attribute argument):
/// a sync-completing <c>ValueTask</c>, an asynchronous <c>Task</c>, a synchronous method, a bytes result and a JSON
/// result, so every payload kind and every generated call shape meets the faults.
/// </summary>
public interface IChaosService
{
    ValueTask<string> AskAsync(string prompt, CacheControl control = default);

    Task<string> AskLaterAsync(string prompt, CacheControl control = default);

    string Ask(string prompt, CacheControl control = default);

    Task<byte[]> DigestAsync(string prompt, CacheControl control = default);

    ValueTask<Reply> ReplyAsync(string prompt, CacheControl control = default);
}

/// <summary>
/// The implementations every service's cached methods call on a miss; the generator finds them in this base class,
/// so the services differ only in their cache type.
/// </summary>
public abstract class ChaosService(SimulatedModel model)
{
    /// <summary>The model the implementations ask.</summary>
    protected SimulatedModel Model => model;

    protected ValueTask<string> AskAsyncCore(string prompt) => model.AnswerNow(prompt);

    protected Task<string> AskLaterAsyncCore(string prompt) => model.AnswerLaterAsync(prompt);

    protected string AskCore(string prompt) => model.Answer(prompt);

    protected Task<byte[]> DigestAsyncCore(string prompt) => model.DigestAsync(prompt);

    protected ValueTask<Reply> ReplyAsyncCore(string prompt) => model.ReplyNow(prompt);
}

/// <summary>Memory in front of Redis.</summary>
public sealed partial class DualService(LlmCacheRuntime cache, SimulatedModel model) : ChaosService(model), IChaosService
{
    [LlmCached(Type = CacheType.Dual)]
    public partial ValueTask<string> AskAsync(string prompt, CacheControl control = default);

    [LlmCached(Type = CacheType.Dual)]
    public partial Task<string> AskLaterAsync(string prompt, CacheControl control = default);

    [LlmCached(Type = CacheType.Dual)]
    public partial string Ask(string prompt, CacheControl control = default);

    [LlmCached(Type = CacheType.Dual)]
    public partial Task<byte[]> DigestAsync(string prompt, CacheControl control = default);

    [LlmCached(Type = CacheType.Dual)]
    public partial ValueTask<Reply> ReplyAsync(string prompt, CacheControl control = default);
}

/// <summary>Redis alone.</summary>
public sealed partial class RedisService(LlmCacheRuntime cache, SimulatedModel model) : ChaosService(model), IChaosService
{
    [LlmCached(Type = CacheType.Redis)]
    public partial ValueTask<string> AskAsync(string prompt, CacheControl control = default);

    [LlmCached(Type = CacheType.Redis)]
    public partial Task<string> AskLaterAsync(string prompt, CacheControl control = default);

    [LlmCached(Type = CacheType.Redis)]
    public partial string Ask(string prompt, CacheControl control = default);

    [LlmCached(Type = CacheType.Redis)]
    public partial Task<byte[]> DigestAsync(string prompt, CacheControl control = default);

    [LlmCached(Type = CacheType.Redis)]
    public partial ValueTask<Reply> ReplyAsync(string prompt, CacheControl control = default);
}

/// <summary>S3 alone.</summary>
public sealed partial class S3Service(LlmCacheRuntime cache, SimulatedModel model) : ChaosService(model), IChaosService
{
    [LlmCached(Type = CacheType.S3)]
    public partial ValueTask<string> AskAsync(string prompt, CacheControl control = default);

    [LlmCached(Type = CacheType.S3)]
    public partial Task<string> AskLaterAsync(string prompt, CacheControl control = default);

    [LlmCached(Type = CacheType.S3)]
    public partial string Ask(string prompt, CacheControl control = default);

    [LlmCached(Type = CacheType.S3)]
    public partial Task<byte[]> DigestAsync(string prompt, CacheControl control = default);

    [LlmCached(Type = CacheType.S3)]
    public partial ValueTask<Reply> ReplyAsync(string prompt, CacheControl control = default);
}

/// <summary>Azure Blob Storage alone.</summary>
public sealed partial class AzureBlobService(LlmCacheRuntime cache, SimulatedModel model) : ChaosService(model), IChaosService
{
    [LlmCached(Type = CacheType.AzureBlob)]
    public partial ValueTask<string> AskAsync(string prompt, CacheControl control = default);

    [LlmCached(Type = CacheType.AzureBlob)]
    public partial Task<string> AskLaterAsync(string prompt, CacheControl control = default);

    [LlmCached(Type = CacheType.AzureBlob)]
    public partial string Ask(string prompt, CacheControl control = default);

    [LlmCached(Type = CacheType.AzureBlob)]
    public partial Task<byte[]> DigestAsync(string prompt, CacheControl control = default);

    [LlmCached(Type = CacheType.AzureBlob)]
    public partial ValueTask<Reply> ReplyAsync(string prompt, CacheControl control = default);
}

/// <summary>The disk store; <see cref="EssayAsync"/> writes entries of up to 256 KB for the kill -9 scenario.</summary>
public sealed partial class DiskService(LlmCacheRuntime cache, SimulatedModel model) : ChaosService(model), IChaosService
{
    [LlmCached(Type = CacheType.Disk)]
    public partial ValueTask<string> AskAsync(string prompt, CacheControl control = default);

    [LlmCached(Type = CacheType.Disk)]
    public partial Task<string> AskLaterAsync(string prompt, CacheControl control = default);

    [LlmCached(Type = CacheType.Disk)]
    public partial string Ask(string prompt, CacheControl control = default);

    [LlmCached(Type = CacheType.Disk)]
    public partial Task<byte[]> DigestAsync(string prompt, CacheControl control = default);

    [LlmCached(Type = CacheType.Disk)]
    public partial ValueTask<Reply> ReplyAsync(string prompt, CacheControl control = default);

    [LlmCached(Type = CacheType.Disk)]
    public partial Task<string> EssayAsync(string prompt, CacheControl control = default);

    private Task<string> EssayAsyncCore(string prompt) => Model.EssayAsync(prompt);
}
