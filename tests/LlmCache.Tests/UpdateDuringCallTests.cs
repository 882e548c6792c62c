using System;
using System.Collections.Concurrent;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Tests;

/// <summary>
/// An <see cref="LlmCacheRuntime.Update"/> that changes the namespace while calls run: no call stores its entry
/// under a namespace other than the one its key names, and none throws.
/// </summary>
public sealed class UpdateDuringCallTests
{
    private readonly CachedMethod<string> _method = new("LlmCache.Tests.Echo(string)#v0", CacheType.Custom, 0, null, CacheValueSerializer.String);
    private readonly RecordingStore _store = new();

    [Fact]
    public async Task A_namespace_change_between_the_key_header_and_the_lookup_never_stores_under_the_other_namespace()
    {
        var runtime = new LlmCacheRuntime(new LlmCacheOptions { Namespace = "a" }.UseStore(CacheType.Custom, _store));
        byte[] key = Key(runtime, "q");

        runtime.Update(o => o.Namespace = "b");
        string answer = await Lookup(runtime, key, "q");
        Assert.Equal(Answer("q"), answer);

        // A call wholly in the new namespace stores as usual, under the namespace its key names.
        Assert.Equal(Answer("r"), await CallAsync(runtime, "r"));
        Assert.Contains(_store.Writes, w => w.Namespace == "b" && Encoding.UTF8.GetString(w.Payload) == Answer("r"));
        AssertEveryWriteIsUnderItsKeysNamespace();
    }

    [Fact]
    public async Task Calls_racing_namespace_updates_neither_throw_nor_store_under_the_wrong_namespace()
    {
        var runtime = new LlmCacheRuntime(new LlmCacheOptions { Namespace = "a" }.UseStore(CacheType.Custom, _store));
        using var stop = new CancellationTokenSource();
        Task updater = Task.Run(() =>
        {
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                string next = (i % 3) switch { 0 => "a", 1 => "bb", _ => new string('c', 300) };
                runtime.Update(o => o.Namespace = next);
            }
        });

        var workers = new Task[4];
        for (int w = 0; w < workers.Length; w++)
        {
            int worker = w;
            workers[w] = Task.Run(async () =>
            {
                for (int i = 0; i < 500; i++)
                {
                    string prompt = $"{worker}-{i % 50}";
                    Assert.Equal(Answer(prompt), await CallAsync(runtime, prompt));
                }
            });
        }

        try
        {
            await Task.WhenAll(workers);
        }
        finally
        {
            stop.Cancel();
            await updater;
        }

        Assert.NotEmpty(_store.Writes);
        AssertEveryWriteIsUnderItsKeysNamespace();
    }

    private static string Answer(string prompt) => prompt + "!";

    /// <summary>The call sequence of generated code, as one call.</summary>
    private async Task<string> CallAsync(LlmCacheRuntime runtime, string prompt) => await Lookup(runtime, Key(runtime, prompt), prompt);

    private byte[] Key(LlmCacheRuntime runtime, string prompt)
    {
        var writer = new CacheKeyWriter(stackalloc byte[64], runtime.GetKeyHeaderSize(_method, default) + CacheKeyWriter.MaxStringSize(prompt));
        try
        {
            runtime.WriteKeyHeader(ref writer, _method, default);
            writer.WriteString(prompt);
            return writer.WrittenSpan.ToArray();
        }
        finally
        {
            writer.Dispose();
        }
    }

    private ValueTask<string> Lookup(LlmCacheRuntime runtime, byte[] key, string prompt) =>
        runtime.TryGetCached(_method, default, key, out CacheKeyHash hash, out string cached)
            ? new ValueTask<string>(cached)
            : runtime.GetOrCreateAsync(_method, default, key, hash, prompt, static (p, _) => new ValueTask<string>(Answer(p)), CancellationToken.None);

    private void AssertEveryWriteIsUnderItsKeysNamespace()
    {
        foreach ((string ns, byte[] digest, byte[] payload) in _store.Writes)
        {
            string answer = Encoding.UTF8.GetString(payload);
            string prompt = answer.Substring(0, answer.Length - 1);
            var inNamespace = new LlmCacheRuntime(new LlmCacheOptions { Namespace = ns });
            byte[] expected = CacheKeyDigests.ComputeRemote(Key(inNamespace, prompt));
            Assert.True(expected.AsSpan().SequenceEqual(digest), $"The answer for '{prompt}' was stored under namespace '{ns}' with a key that names another namespace.");
        }
    }

    private sealed class RecordingStore : ICacheStore
    {
        public ConcurrentQueue<(string Namespace, byte[] Digest, byte[] Payload)> Writes { get; } = new();

        public string Name => "recording";

        public ValueTask<CacheEntry?> GetAsync(CacheStoreKey key, CancellationToken cancellationToken = default) => new((CacheEntry?)null);

        public ValueTask SetAsync(CacheStoreKey key, CacheEntry entry, CancellationToken cancellationToken = default)
        {
            Writes.Enqueue((key.Namespace, key.Digest.ToArray(), entry.Payload.ToArray()));
            return default;
        }

        public ValueTask<bool> RemoveAsync(CacheStoreKey key, CancellationToken cancellationToken = default) => new(false);

        public ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default) => default;
    }
}
