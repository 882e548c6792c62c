using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;

namespace LlmCache.Proxy.Tests;

/// <summary>
/// The proxy started in this process on a free loopback port, with its own environment (so tests running in
/// parallel each have their upstream and their Redis), in front of a <see cref="FakeOpenAi"/>.
/// </summary>
public sealed class TestProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<string> _files;

    private TestProxy(WebApplication app, Uri baseAddress, List<string> files)
    {
        _app = app;
        _files = files;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress };
    }

    /// <summary>The proxy's address, such as <c>http://127.0.0.1:43125/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A client with <see cref="BaseAddress"/>.</summary>
    public HttpClient Client { get; }

    /// <summary>
    /// Starts the proxy with <paramref name="args"/>; <paramref name="configYaml"/>, when given, is written to a
    /// temporary file passed as <c>--config</c>. The environment holds <c>OPENAI_BASE_URL</c> (the fake's) and
    /// <paramref name="environment"/>.
    /// </summary>
    public static async Task<TestProxy> StartAsync(FakeOpenAi upstream, string? configYaml = null, IReadOnlyDictionary<string, string>? environment = null, params string[] args)
    {
        var files = new List<string>();
        var arguments = new List<string> { "--port", "0" };
        arguments.AddRange(args);
        if (configYaml is not null)
        {
            string path = Path.Combine(Path.GetTempPath(), "llmcache-proxy-" + Guid.NewGuid().ToString("N") + ".yaml");
            await File.WriteAllTextAsync(path, configYaml);
            files.Add(path);
            arguments.Add("--config");
            arguments.Add(path);
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal) { ["OPENAI_BASE_URL"] = upstream.BaseUrl.AbsoluteUri };
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        ProxySettings settings = ProxyCommandLine.Parse([.. arguments], name => variables.GetValueOrDefault(name));
        WebApplication app = await ProxyApp.StartAsync(settings);
        return new TestProxy(app, new Uri(ProxyApp.Addresses(app).First().AbsoluteUri.TrimEnd('/') + "/"), files);
    }

    /// <summary>Posts a JSON body as it is written.</summary>
    public Task<HttpResponseMessage> PostAsync(string path, string json, string? bearer = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (bearer is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }

        return Client.SendAsync(request);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        foreach (string file in _files)
        {
            File.Delete(file);
        }
    }
}

/// <summary>Reads what the proxy answered.</summary>
public static class Answers
{
    /// <summary>The <c>x-llmcache</c> header.</summary>
    public static string? CacheStatus(this HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-llmcache", out IEnumerable<string>? values) ? values.Single() : null;

    /// <summary>The <c>x-litellm-cache-key</c> header.</summary>
    public static string? CacheKey(this HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-litellm-cache-key", out IEnumerable<string>? values) ? values.Single() : null;
}
