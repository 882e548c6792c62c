namespace LlmCache.VectorIndex.USearch;

/// <summary>How the USearch graph stores its copy of each vector. The in-process index keeps the full vectors and scores the graph's candidates with them, so a smaller copy costs little precision.</summary>
public enum USearchQuantization
{
    /// <summary>4 bytes per dimension.</summary>
    Float32 = 1,

    /// <summary>2 bytes per dimension.</summary>
    Float16 = 3,

    /// <summary>1 byte per dimension.</summary>
    Int8 = 4,
}
