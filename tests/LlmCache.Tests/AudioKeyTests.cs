using System;
using System.IO;

namespace LlmCache.Tests;

/// <summary>Audio is keyed by its content: the same bytes as an array, a memory, a file stream or a memory stream write one key.</summary>
public sealed class AudioKeyTests : IDisposable
{
    private static readonly byte[] Audio = CreateAudio();

    private readonly string _file = Path.Combine(Path.GetTempPath(), "llmcache-audio-" + Guid.NewGuid().ToString("N") + ".wav");

    public AudioKeyTests() => File.WriteAllBytes(_file, Audio);

    public void Dispose() => File.Delete(_file);

    [Fact]
    public void Bytes_memory_and_streams_of_the_same_audio_write_the_same_key_bytes()
    {
        byte[] fromArray = Key(w => w.WriteBytes(Audio));
        byte[] fromMemory = Key(w => w.WriteBytes(new ReadOnlyMemory<byte>(Audio).Span));
        using var memory = new MemoryStream(Audio);
        byte[] fromMemoryStream = Key(w => w.WriteStream(memory, "audio"));
        using FileStream file = File.OpenRead(_file);
        byte[] fromFileStream = Key(w => w.WriteStream(file, "audio"));

        Assert.Equal(fromArray, fromMemory);
        Assert.Equal(fromArray, fromMemoryStream);
        Assert.Equal(fromArray, fromFileStream);
        Assert.Equal(0, memory.Position);
        Assert.Equal(0, file.Position);
    }

    internal static byte[] CreateAudio()
    {
        var audio = new byte[64 * 1024];
        new Random(7).NextBytes(audio);
        return audio;
    }

    private static byte[] Key(Action<WriterBox> write)
    {
        var box = new WriterBox();
        write(box);
        return box.Bytes;
    }

    /// <summary>Runs one write into a fresh writer (a ref struct cannot be captured by a lambda).</summary>
    private sealed class WriterBox
    {
        public byte[] Bytes { get; private set; } = Array.Empty<byte>();

        public void WriteBytes(ReadOnlySpan<byte> value)
        {
            var writer = new CacheKeyWriter(stackalloc byte[16], value.Length + 16);
            writer.WriteBytes(value);
            Bytes = writer.ToArrayAndDispose();
        }

        public void WriteStream(Stream value, string name)
        {
            var writer = new CacheKeyWriter(stackalloc byte[16], CacheKeyWriter.MaxStreamSize(value));
            writer.WriteStream(value, name);
            Bytes = writer.ToArrayAndDispose();
        }
    }
}
