using System.ClientModel.Primitives;
using Azure.Core;

namespace Mem0.Azure.AI;

/// <summary>
/// Sets <c>Authorization: Bearer &lt;token&gt;</c> from the app's <see cref="TokenCredential"/> on every request (the
/// Azure.Identity credentials cache and refresh tokens themselves). Unlike System.ClientModel's BearerTokenPolicy it
/// allows plain http to a loopback address, so the real pipeline can be tested against a local fake server; any
/// other plain-http endpoint is refused, so a token never crosses the network unencrypted.
/// </summary>
internal sealed class EntraTokenPolicy(TokenCredential credential, string scope) : PipelinePolicy
{
    private readonly TokenRequestContext _context = new([scope]);

    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        ArgumentNullException.ThrowIfNull(message);
        EnsureProtected(message.Request.Uri);
        var token = credential.GetToken(_context, message.CancellationToken);
        message.Request.Headers.Set("Authorization", "Bearer " + token.Token);
        ProcessNext(message, pipeline, currentIndex);
    }

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        ArgumentNullException.ThrowIfNull(message);
        EnsureProtected(message.Request.Uri);
        var token = await credential.GetTokenAsync(_context, message.CancellationToken).ConfigureAwait(false);
        message.Request.Headers.Set("Authorization", "Bearer " + token.Token);
        await ProcessNextAsync(message, pipeline, currentIndex).ConfigureAwait(false);
    }

    private static void EnsureProtected(Uri? uri)
    {
        if (uri is not null && uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback)
        {
            throw new InvalidOperationException($"Refusing to send an Entra ID token over plain http to {uri.Host}; use the https endpoint.");
        }
    }
}
