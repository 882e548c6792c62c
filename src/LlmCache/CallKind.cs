namespace LlmCache;

/// <summary>
/// Which kind of model call a cached method or middleware makes, so that caching can be switched per kind
/// (LiteLLM's <c>supported_call_types</c>). The generator infers it from the method's return type; set
/// <see cref="LlmCachedAttribute.Kind"/> to override.
/// </summary>
public enum CallKind
{
    /// <summary>A chat (completion) call that returns one answer; also the kind of any result type not listed below.</summary>
    Chat = 0,

    /// <summary>A chat call whose answer arrives as a stream of updates (<c>IAsyncEnumerable&lt;T&gt;</c>).</summary>
    StreamingChat = 1,

    /// <summary>An embedding call (<c>Embedding&lt;T&gt;</c>, <c>GeneratedEmbeddings&lt;T&gt;</c>).</summary>
    Embedding = 2,

    /// <summary>A speech-to-text (transcription) call.</summary>
    SpeechToText = 3,
}
