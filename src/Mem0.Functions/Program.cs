using Mem0.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// The Functions host: the same Core handlers as Mem0.Server, on Cosmos DB, Azure OpenAI and Storage queues.
var builder = FunctionsApplication.CreateBuilder(args);
builder.AddMem0Functions();
builder.Build().Run();
