using System;

namespace LlmCache.Proxy;

/// <summary>
/// The upstream answered with an error status, timed out or could not be reached. Thrown out of the cached call,
/// so nothing is stored, and turned into the client's response as it is: status, content type and body.
/// </summary>
public sealed class UpstreamErrorException : Exception
{
    /// <summary>Creates the exception for an upstream response.</summary>
    public UpstreamErrorException(int statusCode, string? contentType, byte[] body)
        : base($"The upstream answered {statusCode}.")
    {
        StatusCode = statusCode;
        ContentType = contentType;
        Body = body;
    }

    /// <summary>The status passed to the client.</summary>
    public int StatusCode { get; }

    /// <summary>The upstream's content type, if it sent one.</summary>
    public string? ContentType { get; }

    /// <summary>The upstream's body, as it was.</summary>
    public byte[] Body { get; }
}
