using System;
using System.Collections.Generic;

namespace LlmCache;

/// <summary>
/// The copier of a cached stream's updates, one at a time: the runtime copies each update it passes on live (to
/// every caller sharing the upstream) and, through <see cref="Copy"/>, every stored update of a replay. Any other
/// copier on a stream method copies only whole lists found in a tier.
/// </summary>
/// <typeparam name="T">The update type.</typeparam>
internal abstract class CacheStreamCopier<T> : CacheValueCopier<IReadOnlyList<T>>
{
    /// <summary>A copy of one update that shares no mutable state with it.</summary>
    public abstract T CopyUpdate(T update);

    /// <summary>A new list of copies of <paramref name="value"/>'s updates, in order.</summary>
    public sealed override IReadOnlyList<T> Copy(IReadOnlyList<T> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var copy = new T[value.Count];
        for (int i = 0; i < copy.Length; i++)
        {
            copy[i] = CopyUpdate(value[i]);
        }

        return copy;
    }
}
