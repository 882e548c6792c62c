using System.Text.Json;

namespace LlmCache.AI;

/// <summary>
/// The JSON names of a stored <see cref="Microsoft.Extensions.AI.ChatResponse"/>, MEAI's own: part of the payload format,
/// shared by the direct writer (<see cref="ChatResponseJsonWriter"/>), the direct reader (<see cref="ChatResponseSerializer"/>)
/// and the check that MEAI's metadata still uses them.
/// </summary>
internal static class ChatResponseJsonNames
{
    public static readonly JsonEncodedText Messages = JsonEncodedText.Encode("messages");
    public static readonly JsonEncodedText ResponseId = JsonEncodedText.Encode("responseId");
    public static readonly JsonEncodedText ConversationId = JsonEncodedText.Encode("conversationId");
    public static readonly JsonEncodedText ModelId = JsonEncodedText.Encode("modelId");
    public static readonly JsonEncodedText CreatedAt = JsonEncodedText.Encode("createdAt");
    public static readonly JsonEncodedText FinishReason = JsonEncodedText.Encode("finishReason");
    public static readonly JsonEncodedText Usage = JsonEncodedText.Encode("usage");
    public static readonly JsonEncodedText ContinuationToken = JsonEncodedText.Encode("continuationToken");
    public static readonly JsonEncodedText AdditionalProperties = JsonEncodedText.Encode("additionalProperties");
    public static readonly JsonEncodedText AuthorName = JsonEncodedText.Encode("authorName");
    public static readonly JsonEncodedText Role = JsonEncodedText.Encode("role");
    public static readonly JsonEncodedText Contents = JsonEncodedText.Encode("contents");
    public static readonly JsonEncodedText MessageId = JsonEncodedText.Encode("messageId");
    public static readonly JsonEncodedText TypeDiscriminator = JsonEncodedText.Encode("$type");
    public static readonly JsonEncodedText TextDiscriminator = JsonEncodedText.Encode("text");
    public static readonly JsonEncodedText Text = JsonEncodedText.Encode("text");
    public static readonly JsonEncodedText Annotations = JsonEncodedText.Encode("annotations");
    public static readonly JsonEncodedText InputTokenCount = JsonEncodedText.Encode("inputTokenCount");
    public static readonly JsonEncodedText OutputTokenCount = JsonEncodedText.Encode("outputTokenCount");
    public static readonly JsonEncodedText TotalTokenCount = JsonEncodedText.Encode("totalTokenCount");
    public static readonly JsonEncodedText CachedInputTokenCount = JsonEncodedText.Encode("cachedInputTokenCount");
    public static readonly JsonEncodedText ReasoningTokenCount = JsonEncodedText.Encode("reasoningTokenCount");
    public static readonly JsonEncodedText AdditionalCounts = JsonEncodedText.Encode("additionalCounts");
}
