using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace LlmCache.Proxy;

/// <summary>
/// What the chat and embeddings endpoints read first, in one pass over the body (size-limited, a JSON object): its
/// canonical key bytes, its model and that model's route, <c>stream</c>, and its <c>cache</c> controls. A request that
/// fails any of these has had its 400 or 413 written.
/// </summary>
public sealed class OpenAiRequest : IDisposable
{
    private readonly RequestBody _body;
    private PooledBytes _canonical;
    private JsonDocument? _document;

    private OpenAiRequest(RequestBody body, PooledBytes canonical, Caller caller, string model, bool stream, ModelRoute route, CacheControl control, CacheOutcome outcome)
    {
        _body = body;
        _canonical = canonical;
        Caller = caller;
        Model = model;
        Stream = stream;
        Route = route;
        Control = control;
        Outcome = outcome;
    }

    /// <summary>
    /// The body, parsed when first read: a hit never needs it (its key is <see cref="CanonicalBody"/>), a miss
    /// rewrites it for the upstream.
    /// </summary>
    public JsonElement Body => (_document ??= JsonDocument.Parse(_body.Bytes)).RootElement;

    /// <summary>The canonical JSON of the body without the endpoint's fields that are not in its key (<see cref="CanonicalRequest.KeyBytes"/>).</summary>
    public ReadOnlySpan<byte> CanonicalBody => _canonical.WrittenSpan;

    /// <summary>Who sent it.</summary>
    public Caller Caller { get; }

    /// <summary>The model the client named.</summary>
    public string Model { get; }

    /// <summary>Whether the body asks for a stream (<c>"stream": true</c>).</summary>
    public bool Stream { get; }

    /// <summary>Where that model goes.</summary>
    public ModelRoute Route { get; }

    /// <summary>The body's controls, reporting into <see cref="Outcome"/>, in the caller's namespace.</summary>
    public CacheControl Control { get; }

    /// <summary>What the cache did, for the response headers.</summary>
    public CacheOutcome Outcome { get; }

    /// <summary>The model name sent upstream.</summary>
    public string UpstreamModel => Route.ModelFor(Model);

    /// <summary>The key sent upstream: the model's, else the client's own when the proxy has no keys.</summary>
    public string? ApiKey => Route.ApiKey ?? Caller.ClientKey;

    /// <summary>Reads the request, with the top-level fields in <paramref name="notInKey"/> left out of <see cref="CanonicalBody"/>, or writes its error and returns <c>null</c>.</summary>
    public static async Task<OpenAiRequest?> ReadAsync(HttpContext context, ProxySettings settings, HashSet<string> notInKey)
    {
        Caller caller = ProxyAuth.CallerOf(context);
        RequestBody? read = await RequestBody.ReadAsync(context, settings.MaxRequestBytes);
        if (read is null)
        {
            return null;
        }

        var canonical = new PooledBytes();
        RequestFields fields;
        string? error;
        try
        {
            fields = CanonicalRequest.Read(read.Bytes, notInKey, ref canonical);
            error = fields.IsObject ? null : "The request body must be a JSON object.";
        }
        catch (JsonException exception)
        {
            fields = default;
            error = $"We could not parse the JSON body of your request: {exception.Message}";
        }

        if (error is not null)
        {
            canonical.Dispose();
            read.Dispose();
            await OpenAiError.WriteAsync(context, StatusCodes.Status400BadRequest, error, "invalid_request_error");
            return null;
        }

        string param = "model";
        ModelRoute? route = null;
        CacheControl control = default;
        var outcome = new CacheOutcome();
        if (fields.Model is not { Length: > 0 } model)
        {
            error = "You must provide a model parameter.";
            model = string.Empty;
        }
        else if ((route = settings.Resolve(model)) is null)
        {
            error = $"Invalid model name passed in model={model}: it is not in the proxy's model_list.";
        }
        else if (BodyCacheControl.TryRead(fields.Cache.Span, caller.Namespace, outcome, out control) is { } invalid)
        {
            error = invalid;
            param = CanonicalRequest.CacheProperty;
        }

        if (error is not null)
        {
            canonical.Dispose();
            read.Dispose();
            await ProxyResponses.BadRequestAsync(context, error, param);
            return null;
        }

        return new OpenAiRequest(read, canonical, caller, model, fields.Stream, route!, control, outcome);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _document?.Dispose();
        _canonical.Dispose();
        _body.Dispose();
    }
}
