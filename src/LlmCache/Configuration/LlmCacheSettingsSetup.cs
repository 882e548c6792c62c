using System;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace LlmCache;

/// <summary>Binds <see cref="LlmCacheSettings"/> from the section given to <c>AddLlmCache</c>, for <see cref="IOptionsMonitor{TOptions}"/>.</summary>
internal sealed class LlmCacheSettingsSetup(IConfiguration section) : IConfigureOptions<LlmCacheSettings>, IOptionsChangeTokenSource<LlmCacheSettings>
{
    /// <inheritdoc />
    public string Name => Options.DefaultName;

    /// <inheritdoc />
    public void Configure(LlmCacheSettings options) => options.Bind(section);

    /// <inheritdoc />
    public IChangeToken GetChangeToken() => section.GetReloadToken();
}
