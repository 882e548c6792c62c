using System;

namespace LlmCache.Proxy;

/// <summary>The top-level fields of a request body the proxy reads, picked out by <see cref="CanonicalRequest.Read"/>.</summary>
public struct RequestFields
{
    /// <summary>Whether the body is a JSON object (nothing else is read when it is not).</summary>
    public bool IsObject { get; set; }

    /// <summary>The last <c>model</c>, when it is a string; <c>null</c> when it is missing or not a string.</summary>
    public string? Model { get; set; }

    /// <summary>Whether the last <c>stream</c> is <c>true</c>.</summary>
    public bool Stream { get; set; }

    /// <summary>The JSON of the last <c>cache</c> value, as sent; empty when there is none.</summary>
    public ReadOnlyMemory<byte> Cache { get; set; }
}
