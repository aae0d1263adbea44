using System.Text.Json.Serialization;
using Mem0.Core.AI;
using Microsoft.AspNetCore.Http;

namespace Mem0.Core.Http;

/// <summary><c>GET /v1/ping/</c>: the clients' key check. Both ids must be non-empty or the Python client cannot be built.</summary>
public static class PingEndpoints
{
    /// <param name="runtime">When given, the answer also says what the service runs with (<c>runtime</c>, an extra field clients ignore).</param>
    public static Task<IResult> PingAsync(HttpRequest request, Mem0ApiServices services, ServiceRuntime? runtime = null) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var project = await services.Projects.FindAsync(caller.ProjectId, ct);
            return EndpointRunner.Json(new PingDto("ok", caller.OrgId, caller.ProjectId, project?.OwnerEmail ?? "owner@localhost")
            {
                Runtime = runtime?.Describe(),
            });
        });
}

public sealed record PingDto(string Status, string OrgId, string ProjectId, string UserEmail)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RuntimeDescription? Runtime { get; init; }
}
