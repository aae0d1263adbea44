using Mem0.Server.Hosting;

// The table of contents lives in ServerApp.Build: hosting, local stores, engine, jobs, API.
var app = ServerApp.Build(args);
return await app.RunServerAsync();
