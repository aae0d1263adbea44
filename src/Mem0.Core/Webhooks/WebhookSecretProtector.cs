using Microsoft.AspNetCore.DataProtection;

namespace Mem0.Core.Webhooks;

/// <summary>
/// Encrypts signing secrets at rest with ASP.NET Core Data Protection; they must stay recoverable because
/// every delivery is signed with them (a hash would not do).
/// </summary>
public sealed class WebhookSecretProtector
{
    private const string Purpose = "Mem0.Webhooks.SigningSecret.v1";
    private readonly IDataProtector _protector;

    public WebhookSecretProtector(IDataProtectionProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _protector = provider.CreateProtector(Purpose);
    }

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
