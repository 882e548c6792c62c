namespace LlmCache;

/// <summary>A record's place in an <see cref="InProcessVectorIndex"/>'s age order, oldest first, for its bound.</summary>
internal sealed record AgeEntry(VectorPartition Partition, string Id);
