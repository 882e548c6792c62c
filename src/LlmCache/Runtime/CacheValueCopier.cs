namespace LlmCache;

/// <summary>
/// Copies a cached value of a mutable type before a caller gets it, so that what one caller does to its result
/// (appending a response's messages to a history and editing them, say) never changes what the cache holds or
/// what another caller gets. Set on <see cref="CachedMethod{T}.Copier"/>; the generator chooses one for
/// Microsoft.Extensions.AI results unless the method says <see cref="LlmCachedAttribute.ShareResult"/>.
/// </summary>
/// <typeparam name="T">The cached type.</typeparam>
public abstract class CacheValueCopier<T>
{
    /// <summary>A copy of <paramref name="value"/> that shares no mutable state with it.</summary>
    public abstract T Copy(T value);
}
