using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Core.Pipeline;

namespace LlmCache.AzureBlob.Tests;

/// <summary>
/// A pipeline policy for the SDK (<see cref="AzureBlobCacheStoreOptions.ConfigureClient"/>) that holds every DELETE
/// until <see cref="Release"/> and records the status each one got: the test decides what happens between a
/// read and its clean-up, with no timing involved.
/// </summary>
internal sealed class GatedDeletes : HttpPipelinePolicy
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _firstAnswered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the first DELETE reached the policy.</summary>
    public Task Started => _started.Task;

    /// <summary>The status the server gave the first DELETE, once it has answered.</summary>
    public Task<int> FirstAnswered => _firstAnswered.Task;

    /// <summary>The <c>If-Match</c> header of each DELETE sent.</summary>
    public ConcurrentQueue<string?> IfMatch { get; } = new();

    /// <summary>Lets every DELETE, waiting or to come, go on to the server.</summary>
    public void Release() => _gate.TrySetResult();

    public override void Process(HttpMessage message, System.ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, System.ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (message.Request.Method != RequestMethod.Delete)
        {
            await ProcessNextAsync(message, pipeline);
            return;
        }

        _started.TrySetResult();
        await _gate.Task.WaitAsync(message.CancellationToken);
        IfMatch.Enqueue(message.Request.Headers.TryGetValue("If-Match", out string? etag) ? etag : null);
        await ProcessNextAsync(message, pipeline);
        _firstAnswered.TrySetResult(message.Response.Status);
    }
}
