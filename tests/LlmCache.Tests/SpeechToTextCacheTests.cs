using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using LlmCache.AI;
using Microsoft.Extensions.AI;

// Microsoft.Extensions.AI's speech-to-text abstractions are experimental (MEAI001); these tests cache them.
#pragma warning disable MEAI001

namespace LlmCache.Tests;

/// <summary>The speech-to-text middleware keys audio by its content, whatever carries it.</summary>
public sealed class SpeechToTextCacheTests : IDisposable
{
    private static readonly byte[] Audio = AudioKeyTests.CreateAudio();

    private readonly string _file = Path.Combine(Path.GetTempPath(), "llmcache-speech-" + Guid.NewGuid().ToString("N") + ".wav");
    private readonly ListLogger _log = new();
    private readonly FakeSpeechToTextClient _inner = new();

    public SpeechToTextCacheTests() => File.WriteAllBytes(_file, Audio);

    public void Dispose() => File.Delete(_file);

    [Fact]
    public async Task The_same_audio_as_bytes_a_file_stream_and_a_memory_stream_is_one_entry()
    {
        ISpeechToTextClient client = Client();

        SpeechToTextResponse fromBytes = await client.GetTextAsync(new DataContent(Audio, "audio/wav"));
        await using FileStream file = File.OpenRead(_file);
        var fileOutcome = new CacheOutcome();
        SpeechToTextResponse fromFile = await client.GetTextAsync(file, WithOutcome(fileOutcome));
        var memoryOutcome = new CacheOutcome();
        SpeechToTextResponse fromMemory = await client.GetTextAsync(new MemoryStream(Audio), WithOutcome(memoryOutcome));

        Assert.Single(_inner.Received);
        Assert.Equal(Audio, _inner.Received[0]);
        Assert.Equal(FakeSpeechToTextClient.TextOf(Audio), fromBytes.Text);
        Assert.Equal(fromBytes.Text, fromFile.Text);
        Assert.Equal(fromBytes.Text, fromMemory.Text);
        Assert.True(fileOutcome.IsHit);
        Assert.True(memoryOutcome.IsHit);
    }

    [Fact]
    public async Task Other_audio_or_other_options_miss()
    {
        ISpeechToTextClient client = Client();
        byte[] other = (byte[])Audio.Clone();
        other[^1] ^= 1;

        await client.GetTextAsync(new MemoryStream(Audio));
        await client.GetTextAsync(new MemoryStream(other));
        await client.GetTextAsync(new MemoryStream(Audio), new SpeechToTextOptions { SpeechLanguage = "fr" });

        Assert.Equal(3, _inner.Received.Count);
    }

    [Fact]
    public async Task A_non_seekable_stream_under_the_limit_is_buffered_once_cached_and_read_in_full_by_the_inner_client()
    {
        ISpeechToTextClient client = Client(limit: Audio.Length);

        var first = new CacheOutcome();
        SpeechToTextResponse live = await client.GetTextAsync(new NonSeekableStream(Audio), WithOutcome(first));
        var second = new CacheOutcome();
        SpeechToTextResponse replayed = await client.GetTextAsync(new NonSeekableStream(Audio), WithOutcome(second));
        await client.GetTextAsync(new MemoryStream(Audio));

        Assert.Single(_inner.Received);
        Assert.Equal(Audio, _inner.Received[0]);
        Assert.Equal(CacheOutcomeStatus.Miss, first.Status);
        Assert.True(second.IsHit);
        Assert.Equal(live.Text, replayed.Text);
        Assert.Empty(_log.Entries);
    }

