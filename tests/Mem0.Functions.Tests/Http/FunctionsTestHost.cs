using Mem0.Core.Events;
using Mem0.Core.Hosting;
using Mem0.Core.Http;
using Mem0.Core.Jobs;
using Mem0.Core.Memories;
using Mem0.Core.Projects;
using Mem0.Testing.AI;
using Mem0.Testing.Hosting;
using Mem0.Testing.Stores;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mem0.Functions.Tests.Http;

/// <summary>
/// The services a Functions invocation sees, with in-memory stores and hashing embeddings in place of Cosmos DB and
/// Azure OpenAI (the Functions host itself cannot run here), plus one project and API key.
/// </summary>
internal sealed class FunctionsTestHost : IDisposable
{
    public const string ApiKey = "m0-test-key-0123456789";
    public const string ProjectId = "proj_test";

    private FunctionsTestHost(ServiceProvider services)
    {
        Services = services;
    }

    public ServiceProvider Services { get; }

    public Mem0ApiServices Api => Services.GetRequiredService<Mem0ApiServices>();

    /// <param name="configure">More registrations (e.g. a feature under test) before the provider is built.</param>
    public static async Task<FunctionsTestHost> StartAsync(Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mem0:Admin:Key"] = "admin-secret",
        }).Build());
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new HashingEmbeddingGenerator());
        services.AddMem0Core();
        services.AddInMemoryStores();
        services.AddInlineJobs();
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider(Mem0.Core.Hosting.DependencyInjection.ValidatedContainerOptions);

        var projects = provider.GetRequiredService<IProjectStore>();
        var now = DateTimeOffset.UtcNow;
        await projects.CreateProjectAsync(new Project { OrgId = "org_test", ProjectId = ProjectId, Name = "Test", CreatedAt = now, UpdatedAt = now });
        await projects.CreateApiKeyAsync(new ApiKeyRecord
        {
            Id = "key_1",
            OrgId = "org_test",
            ProjectId = ProjectId,
            Name = "test",
            KeyHash = ApiKeys.Hash(ApiKey),
            Prefix = ApiKeys.DisplayPrefix(ApiKey),
            CreatedAt = now,
        });
        return new FunctionsTestHost(provider);
    }

    /// <summary>A request as the Functions ASP.NET Core integration hands it to a trigger.</summary>
    public HttpContext Request(string method, string path, string? json = null, bool authorized = true)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Request.Method = method;
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        if (authorized)
        {
            context.Request.Headers.Authorization = "Token " + ApiKey;
        }

        if (json is not null)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(json);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentType = "application/json";
            context.Request.ContentLength = bytes.Length;
        }

        return context;
    }

    /// <summary>Renders the trigger's result the way the worker does and returns status and body.</summary>
    public static async Task<(int Status, System.Text.Json.JsonElement Body)> RenderAsync(HttpContext context, IResult result)
    {
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        using var reader = new StreamReader(context.Response.Body);
        var text = await reader.ReadToEndAsync();
        var body = string.IsNullOrEmpty(text) ? default : System.Text.Json.JsonDocument.Parse(text).RootElement.Clone();
        return (context.Response.StatusCode, body);
    }

    public void Dispose() => Services.Dispose();
}
