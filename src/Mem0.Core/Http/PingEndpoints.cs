using Microsoft.AspNetCore.Http;

namespace Mem0.Core.Http;

/// <summary><c>GET /v1/ping/</c>: the clients' key check. Both ids must be non-empty or the Python client cannot be built.</summary>
public static class PingEndpoints
{
    public static Task<IResult> PingAsync(HttpRequest request, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var project = await services.Projects.FindAsync(caller.ProjectId, ct);
            return EndpointRunner.Json(new PingDto("ok", caller.OrgId, caller.ProjectId, project?.OwnerEmail ?? "owner@localhost"));
        });
}

public sealed record PingDto(string Status, string OrgId, string ProjectId, string UserEmail);
