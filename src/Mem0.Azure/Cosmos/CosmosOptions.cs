using System.ComponentModel.DataAnnotations;

namespace Mem0.Azure.Cosmos;

/// <summary>Where the Cosmos DB account is and how the app may treat its containers ("Mem0:Cosmos").</summary>
public sealed class CosmosOptions
{
    public const string SectionName = "Mem0:Cosmos";

    /// <summary>Account endpoint, e.g. <c>https://myaccount.documents.azure.com:443/</c>.</summary>
    [Required(ErrorMessage = "Mem0:Cosmos:Endpoint is required (the Cosmos DB account endpoint).")]
    [Url(ErrorMessage = "Mem0:Cosmos:Endpoint must be an absolute http(s) URL.")]
    public string Endpoint { get; set; } = "";

    [Required]
    [MinLength(1)]
    public string DatabaseName { get; set; } = "mem0";

    /// <summary>Account key for local use only; when absent the client authenticates with the app's credential ("Mem0:Azure").</summary>
    public string? Key { get; set; }

    /// <summary>
    /// Creates the database and containers when missing. Requires a key or control-plane rights; with Entra data-plane
    /// access (Azure) keep it false and let the Bicep create them.
    /// </summary>
    public bool CreateIfMissing { get; set; }

    /// <summary>Overrides the vector index type of the layout file (DiskANN by default).</summary>
    public CosmosVectorIndexKind? VectorIndexType { get; set; }

    /// <summary>Overrides the embedding dimensions of the layout file; must match the embedding model.</summary>
    [Range(1, 4096)]
    public int? EmbeddingDimensions { get; set; }

    /// <summary>Wait before re-checking the layout after a failed check at start; doubled after each failure.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan StartupRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Upper bound of that wait (role assignments can take several minutes to apply after provisioning).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan StartupRetryMaxDelay { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Vector index types the memories container may use.</summary>
public enum CosmosVectorIndexKind
{
    DiskANN,
    QuantizedFlat,
    Flat,
}
