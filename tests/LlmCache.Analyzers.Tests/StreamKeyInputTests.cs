using System;
using System.IO;

namespace LlmCache.Analyzers.Tests;

/// <summary>
/// A <see cref="Stream"/> is a supported key input (the generator does not report LLMC0007 for it): the key writer keys it by its
/// content and rewinds it, and a stream that cannot seek fails with an error that names the parameter.
/// </summary>
public sealed class StreamKeyInputTests
{
    [Fact]
    public void A_seekable_stream_is_keyed_by_its_content_and_rewound()
    {
        using var audio = new MemoryStream([1, 2, 3, 4, 5]);
        audio.Position = 1;

        byte[] first = Write(audio);
        byte[] sameContent = Write(new MemoryStream([9, 2, 3, 4, 5]) { Position = 1 });
        byte[] otherContent = Write(new MemoryStream([1, 2, 3, 4, 6]) { Position = 1 });

        Assert.Equal(1, audio.Position);
        Assert.Equal(first, sameContent);
        Assert.NotEqual(first, otherContent);
    }

    [Fact]
    public void A_stream_that_cannot_seek_fails_naming_the_parameter()
    {
        using var forwardOnly = new ForwardOnlyStream();

        ArgumentException error = Assert.Throws<ArgumentException>(() => Write(forwardOnly, "recording"));

        Assert.Equal("recording", error.ParamName);
        Assert.Contains("'recording'", error.Message, StringComparison.Ordinal);
        Assert.Contains("CanSeek is false", error.Message, StringComparison.Ordinal);
    }

    private static byte[] Write(Stream stream, string parameterName = "audio")
    {
        var writer = new CacheKeyWriter(stackalloc byte[16]);
        try
        {
            writer.WriteStream(stream, parameterName);
            return writer.WrittenSpan.ToArray();
        }
        finally
        {
            writer.Dispose();
        }
    }

    private sealed class ForwardOnlyStream : MemoryStream
    {
        public ForwardOnlyStream()
            : base([1, 2, 3])
        {
        }

        public override bool CanSeek => false;
    }
}
