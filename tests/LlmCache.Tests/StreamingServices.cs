using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmCache.Tests;

/// <summary>Cached streaming calls over an upstream the test drives update by update.</summary>
public sealed partial class StreamingChatService(LlmCacheRuntime cache, ScriptedUpstream<ChatResponseUpdate> upstream, ScriptedUpstream<string>? words = null)
{
    [LlmCached(Type = CacheType.Memory)]
    public partial IAsyncEnumerable<ChatResponseUpdate> StreamAsync(IList<ChatMessage> messages, CacheControl control = default, CancellationToken cancellationToken = default);

    [LlmCached(Type = CacheType.Disk)]
    public partial IAsyncEnumerable<ChatResponseUpdate> StreamOnDiskAsync(IList<ChatMessage> messages, CacheControl control = default, CancellationToken cancellationToken = default);

    [LlmCached(Type = CacheType.Memory, ShareResult = true)]
    public partial IAsyncEnumerable<ChatResponseUpdate> StreamSharedAsync(IList<ChatMessage> messages, CacheControl control = default, CancellationToken cancellationToken = default);

    [LlmCached(Type = CacheType.Disk)]
    public partial IAsyncEnumerable<string> WordsOnDiskAsync(string prompt, CacheControl control = default, CancellationToken cancellationToken = default);

    private IAsyncEnumerable<ChatResponseUpdate> StreamAsyncCore(IList<ChatMessage> messages, CancellationToken cancellationToken) => upstream.RunAsync(cancellationToken);

    private IAsyncEnumerable<ChatResponseUpdate> StreamSharedAsyncCore(IList<ChatMessage> messages, CancellationToken cancellationToken) => upstream.RunAsync(cancellationToken);

    private IAsyncEnumerable<ChatResponseUpdate> StreamOnDiskAsyncCore(IList<ChatMessage> messages, CancellationToken cancellationToken) => upstream.RunAsync(cancellationToken);

    private IAsyncEnumerable<string> WordsOnDiskAsyncCore(string prompt, CancellationToken cancellationToken) =>
        (words ?? throw new InvalidOperationException("No word upstream.")).RunAsync(cancellationToken);
}

/// <summary>
/// An upstream stream that sends its script one update per <see cref="Release"/>, can fail at a given update, and
/// records how often it was opened and the token of each run.
/// </summary>
public sealed class ScriptedUpstream<T>(IReadOnlyList<T> script, int failAt = -1)
{
    private readonly SemaphoreSlim _gate = new(0);
    private readonly List<CancellationToken> _tokens = new();
    private int _started;
    private int _sent;
    private int _completed;

    public int Started => Volatile.Read(ref _started);

    public int Sent => Volatile.Read(ref _sent);

    public int Completed => Volatile.Read(ref _completed);

    public CancellationToken[] Tokens
    {
        get
        {
            lock (_tokens)
            {
                return _tokens.ToArray();
            }
        }
    }

    /// <summary>Lets <paramref name="updates"/> more updates through.</summary>
    public void Release(int updates = 1) => _gate.Release(updates);

    /// <summary>Lets every remaining update through, for this run and any later ones.</summary>
    public void ReleaseAll() => _gate.Release(10_000);

    public async IAsyncEnumerable<T> RunAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _started);
        lock (_tokens)
        {
            _tokens.Add(cancellationToken);
        }

        for (int i = 0; i < script.Count; i++)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (i == failAt)
            {
                throw new InvalidOperationException("The upstream failed half way.");
            }

            Interlocked.Increment(ref _sent);
            yield return script[i];
        }

        Interlocked.Increment(ref _completed);
    }
}
