using System;

namespace LlmCache.Proxy;

/// <summary>A mistake in the command line, config.yaml or the environment that stops the proxy before it listens; the message names the key and, for config.yaml, the line.</summary>
public sealed class ProxyStartupException : Exception
{
    /// <summary>Creates the exception with the message shown to the operator.</summary>
    public ProxyStartupException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the message shown to the operator and what caused it.</summary>
    public ProxyStartupException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
