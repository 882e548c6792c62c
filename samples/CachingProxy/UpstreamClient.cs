using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Proxy;

/// <summary>
/// Sends requests to OpenAI-compatible upstreams. Every failure comes out as an <see cref="UpstreamErrorException"/>
/// with what the client should see: the upstream's own status and body, 504 after the timeout, 502 when it cannot be reached.
/// </summary>
public sealed class UpstreamClient(HttpClient http, TimeSpan timeout)
{
    /// <summary>Posts <paramref name="body"/> and returns the body of a 2xx answer.</summary>
    /// <exception cref="UpstreamErrorException">Any other answer, a timeout, or no connection.</exception>
    public async ValueTask<byte[]> PostAsync(ModelRoute route, string path, byte[] body, string? apiKey, CancellationToken cancellationToken)
    {
        using CancellationTokenSource deadline = Deadline(cancellationToken);
        try
        {
            using HttpResponseMessage response = await SendAsync(route, path, body, apiKey, streaming: false, deadline.Token);
            byte[] content = await response.Content.ReadAsByteArrayAsync(deadline.Token);
            return response.IsSuccessStatusCode ? content : throw Failed(response, content);
        }
        catch (Exception exception) when (Translate(exception, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>
    /// Posts a streaming request and yields the <c>data:</c> payload of each server-sent event until <c>[DONE]</c>;
    /// an error answer throws before the first payload.
    /// </summary>
    public async IAsyncEnumerable<string> StreamAsync(ModelRoute route, string path, byte[] body, string? apiKey, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using CancellationTokenSource deadline = Deadline(cancellationToken);
        HttpResponseMessage response;
        StreamReader reader;
        try
        {
            response = await SendAsync(route, path, body, apiKey, streaming: true, deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                using (response)
                {
                    throw Failed(response, await response.Content.ReadAsByteArrayAsync(deadline.Token));
                }
            }

            reader = new StreamReader(await response.Content.ReadAsStreamAsync(deadline.Token), Encoding.UTF8);
        }
        catch (Exception exception) when (Translate(exception, cancellationToken) is { } failure)
        {
            throw failure;
        }

        using (response)
        using (reader)
        {
            var data = new StringBuilder();
            while (true)
            {
                string? line;
                try
                {
                    line = await reader.ReadLineAsync(deadline.Token);
                }
                catch (Exception exception) when (Translate(exception, cancellationToken) is { } failure)
                {
                    throw failure;
                }

                if (line is null || line.Length == 0)
                {
                    // A blank line ends an event; the end of the body ends the last one.
                    if (data.Length > 0)
                    {
                        string payload = data.ToString();
                        data.Clear();
                        if (payload == "[DONE]")
                        {
                            yield break;
                        }

                        yield return payload;
                    }

                    if (line is null)
                    {
                        yield break;
                    }

                    continue;
                }

                if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    // A multi-line event's data lines join with a line feed, as the SSE specification says.
                    ReadOnlySpan<char> value = line.AsSpan(5);
                    if (data.Length > 0)
                    {
                        data.Append('\n');
                    }

                    data.Append(value.Length > 0 && value[0] == ' ' ? value[1..] : value);
                }
            }
        }
    }

    /// <summary>Sends a request whose answer is passed to the client as it is (the cache is not used); the caller disposes it.</summary>
    public async Task<HttpResponseMessage> SendUncachedAsync(ModelRoute route, string path, byte[] body, string? apiKey, bool streaming, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync(route, path, body, apiKey, streaming, cancellationToken).WaitAsync(timeout, cancellationToken);
        }
        catch (Exception exception) when (Translate(exception, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    private Task<HttpResponseMessage> SendAsync(ModelRoute route, string path, byte[] body, string? apiKey, bool streaming, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, route.Endpoint(path)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        if (streaming)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        }

        return http.SendAsync(request, streaming ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, cancellationToken);
    }

    private CancellationTokenSource Deadline(CancellationToken cancellationToken)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        return deadline;
    }

    private static UpstreamErrorException Failed(HttpResponseMessage response, byte[] content) =>
        new((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), content);

    // The caller's own cancellation stays a cancellation; the deadline and connection failures become answers.
    private UpstreamErrorException? Translate(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        UpstreamErrorException => null,
        OperationCanceledException or TimeoutException when !cancellationToken.IsCancellationRequested => new UpstreamErrorException(
            504, "application/json", OpenAiError.Body($"The upstream did not answer within {timeout.TotalSeconds:0} s.", "timeout", "upstream_timeout")),
        HttpRequestException or IOException => new UpstreamErrorException(
            502, "application/json", OpenAiError.Body("The upstream could not be reached.", "api_connection_error", "upstream_unreachable")),
        _ => null,
    };
}
