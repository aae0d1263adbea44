using Azure.Core;

namespace Mem0.Azure.Tests.Identity;

/// <summary>Hands out a fixed token and records every scope asked for, so a test can tell which clients used it.</summary>
internal sealed class RecordingTokenCredential(string token, TimeSpan? lifetime = null) : TokenCredential
{
    private readonly List<string> _scopes = [];

    public IReadOnlyList<string> RequestedScopes
    {
        get
        {
            lock (_scopes)
            {
                return [.. _scopes];
            }
        }
    }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        lock (_scopes)
        {
            _scopes.AddRange(requestContext.Scopes);
        }

        return new AccessToken(token, lifetime is { } valid ? DateTimeOffset.UtcNow + valid : new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
