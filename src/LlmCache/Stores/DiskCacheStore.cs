using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;

namespace LlmCache;

/// <summary>
/// A store in a directory on the local disk that survives restarts and crashes, and that several processes can
/// share. Each entry is one file holding a <see cref="CacheEntryEnvelope"/>; each namespace is a subdirectory.
/// </summary>
/// <remarks>
/// <para>
/// Writes go to a temporary file in the entry's directory, are flushed to the device, and then renamed over the
/// entry: a reader, another process or a process killed with <c>kill -9</c> sees the old entry or the new one,
/// never a torn one. There is no index: the files are the only state, so processes sharing the directory never
/// see a stale view, and a file that vanishes under a reader is a miss.
/// </para>
/// <para>
/// A read that meets a file that is not an intact envelope deletes it and reports a miss; so does a read of an
/// expired entry. Total size is bounded by <see cref="DiskCacheStoreOptions.MaxBytes"/>: each process counts what
/// it writes, and a background scan (also after every tenth of the limit written, to see other processes'
/// writes) deletes the least recently read entries down to 90% of the limit, along with temporary files that
/// crashed writers left behind.
/// </para>
/// </remarks>
public sealed class DiskCacheStore : ICacheStore
{
    private const string EntryExtension = ".entry";
    private const string TempExtension = ".tmp";
    private const int MaxReadableNamespaceLength = 120;
    private static readonly TimeSpan StaleTempAge = TimeSpan.FromMinutes(10);
    private static readonly EnumerationOptions Enumeration = new() { IgnoreInaccessible = true, AttributesToSkip = 0 };

    private readonly DiskCacheStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly object _trimLock = new();
    private long _estimatedBytes;
    private long _writtenSinceScan;
    private int _scanned;
    private int _trimRequested;
    private int _trimRunning;
    private long _corruptEntries;

    /// <summary>Creates a store in <see cref="DiskCacheStoreOptions.DefaultDirectory"/>.</summary>
    public DiskCacheStore()
        : this(new DiskCacheStoreOptions())
    {
    }

    /// <summary>Creates a store in <paramref name="directory"/>.</summary>
    public DiskCacheStore(string directory)
        : this(new DiskCacheStoreOptions { Directory = directory ?? throw new ArgumentNullException(nameof(directory)) })
    {
    }

    /// <summary>Creates a store. Nothing touches the disk until the first operation.</summary>
    /// <param name="options">The directory and limits.</param>
    /// <param name="timeProvider">The clock that decides expiry; the system clock by default.</param>
    /// <param name="logger">Where unreadable entries and failed background scans are logged.</param>
    public DiskCacheStore(DiskCacheStoreOptions options, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        RootDirectory = _options.ResolveDirectory();
    }

    /// <inheritdoc />
    public string Name => "disk";

    /// <summary>The full path of the cache directory.</summary>
    public string RootDirectory { get; }

    /// <summary>The default TTL from the options.</summary>
    public TimeSpan? DefaultTtl => _options.DefaultTtl;

    /// <summary>How many unreadable entry files this instance has met and deleted.</summary>
    public long CorruptEntriesDeleted => Interlocked.Read(ref _corruptEntries);

    /// <summary>The path of the file that holds <paramref name="key"/>'s entry.</summary>
    public string GetEntryPath(CacheStoreKey key) => Path.Combine(RootDirectory, NamespaceDirectoryName(key.Namespace), key.Hex + EntryExtension);

    /// <inheritdoc />
    public ValueTask<CacheEntry?> GetAsync(CacheStoreKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string path = GetEntryPath(key);
        CacheEntry? entry;
        try
        {
            using SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (!TryReadEnvelope(file, out entry))
            {
                DeleteCorrupt(key, path);
                return default;
            }

            if (entry!.IsExpired(_time.GetUtcNow()))
            {
                TryDelete(path);
                return default;
            }

            Touch(file);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return default;
        }

        return new ValueTask<CacheEntry?>(entry);
    }

