using System;
using System.Runtime.InteropServices;

namespace LlmCache.VectorIndex.USearch;

/// <summary>A native USearch index, freed once, by <see cref="SafeHandle.Dispose()"/> or the finalizer.</summary>
internal sealed class USearchHandle : SafeHandle
{
    public USearchHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public static USearchHandle Create(ref USearchNative.InitOptions options)
    {
        var created = new USearchHandle();
        IntPtr index = USearchNative.Init(ref options, out IntPtr error);
        created.SetHandle(index);
        USearchNative.Check(error);
        return created;
    }

    protected override bool ReleaseHandle()
    {
        USearchNative.Free(handle, out IntPtr error);
        return error == IntPtr.Zero;
    }
}
