using Mem0.Core.Webhooks;

namespace Mem0.Core.Tests.Webhooks;

public class WebhookSignerTests
{
    private static readonly DateTimeOffset Now = new(2025, 5, 6, 7, 8, 9, TimeSpan.Zero);

    [Fact]
    public void Sign_ThenVerify_RoundTrips()
    {
        var secret = WebhookSigner.CreateSecret();
        var header = WebhookSigner.Sign(secret, Now, "{\"a\":1}");

        Assert.True(WebhookSigner.Verify(secret, header, "{\"a\":1}", Now.AddSeconds(30)));
    }

    [Fact]
    public void Sign_Always_HasTimestampAndHexV1()
    {
        var header = WebhookSigner.Sign("whsec_test", Now, "body");

        Assert.Matches($"^t={Now.ToUnixTimeSeconds()},v1=[0-9a-f]{{64}}$", header);
    }

    [Fact]
    public void Sign_KnownInput_MatchesIndependentHmac()
    {
        var header = WebhookSigner.Sign("whsec_test", Now, "body");
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes("whsec_test"),
            System.Text.Encoding.UTF8.GetBytes($"{Now.ToUnixTimeSeconds()}.body")));

        Assert.EndsWith("v1=" + expected, header, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_TamperedBody_ReturnsFalse()
    {
        var header = WebhookSigner.Sign("whsec_a", Now, "{\"a\":1}");

        Assert.False(WebhookSigner.Verify("whsec_a", header, "{\"a\":2}", Now));
    }

    [Fact]
    public void Verify_WrongSecret_ReturnsFalse()
    {
        var header = WebhookSigner.Sign("whsec_a", Now, "body");

        Assert.False(WebhookSigner.Verify("whsec_b", header, "body", Now));
    }

    [Fact]
    public void Verify_OutsideTolerance_ReturnsFalse()
    {
        var header = WebhookSigner.Sign("whsec_a", Now, "body");

        Assert.False(WebhookSigner.Verify("whsec_a", header, "body", Now.AddMinutes(6)));
        Assert.True(WebhookSigner.Verify("whsec_a", header, "body", Now.AddMinutes(6), TimeSpan.FromMinutes(10)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("v1=abc")]
    [InlineData("t=notanumber,v1=abc")]
    public void Verify_MalformedHeader_ReturnsFalse(string? header)
    {
        Assert.False(WebhookSigner.Verify("whsec_a", header, "body", Now));
    }

    [Fact]
    public void CreateSecret_TwoCalls_DifferAndArePrefixed()
    {
        var a = WebhookSigner.CreateSecret();
        var b = WebhookSigner.CreateSecret();

        Assert.NotEqual(a, b);
        Assert.StartsWith("whsec_", a, StringComparison.Ordinal);
        Assert.True(a.Length >= 40);
    }
}
