using System;

namespace LlmCache;

/// <summary>
/// Marks the parameter whose text a semantic cache type embeds: a <c>string</c>, or Microsoft.Extensions.AI chat
/// messages (a list or an array of <c>ChatMessage</c>, whose last user message's text is embedded). Needed only when
/// the method has more than one such parameter; a semantic method with none is LLMC0014 at compile time. The
/// parameter stays in the exact key; the other key inputs form the scope a semantic hit never crosses.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class SemanticKeyAttribute : Attribute
{
}
