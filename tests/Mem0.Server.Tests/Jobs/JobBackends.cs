using Mem0.Testing.Jobs;

namespace Mem0.Server.Tests.Jobs;

/// <summary>The real server with <c>AzureWebJobsStorage</c> set to Azurite: jobs on the Durable Task Azure Storage provider, payloads in Blob storage.</summary>
public sealed class AzuriteServerFixture : ServerFixture
{
    protected override IEnumerable<string> ExtraArguments => string.IsNullOrWhiteSpace(Azurite.ConnectionString)
        ? []
        : [$"--AzureWebJobsStorage={Azurite.ConnectionString}", $"--Mem0:Jobs:TaskHub={Azurite.NewTaskHub()}"];
}

[CollectionDefinition(Name)]
public sealed class AzuriteServerCollection : ICollectionFixture<AzuriteServerFixture>
{
    public const string Name = "server on Azure Storage jobs";
}
