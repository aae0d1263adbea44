using System.Security.Claims;
using Mem0.Core.Http;
using Mem0.Core.Memories;
using Microsoft.AspNetCore.Http;

namespace Mem0.Core.Mcp;

/// <summary>
/// Who calls a tool: the project behind the API key, and the default scope the connection pinned (headers or query
/// parameters). It travels to the tools as the request's <see cref="ClaimsPrincipal"/>, which the MCP SDK hands to every
/// tool call, so both hosts and every session mode see the same caller without an HttpContext accessor.
/// </summary>
public sealed record McpCaller(CallerContext Caller, MemoryScope DefaultScope)
{
    /// <summary>The authentication type of the principal; a principal without it was not made by <see cref="McpEndpoint"/>.</summary>
    public const string AuthenticationType = "Mem0ApiKey";

    /// <summary>Header names that pin a connection's default scope (query parameters use the scope field names).</summary>
    public static IReadOnlyList<(string Header, string Query)> ScopeSources { get; } =
    [
        ("X-Mem0-User-Id", "user_id"),
        ("X-Mem0-Agent-Id", "agent_id"),
        ("X-Mem0-App-Id", "app_id"),
        ("X-Mem0-Run-Id", "run_id"),
    ];

    private const string OrgClaim = "mem0:org_id";
    private const string ProjectClaim = "mem0:project_id";
    private const string KeyClaim = "mem0:key_id";
    private const string ScopeClaimPrefix = "mem0:default_";

    /// <summary>The default scope of a request: each id from its header, else from its query parameter (blank = unset).</summary>
    public static MemoryScope DefaultScopeFrom(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? Read(int index)
        {
            var (header, query) = ScopeSources[index];
            var value = request.Headers[header].ToString();
            if (string.IsNullOrWhiteSpace(value))
            {
                value = request.Query[query].ToString();
            }

            return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        }

        return new MemoryScope(Read(0), Read(1), Read(2), Read(3));
    }

    public ClaimsPrincipal ToPrincipal()
    {
        var claims = new List<Claim>
        {
            new(OrgClaim, Caller.OrgId),
            new(ProjectClaim, Caller.ProjectId),
            new(KeyClaim, Caller.KeyId),

            // The SDK ties a stateful session to this claim; with one per key a session cannot change hands.
            new(ClaimTypes.NameIdentifier, Caller.KeyId),
        };
        AddScope(claims, "user_id", DefaultScope.UserId);
        AddScope(claims, "agent_id", DefaultScope.AgentId);
        AddScope(claims, "app_id", DefaultScope.AppId);
        AddScope(claims, "run_id", DefaultScope.RunId);
        return new ClaimsPrincipal(new ClaimsIdentity(claims, AuthenticationType));
    }

    /// <summary>The caller a tool runs for; throws when the endpoint's authentication did not run (a wiring bug, never input).</summary>
    public static McpCaller From(ClaimsPrincipal? principal)
    {
        var identity = principal?.Identities.FirstOrDefault(i => i.AuthenticationType == AuthenticationType)
            ?? throw new InvalidOperationException("No authenticated MCP caller: the request did not pass through McpEndpoint.");
        string? Find(string type) => identity.FindFirst(type)?.Value;
        var caller = new CallerContext(
            Find(OrgClaim) ?? throw new InvalidOperationException("The MCP caller has no org."),
            Find(ProjectClaim) ?? throw new InvalidOperationException("The MCP caller has no project."),
            Find(KeyClaim) ?? throw new InvalidOperationException("The MCP caller has no key id."));
        var scope = new MemoryScope(
            Find(ScopeClaimPrefix + "user_id"),
            Find(ScopeClaimPrefix + "agent_id"),
            Find(ScopeClaimPrefix + "app_id"),
            Find(ScopeClaimPrefix + "run_id"));
        return new McpCaller(caller, scope);
    }

    /// <summary>Each id from the tool's arguments when given, else the connection's default for it.</summary>
    public MemoryScope ScopeWith(string? userId, string? agentId, string? appId, string? runId) => new(
        Clean(userId) ?? DefaultScope.UserId,
        Clean(agentId) ?? DefaultScope.AgentId,
        Clean(appId) ?? DefaultScope.AppId,
        Clean(runId) ?? DefaultScope.RunId);

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static void AddScope(List<Claim> claims, string field, string? value)
    {
        if (value is not null)
        {
            claims.Add(new Claim(ScopeClaimPrefix + field, value));
        }
    }
}
