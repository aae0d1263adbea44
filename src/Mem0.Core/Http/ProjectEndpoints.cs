using Mem0.Core.Projects;
using Microsoft.AspNetCore.Http;

namespace Mem0.Core.Http;

/// <summary>Project settings (contract §3.13): custom instructions and categories that adds use by default.</summary>
public static class ProjectEndpoints
{
    public static Task<IResult> GetAsync(HttpRequest request, string orgId, string projectId, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Message, async (caller, ct) =>
        {
            var project = await services.Projects.GetAsync(OwnProject(caller, orgId, projectId), ct);
            return EndpointRunner.Json(ProjectDto.From(project));
        });

    public static Task<IResult> UpdateAsync(HttpRequest request, string orgId, string projectId, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Message, async (caller, ct) =>
        {
            var id = OwnProject(caller, orgId, projectId);
            var body = await JsonBody.ReadAsync(request);
            var update = body.Bind<ProjectSettingsBody>().ToUpdate();
            await services.Projects.UpdateSettingsAsync(id, update, ct);
            return EndpointRunner.Json(new MessageDto("Project updated successfully"));
        });

    /// <summary>The project id of the path when it is the caller's own; any other org/project is "not found", never "forbidden".</summary>
    private static string OwnProject(CallerContext caller, string orgId, string projectId)
    {
        var org = RequestParsing.DecodeSegment(orgId, "org_id");
        var id = RequestParsing.DecodeSegment(projectId, "project_id");
        return org == caller.OrgId && id == caller.ProjectId ? id : throw ProjectService.NotFound();
    }
}

/// <summary>The project object; platform-only settings are returned with neutral values.</summary>
public sealed record ProjectDto(
    string OrgId,
    string ProjectId,
    string Name,
    string? Description,
    string CreatedAt,
    string UpdatedAt,
    IReadOnlyList<ProjectMemberDto> Members,
    IReadOnlyList<Dictionary<string, string>>? CustomCategories,
    string? CustomInstructions,
    string? AgentCustomInstructions,
    bool EnableGraph,
    bool Multilingual,
    string Version,
    bool IsDefault,
    string UserRole)
{
    public static ProjectDto From(Project project)
    {
        ArgumentNullException.ThrowIfNull(project);
        return new ProjectDto(
            project.OrgId,
            project.ProjectId,
            project.Name,
            project.Description,
            Mem0Json.FormatTimestamp(project.CreatedAt),
            Mem0Json.FormatTimestamp(project.UpdatedAt),
            [new ProjectMemberDto(project.OwnerEmail, "OWNER", project.OwnerEmail)],
            project.CustomCategories?.Select(c => new Dictionary<string, string> { [c.Name] = c.Description }).ToList(),
            project.CustomInstructions,
            project.AgentCustomInstructions,
            false,
            false,
            "v3",
            project.ProjectId == ProjectBootstrapper.DefaultProjectId,
            "OWNER");
    }
}

public sealed record ProjectMemberDto(string Username, string Role, string Email);
