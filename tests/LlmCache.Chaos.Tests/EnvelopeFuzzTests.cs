using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3;
using LlmCache.Redis.Tests.Servers;
using LlmCache.S3;
using LlmCache.S3.Tests;
using Xunit.Abstractions;

namespace LlmCache.Chaos.Tests;

/// <summary>
/// 10,000 damaged envelopes written straight into the disk, Redis and S3 stores' backing bytes, each followed by a
/// read through a generated method: every read must be a miss answered by the model, or the exact original.
/// The memory store keeps in-process objects, not envelopes, so it has nothing to damage and is not fuzzed.
/// </summary>
public sealed class EnvelopeFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    // S3 takes fewer: each round is five or six HTTP requests to a node server.
    private static readonly (string Store, int Mutations)[] Shares = [("disk", 4_500), ("redis", 4_500), ("s3", 1_000)];
    private const int Lanes = 4;
    private const int Methods = 3;
    private const string WrongValue = "WRONG VALUE";
    private const string ServedDamaged = "SERVED A DAMAGED ENVELOPE";
    private const string MissWithoutModel = "MISS WITHOUT A MODEL CALL";
    private const string Threw = "EXCEPTION";

    private readonly string _directory = Directory.CreateTempSubdirectory("llmcache-chaos-fuzz-").FullName;
    private readonly ConcurrentDictionary<(string Store, Mutation Mutation, string Outcome), int> _counts = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private RedisServer? _redis;
    private S3Server? _s3;

    public Task InitializeAsync()
    {
        _redis = new RedisServer();
        try
        {
            _s3 = new S3Server();
        }
        catch
        {
            // xunit does not dispose a class whose initialisation failed: stop the server already started.
            _redis.Dispose();
            throw;
        }

        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _redis?.Dispose();
        _s3?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }

        return Task.CompletedTask;
    }

    [Fact]
    public Task Ten_thousand_damaged_envelopes_in_disk_redis_and_s3_read_back_as_a_miss_or_the_exact_original() =>
        Scenario.RunAsync(TimeSpan.FromSeconds(200), async cancellationToken =>
        {
            var clock = Stopwatch.StartNew();
            string redisPrefix = RedisServer.UniquePrefix();
            S3CacheStoreOptions s3Options = _s3!.StoreOptions();
            using AmazonS3Client s3Client = _s3.CreateRawClient();
            var model = new SimulatedModel();

            await using var diskRuntime = new LlmCacheRuntime(new LlmCacheOptions().UseStore(CacheType.Disk, new DiskCacheStore(_directory)));
            await using var redisRuntime = new LlmCacheRuntime(new LlmCacheOptions().UseRedis(redis =>
            {
                redis.Host = "127.0.0.1";
                redis.Port = _redis!.Port;
                redis.UseEnvironment = false;
                redis.KeyPrefix = redisPrefix;
            }));
            await using var s3Runtime = new LlmCacheRuntime(new LlmCacheOptions().UseS3(s3Options));
            var stores = new (IChaosService Service, IRawStore Raw)[]
            {
                (new DiskService(diskRuntime, model), new RawDisk(_directory)),
                (new RedisService(redisRuntime, model), new RawRedis(_redis!.Connection, _redis.EndPoint, redisPrefix)),
                (new S3Service(s3Runtime, model), new RawS3(s3Client, S3Server.Bucket, s3Options.Path!)),
            };

            await Task.WhenAll(stores.Select(async (store, index) =>
            {
                Target[] targets = await CreateTargetsAsync(store.Service, store.Raw, cancellationToken);
                int mutations = Shares.Single(s => s.Store == store.Raw.Name).Mutations;
                await Task.WhenAll(Enumerable.Range(0, Lanes).Select(lane => Task.Run(
                    () => FuzzLaneAsync(store.Service, store.Raw, model, targets.Where(t => t.Lane == lane).ToArray(), targets, mutations / Lanes, seed: (index * 100) + lane, cancellationToken),
                    cancellationToken)));
            }));

            PrintFigures(clock.Elapsed);
            Assert.True(_failures.IsEmpty, string.Join(Environment.NewLine, _failures.Take(10)));
            Assert.Equal(Shares.Sum(s => s.Mutations), _counts.Values.Sum());
            foreach ((string store, _) in Shares)
            {
                Assert.True(Count(store, "miss, model answered") > 0, $"No damaged {store} envelope was ever read as a miss: the fuzz did not reach the store.");
                Assert.True(Count(store, "hit, exact original") > 0, $"No {store} envelope written back unchanged was read as a hit: the fuzz cannot tell a hit from a miss.");
            }
        });

    /// <summary>One stored entry the fuzz damages over and over: a prompt's entry of one method.</summary>
    private sealed record Target(int Lane, int Method, string Prompt, string Location, byte[] Envelope, CachePayloadKind Kind);

    /// <summary>Writes each target's entry through the generated method and finds where it landed.</summary>
    private static async Task<Target[]> CreateTargetsAsync(IChaosService service, IRawStore raw, CancellationToken cancellationToken)
    {
        var targets = new List<Target>();
        for (int lane = 0; lane < Lanes; lane++)
        {
            for (int method = 0; method < Methods; method++)
            {
                string prompt = $"fuzz prompt {lane}";
                string location = await WriteAndLocateAsync(service, raw, method, prompt, cancellationToken);
                byte[] envelope = await raw.ReadAsync(location);
                Assert.True(CacheEntryEnvelope.TryDecode(envelope, out CacheEntry? entry), $"The {raw.Name} entry at {location} is not an envelope before any damage.");
                targets.Add(new Target(lane, method, prompt, location, envelope, entry!.Kind));
            }
        }

        return targets.ToArray();
    }

    /// <summary>Calls the method on a cold key and returns where its entry landed; a write lost to a timeout under load is tried again.</summary>
    private static async Task<string> WriteAndLocateAsync(IChaosService service, IRawStore raw, int method, string prompt, CancellationToken cancellationToken)
    {
        var before = new HashSet<string>(await raw.ListAsync());
        for (int attempt = 1; ; attempt++)
        {
            await CallAsync(service, method, prompt, CacheControl.Refresh);
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(5))
            {
                string[] added = (await raw.ListAsync()).Where(l => !before.Contains(l)).ToArray();
                Assert.True(added.Length <= 1, $"{raw.Name}: one call added {added.Length} entries.");
                if (added.Length == 1)
                {
                    return added[0];
                }

                await Task.Delay(20, cancellationToken);
            }

            Assert.True(attempt < 3, $"{raw.Name}: {attempt} calls of method {method} for '{prompt}' left no entry.");
        }
    }

    private async Task FuzzLaneAsync(IChaosService service, IRawStore raw, SimulatedModel model, Target[] mine, Target[] all, int rounds, int seed, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        Mutation[] kinds = Enum.GetValues<Mutation>();
        for (int round = 0; round < rounds; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Target target = mine[random.Next(mine.Length)];
            Mutation mutation = kinds[random.Next(kinds.Length)];
            if (mutation == Mutation.BadJsonPayload && target.Kind != CachePayloadKind.Json)
            {
                // Broken JSON means something only under a JSON method; elsewhere any payload bytes are a value.
                mutation = Mutation.BitFlips;
            }

            Target foreign = all.First(t => t.Kind != target.Kind && t.Lane == target.Lane);
            byte[] damaged = EnvelopeMutator.Apply(mutation, target.Envelope, foreign.Envelope, random);
            await raw.WriteAsync(target.Location, damaged);

            var outcome = new CacheOutcome();
            int modelBefore = model.Calls;
            string result;
            try
            {
                bool right = await CallAsync(service, target.Method, target.Prompt, new CacheControl { Outcome = outcome });
                result = (right, outcome.IsHit, IsIntactCopy(damaged, target)) switch
                {
                    (false, _, _) => WrongValue,
                    (true, true, true) => "hit, exact original",
                    (true, true, false) => ServedDamaged,
                    (true, false, _) when model.Calls > modelBefore => "miss, model answered",
                    _ => MissWithoutModel,
                };
            }
            catch (Exception exception)
            {
                result = Threw;
                Note($"{raw.Name} {mutation} of method {target.Method} threw {exception}");
            }

            if (result is WrongValue or ServedDamaged or MissWithoutModel)
            {
                Note($"{raw.Name} {mutation} of method {target.Method} ({damaged.Length} bytes, starting {Convert.ToHexString(damaged.AsSpan(0, Math.Min(32, damaged.Length)))}): {result}");
            }

            _counts.AddOrUpdate((raw.Name, mutation, result), 1, static (_, n) => n + 1);
        }
    }

    /// <summary>Whether <paramref name="damaged"/> is still a valid, unexpired envelope of the original value and kind (a hit is then right).</summary>
    private static bool IsIntactCopy(byte[] damaged, Target target)
    {
        CacheEntryEnvelope.TryDecode(target.Envelope, out CacheEntry? original);
        return CacheEntryEnvelope.TryDecode(damaged, out CacheEntry? entry) &&
            entry!.Kind == target.Kind &&
            !entry.IsExpired(DateTimeOffset.UtcNow) &&
            entry.Payload.Span.SequenceEqual(original!.Payload.Span);
    }

    private static async Task<bool> CallAsync(IChaosService service, int method, string prompt, CacheControl control) => method switch
    {
        0 => await service.AskAsync(prompt, control) == SimulatedModel.AnswerFor(prompt),
        1 => (await service.DigestAsync(prompt, control)).AsSpan().SequenceEqual(SimulatedModel.DigestFor(prompt)),
        _ => await service.ReplyAsync(prompt, control) == SimulatedModel.ReplyFor(prompt),
    };

    private void Note(string failure)
    {
        if (_failures.Count < 20)
        {
            _failures.Enqueue(failure);
        }
    }

    private int Count(string store, string outcome) => _counts.Where(c => c.Key.Store == store && c.Key.Outcome == outcome).Sum(c => c.Value);

    private void PrintFigures(TimeSpan elapsed)
    {
        string[] outcomes = _counts.Keys.Select(k => k.Outcome).Distinct().OrderBy(o => o, StringComparer.Ordinal).ToArray();
        var lines = new List<string>
        {
            $"{_counts.Values.Sum()} damaged envelopes ({string.Join(", ", Shares.Select(s => $"{s.Store} {s.Mutations}"))}; memory: not applicable, it keeps objects, not envelopes), each read through a generated method (string, bytes, JSON); elapsed {elapsed.TotalSeconds:F1} s",
            $"per store: {string.Join("; ", Shares.Select(s => $"{s.Store}: " + string.Join(", ", outcomes.Select(o => $"{o} {Count(s.Store, o)}"))))}",
            $"{"mutation",-18} {string.Join("  ", outcomes.Select(o => o))}",
        };
        foreach (Mutation mutation in Enum.GetValues<Mutation>())
        {
            lines.Add($"{mutation,-18} {string.Join("  ", outcomes.Select(o => _counts.Where(c => c.Key.Mutation == mutation && c.Key.Outcome == o).Sum(c => c.Value).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(o.Length)))}");
        }

        Scenario.Print(output, "envelope fuzz across disk, Redis and S3", lines);
    }
}
