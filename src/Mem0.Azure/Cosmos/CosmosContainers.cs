using Microsoft.Azure.Cosmos;

namespace Mem0.Azure.Cosmos;

/// <summary>The containers of the layout on the one shared <see cref="CosmosClient"/>. Container proxies are cheap and thread-safe.</summary>
public sealed class CosmosContainers
{
    public CosmosContainers(CosmosClient client, CosmosLayout layout)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(layout);
        Client = client;
        Layout = layout;
        Memories = client.GetContainer(layout.DatabaseName, CosmosContainerNames.Memories);
        History = client.GetContainer(layout.DatabaseName, CosmosContainerNames.History);
        Events = client.GetContainer(layout.DatabaseName, CosmosContainerNames.Events);
        Projects = client.GetContainer(layout.DatabaseName, CosmosContainerNames.Projects);
        ApiKeys = client.GetContainer(layout.DatabaseName, CosmosContainerNames.ApiKeys);
        Webhooks = client.GetContainer(layout.DatabaseName, CosmosContainerNames.Webhooks);
        WebhookDeliveries = client.GetContainer(layout.DatabaseName, CosmosContainerNames.WebhookDeliveries);
    }

    public CosmosClient Client { get; }

    public CosmosLayout Layout { get; }

    public Container Memories { get; }

    public Container History { get; }

    public Container Events { get; }

    public Container Projects { get; }

    public Container ApiKeys { get; }

    public Container Webhooks { get; }

    public Container WebhookDeliveries { get; }
}
