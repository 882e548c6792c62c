namespace LlmCache;

/// <summary>
/// <see cref="Shared"/>, the runtime of types that hold none. Its messages say so: a type that holds no runtime in
/// an app that configured one with <c>AddLlmCache</c> reaches an unconfigured Shared, and a missing store there is
/// that mistake, not a missing registration (docs/architecture.md, "Which runtime a type uses").
/// </summary>
public sealed partial class LlmCacheRuntime
{
    private const string SharedCause =
        " This call went to LlmCacheRuntime.Shared: the type that declares the method holds no LlmCacheRuntime (or the one it holds is null), " +
        "and AddLlmCache does not configure Shared. Add a constructor parameter 'LlmCacheRuntime runtime' to the type to use the container's runtime, " +
        "or configure Shared itself with LlmCacheRuntime.Shared.Update(...).";

    private static LlmCacheRuntime CreateShared()
    {
        var shared = new LlmCacheRuntime();
        shared._state = new RuntimeState(shared._state.Options, previous: shared._state) { ProblemCause = SharedCause };
        return shared;
    }
}