    [Fact]
    public async Task A_non_seekable_stream_over_the_limit_bypasses_the_cache_with_a_logged_reason_and_reaches_the_inner_client_whole()
    {
        ISpeechToTextClient client = Client(limit: Audio.Length - 1);

        var outcome = new CacheOutcome();
        SpeechToTextResponse first = await client.GetTextAsync(new NonSeekableStream(Audio), WithOutcome(outcome));
        await client.GetTextAsync(new NonSeekableStream(Audio));

        Assert.Equal(2, _inner.Received.Count);
        Assert.All(_inner.Received, received => Assert.Equal(Audio, received));
        Assert.Equal(FakeSpeechToTextClient.TextOf(Audio), first.Text);
        Assert.Equal(CacheOutcomeStatus.Bypassed, outcome.Status);
        Assert.Equal(2, _log.Entries.Count(e => e.Id.Id == 22));
        (_, _, string message) = _log.Entries.First(e => e.Id.Id == 22);
        Assert.Contains((Audio.Length - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), message, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeSpeechToTextClient.TextOf(Audio), message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_attribute_method_keys_the_same_audio_as_bytes_memory_a_file_stream_and_a_memory_stream_as_one_entry()
    {
        var service = new TranscriptionService(new LlmCacheRuntime());
        var outcomes = new[] { new CacheOutcome(), new CacheOutcome(), new CacheOutcome(), new CacheOutcome() };

        SpeechToTextResponse fromBytes = await service.TranscribeAsync(Audio, "en", new CacheControl { Outcome = outcomes[0] });
        SpeechToTextResponse fromMemory = await service.TranscribeAsync(new ReadOnlyMemory<byte>(Audio), "en", new CacheControl { Outcome = outcomes[1] });
        await using FileStream file = File.OpenRead(_file);
        SpeechToTextResponse fromFile = await service.TranscribeAsync(file, "en", new CacheControl { Outcome = outcomes[2] });
        SpeechToTextResponse fromStream = await service.TranscribeAsync(new MemoryStream(Audio), "en", new CacheControl { Outcome = outcomes[3] });
        await service.TranscribeAsync(Audio, "fr");

        Assert.Equal(2, service.Received.Count);
        Assert.Equal(CacheOutcomeStatus.Miss, outcomes[0].Status);
        Assert.All(outcomes[1..], o => Assert.True(o.IsHit));
        Assert.Equal(TranscriptionService.TextOf(Audio), fromBytes.Text);
        Assert.All(new[] { fromMemory, fromFile, fromStream }, r => Assert.Equal(fromBytes.Text, r.Text));
    }

    [Fact]
    public async Task An_attribute_method_buffers_a_non_seekable_stream_under_the_limit_and_bypasses_one_over_it()
    {
        var small = new TranscriptionService(new LlmCacheRuntime(new LlmCacheOptions { LoggerFactory = _log, MaxBufferedAudioBytes = Audio.Length }));
        await small.TranscribeAsync(new NonSeekableStream(Audio), "en");
        var hit = new CacheOutcome();
        await small.TranscribeAsync(new NonSeekableStream(Audio), "en", new CacheControl { Outcome = hit });

        var tight = new TranscriptionService(new LlmCacheRuntime(new LlmCacheOptions { LoggerFactory = _log, MaxBufferedAudioBytes = Audio.Length - 1 }));
        var bypassed = new CacheOutcome();
        SpeechToTextResponse whole = await tight.TranscribeAsync(new NonSeekableStream(Audio), "en", new CacheControl { Outcome = bypassed });
        await tight.TranscribeAsync(new NonSeekableStream(Audio), "en");

        Assert.Single(small.Received);
        Assert.Equal(Audio, small.Received[0]);
        Assert.True(hit.IsHit);
        Assert.Equal(2, tight.Received.Count);
        Assert.All(tight.Received, received => Assert.Equal(Audio, received));
        Assert.Equal(TranscriptionService.TextOf(Audio), whole.Text);
        Assert.Equal(CacheOutcomeStatus.Bypassed, bypassed.Status);
        Assert.Equal(2, _log.Entries.Count(e => e.Id.Id == 22));
    }

    private ISpeechToTextClient Client(long? limit = null)
    {
        var runtime = new LlmCacheRuntime(new LlmCacheOptions { LoggerFactory = _log });
        return _inner.AsBuilder().UseLlmCache(runtime, o => o.MaxBufferedAudioBytes = limit ?? o.MaxBufferedAudioBytes).Build();
    }

    private static SpeechToTextOptions WithOutcome(CacheOutcome outcome) =>
        new() { AdditionalProperties = new() { [CacheControlProperties.Outcome] = outcome } };

    /// <summary>A transcriber that answers with a digest of the audio it read, and records what it read.</summary>
    private sealed class FakeSpeechToTextClient : ISpeechToTextClient
    {
        private readonly List<byte[]> _received = new();

        public IReadOnlyList<byte[]> Received
        {
            get
            {
                lock (_received)
                {
                    return _received.ToArray();
                }
            }
        }

        public static string TextOf(byte[] audio) => "heard " + Convert.ToHexString(SHA256.HashData(audio));

        public async Task<SpeechToTextResponse> GetTextAsync(Stream audioSpeechStream, SpeechToTextOptions? options = null, CancellationToken cancellationToken = default)
        {
            using var copy = new MemoryStream();
            await audioSpeechStream.CopyToAsync(copy, cancellationToken);
            byte[] audio = copy.ToArray();
            lock (_received)
            {
                _received.Add(audio);
            }

            return new SpeechToTextResponse(TextOf(audio)) { ModelId = "fake-stt" };
        }

        public IAsyncEnumerable<SpeechToTextResponseUpdate> GetStreamingTextAsync(Stream audioSpeechStream, SpeechToTextOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    /// <summary>A network-like stream: readable once, in small pieces, and not seekable.</summary>
    private sealed class NonSeekableStream(byte[] content) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(Math.Min(count, 1000), content.Length - _position);
            Array.Copy(content, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
