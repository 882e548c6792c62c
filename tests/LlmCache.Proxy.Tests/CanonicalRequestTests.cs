using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace LlmCache.Proxy.Tests;

/// <summary>
/// The canonical body in a key is a stored format: entries already in Redis, S3 or on disk are found only while the
/// same request gives the same bytes. These golden values were written by the version that parsed the body with
/// <see cref="JsonDocument"/> before the single-pass reader took its place.
/// </summary>
public sealed class CanonicalRequestTests
{
    private static readonly HashSet<string> ChatNotInKey = ["cache", "model", "stream", "user", "metadata", "store"];

    public static TheoryData<string, string> Golden() => new()
    {
        { """{"del":"a\u007fb","ctl":"\u001f","emoji\ud83d\ude00":"x","long":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}""",
          """{"ctl":"\u001F","del":"a\u007Fb","emoji\uD83D\uDE00":"x","long":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}""" },
        { """{"cache":{"no-cache":true},"model":"m","stream":true,"user":"u","metadata":{"a":1},"store":true,"kept":[[],{}]}""",
          """{"kept":[[],{}]}""" },
        { """{"z":{"y":{"x":true,"w":null,"v":false}},"a":"plain","b":"esc\u00e9\"\\\n\t\u0001\u2028","c":"é€😀<>&'+`"}""",
          """{"a":"plain","b":"escé\"\\\n\t\u0001\u2028","c":"é€\uD83D\uDE00<>&'+`","z":{"y":{"v":false,"w":null,"x":true}}}""" },
        { """{"x_\u00e9":1,"x_é":2,"\u006dodel":"m","x_a":3,"é":4,"Z":5,"a\"b":6,"a\\b":7,"\u00e9a":8,"":9}""",
          """{"":9,"Z":5,"a\"b":6,"a\\b":7,"x_a":3,"x_é":1,"x_é":2,"é":4,"éa":8}""" },
        { """{ "b" : 1.0 , "a" : [ 1, 1.50, 1e2, 7e-1, -0, 0.0, 1E+2, 12345678901234567890123456789, 1e300, -2.5e-400, 100 ] }""",
          """{"a":[1,1.5,100,0.7,0,0,100,12345678901234567890123456789,1E+300,0,100],"b":1}""" },
        { """{"dup":1,"dup":2,"a":{"k":"v1","k":"v0"}}""",
          """{"a":{"k":"v1","k":"v0"},"dup":1,"dup":2}""" },
        { """{"model":"m","messages":[{"role":"user","content":"write a poem about litellm!"}],"temperature":0.7}""",
          """{"messages":[{"content":"write a poem about litellm!","role":"user"}],"temperature":0.7}""" },
    };

    [Theory]
    [MemberData(nameof(Golden))]
    public void TheCanonicalBody_IsTheOneThePreviousVersionWrote(string json, string canonical)
    {
        byte[] bytes = CanonicalRequest.KeyBytes(Encoding.UTF8.GetBytes(json), ChatNotInKey);

        Assert.Equal(canonical, Encoding.UTF8.GetString(bytes));
    }

    [Theory]
    [InlineData("""{"model":"a","stream":false,"cache":{"ttl":1},"model":"b","stream":true,"cache":null}""", "b", true, "null")]
    [InlineData("""{"\u006dodel":"m","cache":{"no-cache" : true}}""", "m", false, """{"no-cache" : true}""")]
    [InlineData("""{"model":1,"stream":"yes"}""", null, false, "")]
    public void TheFieldsTheProxyReads_AreTheLastOfTheirName(string json, string? model, bool stream, string cache)
    {
        var output = new PooledBytes();
        try
        {
            RequestFields fields = CanonicalRequest.Read(Encoding.UTF8.GetBytes(json), ChatNotInKey, ref output);

            Assert.True(fields.IsObject);
            Assert.Equal(model, fields.Model);
            Assert.Equal(stream, fields.Stream);
            Assert.Equal(cache, Encoding.UTF8.GetString(fields.Cache.Span));
            Assert.Equal("{}", Encoding.UTF8.GetString(output.WrittenSpan));
        }
        finally
        {
            output.Dispose();
        }
    }

    [Theory]
    [InlineData("[1, 2")]
    [InlineData("{\"a\": 1} x")]
    [InlineData("{\"a\": [1,]}")]
    [InlineData("")]
    public void MalformedJson_IsAJsonException_WhereverTheErrorIs(string json)
    {
        Assert.ThrowsAny<JsonException>(() => CanonicalRequest.KeyBytes(Encoding.UTF8.GetBytes(json), ChatNotInKey));
    }
}
