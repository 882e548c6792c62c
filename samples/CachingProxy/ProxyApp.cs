using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlmCache.Proxy;

/// <summary>Builds and starts the proxy: Kestrel on the configured address, LlmCache's runtime from the cache settings, the endpoints.</summary>
public static class ProxyApp
{
    /// <summary>Builds the app (not started).</summary>
    public static WebApplication Create(ProxySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Hosting's per-request lines: while this category is on at any level, hosting starts an Activity for every
        // request, which a hit pays for (docs/benchmarks/proxy.md). An endpoint's exception is logged by Kestrel, and
        // a start-up failure the proxy reports itself.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = settings.MaxRequestBytes;
            if (IPAddress.TryParse(settings.Host, out IPAddress? address))
            {
                kestrel.Listen(address, settings.Port);
            }
            else if (string.Equals(settings.Host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                kestrel.ListenLocalhost(settings.Port);
            }
            else
            {
                throw new ProxyStartupException($"--host must be an IP address or localhost, not '{settings.Host}'.");
            }
        });

        IConfigurationSection cache = new ConfigurationBuilder().AddInMemoryCollection(settings.CacheConfiguration).Build().GetSection("LlmCache");
        builder.Services
            .AddLlmCache(cache, options => options.Enabled &= settings.CacheEnabled)
            .AddRedis()
            .AddS3()
            .AddDisk();

        var upstream = new UpstreamClient(
            new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            {
                Timeout = System.Threading.Timeout.InfiniteTimeSpan,
            },
            settings.UpstreamTimeout);
        if (settings.SemanticEmbeddingModel is { } embeddingModel)
        {
            // The semantic cache embeds prompts with the named model's upstream, with that model's own key.
            ModelRoute route = settings.Models[embeddingModel];
            builder.Services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new UpstreamEmbeddingGenerator(upstream, route, route.ApiKey));
        }

        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(new ProxyAuth(settings));
        builder.Services.AddSingleton(upstream);
        builder.Services.AddSingleton<ChatCompletionsEndpoint>();
        builder.Services.AddSingleton<EmbeddingsEndpoint>();
        builder.Services.AddSingleton<CacheAdminEndpoints>();

        WebApplication app = builder.Build();
        var auth = app.Services.GetRequiredService<ProxyAuth>();
        app.Use(async (context, next) =>
        {
            if (context.Request.Path == "/health")
            {
                await next(context);
                return;
            }

            if (await auth.AuthenticateAsync(context) is { } caller)
            {
                ProxyAuth.Admit(context, caller);
                await next(context);
            }
        });

        var chat = app.Services.GetRequiredService<ChatCompletionsEndpoint>();
        var embeddings = app.Services.GetRequiredService<EmbeddingsEndpoint>();
        var admin = app.Services.GetRequiredService<CacheAdminEndpoints>();
        app.MapPost("/v1/chat/completions", chat.HandleAsync);
        app.MapPost("/chat/completions", chat.HandleAsync);
        app.MapPost("/v1/embeddings", embeddings.HandleAsync);
        app.MapPost("/embeddings", embeddings.HandleAsync);
        app.MapGet("/health", CacheAdminEndpoints.HealthAsync);
        app.MapGet("/cache/ping", admin.PingAsync);
        app.MapPost("/cache/delete", admin.DeleteAsync);
        app.MapPost("/cache/flushall", admin.FlushAllAsync);
        return app;
    }

    /// <summary>Builds and starts the app; a mistake in the cache settings becomes a <see cref="ProxyStartupException"/> that names the config.yaml line.</summary>
    public static async Task<WebApplication> StartAsync(ProxySettings settings)
    {
        WebApplication? app = null;
        try
        {
            // Building the app resolves the runtime, which validates the cache settings; starting it binds the port.
            app = Create(settings);
            await app.StartAsync();
            return app;
        }
        catch (Exception exception) when (exception is OptionsValidationException or InvalidOperationException or System.IO.IOException)
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            throw new ProxyStartupException(WithOrigins(exception.Message, settings), exception);
        }
    }

    /// <summary>The addresses the started app listens on, such as <c>http://127.0.0.1:4000</c>.</summary>
    public static IReadOnlyList<Uri> Addresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Select(a => new Uri(a)).ToList();

    // The runtime's message names the setting by its LiteLLM name in parentheses ("LlmCache:DefaultTtl (ttl)"):
    // add where config.yaml set it.
    private static string WithOrigins(string message, ProxySettings settings)
    {
        var origins = settings.CacheSettingOrigins
            .Where(o => message.Contains("(" + o.Key["LlmCache:".Length..].Split(':')[0] + ")", StringComparison.OrdinalIgnoreCase))
            .Select(o => o.Value)
            .Distinct()
            .ToList();
        return origins.Count == 0 ? message : $"{message} (config.yaml: {string.Join(", ", origins)})";
    }
}