    /// <inheritdoc />
    public ValueTask SetAsync(CacheStoreKey key, CacheEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        cancellationToken.ThrowIfCancellationRequested();
        if (entry.IsExpired(_time.GetUtcNow()))
        {
            // Already expired (a TTL of zero): nothing is kept, and the entry under the key stays.
            return default;
        }

        string directory = Path.Combine(RootDirectory, NamespaceDirectoryName(key.Namespace));
        string hex = key.Hex;
        string path = Path.Combine(directory, hex + EntryExtension);
        string temp = Path.Combine(directory, $"{hex}.{Environment.ProcessId}-{Guid.NewGuid():N}{TempExtension}");
        int length = CacheEntryEnvelope.GetEncodedLength(entry.Payload.Length);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            CacheEntryEnvelope.Encode(entry, buffer);
            try
            {
                WriteFile(temp, buffer.AsSpan(0, length));
            }
            catch (IOException missing) when (missing is DirectoryNotFoundException or FileNotFoundException)
            {
                // A new file can only be missing its directory. The runtime names that a FileNotFoundException when
                // the directory exists by the time it looks: another writer's first write of the namespace made it.
                Directory.CreateDirectory(directory);
                WriteFile(temp, buffer.AsSpan(0, length));
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }

        CountWrite(length);
        return default;
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveAsync(CacheStoreKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<bool>(TryDelete(GetEntryPath(key)));
    }

    /// <inheritdoc />
    public ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        DeleteEntries(Path.Combine(RootDirectory, NamespaceDirectoryName(@namespace)), cancellationToken);
        return default;
    }

    /// <inheritdoc />
    /// <remarks>Deletes the entry files of every namespace directory; other files in the directory stay.</remarks>
    public ValueTask ClearAllAsync(CancellationToken cancellationToken = default)
    {
        var root = new DirectoryInfo(RootDirectory);
        if (root.Exists)
        {
            foreach (DirectoryInfo directory in root.EnumerateDirectories("ns*", Enumeration))
            {
                DeleteEntries(directory.FullName, cancellationToken);
            }
        }

        return default;
    }

    /// <summary>
    /// Scans the directory now: deletes temporary files that crashed writers left behind and, when the entries
    /// take more than <see cref="DiskCacheStoreOptions.MaxBytes"/>, the least recently read ones down to 90% of it.
    /// The store also does this by itself in the background as it writes.
    /// </summary>
    /// <returns>The bytes of entry files left.</returns>
    public long Trim()
    {
        lock (_trimLock)
        {
            // Writes during the scan stay counted: the scan may miss them.
            Interlocked.Exchange(ref _writtenSinceScan, 0);
            var entries = new List<(string Path, long Length, DateTime LastRead)>();
            long total = 0;
            DateTime staleBefore = DateTime.UtcNow - StaleTempAge;
            var root = new DirectoryInfo(RootDirectory);
            if (root.Exists)
            {
                foreach (DirectoryInfo directory in root.EnumerateDirectories("ns*", Enumeration))
                {
                    total += Scan(directory, staleBefore, entries);
                }
            }

            if (total > _options.MaxBytes)
            {
                long target = _options.MaxBytes / 10 * 9;
                entries.Sort(static (a, b) => a.LastRead.CompareTo(b.LastRead));
                foreach ((string path, long length, _) in entries)
                {
                    if (total <= target)
                    {
                        break;
                    }

                    TryDelete(path);
                    total -= length;
                }
            }

            Interlocked.Exchange(ref _estimatedBytes, total + Interlocked.Read(ref _writtenSinceScan));
            Volatile.Write(ref _scanned, 1);
            return total;
        }
    }

    /// <summary>
    /// The subdirectory of a namespace: <c>ns-</c> and the namespace with every character other than
    /// <c>a-z</c>, <c>0-9</c>, <c>-</c> and <c>_</c> escaped (<c>^a</c> for <c>A</c>, <c>%XXXX</c> for the rest),
    /// so distinct namespaces get names that differ even on case-insensitive file systems; a long namespace
    /// becomes <c>nsh-</c> and the SHA-256 of its characters.
    /// </summary>
    private void DeleteEntries(string directory, CancellationToken cancellationToken)
    {
        try
        {
            foreach (string file in Directory.EnumerateFiles(directory, "*" + EntryExtension, Enumeration))
            {
                cancellationToken.ThrowIfCancellationRequested();
                TryDelete(file);
            }
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was ever stored in this namespace.
        }
    }

