using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Xunit;

namespace LlmCache.Testing;

/// <summary>
/// <see cref="LlmCacheOptions.Integrity"/> against one store, both ways: with a secret, entries planted, moved or
/// written under another secret straight into the store's backend are never served, and the runtime's own entries
/// are; without one, keys are plain SHA-256 and ordinary entries are served as always. Derive a test class per
/// store; the backend is reached directly through <see cref="ReadStoredAsync"/> and <see cref="WriteStoredAsync"/>.
/// </summary>
public abstract class IntegrityContractTests
{
    /// <summary>The cache type of the simulated method; it must match <see cref="Register"/>.</summary>
    protected abstract CacheType RuntimeType { get; }

    /// <summary>Registers a store over the test's backend in <paramref name="options"/>; every call reaches the same backend.</summary>
    protected abstract void Register(LlmCacheOptions options);

    /// <summary>The bytes the backend holds under <paramref name="key"/>, read around the store; <c>null</c> when it holds none.</summary>
    protected abstract Task<byte[]?> ReadStoredAsync(CacheStoreKey key);

    /// <summary>Writes <paramref name="stored"/> under <paramref name="key"/> straight into the backend, as someone without the secret would.</summary>
    protected abstract Task WriteStoredAsync(CacheStoreKey key, byte[] stored);

    [Fact]
    public async Task With_a_secret_the_remote_key_is_the_HMAC_of_the_canonical_key_and_nothing_is_under_its_SHA256()
    {
        byte[] secret = NewSecret();
        LlmCacheRuntime runtime = CreateRuntime(secret);
        CachedMethod<string> method = NewMethod();

        await CachedCalls.AskAsync(runtime, method, "q", default, new CountingImplementation().InvokeAsync);

        byte[] canonical = CachedCalls.CanonicalKey(runtime, method, "q");
        byte[] hmac = HMACSHA256.HashData(secret, canonical);
        byte[] sha = SHA256.HashData(canonical);
        Assert.NotEqual(sha, hmac);
        byte[]? stored = await ReadStoredAsync(new CacheStoreKey(method.Namespace, hmac));
        Assert.NotNull(stored);
        Assert.Null(await ReadStoredAsync(new CacheStoreKey(method.Namespace, sha)));
        Assert.True(CacheEntryEnvelope.TryDecode(stored, out CacheEntry? entry));
        Assert.Equal(CachePayloadKind.Authenticated, entry!.Kind);
        Assert.False(Contains(stored, secret), "The stored entry contains the secret.");
    }

    [Fact]
    public async Task With_a_secret_an_entry_the_runtime_wrote_is_served_to_another_runtime_with_the_secret()
    {
        byte[] secret = NewSecret();
        CachedMethod<string> method = NewMethod();
        var implementation = new CountingImplementation();
        string written = await CachedCalls.AskAsync(CreateRuntime(secret), method, "q", default, implementation.InvokeAsync);

        var outcome = new CacheOutcome();
        string read = await CachedCalls.AskAsync(CreateRuntime(secret.ToArray()), method, "q", new CacheControl { Outcome = outcome }, implementation.InvokeAsync);

        Assert.Equal(written, read);
        Assert.Equal(1, implementation.Calls);
        Assert.Equal(CacheOutcomeStatus.Hit, outcome.Status);
    }

    [Fact]
    public async Task With_a_secret_a_planted_ordinary_entry_is_a_miss_and_is_deleted_and_counted()
    {
        byte[] secret = NewSecret();
        var log = new RecordingLoggerFactory();
        LlmCacheRuntime runtime = CreateRuntime(secret, log);
        CachedMethod<string> method = NewMethod();
        CacheStoreKey key = KeyOf(runtime, method, "q", secret);
        await WriteStoredAsync(key, Planted("planted answer"));

        await AssertNotServedAsync(runtime, method, "q", key, log);
        Assert.False(log.Messages.Any(m => m.Contains(Convert.ToBase64String(secret), StringComparison.Ordinal) || m.Contains(Convert.ToHexString(secret), StringComparison.OrdinalIgnoreCase)), "A log message contains the secret.");
    }

