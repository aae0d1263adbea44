using Mem0.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace Mem0.Core.Tests.Webhooks;

public class WebhookRetryPolicyTests
{
    private static WebhookRetryPolicy Policy(double random) => new(
        Options.Create(new WebhookOptions { MaxAttempts = 4, InitialRetryDelay = TimeSpan.FromSeconds(10), MaxRetryDelay = TimeSpan.FromSeconds(60) }),
        () => random);

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(3, 40)]
    [InlineData(4, 60)]
    [InlineData(10, 60)]
    public void GetDelay_MaxJitter_DoublesUpToCap(int attempt, int seconds)
    {
        Assert.Equal(seconds, Policy(1.0).GetDelay(attempt).TotalSeconds, precision: 6);
    }

    [Fact]
    public void GetDelay_NoJitter_IsHalfTheStep()
    {
        Assert.Equal(20, Policy(0).GetDelay(3).TotalSeconds, precision: 6);
    }

    [Fact]
    public void CanRetry_LastAttempt_ReturnsFalse()
    {
        var policy = Policy(0.5);

        Assert.True(policy.CanRetry(3));
        Assert.False(policy.CanRetry(4));
    }
}
