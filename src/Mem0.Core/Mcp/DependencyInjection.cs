using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;

namespace Mem0.Core.Mcp;

public static class DependencyInjection
{
    /// <summary>Instructions the server gives clients at initialize: what the tools are for and how scope works.</summary>
    internal const string Instructions =
        "Long-term memory. Use search_memories before answering questions about the user, add_memories to remember durable facts " +
        "and preferences, and update/delete tools to correct them. Memories belong to a user_id, agent_id, app_id or run_id; " +
        "when the connection pins one (X-Mem0-User-Id header or ?user_id=), tools use it unless an argument says otherwise.";

    /// <summary>
    /// The MCP server (Streamable HTTP, stateless: any instance can answer any request) with the memory tools. Needs
    /// <see cref="Http.DependencyInjection.AddMem0Api"/> (API keys, the application services). Hosts serve it with
    /// <see cref="MapMem0Mcp"/> or a trigger that calls <see cref="McpEndpoint.HandleAsync"/>.
    /// </summary>
    public static IServiceCollection AddMem0Mcp(this IServiceCollection services)
    {
        services.AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation
                {
                    Name = "mem0",
                    Title = "Mem0 memory",
                    Version = typeof(DependencyInjection).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0.0",
                };
                options.ServerInstructions = Instructions;
            })
            .WithHttpTransport(transport => transport.Stateless = true)
            .WithTools<MemoryTools>()
            .WithRequestFilters(filters => filters.AddCallToolFilter(McpToolErrors.Filter));
        services.AddSingleton<McpEndpoint>();
        return services;
    }

    /// <summary>Maps <see cref="McpEndpoint.Path"/> (kept out of the OpenAPI document: it is JSON-RPC, not REST).</summary>
    public static IEndpointConventionBuilder MapMem0Mcp(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // Resolved per request, not here: building the endpoint opens the stores, which must wait for the host's start checks.
        return endpoints.MapMethods(
                McpEndpoint.Path,
                McpEndpoint.Methods,
                httpContext => httpContext.RequestServices.GetRequiredService<McpEndpoint>().HandleAsync(httpContext))
            .WithName("Mcp")
            .ExcludeFromDescription();
    }
}
