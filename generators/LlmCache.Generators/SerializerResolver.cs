using System.Linq;
using LlmCache.Generators.Model;

namespace LlmCache.Generators;

/// <summary>
/// Chooses how a cached result is serialised for stores outside the process: string and byte[] as they are,
/// Microsoft.Extensions.AI types through their own JSON options, anything else through the method's or the
/// assembly's source-generated JSON context. A stream is stored as the list of its updates, each serialised as
/// its type would be (a byte[] update through the context). A remote cache type without one is a compile-time
/// error (LLMC0008).
/// </summary>
internal static class SerializerResolver
{
    public static ParseResult Resolve(ParseResult result, JsonContextInfo? assemblyContext)
    {
        if (result.Serializer is not { } request)
        {
            return result;
        }

        string? expression = request.Builtin;
        string? problem = null;
        JsonContextInfo? context = request.MethodContext ?? assemblyContext;
        if (expression is null && context is not null)
        {
            if (context.SerializableTypes.Contains(request.ResultType))
            {
                string serializers = request.IsStream ? "global::LlmCache.CacheStreamSerializer" : "global::LlmCache.CacheValueSerializer";
                expression = $"{serializers}.Json<{request.ResultType}>({context.Type}.Default)";
            }
            else
            {
                problem = $"'{context.Type}' has no [JsonSerializable(typeof({request.ResultType}))]; add it";
            }
        }
        else if (expression is null)
        {
            problem = "name a JsonSerializerContext that lists it, in [LlmCached(JsonContext = typeof(MyContext))] or once per assembly with [assembly: LlmCacheJsonContext(typeof(MyContext))]";
        }

        if (problem is not null && request.IsRemote)
        {
            var diagnostic = new DiagnosticInfo(
                DiagnosticDescriptors.NoJsonTypeInfoId,
                request.Location,
                new EquatableArray<string>(new[] { request.MethodName, request.ResultType.Replace("global::", string.Empty), request.CacheTypeName, problem.Replace("global::", string.Empty) }));
            return result with { Spec = null, Diagnostics = result.Diagnostics.Concat(new[] { diagnostic }).ToEquatableArray() };
        }

        return result.Spec is null || expression is null ? result : result with { Spec = result.Spec with { SerializerExpression = expression } };
    }
}
