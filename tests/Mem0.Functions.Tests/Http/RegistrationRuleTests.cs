using Mem0.Core.Events;
using Mem0.Testing.Hosting;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Mem0.Functions.Tests.Http;

/// <summary>The Functions app names each adapter once, builds a validated container, and ships no test doubles.</summary>
public sealed class RegistrationRuleTests
{
    private static FunctionsApplicationBuilder Builder()
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(ProgramWiringTests.ValidSettings());
        builder.AddMem0Functions();
        return builder;
    }

    [Fact]
    public void AddMem0Functions_EveryPort_HasExactlyOneAdapter()
    {
        Assert.Empty(RegistrationRule.PortsNotRegisteredOnce(Builder().Services));
    }

    [Fact]
    public void Build_ValidSettings_ContainerValidates()
    {
        // Building is the check: the container is built with ValidateOnBuild and ValidateScopes.
        using var host = Builder().Build();

        Assert.NotNull(host.Services.GetRequiredService<IEventStore>());
    }

    [Fact]
    public void Build_WithoutAnEventStore_FailsNamingIt()
    {
        var builder = Builder();
        builder.Services.RemoveAll<IEventStore>();

        var error = Assert.ThrowsAny<Exception>(() => builder.Build());

        Assert.Contains(nameof(IEventStore), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FunctionsAssembly_HoldsNoTestDoubles()
    {
        Assert.Empty(RegistrationRule.TestDoubles(typeof(FunctionsApp).Assembly));
    }
}
