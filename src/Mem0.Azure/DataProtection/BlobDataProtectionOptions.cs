using System.ComponentModel.DataAnnotations;

namespace Mem0.Azure.DataProtection;

/// <summary>Where the Data Protection key ring lives in Azure (section <c>Mem0:DataProtection</c>).</summary>
public sealed class BlobDataProtectionOptions : IValidatableObject
{
    public const string SectionName = "Mem0:DataProtection";

    /// <summary>Blob endpoint (Azure, managed identity), e.g. <c>https://acct.blob.core.windows.net</c>.</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary>Storage connection string (Azurite / local only); the container is created when missing.</summary>
    public string? ConnectionString { get; set; }

    [Required]
    public string ContainerName { get; set; } = "dataprotection";

    [Required]
    public string BlobName { get; set; } = "keys.xml";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BlobServiceUri is null && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult(
                $"Set {SectionName}:BlobServiceUri (or ConnectionString locally): without a shared key ring, webhook secrets "
                + "encrypted on one instance cannot be decrypted on another or after a restart.",
                [nameof(BlobServiceUri)]);
        }
    }
}
