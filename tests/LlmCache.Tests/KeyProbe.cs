using System;
using System.Collections.Generic;

namespace LlmCache.Tests;

/// <summary>A cached method over every kind of supported key input; the tests call its generated key builder.</summary>
public sealed partial class KeyProbe
{
    private static LlmCacheRuntime Cache => LlmCacheRuntime.Shared;

    [LlmCached]
    public partial string Probe(
        string? text,
        string? other,
        int number,
        long big,
        double real,
        decimal money,
        bool flag,
        char letter,
        Guid id,
        DateTime at,
        DateTimeOffset offset,
        Mood mood,
        int? maybe,
        byte[]? blob,
        int[]? numbers,
        IReadOnlyList<string?>? words,
        IReadOnlyList<Message>? messages,
        HashSet<string>? tags,
        Dictionary<string, int>? weights);

    private string ProbeCore(
        string? text,
        string? other,
        int number,
        long big,
        double real,
        decimal money,
        bool flag,
        char letter,
        Guid id,
        DateTime at,
        DateTimeOffset offset,
        Mood mood,
        int? maybe,
        byte[]? blob,
        int[]? numbers,
        IReadOnlyList<string?>? words,
        IReadOnlyList<Message>? messages,
        HashSet<string>? tags,
        Dictionary<string, int>? weights) => string.Empty;
}
