using System;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Chaos.Tests;

/// <summary>A reply in JSON form, so the suite covers the JSON payload kind beside strings and bytes.</summary>
public sealed record Reply(string Prompt, string Text, int Length);

/// <summary>
/// The model the cached methods call on a miss. Its replies are a pure function of the prompt, so any answer a
/// caller gets can be checked against what the model would have said, whichever tier served it.
/// </summary>
public sealed class SimulatedModel
{
    private readonly TimeSpan _latency;
    private int _calls;

    /// <summary>A model whose asynchronous and synchronous answers take <paramref name="latency"/> (none by default); sync-completing ones are instant.</summary>
    public SimulatedModel(TimeSpan latency = default) => _latency = latency;

    /// <summary>How many times a cached method's implementation ran.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>The text reply to <paramref name="prompt"/>.</summary>
    public static string AnswerFor(string prompt) => "answer:" + Hex("answer", prompt);

    /// <summary>The bytes reply to <paramref name="prompt"/>.</summary>
    public static byte[] DigestFor(string prompt) => SHA256.HashData(Encoding.UTF8.GetBytes("digest:" + prompt));

    /// <summary>The JSON reply to <paramref name="prompt"/>.</summary>
    public static Reply ReplyFor(string prompt) => new(prompt, "reply:" + Hex("reply", prompt), prompt.Length);

    /// <summary>A long text reply (1 KB to 256 KB, its length set by the prompt), so disk writes take long enough to be torn.</summary>
    public static string EssayFor(string prompt)
    {
        string block = Hex("essay", prompt);
        int blocks = 16 + (SHA256.HashData(Encoding.UTF8.GetBytes(prompt))[0] * 16);
        var text = new StringBuilder(blocks * block.Length);
        for (int i = 0; i < blocks; i++)
        {
            text.Append(block);
        }

        return text.ToString();
    }

    /// <summary>Answers at once: the cached method's implementation completes synchronously.</summary>
    public ValueTask<string> AnswerNow(string prompt)
    {
        Interlocked.Increment(ref _calls);
        return new ValueTask<string>(AnswerFor(prompt));
    }

    /// <summary>Answers after yielding: the implementation completes asynchronously.</summary>
    public async Task<string> AnswerLaterAsync(string prompt)
    {
        Interlocked.Increment(ref _calls);
        await WaitAsync();
        return AnswerFor(prompt);
    }

    /// <summary>Answers on the calling thread, for a synchronous cached method.</summary>
    public string Answer(string prompt)
    {
        Interlocked.Increment(ref _calls);
        if (_latency > TimeSpan.Zero)
        {
            Thread.Sleep(_latency);
        }

        return AnswerFor(prompt);
    }

    /// <summary>The bytes reply, asynchronously.</summary>
    public async Task<byte[]> DigestAsync(string prompt)
    {
        Interlocked.Increment(ref _calls);
        await WaitAsync();
        return DigestFor(prompt);
    }

    /// <summary>The JSON reply, synchronously completed.</summary>
    public ValueTask<Reply> ReplyNow(string prompt)
    {
        Interlocked.Increment(ref _calls);
        return new ValueTask<Reply>(ReplyFor(prompt));
    }

    /// <summary>The long text reply, asynchronously.</summary>
    public async Task<string> EssayAsync(string prompt)
    {
        Interlocked.Increment(ref _calls);
        await WaitAsync();
        return EssayFor(prompt);
    }

    private async Task WaitAsync()
    {
        if (_latency > TimeSpan.Zero)
        {
            await Task.Delay(_latency);
        }
        else
        {
            await Task.Yield();
        }
    }

    private static string Hex(string purpose, string prompt) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(purpose + ":" + prompt))).ToLowerInvariant();
}
