using System;
using System.Buffers;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace LlmCache.Proxy;

/// <summary>
/// A request body read under the size limit into a pooled buffer, given back cleared when the request ends. A body
/// too large or cut short gets its OpenAI-style error here.
/// </summary>
public sealed class RequestBody : IDisposable
{
    // A body whose length the client did not send starts here and doubles.
    private const int UnknownLengthStart = 4 * 1024;

    private byte[]? _buffer;
    private readonly int _length;

    private RequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;
    }

    /// <summary>The body's bytes, until <see cref="Dispose"/>.</summary>
    public ReadOnlyMemory<byte> Bytes => _buffer.AsMemory(0, _length);

    /// <summary>The body, or <c>null</c> when an error response has been written.</summary>
    public static async Task<RequestBody?> ReadAsync(HttpContext context, long maxBytes)
    {
        long? declared = context.Request.ContentLength;
        if (declared > maxBytes)
        {
            await TooLargeAsync(context, maxBytes);
            return null;
        }

        // The declared length, plus one byte so that a body longer than it declared is seen (Kestrel rejects it).
        byte[] buffer = ArrayPool<byte>.Shared.Rent(declared is { } length ? (int)length + 1 : (int)Math.Min(UnknownLengthStart, maxBytes + 1));
        int read = 0;
        try
        {
            int count;
            while ((count = await context.Request.Body.ReadAsync(buffer.AsMemory(read), context.RequestAborted)) > 0)
            {
                read += count;
                if (read > maxBytes)
                {
                    Return(buffer, read);
                    await TooLargeAsync(context, maxBytes);
                    return null;
                }

                if (read == buffer.Length)
                {
                    buffer = Grow(buffer, read, maxBytes);
                }
            }
        }
        catch (BadHttpRequestException exception)
        {
            // Kestrel's own body limit, set to the same size.
            Return(buffer, read);
            await OpenAiError.WriteAsync(context, exception.StatusCode, "The request body could not be read.", "invalid_request_error");
            return null;
        }
        catch
        {
            Return(buffer, read);
            throw;
        }

        return new RequestBody(buffer, read);
    }

    /// <summary>Gives back the buffer, cleared.</summary>
    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            Return(buffer, _length);
        }
    }

    private static byte[] Grow(byte[] buffer, int used, long maxBytes)
    {
        byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, maxBytes + 1));
        buffer.AsSpan(0, used).CopyTo(larger);
        Return(buffer, used);
        return larger;
    }

    // Prompts are private: the pool gets the array back cleared of them.
    private static void Return(byte[] buffer, int used)
    {
        buffer.AsSpan(0, used).Clear();
        ArrayPool<byte>.Shared.Return(buffer);
    }

    private static async Task TooLargeAsync(HttpContext context, long maxBytes)
    {
        // The rest of the body is never read, so the connection cannot carry another request: say so, and send the
        // whole answer before Kestrel gives up on the unread body and closes it.
        context.Response.Headers.Connection = "close";
        await OpenAiError.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, $"The request body is larger than the proxy's limit of {maxBytes} bytes.", "invalid_request_error", "request_too_large");
        await context.Response.CompleteAsync();
    }
}
