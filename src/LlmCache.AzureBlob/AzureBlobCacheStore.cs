using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmCache.AzureBlob;

/// <summary>
/// A store that keeps each entry as one block blob in an Azure Blob Storage container, named
/// <c>{path/}{namespace}/{sha-256 hex}</c> and holding the <see cref="CacheEntryEnvelope"/> bytes.
/// </summary>
/// <remarks>
/// <para>
/// Blobs have no TTL, so expiry is checked when an entry is read: the read is a miss and the stale blob is deleted.
/// Blobs that are never read again stay until a namespace is cleared; a lifecycle management rule on the path can
/// remove them. A blob that is not an intact envelope (truncated, foreign, corrupted) is counted in
/// <see cref="CorruptEntries"/> and the <c>llmcache.store.corrupt_entries</c> metric, logged, deleted, and read as a
/// miss; reading it never throws.
/// </para>
/// <para>
/// Those deletions run in the background, never on the read's path: at most four at a time, each bounded by
/// <see cref="AzureBlobCacheStoreOptions.OperationTimeout"/>, a failure logged as a warning. Each is conditional on the
/// ETag the read saw (<c>If-Match</c>), so an entry written in between by any process survives. When four are
/// already running the blob is left for its next read to find; disposing the store abandons the ones still running.
/// </para>
/// <para>
/// Backend failures (the service down, a timeout, access denied, a missing container) throw, as
/// <see cref="ICacheStore"/> allows: the runtime logs them, counts them and calls the model. Each operation is bounded
/// by <see cref="AzureBlobCacheStoreOptions.OperationTimeout"/>. The identity needs read, write, delete and list on
/// the container (the role <em>Storage Blob Data Contributor</em>).
/// </para>
/// </remarks>
public sealed class AzureBlobCacheStore : ITimeBoundedCacheStore, IDisposable
{
    private const int ClearPageSize = 1000;
    private const int ClearParallelDeletes = 8;

    // One Put Blob request per entry, so a concurrent reader sees the old blob or the new one, never a partial commit of blocks.
    private const long SingleUploadLimit = 256L * 1024 * 1024;

    private readonly BlobContainerClient _container;
    private readonly IDisposable _ownedHttp;
    private readonly string _prefix;
    private readonly ObjectStoreTimeout _timeout;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ObjectStoreDeletes _backgroundDeletes;
    private long _corruptEntries;

    /// <summary>Creates a store and its SDK client from <paramref name="options"/>.</summary>
    /// <param name="options">The settings; validated here.</param>
    /// <param name="logger">Where unreadable entries and failed clean-ups are logged; <c>null</c> logs nothing.</param>
    /// <param name="timeProvider">The clock that decides expiry; <c>null</c> for the system clock.</param>
    /// <exception cref="ArgumentException">A setting is missing or invalid; the message names it.</exception>
    public AzureBlobCacheStore(AzureBlobCacheStoreOptions options, ILogger<AzureBlobCacheStore>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        AzureBlobCacheStoreOptions settings = options.Clone();
        settings.Validate();
        _container = AzureBlobClientFactory.Create(settings, out _ownedHttp);
        _prefix = ObjectStoreKeys.NormalizePrefix(settings.Path);
        _timeout = new ObjectStoreTimeout(settings.OperationTimeout, "Azure Blob store", $"container '{_container.Name}'");
        _backgroundDeletes = new ObjectStoreDeletes(_timeout.Limit);
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string Name => "azure-blob";

    /// <inheritdoc />
    /// <remarks>Each request, retries included, is cancelled after <see cref="AzureBlobCacheStoreOptions.OperationTimeout"/>.</remarks>
    public TimeSpan OperationTimeout => _timeout.Limit;

    /// <summary>How many unreadable entries this store has found (and deleted) since it was created.</summary>
    public long CorruptEntries => Interlocked.Read(ref _corruptEntries);

    /// <summary>The container's name.</summary>
    public string ContainerName => _container.Name;

    /// <summary>The name of the blob that holds the entry under <paramref name="key"/>: <c>{path/}{namespace}/{hex}</c>.</summary>
    public string GetBlobName(CacheStoreKey key) => ObjectStoreKeys.ObjectKey(_prefix, key);

    /// <summary>The prefix of every blob of <paramref name="namespace"/>, as <see cref="ClearNamespaceAsync"/> lists it.</summary>
    public string GetNamespacePrefix(string @namespace) => ObjectStoreKeys.NamespacePrefix(_prefix, @namespace);

    /// <inheritdoc />
    public async ValueTask<CacheEntry?> GetAsync(CacheStoreKey key, CancellationToken cancellationToken = default)
    {
        string blobName = GetBlobName(key);
        BlobDownloadResult? stored = await _timeout.RunAsync("read", blobName, (Store: this, BlobName: blobName), static (s, ct) => s.Store.ReadBlobAsync(s.BlobName, ct), cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return null;
        }

        ReadOnlyMemory<byte> bytes = stored.Content.ToMemory();
        ETag etag = stored.Details.ETag;
        if (!CacheEntryEnvelope.TryDecode(bytes, out CacheEntry? entry))
        {
            Interlocked.Increment(ref _corruptEntries);
            LlmCacheTelemetry.CorruptEntries.Add(1, LlmCacheTelemetry.Tier(Name));
            AzureBlobCacheStoreLog.CorruptEntry(_logger, _container.Name, blobName, bytes.Length);
            DeleteInBackground(blobName, etag, "an unreadable entry");
            return null;
        }

        if (entry!.IsExpired(_time.GetUtcNow()))
        {
            DeleteInBackground(blobName, etag, "an expired entry");
            return null;
        }

        return entry;
    }

    /// <inheritdoc />
    public async ValueTask SetAsync(CacheStoreKey key, CacheEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.IsExpired(_time.GetUtcNow()))
        {
            // Already expired (a TTL of zero): nothing is kept, and the entry under the key stays.
            return;
        }

        string blobName = GetBlobName(key);
        var upload = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" },
            TransferOptions = new Azure.Storage.StorageTransferOptions
            {
                InitialTransferSize = SingleUploadLimit,
                MaximumTransferSize = SingleUploadLimit,
                MaximumConcurrency = 1,
            },
        };

