using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache;

/// <summary>
/// A stored stream played back update by update, synchronously: each <c>MoveNextAsync</c> completes at once. It
/// honours the token it was made with and the one passed to <c>GetAsyncEnumerator</c> (<c>WithCancellation</c>).
/// </summary>
/// <typeparam name="T">The update type.</typeparam>
internal sealed class StreamReplay<T> : IAsyncEnumerable<T>
{
    private readonly IReadOnlyList<T> _updates;
    private readonly CancellationToken _cancellationToken;

    public StreamReplay(IReadOnlyList<T> updates, CancellationToken cancellationToken)
    {
        _updates = updates;
        _cancellationToken = cancellationToken;
    }

    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        new Enumerator(_updates, _cancellationToken, cancellationToken);

    private sealed class Enumerator : IAsyncEnumerator<T>
    {
        private readonly IReadOnlyList<T> _updates;
        private readonly CancellationToken _first;
        private readonly CancellationToken _second;
        private int _index = -1;

        public Enumerator(IReadOnlyList<T> updates, CancellationToken first, CancellationToken second)
        {
            _updates = updates;
            _first = first;
            _second = second;
        }

        public T Current => _updates[_index];

        public ValueTask<bool> MoveNextAsync()
        {
            _first.ThrowIfCancellationRequested();
            _second.ThrowIfCancellationRequested();
            if (_index + 1 >= _updates.Count)
            {
                _index = _updates.Count;
                return new ValueTask<bool>(false);
            }

            _index++;
            return new ValueTask<bool>(true);
        }

        public ValueTask DisposeAsync() => default;
    }
}
