using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using HashStream = Amazon.Runtime.Internal.Util.HashStream;

namespace LlmCache.S3;

/// <summary>
/// A store that keeps each entry as one object in an S3 bucket or on an S3-compatible server, named
/// <c>{path/}{namespace}/{sha-256 hex}</c> and holding the <see cref="CacheEntryEnvelope"/> bytes.
/// </summary>
/// <remarks>
/// <para>
/// S3 has no TTL, so expiry is checked when an entry is read: the read is a miss and the stale object is deleted.
/// Objects that are never read again stay until a namespace is cleared; a bucket lifecycle rule on the path can
/// remove them. An object that is not an intact envelope (truncated, foreign, corrupted) is counted in
/// <see cref="CorruptEntries"/> and the <c>llmcache.store.corrupt_entries</c> metric, logged, deleted, and read as a
/// miss; reading it never throws.
/// </para>
/// <para>
/// Those deletions run in the background, never on the read's path: at most four at a time, each bounded by
/// <see cref="S3CacheStoreOptions.OperationTimeout"/>, a failure logged as a warning. When four are already running
/// the object is left for its next read to find; disposing the store abandons the ones still running. A deletion
/// is conditional on the ETag the read saw (<c>If-Match</c>), so an entry another process wrote in between survives
/// where the server honours the condition; this store's own write of the object waits for the deletion to end.
/// </para>
/// <para>
/// Backend failures (the server down, a timeout, access denied) throw, as <see cref="ICacheStore"/> allows: the
/// runtime logs them, counts them and calls the model. Each operation is bounded by
/// <see cref="S3CacheStoreOptions.OperationTimeout"/>. The credentials need <c>s3:GetObject</c>,
/// <c>s3:PutObject</c>, <c>s3:DeleteObject</c> and <c>s3:ListBucket</c> (without the last, S3 answers a missing
/// key with 403, which counts as a failure rather than a miss).
/// </para>
/// </remarks>
public sealed class S3CacheStore : ITimeBoundedCacheStore, IDisposable
{
    private const int MaxDeleteBatch = 1000;
    private const int BatchAttempts = 3;
    private const int ClearParallelDeletes = 8;

    private readonly IAmazonS3 _client;
    private readonly IDisposable? _ownedHttp;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly ObjectStoreTimeout _timeout;
    private readonly bool _multiObjectDelete;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ObjectStoreDeletes _backgroundDeletes;
    private long _corruptEntries;

    /// <summary>Creates a store and its SDK client from <paramref name="options"/>.</summary>
    /// <param name="options">The settings; validated here.</param>
    /// <param name="logger">Where unreadable entries and failed clean-ups are logged; <c>null</c> logs nothing.</param>
    /// <param name="timeProvider">The clock that decides expiry; <c>null</c> for the system clock.</param>
    /// <exception cref="ArgumentException">A setting is missing or invalid; the message names it.</exception>
    public S3CacheStore(S3CacheStoreOptions options, ILogger<S3CacheStore>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        S3CacheStoreOptions settings = options.Clone();
        settings.Validate();
        _client = S3ClientFactory.Create(settings, out _ownedHttp);
        _bucket = settings.BucketName!;
        _prefix = ObjectStoreKeys.NormalizePrefix(settings.Path);
        _timeout = new ObjectStoreTimeout(settings.OperationTimeout, "S3 store", $"bucket '{_bucket}'");
        _multiObjectDelete = settings.ResolveMultiObjectDelete();
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _backgroundDeletes = new ObjectStoreDeletes(_timeout.Limit);
    }

    /// <inheritdoc />
    public string Name => "s3";

    /// <inheritdoc />
    /// <remarks>Each request, retries included, is cancelled after <see cref="S3CacheStoreOptions.OperationTimeout"/>.</remarks>
    public TimeSpan OperationTimeout => _timeout.Limit;

    /// <summary>How many unreadable entries this store has found (and deleted) since it was created.</summary>
    public long CorruptEntries => Interlocked.Read(ref _corruptEntries);

    /// <summary>The name of the object that holds the entry under <paramref name="key"/>: <c>{path/}{namespace}/{hex}</c>.</summary>
    public string GetObjectKey(CacheStoreKey key) => ObjectStoreKeys.ObjectKey(_prefix, key);

    /// <summary>The prefix of every object of <paramref name="namespace"/>, as <see cref="ClearNamespaceAsync"/> lists it.</summary>
    public string GetNamespacePrefix(string @namespace) => ObjectStoreKeys.NamespacePrefix(_prefix, @namespace);

