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
    /// <paramref name="audio"/> itself when it can seek; else its bytes in a <see cref="MemoryStream"/> when they fit in
    /// <paramref name="limit"/>; else <c>false</c> with a stream that replays what was read, then the rest.
    /// </summary>
    public static async ValueTask<(bool Buffered, Stream Audio)> BufferAsync(Stream audio, long limit, CancellationToken cancellationToken)
    {
        if (audio.CanSeek)
        {
            return (true, audio);
        }

        byte[] buffer = new byte[(int)Math.Min(limit + 1, 81920)];
        int length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > limit)
                {
                    return (false, new ReplayStream(buffer, length, audio));
                }

                Array.Resize(ref buffer, (int)Math.Min(limit + 1, (long)buffer.Length * 2));
            }

            int read = await audio.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return (true, new MemoryStream(buffer, 0, length, writable: false, publiclyVisible: true));
            }

            length += read;
        }
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
