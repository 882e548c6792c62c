using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;

namespace LlmCache.S3.Tests;

/// <summary>
/// An HTTP client factory for the SDK (<see cref="S3CacheStoreOptions.ConfigureClient"/>) whose single-object
/// DELETE requests wait until <see cref="Release"/>: shows whether a caller waits for a delete.
/// </summary>
internal sealed class StallingDeletes : HttpClientFactory, IDisposable
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HttpClient _client;
    private int _ended;

    public StallingDeletes() => _client = new HttpClient(new Handler(this), disposeHandler: true);

    /// <summary>Completes when the first DELETE reached the handler.</summary>
    public Task Started => _started.Task;

    /// <summary>How many DELETE requests have ended (sent on, failed or cancelled).</summary>
    public int Ended => Volatile.Read(ref _ended);

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

    private sealed class Handler(StallingDeletes owner) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method != HttpMethod.Delete)
            {
                return await base.SendAsync(request, cancellationToken);
            }

            owner._started.TrySetResult();
            try
            {
                await owner._gate.Task.WaitAsync(cancellationToken);
                return await base.SendAsync(request, cancellationToken);
            }
            finally
            {
                Interlocked.Increment(ref owner._ended);
            }
        }
    }
}
