namespace Mem0.Azure.Jobs;

/// <summary>Where job payloads are staged in Azure (section <c>Mem0:Jobs</c>, shared with the Core job tuning).</summary>
public sealed class JobStorageOptions
{
    public const string SectionName = "Mem0:Jobs";

    /// <summary>Blob endpoint, e.g. <c>https://acct.blob.core.windows.net</c>; the app authenticates with its managed identity.</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary>Local only (Azurite): <c>UseDevelopmentStorage=true</c>. The container is then created when missing.</summary>
    public string? ConnectionString { get; set; }

    public string ContainerName { get; set; } = "imports";
}
