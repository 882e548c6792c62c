using System.Text.Json.Serialization;

[assembly: LlmCache.LlmCacheJsonContext(typeof(LlmCache.Chaos.Tests.ChaosJson))]

namespace LlmCache.Chaos.Tests;

/// <summary>The JSON serializer of <see cref="Reply"/>, which the remote stores need for a record result.</summary>
[JsonSerializable(typeof(Reply))]
public sealed partial class ChaosJson : JsonSerializerContext
{
}
