using System;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;

namespace LlmCache.Tests;

/// <summary>AddLlmCache registers one runtime that generated methods reach through their type's constructor parameter.</summary>
public sealed class DependencyInjectionTests
{
    [Fact]
    public async Task Services_share_the_registered_runtime()
    {
        using ServiceProvider provider = new ServiceCollection()
            .AddLlmCache(o => o.Namespace = "di-test")
            .Services.AddTransient<ChatService>()
            .BuildServiceProvider();

        ChatService first = provider.GetRequiredService<ChatService>();
        ChatService second = provider.GetRequiredService<ChatService>();
        await first.AskAsync("gpt-4o", new[] { new Message("user", "hi") }, 0f, 10);
        await second.AskAsync("gpt-4o", new[] { new Message("user", "hi") }, 0f, 10);

        Assert.Equal(1, first.Calls);
        Assert.Equal(0, second.Calls);
        Assert.Equal("di-test", provider.GetRequiredService<LlmCacheRuntime>().GetOptions().Namespace);
        Assert.Same(provider.GetRequiredService<LlmCacheRuntime>(), provider.GetRequiredService<LlmCacheRuntime>());
    }

    [Fact]
    public void Invalid_options_fail_when_the_runtime_is_resolved_with_the_setting_named()
    {
        using ServiceProvider provider = new ServiceCollection().AddLlmCache(o => o.DefaultTtl = TimeSpan.FromSeconds(-5)).Services.BuildServiceProvider();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => provider.GetRequiredService<LlmCacheRuntime>());
        Assert.Contains("LlmCache:DefaultTtl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disposing_the_container_disposes_the_runtime()
    {
        ServiceProvider provider = new ServiceCollection().AddLlmCache().Services.BuildServiceProvider();
        LlmCacheRuntime runtime = provider.GetRequiredService<LlmCacheRuntime>();
        Assert.False(runtime.IsDisposed);

        await provider.DisposeAsync();

        Assert.True(runtime.IsDisposed);
    }
}
