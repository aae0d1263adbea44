using System.ComponentModel.DataAnnotations;

namespace Mem0.Core.Projects;

/// <summary>The admin key guarding project and API key management. Neither set = the admin API is disabled.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Mem0:Admin";

    /// <summary>Lower-case hex SHA-256 of the admin key (preferred: the secret itself is not in configuration).</summary>
    [RegularExpression("^[0-9a-fA-F]{64}$", ErrorMessage = "Mem0:Admin:KeyHash must be the 64-character hex SHA-256 of the admin key.")]
    public string? KeyHash { get; set; }

    /// <summary>The admin key in clear text (local use only).</summary>
    public string? Key { get; set; }

    public bool IsEnabled => !string.IsNullOrWhiteSpace(KeyHash) || !string.IsNullOrWhiteSpace(Key);

    /// <summary>The hash to compare presented keys against.</summary>
    public string? EffectiveHash =>
        !string.IsNullOrWhiteSpace(KeyHash) ? KeyHash.Trim().ToLowerInvariant()
        : !string.IsNullOrWhiteSpace(Key) ? ApiKeys.Hash(Key)
        : null;
}