    [Fact]
    public async Task With_a_secret_an_entry_moved_from_another_key_is_a_miss_and_is_deleted()
    {
        byte[] secret = NewSecret();
        var log = new RecordingLoggerFactory();
        LlmCacheRuntime runtime = CreateRuntime(secret, log);
        CachedMethod<string> method = NewMethod();
        await CachedCalls.AskAsync(runtime, method, "a", default, new CountingImplementation().InvokeAsync);
        byte[]? authentic = await ReadStoredAsync(KeyOf(runtime, method, "a", secret));
        Assert.NotNull(authentic);
        CacheStoreKey other = KeyOf(runtime, method, "b", secret);
        await WriteStoredAsync(other, authentic);

        await AssertNotServedAsync(runtime, method, "b", other, log);
    }

    [Fact]
    public async Task With_a_secret_an_entry_written_under_another_secret_is_a_miss_even_at_this_secrets_key()
    {
        byte[] secret = NewSecret();
        byte[] otherSecret = NewSecret();
        CachedMethod<string> method = NewMethod();
        var implementation = new CountingImplementation();
        LlmCacheRuntime writer = CreateRuntime(otherSecret);
        await CachedCalls.AskAsync(writer, method, "q", default, implementation.InvokeAsync);
        byte[]? underOther = await ReadStoredAsync(KeyOf(writer, method, "q", otherSecret));
        Assert.NotNull(underOther);

        // Another secret is another keyspace: the reader does not even find it...
        var log = new RecordingLoggerFactory();
        LlmCacheRuntime reader = CreateRuntime(secret, log);
        var outcome = new CacheOutcome();
        await CachedCalls.AskAsync(reader, method, "q", new CacheControl { Outcome = outcome, NoStore = true }, implementation.InvokeAsync);
        Assert.Equal(CacheOutcomeStatus.Miss, outcome.Status);
        Assert.Equal(2, implementation.Calls);

        // ...and copied to its key, the other secret's tag does not verify.
        CacheStoreKey key = KeyOf(reader, method, "q", secret);
        await WriteStoredAsync(key, underOther);
        await AssertNotServedAsync(reader, method, "q", key, log);
    }

    [Fact]
    public async Task Changing_the_secret_with_Update_starts_a_new_keyspace_and_a_too_short_one_is_refused()
    {
        LlmCacheRuntime runtime = CreateRuntime(NewSecret());
        CachedMethod<string> method = NewMethod();
        var implementation = new CountingImplementation();
        await CachedCalls.AskAsync(runtime, method, "q", default, implementation.InvokeAsync);

        Assert.Throws<ArgumentOutOfRangeException>(() => runtime.Update(o => o.Integrity.Secret = new byte[IntegrityOptions.MinimumSecretLength - 1]));
        var kept = new CacheOutcome();
        await CachedCalls.AskAsync(runtime, method, "q", new CacheControl { Outcome = kept, NoStore = true }, implementation.InvokeAsync);
        Assert.Equal(CacheOutcomeStatus.Hit, kept.Status);

        byte[] rotated = NewSecret();
        runtime.Update(o => o.Integrity.Secret = rotated);
        runtime.MemoryStore.Clear();
        var afterRotation = new CacheOutcome();
        string answer = await CachedCalls.AskAsync(runtime, method, "q", new CacheControl { Outcome = afterRotation }, implementation.InvokeAsync);

        Assert.Equal(CacheOutcomeStatus.Miss, afterRotation.Status);
        Assert.Equal(CountingImplementation.AnswerFor("q", 2), answer);
        Assert.NotNull(await ReadStoredAsync(KeyOf(runtime, method, "q", rotated)));
    }

    [Fact]
    public async Task Without_a_secret_keys_are_SHA256_and_a_planted_ordinary_entry_is_served_as_always()
    {
        LlmCacheRuntime runtime = CreateRuntime(secret: null);
        CachedMethod<string> method = NewMethod();
        CacheStoreKey key = KeyOf(runtime, method, "q", secret: null);
        Assert.Equal(CachedCalls.StoreKey(runtime, method, "q"), key);
        await WriteStoredAsync(key, Planted("planted answer"));
        var implementation = new CountingImplementation();
        var outcome = new CacheOutcome();

        string answer = await CachedCalls.AskAsync(runtime, method, "q", new CacheControl { Outcome = outcome }, implementation.InvokeAsync);

        Assert.Equal("planted answer", answer);
        Assert.Equal(0, implementation.Calls);
        Assert.Equal(CacheOutcomeStatus.Hit, outcome.Status);

        // And what the runtime writes is the ordinary entry: the answer's UTF-8 bytes, no seal.
        string written = await CachedCalls.AskAsync(runtime, method, "r", default, implementation.InvokeAsync);
        byte[]? stored = await ReadStoredAsync(KeyOf(runtime, method, "r", secret: null));
        Assert.NotNull(stored);
        Assert.True(CacheEntryEnvelope.TryDecode(stored, out CacheEntry? entry));
        Assert.Equal(CachePayloadKind.Utf8String, entry!.Kind);
        Assert.Equal(Encoding.UTF8.GetBytes(written), entry.Payload.ToArray());
    }

