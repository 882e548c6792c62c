using System.Collections;
using System.Collections.Generic;
using System.Threading;

namespace LlmCache.Tests;

/// <summary>A collection derived from a framework collection: keyed by its elements, never by Count or Capacity.</summary>
public class TagList : List<string>
{
    public TagList(params string[] tags)
        : base(tags)
    {
    }
}

/// <summary>A collection that says how it is keyed: <see cref="ICacheKeyWritable"/> wins over being a list.</summary>
public sealed class CaseInsensitiveTags : List<string>, ICacheKeyWritable
{
    public void WriteCacheKey(ref CacheKeyWriter writer)
    {
        writer.BeginList(Count);
        foreach (string tag in this)
        {
            writer.WriteString(tag.ToUpperInvariant());
        }
    }
}

/// <summary>A dictionary derived from a framework dictionary: keyed by its entries.</summary>
public sealed class WeightTable : Dictionary<string, int>
{
}

/// <summary>A user collection implementing <see cref="IReadOnlyList{T}"/> itself over private storage.</summary>
public sealed class WordList(params string[] words) : IReadOnlyList<string>
{
    public int Count => words.Length;

    public string this[int index] => words[index];

    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)words).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>A record that is not sealed: an instance may be a derived record carrying more data.</summary>
public record Prompt(string Text);

/// <summary>Derived from <see cref="Prompt"/>: its <see cref="Style"/> is data a key of <see cref="Prompt"/>'s members would miss.</summary>
public record StyledPrompt(string Text, string Style) : Prompt(Text);

/// <summary>A sealed record holding a non-sealed one, so the check reaches members.</summary>
public sealed record PromptRequest(string Model, Prompt Prompt);

/// <summary>Cached methods over the key shapes that used to drop data.</summary>
public sealed partial class CompletenessService(LlmCacheRuntime cache)
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    [LlmCached]
    public partial string Tags(TagList tags);

    [LlmCached]
    public partial string Weights(WeightTable weights);

    [LlmCached]
    public partial string Words(WordList words);

    [LlmCached]
    public partial string Labels(CaseInsensitiveTags labels);

    [LlmCached]
    public partial string Ask(Prompt prompt, CacheControl control = default);

    [LlmCached]
    public partial string AskAll(IReadOnlyList<Prompt> prompts, CacheControl control = default);

    [LlmCached]
    public partial string Send(PromptRequest request, CacheControl control = default);

    private string TagsCore(TagList tags) => string.Join(",", tags) + "#" + Interlocked.Increment(ref _calls);

    private string WeightsCore(WeightTable weights) => weights.Count + "#" + Interlocked.Increment(ref _calls);

    private string LabelsCore(CaseInsensitiveTags labels) => labels.Count + "#" + Interlocked.Increment(ref _calls);

    private string WordsCore(WordList words) => string.Join(",", words) + "#" + Interlocked.Increment(ref _calls);

    private string AskCore(Prompt prompt) => prompt + "#" + Interlocked.Increment(ref _calls);

    private string AskAllCore(IReadOnlyList<Prompt> prompts) => prompts.Count + "#" + Interlocked.Increment(ref _calls);

    private string SendCore(PromptRequest request) => request + "#" + Interlocked.Increment(ref _calls);
}
