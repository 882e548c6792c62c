using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;

namespace LlmCache.S3.Tests;

/// <summary>
/// An HTTP client factory for the SDK (<see cref="S3CacheStoreOptions.ConfigureClient"/>) that passes every request
/// on to the server and changes each object GET's answer before the SDK sees it: its ETag, as servers whose ETag is
/// not the body's MD5 answer, or a byte of its body, as a body damaged on the way would arrive.
/// </summary>
internal sealed class RewrittenGets : HttpClientFactory, IDisposable
{
    private readonly HttpClient _client;

    public RewrittenGets(string? etag = null, bool flipLastByte = false) =>
        _client = new HttpClient(new Handler(etag, flipLastByte), disposeHandler: true);

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => _client;

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    public void Dispose() => _client.Dispose();

    private sealed class Handler(string? etag, bool flipLastByte) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
            bool objectGet = request.Method == HttpMethod.Get && string.IsNullOrEmpty(request.RequestUri!.Query);
            if (!objectGet || !response.IsSuccessStatusCode)
            {
                return response;
            }

            if (etag is not null)
            {
                response.Headers.Remove("ETag");
                response.Headers.TryAddWithoutValidation("ETag", etag);
            }

            if (flipLastByte)
            {
                byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                body[^1] ^= 0x01;
                var changed = new ByteArrayContent(body);
                foreach (var header in response.Content.Headers.Where(h => !h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
                {
                    changed.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }

                response.Content = changed;
            }

            return response;
        }
    }
}
