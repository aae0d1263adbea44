using System.Net;
using Mem0.Core.Common;
using Mem0.Core.Webhooks;
using Mem0.Testing.Webhooks;

namespace Mem0.Core.Tests.Webhooks;

public class DestinationGuardTests
{
    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("10.255.255.255")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.254")]
    [InlineData("192.168.1.1")]
    [InlineData("127.0.0.1")]
    [InlineData("127.10.20.30")]
    [InlineData("169.254.169.254")]
    [InlineData("0.0.0.0")]
    [InlineData("100.64.0.1")]
    [InlineData("::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("fe80::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("2002:a00:1::")]
    [InlineData("224.0.0.1")]
    [InlineData("::")]
    public void Refusal_PrivateOrSpecialAddress_IsRefused(string address)
    {
        var guard = new DestinationGuard(new FakeHostResolver(), allowLoopback: false);

        Assert.NotNull(guard.Refusal(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("172.15.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700::1111")]
    [InlineData("::ffff:93.184.216.34")]
    public void Refusal_PublicAddress_IsAllowed(string address)
    {
        var guard = new DestinationGuard(new FakeHostResolver(), allowLoopback: false);

        Assert.Null(guard.Refusal(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("10.0.0.1", false)]
    [InlineData("169.254.169.254", false)]
    public void Refusal_DevelopmentMode_AllowsOnlyLoopback(string address, bool allowed)
    {
        var guard = new DestinationGuard(new FakeHostResolver(), allowLoopback: true);

        Assert.Equal(allowed, guard.Refusal(IPAddress.Parse(address)) is null);
    }

    [Theory]
    [InlineData("https://internal.example/hook", "10.1.2.3")]
    [InlineData("https://meta.example/hook", "169.254.169.254")]
    [InlineData("https://v6.example/hook", "fc00::5")]
    [InlineData("https://mixed.example/hook", "93.184.216.34", "192.168.0.10")]
    [InlineData("https://lo.example/hook", "127.0.0.1")]
    public async Task ValidateUrlAsync_HostResolvingToRefusedAddress_ThrowsOnUrl(string url, params string[] addresses)
    {
        var host = new Uri(url).Host;
        var guard = new DestinationGuard(new FakeHostResolver().Map(host, addresses), allowLoopback: false);

        var ex = await Assert.ThrowsAsync<ValidationException>(() => guard.ValidateUrlAsync(url));

        Assert.Equal("url", ex.Field);
        Assert.Contains("public addresses", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://10.0.0.1/hook")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://[::ffff:192.168.0.1]/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    public async Task ValidateUrlAsync_RefusedIpLiteral_Throws(string url)
    {
        var guard = new DestinationGuard(new FakeHostResolver(), allowLoopback: false);

        await Assert.ThrowsAsync<ValidationException>(() => guard.ValidateUrlAsync(url));
    }

    [Fact]
    public async Task ValidateUrlAsync_PublicHttpsHost_ReturnsUri()
    {
        var guard = new DestinationGuard(new FakeHostResolver().Map("hooks.example.com", "93.184.216.34"), allowLoopback: false);

        var uri = await guard.ValidateUrlAsync("https://hooks.example.com/in");

        Assert.Equal("https://hooks.example.com/in", uri.AbsoluteUri);
    }

    [Theory]
    [InlineData("http://hooks.example.com/in", false)]
    [InlineData("http://hooks.example.com/in", true)]
    [InlineData("http://127.0.0.1:9000/in", false)]
    [InlineData("ftp://hooks.example.com/in", true)]
    [InlineData("not a url", true)]
    [InlineData("https://user:pass@hooks.example.com/in", true)]
    public async Task ValidateUrlAsync_InsecureOrMalformed_Throws(string url, bool allowLoopback)
    {
        var guard = new DestinationGuard(new FakeHostResolver().Map("hooks.example.com", "93.184.216.34"), allowLoopback);

        var ex = await Assert.ThrowsAsync<ValidationException>(() => guard.ValidateUrlAsync(url));

        Assert.Equal("url", ex.Field);
    }

    [Fact]
    public async Task ValidateUrlAsync_HttpToLoopbackInDevelopment_IsAllowed()
    {
        var guard = new DestinationGuard(new FakeHostResolver().Map("localhost", "127.0.0.1", "::1"), allowLoopback: true);

        Assert.Equal(9000, (await guard.ValidateUrlAsync("http://127.0.0.1:9000/in")).Port);
        Assert.Equal("localhost", (await guard.ValidateUrlAsync("http://localhost:9000/in")).Host);
    }

    [Fact]
    public async Task ValidateUrlAsync_UnresolvableHost_Throws()
    {
        var guard = new DestinationGuard(new FakeHostResolver(), allowLoopback: false);

        var ex = await Assert.ThrowsAsync<ValidationException>(() => guard.ValidateUrlAsync("https://nowhere.example/in"));

        Assert.Contains("does not resolve", ex.Message, StringComparison.Ordinal);
    }
}
