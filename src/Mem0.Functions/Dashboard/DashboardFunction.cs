using Mem0.Core.Dashboard;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Mem0.Functions.Dashboard;

/// <summary>
/// The web dashboard on the Functions app (<c>GET /dashboard/{*path}</c>), delegating to <see cref="DashboardEndpoints"/>
/// like the local server. Served by the app itself rather than a Static Web App: one origin, so the dashboard's API calls
/// need no CORS, carry the same CSP, and there is nothing more to provision. Anonymous: the files are public, and the
/// API key is checked by the API calls the page makes.
/// </summary>
public static class DashboardFunction
{
    [Function(DashboardEndpoints.Name)]
    public static IResult Dashboard(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/{*path}")] HttpRequest request) =>
        DashboardEndpoints.Serve(request);
}
