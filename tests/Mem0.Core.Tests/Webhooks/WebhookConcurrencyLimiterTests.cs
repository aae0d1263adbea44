using Mem0.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace Mem0.Core.Tests.Webhooks;

public sealed class WebhookConcurrencyLimiterTests
{
    [Fact]
    public void TryEnter_PerWebhookShare_OthersUnaffectedAndFreedOnExit()
    {
        var limiter = new WebhookConcurrencyLimiter(Options.Create(new WebhookOptions { MaxConcurrentDeliveriesPerWebhook = 2 }));

        Assert.True(limiter.TryEnter("slow"));
        Assert.True(limiter.TryEnter("slow"));
        Assert.False(limiter.TryEnter("slow"));
        Assert.True(limiter.TryEnter("fast"));
        Assert.Equal(["slow"], limiter.BusyWebhooks());

        limiter.Exit("slow");
        Assert.Empty(limiter.BusyWebhooks());
        Assert.True(limiter.TryEnter("slow"));
    }
}
