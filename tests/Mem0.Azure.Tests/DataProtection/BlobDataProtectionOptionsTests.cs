using System.ComponentModel.DataAnnotations;
using Mem0.Azure.DataProtection;

namespace Mem0.Azure.Tests.DataProtection;

public sealed class BlobDataProtectionOptionsTests
{
    private static List<ValidationResult> Validate(BlobDataProtectionOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    [Fact]
    public void Validate_NeitherUriNorConnectionString_FailsNamingTheSetting()
    {
        var error = Assert.Single(Validate(new BlobDataProtectionOptions()));

        Assert.Contains("Mem0:DataProtection:BlobServiceUri", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Uri_PassesWithDefaultContainer()
    {
        var options = new BlobDataProtectionOptions { BlobServiceUri = new Uri("https://acct.blob.core.windows.net") };

        Assert.Empty(Validate(options));
        Assert.Equal("dataprotection", options.ContainerName);
    }
}
