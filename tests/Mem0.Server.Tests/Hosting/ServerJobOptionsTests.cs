using Mem0.Core.Jobs;
using Mem0.Local.Jobs;
using Mem0.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Mem0.Server.Tests.Hosting;

/// <summary>How the server runs jobs. The app is built, never started: nothing is written.</summary>
public sealed class ServerJobOptionsTests
{
    [Fact]
    public async Task Build_ImportConcurrencyNotConfigured_IsOne()
    {
        var app = ServerApp.Build(["--Logging:LogLevel:Default=Warning"]);
        await using (app)
        {
            Assert.Equal(1, app.Services.GetRequiredService<IOptions<JobsOptions>>().Value.ImportConcurrency);
        }
    }

    [Fact]
    public async Task Build_ImportConcurrencyConfigured_IsKept()
    {
        var app = ServerApp.Build(["--Logging:LogLevel:Default=Warning", "--Mem0:Jobs:ImportConcurrency=3"]);
        await using (app)
        {
            Assert.Equal(3, app.Services.GetRequiredService<IOptions<JobsOptions>>().Value.ImportConcurrency);
        }
    }

    [Fact]
    public async Task Build_JobsGoThroughTheSequentialLane()
    {
        var app = ServerApp.Build(["--Logging:LogLevel:Default=Warning"]);
        await using (app)
        {
            Assert.IsType<SequentialJobStarter>(app.Services.GetRequiredService<IJobStarter>());
        }
    }
}
