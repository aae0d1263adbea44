using Mem0.Core.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Mem0.Core.Tests.AI;

/// <summary>Builds a bare host with "Mem0:AI" settings, the way the Server and Functions hosts call AddMem0AI.</summary>
internal static class AiHostFactory
{
    public static IHost Build(IDictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddMem0AI();
        return builder.Build();
    }
}
