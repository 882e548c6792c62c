using System;
using System.Threading.Tasks;

namespace LlmCache.Chaos.Tests;

/// <summary>The per-call control a planned call carries.</summary>
public enum CallVariant
{
    Plain,
    NoCache,
    NoStore,
    Ttl,
    SMaxAge,
}

/// <summary>One call of the mix: which method, which prompt, which control.</summary>
public readonly record struct PlannedCall(int Method, string Prompt, CallVariant Variant, TimeSpan Window)
{
    /// <summary>How many cached methods a call can pick from (see <see cref="IChaosService"/>).</summary>
    public const int Methods = 5;

    /// <summary>The call's control, reporting into <paramref name="outcome"/>.</summary>
    public CacheControl Control(CacheOutcome outcome) => Variant switch
    {
        CallVariant.NoCache => new CacheControl { NoCache = true, Outcome = outcome },
        CallVariant.NoStore => new CacheControl { NoStore = true, Outcome = outcome },
        CallVariant.Ttl => new CacheControl { Ttl = Window, Outcome = outcome },
        CallVariant.SMaxAge => new CacheControl { SMaxAge = Window, Outcome = outcome },
        _ => new CacheControl { Outcome = outcome },
    };

    /// <summary>Makes the call and checks its answer against the model's reply for the prompt.</summary>
    /// <returns>Whether the answer is the model's reply.</returns>
    public async ValueTask<bool> RunAsync(IChaosService service, CacheOutcome outcome)
    {
        CacheControl control = Control(outcome);
        return Method switch
        {
            0 => await service.AskAsync(Prompt, control) == SimulatedModel.AnswerFor(Prompt),
            1 => await service.AskLaterAsync(Prompt, control) == SimulatedModel.AnswerFor(Prompt),
            2 => service.Ask(Prompt, control) == SimulatedModel.AnswerFor(Prompt),
            3 => (await service.DigestAsync(Prompt, control)).AsSpan().SequenceEqual(SimulatedModel.DigestFor(Prompt)),
            _ => await service.ReplyAsync(Prompt, control) == SimulatedModel.ReplyFor(Prompt),
        };
    }
}

/// <summary>A fixed-seed mix of calls over a skewed keyspace.</summary>
public static class CallPlan
{
    /// <summary>
    /// <paramref name="count"/> calls over <paramref name="keyspace"/> prompts, the low-numbered ones far more often
    /// (the product of two uniform draws); 72 % plain, 7 % each no-cache, no-store, a 1-5 s TTL and a 0.5-3 s s-maxage.
    /// </summary>
    public static PlannedCall[] Create(int seed, int count, int keyspace)
    {
        var random = new Random(seed);
        var calls = new PlannedCall[count];
        for (int i = 0; i < count; i++)
        {
            double u = random.NextDouble() * random.NextDouble();
            string prompt = "prompt-" + ((int)(u * keyspace)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            int method = random.Next(PlannedCall.Methods);
            int roll = random.Next(100);
            CallVariant variant = roll switch
            {
                < 72 => CallVariant.Plain,
                < 79 => CallVariant.NoCache,
                < 86 => CallVariant.NoStore,
                < 93 => CallVariant.Ttl,
                _ => CallVariant.SMaxAge,
            };
            TimeSpan window = variant == CallVariant.Ttl
                ? TimeSpan.FromMilliseconds(random.Next(1000, 5000))
                : TimeSpan.FromMilliseconds(random.Next(500, 3000));
            calls[i] = new PlannedCall(method, prompt, variant, window);
        }

        return calls;
    }
}
