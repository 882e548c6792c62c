using System;
using System.IO;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

// ProxyFloor PORT BODY.json: POST /v1/chat/completions reads the request's body, as any endpoint that takes one
// does, and answers BODY.json's bytes, as the proxy answers a cached hit. It is also the upstream the proxy fills
// its cache from, so both serve the same bytes.
int port = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
byte[] body = File.ReadAllBytes(args[1]);
WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseKestrel(k =>
{
    k.AddServerHeader = false;
    k.Listen(IPAddress.Loopback, port);
});
WebApplication app = builder.Build();
app.MapPost("/v1/chat/completions", async context =>
{
    await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
    context.Response.ContentType = "application/json";
    context.Response.ContentLength = body.Length;
    await context.Response.Body.WriteAsync(body, context.RequestAborted);
});
Console.WriteLine($"ProxyFloor listening on http://127.0.0.1:{port}");
app.Run();
