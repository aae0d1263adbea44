using System.ClientModel.Primitives;
using Azure.Core;

namespace Mem0.Azure.AI;

/// <summary>
/// Sets <c>Authorization: Bearer &lt;token&gt;</c> from the app's <see cref="TokenCredential"/> on every request, reusing a
/// token until five minutes before it expires (developer credentials such as the Azure CLI do not cache; asking them
/// per call would start a process each time). Unlike System.ClientModel's BearerTokenPolicy it allows plain http to a
/// loopback address, so the real pipeline can be tested against a local fake server; any other plain-http endpoint
/// is refused, so a token never crosses the network unencrypted.
/// </summary>
internal sealed class EntraTokenPolicy(TokenCredential credential, string scope, TimeProvider? timeProvider = null) : PipelinePolicy
{
    private static readonly TimeSpan s_refreshBefore = TimeSpan.FromMinutes(5);

    private readonly TokenRequestContext _context = new([scope]);
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private volatile CachedToken? _token;

    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        ArgumentNullException.ThrowIfNull(message);
        EnsureProtected(message.Request.Uri);
        message.Request.Headers.Set("Authorization", "Bearer " + GetTokenAsync(message.CancellationToken, async: false).AsTask().GetAwaiter().GetResult());
        ProcessNext(message, pipeline, currentIndex);
    }

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        ArgumentNullException.ThrowIfNull(message);
        EnsureProtected(message.Request.Uri);
        message.Request.Headers.Set("Authorization", "Bearer " + await GetTokenAsync(message.CancellationToken, async: true).ConfigureAwait(false));
        await ProcessNextAsync(message, pipeline, currentIndex).ConfigureAwait(false);
    }

    private async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken, bool async)
    {
        if (_token is { } cached && cached.RefreshAt > _time.GetUtcNow())
        {
            return cached.Token;
        }

        if (async)
        {
            await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            _refresh.Wait(cancellationToken);
        }

        try
        {
            if (_token is { } current && current.RefreshAt > _time.GetUtcNow())
            {
                return current.Token;
            }

            var token = async
                ? await credential.GetTokenAsync(_context, cancellationToken).ConfigureAwait(false)
                : credential.GetToken(_context, cancellationToken);
            _token = new CachedToken(token.Token, token.ExpiresOn - s_refreshBefore);
            return token.Token;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private static void EnsureProtected(Uri? uri)
    {
        if (uri is not null && uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback)
        {
            throw new InvalidOperationException($"Refusing to send an Entra ID token over plain http to {uri.Host}; use the https endpoint.");
        }
    }

    /// <summary>One immutable snapshot, so readers never see a token with another token's expiry.</summary>
    private sealed record CachedToken(string Token, DateTimeOffset RefreshAt);
}
