using Mem0.Azure.AI;
using Mem0.Azure.Cosmos;
using Mem0.Functions.Http;
using Mem0.Functions.Webhooks;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// The Functions host: the same Core handlers as Mem0.Server, on Cosmos DB, Azure OpenAI and Storage queues.
var builder = FunctionsApplication.CreateBuilder(args);
builder.AddCosmosStores();
builder.AddAzureOpenAI();
builder.AddMem0FunctionsApi();
builder.AddFunctionsWebhooks();
builder.Build().Run();
