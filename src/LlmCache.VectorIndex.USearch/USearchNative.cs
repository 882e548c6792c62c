using System;
using System.Runtime.InteropServices;

namespace LlmCache.VectorIndex.USearch;

/// <summary>
/// USearch's C API (usearch.h) in the native library that the Cloud.Unum.USearch package ships. Called directly rather
/// than through that package's C# class, which reserves room for one more vector on every add (so a build is quadratic)
/// and allocates on every search.
/// </summary>
internal static unsafe partial class USearchNative
{
    private const string Library = "libusearch_c";

    public const uint MetricInnerProduct = 2;

    [StructLayout(LayoutKind.Sequential)]
    public struct InitOptions
    {
        public uint MetricKind;
        public IntPtr Metric;
        public uint Quantization;
        public nuint Dimensions;
        public nuint Connectivity;
        public nuint ExpansionAdd;
        public nuint ExpansionSearch;
        public byte Multi;
    }

    [LibraryImport(Library, EntryPoint = "usearch_init")]
    public static partial IntPtr Init(ref InitOptions options, out IntPtr error);

    [LibraryImport(Library, EntryPoint = "usearch_free")]
    public static partial void Free(IntPtr index, out IntPtr error);

    [LibraryImport(Library, EntryPoint = "usearch_reserve")]
    public static partial void Reserve(USearchHandle index, nuint capacity, out IntPtr error);

    [LibraryImport(Library, EntryPoint = "usearch_change_threads_add")]
    public static partial void ChangeThreadsAdd(USearchHandle index, nuint threads, out IntPtr error);

    [LibraryImport(Library, EntryPoint = "usearch_change_threads_search")]
    public static partial void ChangeThreadsSearch(USearchHandle index, nuint threads, out IntPtr error);

    [LibraryImport(Library, EntryPoint = "usearch_size")]
    public static partial nuint Size(USearchHandle index, out IntPtr error);

    [LibraryImport(Library, EntryPoint = "usearch_capacity")]
    public static partial nuint Capacity(USearchHandle index, out IntPtr error);

    [LibraryImport(Library, EntryPoint = "usearch_memory_usage")]
    public static partial nuint MemoryUsage(USearchHandle index, out IntPtr error);

    [LibraryImport(Library, EntryPoint = "usearch_add")]
    public static partial void Add(USearchHandle index, ulong key, float* vector, uint vectorKind, out IntPtr error);

    [LibraryImport(Library, EntryPoint = "usearch_remove")]
    public static partial nuint Remove(USearchHandle index, ulong key, out IntPtr error);

    [LibraryImport(Library, EntryPoint = "usearch_search")]
    public static partial nuint Search(USearchHandle index, float* query, uint queryKind, nuint count, ulong* keys, float* distances, out IntPtr error);

    /// <summary>Throws when a call reported an error (a static C string, never freed).</summary>
    public static void Check(IntPtr error)
    {
        if (error != IntPtr.Zero)
        {
            throw new InvalidOperationException("USearch: " + Marshal.PtrToStringUTF8(error));
        }
    }
}
