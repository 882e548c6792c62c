using System;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace LlmCache.Proxy;

/// <summary>
/// What the chat and embeddings endpoints read first: the body (size-limited, a JSON object), its model and that
/// model's route, and its <c>cache</c> controls. A request that fails any of these has had its 400 or 413 written.
/// </summary>
public sealed class OpenAiRequest : IDisposable
{
    private readonly RequestBody _body;

    private OpenAiRequest(RequestBody body, Caller caller, string model, ModelRoute route, CacheControl control, CacheOutcome outcome)
    {
        _body = body;
        Caller = caller;
        Model = model;
        Route = route;
        Control = control;
        Outcome = outcome;
    }

    /// <summary>The body.</summary>
    public JsonElement Body => _body.Document.RootElement;

    /// <summary>Who sent it.</summary>
    public Caller Caller { get; }

    /// <summary>The model the client named.</summary>
    public string Model { get; }

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

    /// <summary>Reads the request, or writes its error and returns <c>null</c>.</summary>
    public static async Task<OpenAiRequest?> ReadAsync(HttpContext context, ProxySettings settings)
    {
        var caller = (Caller)context.Items[typeof(Caller)]!;
        RequestBody? read = await RequestBody.ReadObjectAsync(context, settings.MaxRequestBytes);
        if (read is null)
        {
            return null;
        }

        JsonElement body = read.Document.RootElement;
        string? error = null;
        string param = "model";
        ModelRoute? route = null;
        CacheControl control = default;
        var outcome = new CacheOutcome();
        if (!body.TryGetProperty("model", out JsonElement modelElement) || modelElement.ValueKind != JsonValueKind.String || modelElement.GetString() is not { Length: > 0 } model)
        {
            error = "You must provide a model parameter.";
            model = string.Empty;
        }
        else if ((route = settings.Resolve(model)) is null)
        {
            error = $"Invalid model name passed in model={model}: it is not in the proxy's model_list.";
        }
        else if (BodyCacheControl.TryRead(body, caller.Namespace, outcome, out control) is { } invalid)
        {
            error = invalid;
            param = CanonicalRequest.CacheProperty;
        }

        if (error is not null)
        {
            read.Dispose();
            await ProxyResponses.BadRequestAsync(context, error, param);
            return null;
        }

        return new OpenAiRequest(read, caller, model, route!, control, outcome);
    }

    /// <inheritdoc />
    public void Dispose() => _body.Dispose();
}