    /// <inheritdoc />
    public async ValueTask<CacheEntry?> GetAsync(CacheStoreKey key, CancellationToken cancellationToken = default)
    {
        string objectKey = GetObjectKey(key);
        StoredObject? stored = await _timeout.RunAsync("read", objectKey, (Store: this, ObjectKey: objectKey), static (s, ct) => s.Store.ReadObjectAsync(s.ObjectKey, ct), cancellationToken).ConfigureAwait(false);
        if (stored is not { } found)
        {
            return null;
        }

        (byte[] bytes, string? etag) = found;

        if (!CacheEntryEnvelope.TryDecode(bytes, out CacheEntry? entry))
        {
            Interlocked.Increment(ref _corruptEntries);
            LlmCacheTelemetry.CorruptEntries.Add(1, LlmCacheTelemetry.Tier(Name));
            S3CacheStoreLog.CorruptEntry(_logger, _bucket, objectKey, bytes.Length);
            DeleteInBackground(objectKey, etag, "an unreadable entry");
            return null;
        }

        if (entry!.IsExpired(_time.GetUtcNow()))
        {
            DeleteInBackground(objectKey, etag, "an expired entry");
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

        string objectKey = GetObjectKey(key);
        byte[] envelope = CacheEntryEnvelope.Encode(entry);
        using var body = new MemoryStream(envelope, writable: false);
        var request = new PutObjectRequest
        {
            BucketName = _bucket,
            Key = objectKey,
            InputStream = body,
            AutoCloseStream = false,
            ContentType = "application/octet-stream",

            // A plain body with a Content-Length: S3-compatible servers that don't decode aws-chunked framing
            // would otherwise store it as the object's bytes.
            UseChunkEncoding = false,
        };

        await _timeout.RunAsync("write", objectKey, (Store: this, Request: request), static (s, ct) => s.Store.WriteObjectAsync(s.Request, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> RemoveAsync(CacheStoreKey key, CancellationToken cancellationToken = default)
    {
        string objectKey = GetObjectKey(key);
        return await _timeout.RunAsync("delete", objectKey, (Store: this, ObjectKey: objectKey), static (s, ct) => s.Store.RemoveObjectAsync(s.ObjectKey, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Lists the namespace's prefix page by page and deletes each page of up to 1,000 objects in one batch request
    /// (retried on a server error), or object by object, eight at a time, where
    /// <see cref="S3CacheStoreOptions.MultiObjectDelete"/> is off (Google Cloud Storage). Clearing is not on a call's
    /// path, so each page may take the larger of <see cref="S3CacheStoreOptions.OperationTimeout"/> and 60 s; pass a
    /// token to bound the whole clear.
    /// </remarks>
    public ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        return ClearPrefixAsync(GetNamespacePrefix(@namespace), static (_, _) => true, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Deletes the objects under the store's path whose keys have the form of an entry (<c>{namespace}/{64 hex}</c>); other objects stay.</remarks>
    public ValueTask ClearAllAsync(CancellationToken cancellationToken = default) =>
        ClearPrefixAsync(_prefix, static (prefix, objectKey) => ObjectStoreKeys.IsEntryKey(prefix, objectKey), cancellationToken);

    private async ValueTask ClearPrefixAsync(string prefix, Func<string, string, bool> isEntry, CancellationToken cancellationToken)
    {
        var list = new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix, MaxKeys = MaxDeleteBatch };
        while (true)
        {
            ListObjectsV2Response page = await _timeout.RunAsync(
                "clear",
                prefix,
                _timeout.ClearPageLimit,
                (Store: this, List: list, Prefix: prefix, IsEntry: isEntry),
                static (s, ct) => s.Store.ClearPageAsync(s.List, s.Prefix, s.IsEntry, ct),
                cancellationToken).ConfigureAwait(false);
            if (page.IsTruncated != true || string.IsNullOrEmpty(page.NextContinuationToken))
            {
                return;
            }

            list.ContinuationToken = page.NextContinuationToken;
        }
    }

    /// <summary>Abandons the background deletions and disposes the SDK client.</summary>
    public void Dispose()
    {
        if (_backgroundDeletes.IsDisposed)
        {
            return;
        }

        _backgroundDeletes.Dispose();
        _client.Dispose();
        _ownedHttp?.Dispose();
    }

    /// <summary>Lists one page of the prefix and deletes its entries; returns the page, which says whether another follows.</summary>
    private async Task<ListObjectsV2Response> ClearPageAsync(ListObjectsV2Request list, string prefix, Func<string, string, bool> isEntry, CancellationToken cancellationToken)
    {
        ListObjectsV2Response page = await _client.ListObjectsV2Async(list, cancellationToken).ConfigureAwait(false);
        if (page.S3Objects is { Count: > 0 } objects)
        {
            List<S3Object> entries = objects.FindAll(item => isEntry(prefix, item.Key));
            if (entries.Count > 0)
            {
                await DeletePageAsync(entries, cancellationToken).ConfigureAwait(false);
            }
        }

        return page;
    }

    /// <summary>Deletes the object, if there is one; S3 deletes idempotently and does not say whether there was one, so this asks first.</summary>
    private async Task<bool> RemoveObjectAsync(string objectKey, CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(objectKey, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        await DeleteAsync(objectKey, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Writes the object once this store's own deletion of it, if one is still running, has ended: the miss that
    /// found the object expired or unreadable writes the answer under the same name, and a deletion that reached the
    /// server after the write would remove it (not every S3-compatible server honours the deletion's <c>If-Match</c>).
    /// </summary>
    private async Task<PutObjectResponse> WriteObjectAsync(PutObjectRequest request, CancellationToken cancellationToken)
    {
        if (_backgroundDeletes.RunningFor(request.Key) is { } deleting)
        {
            await deleting.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return await _client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<StoredObject?> ReadObjectAsync(string objectKey, CancellationToken cancellationToken)
    {
        GetObjectResponse response;
        try
        {
            response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = objectKey }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        using (response)
        {
            Stream body = WithoutETagCheck(response.ResponseStream);
            long declared = response.ContentLength;
            if (declared is >= 0 and <= int.MaxValue)
            {
                byte[] bytes = new byte[declared];
                await body.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
                return new StoredObject(bytes, response.ETag);
            }

            using var copy = new MemoryStream();
            await body.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            return new StoredObject(copy.ToArray(), response.ETag);
        }
    }

    /// <summary>
    /// The body under the SDK's check of its MD5 against the ETag, which throws when the response is disposed.
    /// An ETag is the MD5 of the body only on some servers: not under SSE-KMS, nor on S3-compatible servers that
    /// make their own, nor on s3rver after two writers of one object raced (the body of one, the ETag of the
    /// other). There the check would fail every read of an intact entry. The envelope's own checksum decides
    /// whether the bytes are whole, and it is checked on every read.
    /// </summary>
    private static Stream WithoutETagCheck(Stream stream) =>
        stream is HashStream hashing ? hashing.SearchWrappedStream(static inner => inner is not HashStream) ?? stream : stream;

    private async Task<bool> ExistsAsync(string objectKey, CancellationToken cancellationToken)
    {
        try
        {
            await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _bucket, Key = objectKey }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Deletes the objects of one listing page: in one batch request, or one by one where the server has no batch delete.</summary>
    private async Task DeletePageAsync(List<S3Object> objects, CancellationToken cancellationToken)
    {
        if (!_multiObjectDelete)
        {
            await Parallel.ForEachAsync(
                objects,
                new ParallelOptions { MaxDegreeOfParallelism = ClearParallelDeletes, CancellationToken = cancellationToken },
                async (item, token) => await DeleteAsync(item.Key, token).ConfigureAwait(false)).ConfigureAwait(false);
            return;
        }

        var keys = new List<KeyVersion>(objects.Count);
        foreach (S3Object item in objects)
        {
            keys.Add(new KeyVersion { Key = item.Key });
        }

        await DeleteBatchAsync(keys, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes one page of keys. A server error is retried on the spot, up to <see cref="BatchAttempts"/> attempts in
    /// all: a batch delete is idempotent, and a server may fail one after deleting its objects (S3 asks clients to
    /// retry a 500; s3rver answers one when two deletes race to remove the same emptied directory).
    /// </summary>
    private async Task DeleteBatchAsync(List<KeyVersion> keys, CancellationToken cancellationToken)
    {
        var request = new DeleteObjectsRequest { BucketName = _bucket, Objects = keys, Quiet = true };
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await _client.DeleteObjectsAsync(request, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (AmazonS3Exception exception) when ((int)exception.StatusCode >= 500 && attempt < BatchAttempts)
            {
                S3CacheStoreLog.BatchDeleteRetried(_logger, keys.Count, _bucket, attempt, exception);
            }
        }
    }

    private Task DeleteAsync(string objectKey, CancellationToken cancellationToken) =>
        _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = objectKey }, cancellationToken);

    /// <summary>
    /// Deletes an object the read has already judged a miss, in the background (see <see cref="ObjectStoreDeletes"/>),
    /// and only if it still is what the read saw (<c>If-Match</c> on its ETag): another process may have replaced it
    /// meanwhile. This store's own writes wait for the deletion instead, which covers servers that ignore the condition.
    /// </summary>
    private void DeleteInBackground(string objectKey, string? etag, string what) =>
        _backgroundDeletes.Start(
            objectKey,
            (Store: this, ObjectKey: objectKey, ETag: etag, What: what),
            static (s, ct) => s.Store.DeleteIfUnchangedAsync(s.ObjectKey, s.ETag, s.What, ct),
            static (s, exception) => S3CacheStoreLog.DeleteFailed(s.Store._logger, s.What, s.Store._bucket, s.ObjectKey, exception));

    private async Task DeleteIfUnchangedAsync(string objectKey, string? etag, string what, CancellationToken cancellationToken)
    {
        try
        {
            await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = objectKey, IfMatch = etag }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            S3CacheStoreLog.DeleteSkipped(_logger, what, _bucket, objectKey);
        }
    }

    /// <summary>An object's bytes and the ETag that names this version of it.</summary>
    private readonly record struct StoredObject(byte[] Bytes, string? ETag);
}
