using Mem0.Core.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

namespace Mem0.Functions.Http;

public static class DependencyInjection
{
    /// <summary>
    /// The Mem0 API on the Functions worker: ASP.NET Core integration, the engine, the Core handlers and the auth/error
    /// middleware. The stores, the job scheduler and the webhook transport are named by the other <c>Add*</c> calls of
    /// <see cref="FunctionsApp.AddMem0Functions"/>.
    /// </summary>
    public static FunctionsApplicationBuilder AddMem0FunctionsApi(this FunctionsApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureFunctionsWebApplication();
        builder.UseMiddleware<Mem0HttpMiddleware>();
        builder.Services.AddMem0Core();
        return builder;
    }
}
