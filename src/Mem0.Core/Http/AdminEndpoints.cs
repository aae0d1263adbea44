using System.Text.Json.Serialization;
using Mem0.Core.Common;
using Mem0.Core.Projects;
using Microsoft.AspNetCore.Http;

namespace Mem0.Core.Http;

/// <summary>
/// Ours, beyond the platform: project and API key management, guarded by the admin key
/// (<c>Authorization: Admin &lt;key&gt;</c> or <c>X-Mem0-Admin-Key</c>). A new key is shown once; only its hash is kept.
/// </summary>
public static class AdminEndpoints
{
    public const string AdminHeader = "X-Mem0-Admin-Key";

    public static Task<IResult> CreateProjectAsync(HttpRequest request, Mem0ApiServices services) =>
        RunAsync(request, services, async ct =>
        {
            var body = (await JsonBody.ReadAsync(request)).Bind<CreateProjectBody>();
            var project = await services.Projects.CreateAsync(body.ToDraft(), ct);
            return EndpointRunner.Json(ProjectDto.From(project), StatusCodes.Status201Created);
        });

    public static Task<IResult> ListProjectsAsync(HttpRequest request, Mem0ApiServices services) =>
        RunAsync(request, services, async ct =>
        {
            var projects = await services.Projects.ListAsync(ct);
            return EndpointRunner.Json(projects.Select(ProjectDto.From).ToList());
        });

    public static Task<IResult> CreateApiKeyAsync(HttpRequest request, string projectId, Mem0ApiServices services) =>
        RunAsync(request, services, async ct =>
        {
            var id = RequestParsing.DecodeSegment(projectId, "project_id");
            var body = (await JsonBody.ReadAsync(request)).Bind<CreateApiKeyBody>();
            var (record, key) = await services.Projects.CreateApiKeyAsync(id, body.Name, ct);
            return EndpointRunner.Json(new CreatedApiKeyDto(ApiKeyDto.From(record), key), StatusCodes.Status201Created);
        });

    public static Task<IResult> ListApiKeysAsync(HttpRequest request, string projectId, Mem0ApiServices services) =>
        RunAsync(request, services, async ct =>
        {
            var keys = await services.Projects.ListApiKeysAsync(RequestParsing.DecodeSegment(projectId, "project_id"), ct);
            return EndpointRunner.Json(keys.Select(ApiKeyDto.From).ToList());
        });

    public static Task<IResult> RevokeApiKeyAsync(HttpRequest request, string projectId, string keyId, Mem0ApiServices services) =>
        RunAsync(request, services, async ct =>
        {
            var project = RequestParsing.DecodeSegment(projectId, "project_id");
            await services.Projects.RevokeApiKeyAsync(project, RequestParsing.DecodeSegment(keyId, "key_id"), ct);
            return EndpointRunner.Json(new MessageDto("API key revoked"));
        });

    /// <summary>True when the request carries the configured admin key.</summary>
    public static bool IsAdmin(HttpRequest request, AdminOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        if (options.EffectiveHash is not { } expected)
        {
            return false;
        }

        var presented = request.Headers[AdminHeader].ToString();
        if (presented.Length == 0)
        {
            var authorization = request.Headers.Authorization.ToString().Trim();
            if (authorization.StartsWith("Admin ", StringComparison.OrdinalIgnoreCase))
            {
                presented = authorization["Admin ".Length..].Trim();
            }
        }

        return presented.Length > 0 && ApiKeys.HashesEqual(ApiKeys.Hash(presented), expected);
    }

    private static Task<IResult> RunAsync(HttpRequest request, Mem0ApiServices services, Func<CancellationToken, Task<IResult>> body) =>
        EndpointRunner.RunAnonymousAsync(request, ErrorKey.Error, ct =>
        {
            if (!services.Admin.IsEnabled)
            {
                throw new UnauthorizedException("The admin API is disabled: set Mem0:Admin:KeyHash (or Mem0:Admin:Key locally).", forbidden: true);
            }

            if (!IsAdmin(request, services.Admin))
            {
                throw new UnauthorizedException($"Invalid admin key. Send it as 'Authorization: Admin <key>' or '{AdminHeader}: <key>'.");
            }

            return body(ct);
        });
}

/// <summary>The body of <c>POST /admin/projects</c>; every field is optional (the service fills defaults).</summary>
internal sealed record CreateProjectBody
{
    [JsonPropertyName("name"), Wire(WireShape.LenientString, "name")]
    public string? Name { get; init; }

    [JsonPropertyName("org_id"), Wire(WireShape.LenientString, "org_id")]
    public string? OrgId { get; init; }

    [JsonPropertyName("project_id"), Wire(WireShape.LenientString, "project_id")]
    public string? ProjectId { get; init; }

    [JsonPropertyName("description"), Wire(WireShape.LenientString, "description")]
    public string? Description { get; init; }

    [JsonPropertyName("owner_email"), Wire(WireShape.LenientString, "owner_email")]
    public string? OwnerEmail { get; init; }

    public ProjectDraft ToDraft() => new(Name, OrgId, ProjectId, Description, OwnerEmail);
}

/// <summary>The body of <c>POST /admin/projects/{id}/keys</c>.</summary>
internal sealed record CreateApiKeyBody
{
    [JsonPropertyName("name"), Wire(WireShape.LenientString, "name")]
    public string? Name { get; init; }
}

/// <summary>An API key as listed: never the secret, never the hash.</summary>
public sealed record ApiKeyDto(string Id, string Name, string Prefix, string OrgId, string ProjectId, string CreatedAt, string? RevokedAt)
{
    public static ApiKeyDto From(ApiKeyRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new ApiKeyDto(record.Id, record.Name, record.Prefix, record.OrgId, record.ProjectId,
            Mem0Json.FormatTimestamp(record.CreatedAt), Mem0Json.FormatTimestamp(record.RevokedAt));
    }
}

/// <summary>A newly created key: the only response that ever contains the secret.</summary>
public sealed record CreatedApiKeyDto(ApiKeyDto ApiKey, string Key);
