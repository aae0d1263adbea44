using Mem0.Core.Common;
using Mem0.Core.Projects;
using Microsoft.AspNetCore.Http;

namespace Mem0.Core.Http;

/// <summary>Project settings (contract §3.13): custom instructions and categories that adds use by default.</summary>
public static class ProjectEndpoints
{
    public static Task<IResult> GetAsync(HttpRequest request, string orgId, string projectId, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Message, async (caller, ct) =>
        {
            var project = await LoadAsync(caller, orgId, projectId, services, ct);
            return EndpointRunner.Json(ProjectDto.From(project));
        });

    public static Task<IResult> UpdateAsync(HttpRequest request, string orgId, string projectId, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Message, async (caller, ct) =>
        {
            var project = await LoadAsync(caller, orgId, projectId, services, ct);
            var body = await JsonBody.ReadAsync(request);
            var updated = project with
            {
                Name = body.GetString("name") is { Length: > 0 } name ? name : project.Name,
                Description = body.Has("description") ? body.GetString("description") : project.Description,
                CustomInstructions = body.Has("custom_instructions") ? body.GetString("custom_instructions") : project.CustomInstructions,
                AgentCustomInstructions = body.Has("agent_custom_instructions") ? body.GetString("agent_custom_instructions") : project.AgentCustomInstructions,
                CustomCategories = body.Has("custom_categories") ? RequestParsing.ParseCustomCategories(body.Get("custom_categories")) : project.CustomCategories,
                UpdatedAt = services.Now,
            };
            await services.Projects.UpdateProjectAsync(updated, ct);
            return EndpointRunner.Json(new MessageDto("Project updated successfully"));
        });

    /// <summary>A key only ever sees its own project: any other org/project id is "not found", never "forbidden".</summary>
    private static async Task<Project> LoadAsync(CallerContext caller, string orgId, string projectId, Mem0ApiServices services, CancellationToken ct)
    {
        var org = RequestParsing.DecodeSegment(orgId, "org_id");
        var id = RequestParsing.DecodeSegment(projectId, "project_id");
        if (org != caller.OrgId || id != caller.ProjectId)
        {
            throw new MemoryNotFoundException("Organization or project not found");
        }

        return await services.Projects.GetProjectAsync(id, ct)
            ?? throw new MemoryNotFoundException("Organization or project not found");
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
