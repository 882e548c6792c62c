using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;

namespace LlmCache.S3.Tests;

/// <summary>
/// An HTTP client factory for the SDK (<see cref="S3CacheStoreOptions.ConfigureClient"/>) whose single-object
/// DELETE requests wait until <see cref="Release"/>: shows whether a caller waits for a delete, and, from the order
/// it records, whether a write went to the server before a delete of the same object had been answered.
/// </summary>
internal sealed class StallingDeletes : HttpClientFactory, IDisposable
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstPut = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HttpClient _client;
    private int _ended;

    /// <param name="preconditionFailed">
    /// Answer each released DELETE with 412 Precondition Failed instead of sending it on, as S3 does when the object
    /// no longer has the ETag of the request's <c>If-Match</c>.
    /// </param>
    public StallingDeletes(bool preconditionFailed = false) =>
        _client = new HttpClient(new Handler(this, preconditionFailed), disposeHandler: true);

    /// <summary>Completes when the first DELETE reached the handler.</summary>
    public Task Started => _started.Task;

    /// <summary>Completes when the first PUT reached the handler.</summary>
    public Task FirstPut => _firstPut.Task;

    /// <summary>How many DELETE requests have ended (sent on, failed or cancelled).</summary>
    public int Ended => Volatile.Read(ref _ended);

    /// <summary>The <c>If-Match</c> header of each DELETE released.</summary>
    public ConcurrentQueue<string?> IfMatch { get; } = new();

    /// <summary>"PUT sent" and "DELETE answered", in the order they happened.</summary>
    public ConcurrentQueue<string> Events { get; } = new();

    /// <summary>Lets every DELETE, waiting or to come, go on to the server.</summary>
    public void Release() => _gate.TrySetResult();

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => _client;

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    public void Dispose()
    {
        Release();
        _client.Dispose();
    }

    private sealed class Handler(StallingDeletes owner, bool preconditionFailed) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Put)
            {
                owner.Events.Enqueue("PUT sent");
                owner._firstPut.TrySetResult();
            }

            if (request.Method != HttpMethod.Delete)
            {
                return await base.SendAsync(request, cancellationToken);
            }

            owner._started.TrySetResult();
            try
            {
                await owner._gate.Task.WaitAsync(cancellationToken);
                owner.IfMatch.Enqueue(request.Headers.TryGetValues("If-Match", out var values) ? values.Single() : null);
                HttpResponseMessage response = preconditionFailed
                    ? new HttpResponseMessage(HttpStatusCode.PreconditionFailed) { Content = new StringContent("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>") }
                    : await base.SendAsync(request, cancellationToken);
                owner.Events.Enqueue("DELETE answered");
                return response;
            }
            finally
            {
                Interlocked.Increment(ref owner._ended);
            }
        }
    }
}
