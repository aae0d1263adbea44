using Mem0.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mem0.Server.Tests.Hosting;

/// <summary>Issue 13: at Information the log says what the API does, not every request ASP.NET Core handled.</summary>
public sealed class ServerLogDefaultsTests
{
    [Theory]
    [InlineData("Microsoft.AspNetCore.Hosting.Diagnostics")]
    [InlineData("Microsoft.AspNetCore.Routing.EndpointMiddleware")]
    [InlineData("Microsoft.AspNetCore.Http.Result.ContentResult")]
    [InlineData("Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager")]
    public async Task Build_DefaultLevels_PerRequestFrameworkLinesAreBelowTheLog(string category)
    {
        await using var app = ServerApp.Build(["--Logging:LogLevel:Default=Information", "--urls", "http://127.0.0.1:0"]);
        var factory = app.Services.GetRequiredService<ILoggerFactory>();

        Assert.False(factory.CreateLogger(category).IsEnabled(LogLevel.Information));
        Assert.True(factory.CreateLogger(category).IsEnabled(LogLevel.Warning));
        Assert.True(factory.CreateLogger("Mem0.Core.Memories.MemoryService").IsEnabled(LogLevel.Information));
    }

    [Fact]
    public async Task Build_UserAsksForFrameworkLines_GetsThem()
    {
        await using var app = ServerApp.Build(
            ["--Logging:LogLevel:Default=Information", "--Logging:LogLevel:Microsoft.AspNetCore=Information", "--urls", "http://127.0.0.1:0"]);

        Assert.True(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Information));
    }
}
