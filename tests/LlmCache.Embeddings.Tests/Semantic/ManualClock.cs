using System;

namespace LlmCache.Embeddings.Tests.Semantic;

/// <summary>A clock the test moves.</summary>
internal sealed class ManualClock : TimeProvider
{
    // Ahead of the system clock, so what expires by this clock is still live by the system's.
    private DateTimeOffset _now = DateTimeOffset.UtcNow.AddDays(1);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
