using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using LlmCache.Generators.Model;

namespace LlmCache.Generators;

/// <summary>
/// Writes the body of an embedding method cached per input: the key header and the other key inputs make a prefix,
/// and the runtime keys each input after it, serves what it holds and sends the rest to the implementation in one batch.
/// </summary>
internal static class EmbeddingMethodEmitter
{
    public static void EmitMethod(IndentedWriter w, CachedMethodSpec spec, string generatedCode)
    {
        EmbeddingSpec embedding = spec.Embedding!;
        string parameters = string.Join(", ", spec.Parameters.Select((p, i) =>
            $"{(i == 0 && spec.IsExtension ? "this " : string.Empty)}{(p.IsParams ? "params " : string.Empty)}{p.Modifier}{p.Type} {LlmCachedMethodEmitter.Escape(p.Name)}"));
        var names = new LlmCachedMethodEmitter.Locals(spec.TakenNames);
        string runtime = names.Take("__llmRuntime");
        string method = names.Take("__llmMethod");
        string size = names.Take("__llmSize");
        string writer = names.Take("__llmWriter");
        string prefix = names.Take("__llmPrefix");
        string state = names.Take("__llmState");
        string missing = names.Take("__llmMissing");
        string token = names.Take("__llmToken");
        string unkeyed = names.Take("__llmUnkeyed");
        ParameterSpec? control = spec.Parameters.FirstOrDefault(p => p.Role == ParameterRole.CacheControl);
        ParameterSpec? cancellationToken = spec.Parameters.FirstOrDefault(p => p.Role == ParameterRole.CancellationToken);
        string controlName = control is null ? names.Take("__llmControl") : LlmCachedMethodEmitter.Escape(control.Name);
        string keyArguments = string.Join(", ", spec.Parameters.Where(p => p.Role == ParameterRole.Key).Select(p => LlmCachedMethodEmitter.Escape(p.Name)));
        string keyClass = LlmCachedMethodEmitter.SelfType(spec) + "." + spec.KeyClassName;
        string implementation = (spec.IsStatic ? LlmCachedMethodEmitter.SelfType(spec) : "this") + "." + LlmCachedMethodEmitter.Escape(spec.ImplementationName);
        string directCall = LlmCachedMethodEmitter.DirectCall(spec with { ResultType = embedding.ResultsType }, implementation);

        w.Line(generatedCode);
        w.Open($"{spec.Modifiers} {spec.ReturnType} {LlmCachedMethodEmitter.Escape(spec.MethodName)}({parameters})");
        if (control is null)
        {
            w.Line($"global::LlmCache.CacheControl {controlName} = default;");
        }

        w.Line($"global::LlmCache.LlmCacheRuntime {runtime} = {spec.RuntimeExpression};");
        w.Line($"global::LlmCache.CachedMethod<{spec.ResultType}> {method} = {keyClass}.Method;");
        w.Open($"if (!{runtime}.ShouldCache({method}, in {controlName}))");
        w.Line($"return {directCall};");
        w.Close();
        w.Line();
        if (KeyBuilderEmitter.ChecksRuntimeTypes(spec))
        {
            w.Open($"if ({keyClass}.{KeyBuilderEmitter.FindUnkeyedTypeMethod}({keyArguments}) is {{ }} {unkeyed})");
            w.Line($"{runtime}.BypassUnkeyedType({method}, in {controlName}, {unkeyed}.Declared, {unkeyed}.Actual);");
            w.Line($"return {directCall};");
            w.Close();
            w.Line();
        }

        w.Line($"int {size} = {runtime}.GetKeyHeaderSize({method}, in {controlName}) + {keyClass}.GetMaxKeySize({keyArguments});");
        // Stack memory only for a key that fits: the runtime zeroes a stackalloc, which a larger key would not use.
        w.Line($"global::LlmCache.CacheKeyWriter {writer} = new global::LlmCache.CacheKeyWriter({size} <= 1024 ? stackalloc byte[1024] : default(global::System.Span<byte>), {size});");
        w.Line($"byte[] {prefix};");
        w.Open("try");
        w.Line($"{runtime}.WriteKeyHeader(ref {writer}, {method}, in {controlName});");
        w.Line($"{keyClass}.WriteKey(ref {writer}{(keyArguments.Length == 0 ? string.Empty : ", " + keyArguments)});");
        w.Line($"{prefix} = {writer}.WrittenSpan.ToArray();");
        w.Close();
        w.Open("finally");
        w.Line($"{writer}.Dispose();");
        w.Close();
        w.Line();

        // The implementation's arguments: the missing inputs in the parameter's type, the shared call's token, and the
        // other parameters carried in the state tuple (the instance first).
        List<ParameterSpec> carried = spec.Parameters
            .Where(p => p.Role is not (ParameterRole.CacheControl or ParameterRole.CancellationToken or ParameterRole.EmbeddingInputs))
            .ToList();
        string stateValue = LlmCachedMethodEmitter.StateValue(spec, carried);

        int item = spec.IsStatic ? 1 : 2;
        var arguments = new List<string>();
        foreach (ParameterSpec parameter in spec.Parameters.Where(p => p.Role != ParameterRole.CacheControl))
        {
            arguments.Add(parameter.Role switch
            {
                ParameterRole.CancellationToken => token,
                ParameterRole.EmbeddingInputs => string.Format(CultureInfo.InvariantCulture, embedding.Conversion, missing),
                _ => $"{state}.Item{(item++).ToString(CultureInfo.InvariantCulture)}",
            });
        }

        string target = spec.IsStatic ? implementation : $"{state}.Item1.{LlmCachedMethodEmitter.Escape(spec.ImplementationName)}";
        string call = $"{target}({string.Join(", ", arguments)})";
        string factory = spec.ImplementationKind == ReturnKind.ValueTask ? call : $"new global::System.Threading.Tasks.ValueTask<{embedding.ResultsType}>({call})";
        string cancellation = cancellationToken is null ? "global::System.Threading.CancellationToken.None" : LlmCachedMethodEmitter.Escape(cancellationToken.Name);
        string pending = $"{runtime}.GetOrCreateEmbeddingsAsync({method}, {controlName}, {prefix}, {LlmCachedMethodEmitter.Escape(embedding.InputsParameter)}, " +
            $"global::LlmCache.LlmCacheRuntime.StringEmbeddingInput, {stateValue}, static ({state}, {missing}, {token}) => {factory}, {cancellation})";
        w.Line("return " + (spec.ReturnKind == ReturnKind.Task ? pending + ".AsTask()" : pending) + ";");
        w.Close();
    }
}
