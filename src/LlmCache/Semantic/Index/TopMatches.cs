using System;

namespace LlmCache;

/// <summary>The best rows of one search, most similar first, at most the count asked for.</summary>
internal sealed class TopMatches
{
    private readonly int[] _rows;
    private readonly float[] _similarities;

    public TopMatches(int count)
    {
        _rows = new int[count];
        _similarities = new float[count];
    }

    public int Count { get; private set; }

    public int Row(int rank) => _rows[rank];

    public float Similarity(int rank) => _similarities[rank];

    public void Offer(int row, float similarity)
    {
        if (Count == _rows.Length && similarity <= _similarities[Count - 1])
        {
            return;
        }

        int at = Count == _rows.Length ? Count - 1 : Count++;
        while (at > 0 && _similarities[at - 1] < similarity)
        {
            _rows[at] = _rows[at - 1];
            _similarities[at] = _similarities[at - 1];
            at--;
        }

        _rows[at] = row;
        _similarities[at] = similarity;
    }
}
