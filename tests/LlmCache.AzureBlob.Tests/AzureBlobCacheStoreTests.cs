using System;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using LlmCache.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmCache.AzureBlob.Tests;

/// <summary>What the Azure Blob store does beyond the shared contract: unreadable and stale blobs, conditional clean-up, the ways to sign in, registration.</summary>
public sealed class AzureBlobCacheStoreTests : IClassFixture<AzuriteServer>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly AzuriteServer _server;

    public AzureBlobCacheStoreTests(AzuriteServer server) => _server = server;

    [Fact]
    public async Task Random_bytes_in_a_blob_are_a_miss_that_is_deleted_and_counted()
    {
        using AzureBlobCacheStore store = _server.CreateStore();
        using var metric = new CorruptEntryCounter(store.Name);
        CacheStoreKey key = NewKey();
        BlobClient blob = _server.CreateContainerClient().GetBlobClient(store.GetBlobName(key));
        await blob.UploadAsync(BinaryData.FromBytes(RandomNumberGenerator.GetBytes(4096)), overwrite: true);

        Assert.Null(await store.GetAsync(key));

        Assert.Equal(1, store.CorruptEntries);
        Assert.True(metric.Count >= 1, "The corrupt-entries metric did not count the unreadable blob.");
        await WaitUntilGoneAsync(blob);
    }

    [Fact]
    public async Task An_expired_blob_is_a_miss_and_is_deleted()
    {
        using AzureBlobCacheStore store = _server.CreateStore();
        CacheStoreKey key = NewKey();
        DateTimeOffset created = DateTimeOffset.UtcNow.AddMinutes(-10);
        var stale = new CacheEntry(Encoding.UTF8.GetBytes("stale"), CachePayloadKind.Utf8String, created, created.AddMinutes(1));
        BlobClient blob = _server.CreateContainerClient().GetBlobClient(store.GetBlobName(key));
        await blob.UploadAsync(BinaryData.FromBytes(CacheEntryEnvelope.Encode(stale)), overwrite: true);

        Assert.Null(await store.GetAsync(key));

        Assert.Equal(0, store.CorruptEntries);
        await WaitUntilGoneAsync(blob);
    }

    [Theory]
    [InlineData("unreadable")]
    [InlineData("expired")]
    public async Task A_fresh_entry_written_between_the_read_and_its_clean_up_survives(string kind)
    {
        var deletes = new GatedDeletes();
        AzureBlobCacheStoreOptions options = _server.StoreOptions();
        options.ConfigureClient = client => client.AddPolicy(deletes, Azure.Core.HttpPipelinePosition.PerCall);
        using var store = new AzureBlobCacheStore(options);
        CacheStoreKey key = NewKey();
        BlobClient blob = _server.CreateContainerClient().GetBlobClient(store.GetBlobName(key));
        DateTimeOffset created = DateTimeOffset.UtcNow.AddMinutes(-10);
        byte[] stored = kind == "unreadable"
            ? RandomNumberGenerator.GetBytes(512)
            : CacheEntryEnvelope.Encode(new CacheEntry(Encoding.UTF8.GetBytes("stale"), CachePayloadKind.Utf8String, created, created.AddMinutes(1)));
        await blob.UploadAsync(BinaryData.FromBytes(stored), overwrite: true);

        // The read judges the blob a miss and starts its clean-up, which the gate holds.
        Assert.Null(await store.GetAsync(key));
        await deletes.Started.WaitAsync(Deadline);

        // Another writer stores a fresh entry under the key; then the held delete goes to the server.
        CacheEntry fresh = Entry("fresh");
        await store.SetAsync(key, fresh);
        deletes.Release();
        int status = await deletes.FirstAnswered.WaitAsync(Deadline);

        Assert.Equal(412, status);
        Assert.True(deletes.IfMatch.TryPeek(out string? ifMatch) && !string.IsNullOrEmpty(ifMatch), "The clean-up delete was not conditional on the ETag the read saw.");
        Assert.Equal("fresh", Text(await store.GetAsync(key)));
    }

    [Fact]
    public async Task A_store_signed_in_with_a_sas_token_reads_and_writes()
    {
        BlobContainerClient container = _server.CreateContainerClient();
        Uri sas = container.GenerateSasUri(
            BlobContainerSasPermissions.Read | BlobContainerSasPermissions.Write | BlobContainerSasPermissions.Delete | BlobContainerSasPermissions.List,
            DateTimeOffset.UtcNow.AddHours(1));
        var options = new AzureBlobCacheStoreOptions
        {
            ContainerName = AzuriteServer.Container,
            ServiceUri = _server.ServiceUri,
            SasToken = sas.Query,
            Path = "sas-" + Guid.NewGuid().ToString("N"),
        };
        using var store = new AzureBlobCacheStore(options);
        CacheStoreKey key = NewKey();

        await store.SetAsync(key, Entry("signed"));

        Assert.Equal("signed", Text(await store.GetAsync(key)));
        Assert.True(await store.RemoveAsync(key));
        Assert.False(await store.RemoveAsync(key));
    }

    [Fact]
    public async Task A_missing_container_fails_rather_than_reading_as_a_miss()
    {
        AzureBlobCacheStoreOptions options = _server.StoreOptions();
        options.ContainerName = "missing-" + Guid.NewGuid().ToString("N");
        using var store = new AzureBlobCacheStore(options);

        await Assert.ThrowsAsync<Azure.RequestFailedException>(async () => await store.GetAsync(NewKey()));
    }

    [Fact]
    public async Task A_server_that_does_not_answer_fails_the_operation_within_its_timeout()
    {
        // A port that accepts connections and never answers: the store's own timeout must end the read.
        var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            int port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
            AzureBlobCacheStoreOptions options = _server.StoreOptions();
            options.ConnectionString = $"DefaultEndpointsProtocol=http;AccountName={AzuriteServer.AccountName};AccountKey={AzuriteServer.AccountKey};BlobEndpoint=http://127.0.0.1:{port}/{AzuriteServer.AccountName};";
            options.OperationTimeout = TimeSpan.FromMilliseconds(500);
            options.MaxRetries = 3;
            using var store = new AzureBlobCacheStore(options);
            var clock = Stopwatch.StartNew();

            var error = await Assert.ThrowsAsync<TimeoutException>(async () => await store.GetAsync(NewKey()));

            Assert.Contains("500 ms", error.Message, StringComparison.Ordinal);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"The read took {clock.Elapsed.TotalSeconds:F1} s with a 0.5 s timeout.");
        }
        finally
        {
            silent.Stop();
        }
    }

    [Fact]
    public async Task AddLlmCache_with_UseAzureBlob_serves_a_hit_and_disposing_the_container_disposes_the_store()
    {
        var services = new ServiceCollection();
        services.AddLlmCache(options => options.UseAzureBlob(_server.StoreOptions()));
        ICacheStore store;
        await using (ServiceProvider provider = services.BuildServiceProvider())
        {
            LlmCacheRuntime runtime = provider.GetRequiredService<LlmCacheRuntime>();
            CachedMethod<string> method = CachedCalls.Method(CacheType.AzureBlob, "di-" + Guid.NewGuid().ToString("N"));
            var model = new CountingImplementation();
            string first = await CachedCalls.AskAsync(runtime, method, "q", default, model.InvokeAsync);
            var outcome = new CacheOutcome();
            string second = await CachedCalls.AskAsync(runtime, method, "q", new CacheControl { Outcome = outcome }, model.InvokeAsync);

            Assert.Equal(first, second);
            Assert.Equal(1, model.Calls);
            Assert.True(outcome.IsHit);
            Assert.Equal("azure-blob", outcome.Tier);
            store = runtime.GetOptions().Stores[CacheType.AzureBlob].Store;
            Assert.IsType<AzureBlobCacheStore>(store);
        }

        // Disposed with the runtime: its connections are closed, so an operation now fails.
        await Assert.ThrowsAnyAsync<ObjectDisposedException>(async () => await store.GetAsync(NewKey()));
    }

    [Theory]
    [InlineData("container")]
    [InlineData("no sign-in")]
    [InlineData("two sign-ins")]
    [InlineData("credential without uri")]
    [InlineData("timeout")]
    public void Invalid_settings_are_rejected_naming_the_setting(string problem)
    {
        AzureBlobCacheStoreOptions options = _server.StoreOptions();
        switch (problem)
        {
            case "container":
                options.ContainerName = " ";
                break;
            case "no sign-in":
                options.ConnectionString = null;
                break;
            case "two sign-ins":
                options.SasToken = "sv=2024-01-01&sig=x";
                break;
            case "credential without uri":
                options.ConnectionString = null;
                options.SasToken = "sv=2024-01-01&sig=x";
                break;
            default:
                options.OperationTimeout = TimeSpan.Zero;
                break;
        }

        var error = Assert.ThrowsAny<ArgumentException>(() => new AzureBlobCacheStore(options));
        Assert.Contains("LlmCache:AzureBlob:", error.Message, StringComparison.Ordinal);
    }

    private static CacheStoreKey NewKey() => new("ns-" + Guid.NewGuid().ToString("N"), RandomNumberGenerator.GetBytes(CacheKeyDigests.RemoteLength));

    private static CacheEntry Entry(string text) =>
        new(Encoding.UTF8.GetBytes(text), CachePayloadKind.Utf8String, DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), null);

    private static string? Text(CacheEntry? entry) => entry is null ? null : Encoding.UTF8.GetString(entry.Payload.Span);

    private static async Task WaitUntilGoneAsync(BlobClient blob)
    {
        var clock = Stopwatch.StartNew();
        while ((await blob.ExistsAsync()).Value)
        {
            Assert.True(clock.Elapsed < Deadline, $"'{blob.Name}' was not deleted within {Deadline.TotalSeconds} s.");
            await Task.Delay(50);
        }
    }
}