    [Fact]
    public async Task Without_a_secret_an_authenticated_entry_is_never_served_as_a_value()
    {
        byte[] secret = NewSecret();
        CachedMethod<string> method = NewMethod();
        LlmCacheRuntime writer = CreateRuntime(secret);
        await CachedCalls.AskAsync(writer, method, "q", default, new CountingImplementation().InvokeAsync);
        byte[]? authentic = await ReadStoredAsync(KeyOf(writer, method, "q", secret));
        Assert.NotNull(authentic);
        var log = new RecordingLoggerFactory();
        LlmCacheRuntime reader = CreateRuntime(secret: null, log);
        CacheStoreKey key = KeyOf(reader, method, "q", secret: null);
        await WriteStoredAsync(key, authentic);

        await AssertNotServedAsync(reader, method, "q", key, log);
    }

    /// <summary>A random secret of the minimum length; tests never keep a secret in the repository.</summary>
    protected static byte[] NewSecret() => RandomNumberGenerator.GetBytes(IntegrityOptions.MinimumSecretLength);

    /// <summary>A runtime over the test's backend, with <paramref name="secret"/> as its integrity secret.</summary>
    protected LlmCacheRuntime CreateRuntime(byte[]? secret, ILoggerFactory? log = null)
    {
        var options = new LlmCacheOptions { LoggerFactory = log };
        options.Integrity.Secret = secret;
        Register(options);
        return new LlmCacheRuntime(options);
    }

    /// <summary>The simulated method, in a namespace of its own.</summary>
    protected CachedMethod<string> NewMethod() => CachedCalls.Method(RuntimeType, "integrity-" + Guid.NewGuid().ToString("N"));

    /// <summary>The store key of a call, computed here: HMAC-SHA256 under <paramref name="secret"/>, SHA-256 without.</summary>
    protected static CacheStoreKey KeyOf(LlmCacheRuntime runtime, CachedMethod<string> method, string prompt, byte[]? secret)
    {
        byte[] canonical = CachedCalls.CanonicalKey(runtime, method, prompt);
        return new CacheStoreKey(method.Namespace, secret is null ? SHA256.HashData(canonical) : HMACSHA256.HashData(secret, canonical));
    }

    /// <summary>An intact ordinary envelope of a string answer, as anyone who can write to the store can make.</summary>
    protected static byte[] Planted(string answer)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        return CacheEntryEnvelope.Encode(new CacheEntry(Encoding.UTF8.GetBytes(answer), CachePayloadKind.Utf8String, now, now.AddHours(1)));
    }

    /// <summary>
    /// Asserts that the entry under <paramref name="key"/> is not served: the call is a miss answered by the
    /// implementation, the entry is gone (the call does not store, so nothing replaces it) and the unreadable
    /// entry was logged.
    /// </summary>
    private async Task AssertNotServedAsync(LlmCacheRuntime runtime, CachedMethod<string> method, string prompt, CacheStoreKey key, RecordingLoggerFactory log)
    {
        var implementation = new CountingImplementation();
        var outcome = new CacheOutcome();
        int unreadableBefore = log.Count(UnreadableEntryEvent);

        string answer = await CachedCalls.AskAsync(runtime, method, prompt, new CacheControl { Outcome = outcome, NoStore = true }, implementation.InvokeAsync);

        Assert.Equal(CountingImplementation.AnswerFor(prompt, 1), answer);
        Assert.Equal(1, implementation.Calls);
        Assert.Equal(CacheOutcomeStatus.Miss, outcome.Status);
        Assert.Null(await ReadStoredAsync(key));
        Assert.Equal(unreadableBefore + 1, log.Count(UnreadableEntryEvent));
    }

    /// <summary>The event the runtime logs for an unreadable entry it deleted.</summary>
    private const int UnreadableEntryEvent = 2;

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
