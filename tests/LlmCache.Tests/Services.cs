using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Tests;

public sealed record Message(string Role, string Text);

public enum Mood
{
    Calm,
    Curious,
}

/// <summary>A cached service whose implementation counts its calls.</summary>
public sealed partial class ChatService(LlmCacheRuntime cache)
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    [LlmCached]
    public partial ValueTask<string> AskAsync(string model, IReadOnlyList<Message> messages, float temperature, int maxTokens, CacheControl control = default, CancellationToken cancellationToken = default);

    [LlmCached]
    public partial string Describe(Guid id, DateTimeOffset at, Mood mood, int? seed, [NotCacheKey] string apiKey);

    [LlmCached]
    public partial Task<byte[]> TranscribeAsync(Stream audio, string language, CancellationToken cancellationToken = default);

    private ValueTask<string> AskAsyncCore(string model, IReadOnlyList<Message> messages, float temperature, int maxTokens, CancellationToken cancellationToken)
    {
        int call = Interlocked.Increment(ref _calls);
        return new ValueTask<string>($"{model}:{messages.Count}:{temperature}:{maxTokens}#{call}");
    }

    private string DescribeCore(Guid id, DateTimeOffset at, Mood mood, int? seed, string apiKey)
    {
        int call = Interlocked.Increment(ref _calls);
        return $"{id}:{at:O}:{mood}:{seed}#{call}";
    }

    private async Task<byte[]> TranscribeAsyncCore(Stream audio, string language, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        using var copy = new MemoryStream();
        await audio.CopyToAsync(copy, cancellationToken);
        return copy.ToArray();
    }
}

/// <summary>A static cached method with no runtime member: it uses <see cref="LlmCacheRuntime.Shared"/>.</summary>
/// <remarks>This assembly calls <c>AddLlmCache</c> elsewhere; the use of Shared is the point here, so LLMC0020 is off for it.</remarks>
#pragma warning disable LLMC0020
public static partial class StaticDefaults
{
    private static int _calls;

    public static int Calls => Volatile.Read(ref _calls);

    [LlmCached(Ttl = 60)]
    public static partial Task<string> EchoAsync(string text);

    private static Task<string> EchoAsyncCore(string text) => Task.FromResult($"{text}#{Interlocked.Increment(ref _calls)}");
}
#pragma warning restore LLMC0020

/// <summary>A slow implementation that waits for the test to open its gate.</summary>
public sealed partial class GatedService(LlmCacheRuntime cache)
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public void Open() => _gate.TrySetResult();

    [LlmCached]
    public partial ValueTask<string> AnswerAsync(string question, CancellationToken cancellationToken = default);

    private async ValueTask<string> AnswerAsyncCore(string question, CancellationToken cancellationToken)
    {
        int call = Interlocked.Increment(ref _calls);
        await _gate.Task.WaitAsync(cancellationToken);
        return $"{question}#{call}";
    }
}
