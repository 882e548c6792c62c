using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.AI;

/// <summary>
/// Makes a non-seekable audio stream keyable by its content: it is read once into memory, up to a limit, and the
/// implementation gets the same bytes as a seekable stream. A longer one is not buffered past the limit: the call
/// bypasses the cache and the implementation gets a stream of the bytes read so far followed by the rest.
/// </summary>
internal static class AudioBuffer
{
    /// <summary>
    /// <paramref name="audio"/> itself when it can seek (or is <c>null</c>); else its bytes in a <see cref="MemoryStream"/>
    /// when they fit in <paramref name="limit"/>; else <c>false</c> with a stream that replays what was read, then the rest.
    /// </summary>
    public static bool TryBuffer(ref Stream? audio, long limit)
    {
        if (audio is null or { CanSeek: true })
        {
            return true;
        }

        var read = new Accumulator(limit);
        while (read.Space() is { } space)
        {
            int n = audio.Read(space.Span);
            if (n == 0)
            {
                audio = read.ToStream();
                return true;
            }

            read.Advance(n);
        }

        audio = read.ToReplay(audio);
        return false;
    }

    /// <summary><see cref="TryBuffer"/>, reading asynchronously (the middleware).</summary>
    public static async ValueTask<(bool Buffered, Stream Audio)> BufferAsync(Stream audio, long limit, CancellationToken cancellationToken)
    {
        if (audio.CanSeek)
        {
            return (true, audio);
        }

        var read = new Accumulator(limit);
        while (read.Space() is { } space)
        {
            int n = await audio.ReadAsync(space, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return (true, read.ToStream());
            }

            read.Advance(n);
        }

        return (false, read.ToReplay(audio));
    }

    /// <summary>The bytes read so far, in an array that grows up to one byte past the limit (which shows the stream is longer).</summary>
    private sealed class Accumulator
    {
        private readonly long _limit;
        private byte[] _buffer;
        private int _length;

        public Accumulator(long limit)
        {
            _limit = limit;
            _buffer = new byte[(int)Math.Min(limit + 1, 81920)];
        }

        /// <summary>Where the next bytes go, or <c>null</c> once more than the limit has been read.</summary>
        public Memory<byte>? Space()
        {
            if (_length > _limit)
            {
                return null;
            }

            if (_length == _buffer.Length)
            {
                Array.Resize(ref _buffer, (int)Math.Min(_limit + 1, (long)_buffer.Length * 2));
            }

            return _buffer.AsMemory(_length);
        }

        public void Advance(int count) => _length += count;

        public MemoryStream ToStream() => new(_buffer, 0, _length, writable: false, publiclyVisible: true);

        public Stream ToReplay(Stream rest) => new ReplayStream(_buffer, _length, rest);
    }

    /// <summary>The bytes already read from a stream, then the rest of it: what the implementation would have read.</summary>
    private sealed class ReplayStream : Stream
    {
        private readonly byte[] _head;
        private readonly int _headLength;
        private readonly Stream _rest;
        private int _position;

        public ReplayStream(byte[] head, int headLength, Stream rest)
        {
            _head = head;
            _headLength = headLength;
            _rest = rest;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position < _headLength)
            {
                int n = Math.Min(buffer.Length, _headLength - _position);
                _head.AsSpan(_position, n).CopyTo(buffer);
                _position += n;
                return n;
            }

            return _rest.Read(buffer);
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position < _headLength)
            {
                return new ValueTask<int>(Read(buffer.Span));
            }

            return _rest.ReadAsync(buffer, cancellationToken);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _rest.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