    internal static string NamespaceDirectoryName(string @namespace)
    {
        var name = new StringBuilder("ns-", 3 + @namespace.Length);
        foreach (char c in @namespace)
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_')
            {
                name.Append(c);
            }
            else if (c is >= 'A' and <= 'Z')
            {
                name.Append('^').Append((char)(c + ('a' - 'A')));
            }
            else
            {
                name.Append('%').Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }

            if (name.Length > MaxReadableNamespaceLength)
            {
                byte[] utf16 = new byte[@namespace.Length * sizeof(char)];
                for (int i = 0; i < @namespace.Length; i++)
                {
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(utf16.AsSpan(i * sizeof(char)), @namespace[i]);
                }

                return "nsh-" + Convert.ToHexString(SHA256.HashData(utf16)).ToLowerInvariant();
            }
        }

        return name.ToString();
    }

    private static bool TryReadEnvelope(SafeFileHandle file, out CacheEntry? entry)
    {
        entry = null;
        long length = RandomAccess.GetLength(file);
        if (length > Array.MaxLength)
        {
            return false;
        }

        byte[] data = new byte[length];
        int read = 0;
        while (read < data.Length)
        {
            int n = RandomAccess.Read(file, data.AsSpan(read), read);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return CacheEntryEnvelope.TryDecode(data, out entry);
    }

    private void WriteFile(string path, ReadOnlySpan<byte> content)
    {
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0,
            PreallocationSize = content.Length,
        });
        stream.Write(content);
        stream.Flush(flushToDisk: _options.FlushToDisk);
    }

    /// <summary>Records the read in the file's access time, which eviction orders by (explicitly, so mounts with <c>noatime</c> work too).</summary>
    private static void Touch(SafeFileHandle file)
    {
        try
        {
            File.SetLastAccessTimeUtc(file, DateTime.UtcNow);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A file of another user, or a read-only file system: the entry is still served; eviction just sees an older read.
        }
    }

    private void DeleteCorrupt(CacheStoreKey key, string path)
    {
        Interlocked.Increment(ref _corruptEntries);
        LlmCacheTelemetry.CorruptEntries.Add(1, LlmCacheTelemetry.Tier(Name));
        LlmCacheLog.CorruptEntry(_logger, Name, key.Render(null), null);
        TryDelete(path);
    }

    private static bool TryDelete(string path)
    {
        try
        {
            var file = new FileInfo(path);
            if (!file.Exists)
            {
                return false;
            }

            file.Delete();
            return true;
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }

    private static long Scan(DirectoryInfo directory, DateTime staleBefore, List<(string Path, long Length, DateTime LastRead)> entries)
    {
        long total = 0;
        try
        {
            foreach (FileInfo file in directory.EnumerateFiles("*", Enumeration))
            {
                try
                {
                    if (file.Name.EndsWith(EntryExtension, StringComparison.Ordinal))
                    {
                        entries.Add((file.FullName, file.Length, file.LastAccessTimeUtc));
                        total += file.Length;
                    }
                    else if (file.Name.EndsWith(TempExtension, StringComparison.Ordinal) && file.LastWriteTimeUtc < staleBefore)
                    {
                        TryDelete(file.FullName);
                    }
                }
                catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
                {
                    // Deleted by another process while we looked.
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
            // The namespace was removed while we looked.
        }

        return total;
    }

    private void CountWrite(int length)
    {
        long estimate = Interlocked.Add(ref _estimatedBytes, length);
        long written = Interlocked.Add(ref _writtenSinceScan, length);
        if (Volatile.Read(ref _scanned) == 0 || estimate > _options.MaxBytes || written > _options.MaxBytes / 10)
        {
            Volatile.Write(ref _trimRequested, 1);
            if (Interlocked.CompareExchange(ref _trimRunning, 1, 0) == 0)
            {
                ThreadPool.UnsafeQueueUserWorkItem(static store => store.TrimInBackground(), this, preferLocal: false);
            }
        }
    }

    /// <summary>Trims until no write asks for it any more; a request that arrives during a scan gets a scan after it.</summary>
    private void TrimInBackground()
    {
        do
        {
            while (Interlocked.Exchange(ref _trimRequested, 0) == 1)
            {
                try
                {
                    Trim();
                }
                catch (Exception exception)
                {
                    LlmCacheTelemetry.StoreErrors.Add(1, LlmCacheTelemetry.Tier(Name));
                    LlmCacheLog.StoreFailed(_logger, Name, "trim its directory", exception);
                }
            }

            Volatile.Write(ref _trimRunning, 0);
        }
        while (Volatile.Read(ref _trimRequested) == 1 && Interlocked.CompareExchange(ref _trimRunning, 1, 0) == 0);
    }
}
