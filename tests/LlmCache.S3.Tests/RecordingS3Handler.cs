using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;

namespace LlmCache.S3.Tests;

/// <summary>
/// An HTTP client factory for the SDK (<see cref="S3CacheStoreOptions.ConfigureClient"/>) whose handler answers every
/// request itself, in memory, and records its shape: no request leaves the process, whatever host the endpoint
/// names. It lists <see cref="ListedKeys"/> for any ListObjectsV2 and accepts puts and deletes.
/// </summary>
internal sealed class RecordingS3Handler : HttpClientFactory, IDisposable
{
    private readonly HttpClient _client;

    public RecordingS3Handler(params string[] listedKeys)
    {
        ListedKeys = listedKeys;
        _client = new HttpClient(new Handler(this), disposeHandler: true);
    }

    /// <summary>The keys a listing returns.</summary>
    public IReadOnlyList<string> ListedKeys { get; }

    /// <summary>Every request, in order.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => _client;

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    public void Dispose() => _client.Dispose();

    private sealed class Handler(RecordingS3Handler owner) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (KeyValuePair<string, IEnumerable<string>> header in request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>()))
            {
                headers[header.Key] = string.Join(",", header.Value);
            }

            byte[] body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            owner.Requests.Enqueue(new RecordedRequest(request.Method.Method, request.RequestUri!, headers, body));

            string query = request.RequestUri!.Query;
            if (request.Method == HttpMethod.Get && query.Contains("list-type=2", StringComparison.Ordinal))
            {
                var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>b</Name><IsTruncated>false</IsTruncated>");
                xml.Append(CultureInvariant($"<KeyCount>{owner.ListedKeys.Count}</KeyCount>"));
                foreach (string key in owner.ListedKeys)
                {
                    xml.Append("<Contents><Key>").Append(key).Append("</Key><Size>1</Size></Contents>");
                }

                xml.Append("</ListBucketResult>");
                return Xml(HttpStatusCode.OK, xml.ToString());
            }

            if (request.Method == HttpMethod.Post && query.Contains("delete", StringComparison.Ordinal))
            {
                return Xml(HttpStatusCode.OK, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><DeleteResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"></DeleteResult>");
            }

            if (request.Method == HttpMethod.Delete)
            {
                return new HttpResponseMessage(HttpStatusCode.NoContent) { Content = new ByteArrayContent([]) };
            }

            if (request.Method == HttpMethod.Put)
            {
                var ok = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
                ok.Headers.ETag = new System.Net.Http.Headers.EntityTagHeaderValue("\"0\"");
                return ok;
            }

            throw new InvalidOperationException($"The recording handler has no answer for {request.Method} {request.RequestUri}.");
        }

        private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);

        private static HttpResponseMessage Xml(HttpStatusCode status, string xml) =>
            new(status) { Content = new StringContent(xml, Encoding.UTF8, "application/xml") };
    }
}

/// <summary>One request the <see cref="RecordingS3Handler"/> answered.</summary>
internal sealed record RecordedRequest(string Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, byte[] Body);