        await _timeout.RunAsync(
            "write",
            blobName,
            (Blob: _container.GetBlobClient(blobName), Entry: entry, Upload: upload),
            static (s, ct) => s.Blob.UploadAsync(BinaryData.FromBytes(CacheEntryEnvelope.Encode(s.Entry)), s.Upload, ct),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> RemoveAsync(CacheStoreKey key, CancellationToken cancellationToken = default)
    {
        string blobName = GetBlobName(key);
        Response<bool> deleted = await _timeout.RunAsync(
            "delete",
            blobName,
            _container.GetBlobClient(blobName),
            static (blob, ct) => blob.DeleteIfExistsAsync(cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
        return deleted.Value;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Lists the namespace's prefix page by page (up to 1,000 blobs a page) and deletes each page's blobs, eight at
    /// a time. Clearing is not on a call's path, so each page may take the larger of
    /// <see cref="AzureBlobCacheStoreOptions.OperationTimeout"/> and 60 s; pass a token to bound the whole clear.
    /// </remarks>
    public ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        return ClearPrefixAsync(GetNamespacePrefix(@namespace), static (_, _) => true, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Deletes the blobs under the store's path whose names have the form of an entry (<c>{namespace}/{64 hex}</c>); other blobs stay.</remarks>
    public ValueTask ClearAllAsync(CancellationToken cancellationToken = default) =>
        ClearPrefixAsync(_prefix, static (prefix, name) => ObjectStoreKeys.IsEntryKey(prefix, name), cancellationToken);

    private async ValueTask ClearPrefixAsync(string prefix, Func<string, string, bool> isEntry, CancellationToken cancellationToken)
    {
        string? continuation = null;
        do
        {
            continuation = await _timeout.RunAsync(
                "clear",
                prefix,
                _timeout.ClearPageLimit,
                (Store: this, Prefix: prefix, IsEntry: isEntry, Continuation: continuation),
                static (s, ct) => s.Store.ClearPageAsync(s.Prefix, s.IsEntry, s.Continuation, ct),
                cancellationToken).ConfigureAwait(false);
        }
        while (!string.IsNullOrEmpty(continuation));
    }

    /// <summary>Abandons the background deletions and closes the store's connections.</summary>
    public void Dispose()
    {
        if (_backgroundDeletes.IsDisposed)
        {
            return;
        }

        _backgroundDeletes.Dispose();
        _ownedHttp.Dispose();
    }

    /// <summary>Deletes the blobs of one listing page; returns the continuation of the next page, if any.</summary>
    private async Task<string?> ClearPageAsync(string prefix, Func<string, string, bool> isEntry, string? continuation, CancellationToken cancellationToken)
    {
        await foreach (Page<BlobItem> page in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken).AsPages(continuation, ClearPageSize).ConfigureAwait(false))
        {
            var names = new List<string>(page.Values.Count);
            foreach (BlobItem item in page.Values)
            {
                if (isEntry(prefix, item.Name))
                {
                    names.Add(item.Name);
                }
            }

            await Parallel.ForEachAsync(
                names,
                new ParallelOptions { MaxDegreeOfParallelism = ClearParallelDeletes, CancellationToken = cancellationToken },
                async (name, token) => await _container.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: token).ConfigureAwait(false)).ConfigureAwait(false);
            return page.ContinuationToken;
        }

        return null;
    }

    private async Task<BlobDownloadResult?> ReadBlobAsync(string blobName, CancellationToken cancellationToken)
    {
        try
        {
            Response<BlobDownloadResult> response = await _container.GetBlobClient(blobName).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return response.Value;
        }
        catch (RequestFailedException exception) when (exception.Status == 404 && exception.ErrorCode != BlobErrorCode.ContainerNotFound)
        {
            // No such blob: a miss. A missing container is a setting to fix, so it fails like any backend error.
            return null;
        }
    }

    /// <summary>
    /// Deletes a blob the read has already judged a miss, in the background (see <see cref="ObjectStoreDeletes"/>),
    /// and only if it still is what the read saw: a writer may have replaced it meanwhile.
    /// </summary>
    private void DeleteInBackground(string blobName, ETag etag, string what) =>
        _backgroundDeletes.Start(
            blobName,
            (Store: this, BlobName: blobName, ETag: etag, What: what),
            static (s, ct) => s.Store.DeleteIfUnchangedAsync(s.BlobName, s.ETag, s.What, ct),
            static (s, exception) => AzureBlobCacheStoreLog.DeleteFailed(s.Store._logger, s.What, s.Store._container.Name, s.BlobName, exception));

    private async Task DeleteIfUnchangedAsync(string blobName, ETag etag, string what, CancellationToken cancellationToken)
    {
        try
        {
            await _container.GetBlobClient(blobName).DeleteIfExistsAsync(conditions: new BlobRequestConditions { IfMatch = etag }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException exception) when (exception.Status == 412)
        {
            AzureBlobCacheStoreLog.DeleteSkipped(_logger, what, _container.Name, blobName);
        }
    }

}
